{#-
  Honest nulls: a zero in `column_name` is allowed only where the source states it. Fails with every row
  whose value is 0 while `source_model` has no row for the same key (`keys` maps the model's key columns
  to expressions over the source row `s`) that states a figure of this kind (`stating`, a condition on `s`).
-#}
{% test zero_stated_by_source(model, column_name, source_model, keys, stating='true') %}
select m.*
from {{ model }} as m
where
    m.{{ column_name }} = 0
    and not exists (
        select 1
        from {{ source_model }} as s
        where
            {% for model_key, source_key in keys.items() -%}
                {{ source_key }} is not distinct from m.{{ model_key }} and
            {% endfor -%}
            ({{ stating }})
    )
{% endtest %}
