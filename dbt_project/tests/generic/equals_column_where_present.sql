{#-
  Fails with every row where `column_name` and `other_column` both hold a value and the values differ
  (a null on either side passes: nothing to compare). The failing rows are returned whole, provenance too.
-#}
{% test equals_column_where_present(model, column_name, other_column) %}
select *
from {{ model }}
where {{ column_name }} != {{ other_column }}
{% endtest %}
