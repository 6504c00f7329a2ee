{#- The listed columns of a model hold no NULL. One query reads the model once for all of them, where dbt's
    not_null costs a node and a read of the model per column. Fails with one row per column that has NULLs:
    its name and how many rows. -#}
{% test not_null_columns(model, columns) %}
with null_rows as (
    select
    {%- for column in columns %}
        count(*) filter (where {{ adapter.quote(column) }} is null) as {{ adapter.quote(column) }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)

select column_name, null_rows
from (unpivot null_rows on columns(*) into name column_name value null_rows)
where null_rows > 0
{% endtest %}
