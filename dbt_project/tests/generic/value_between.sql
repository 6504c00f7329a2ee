{#- Fails with one row per value outside [min_value, max_value] (nulls pass: they mean "no figure"). -#}
{% test value_between(model, column_name, min_value, max_value) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}
