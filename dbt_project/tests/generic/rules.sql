{#-
  Every column rule of one model in one test: dbt spends some 40 ms of Python on each test node whatever its
  query costs, and a model has up to a dozen column rules: one node per model instead of one per rule took a
  third to nearly half off a build's dbt time. Inputs, each optional but not all empty (tests/test_dbt_layout.py
  requires a grain or a unique column of every model):
    grain                  columns whose combination is unique (the model's grain)
    not_null               columns that hold no NULL
    unique                 columns whose non-null values are unique, each on its own (NULL's group has a count
                           of 0, never > 1: no `where column is not null`, which DuckDB pushes into a view's
                           as-of join and turns it into a nested loop: 0.6 s, not 0.04 s, on IATI transactions)
    accepted_values        column -> the values it may hold (NULL passes; compared as dbt's accepted_values does)
    relationships          column -> {to: ref(...), field: ...}: every non-null value is a `field` of `to`
    zero_stated_by_source  list of {column_name, source_model, keys, stating}: a zero only where the source
                           states it (`keys` maps the model's key columns to expressions over the source row `s`,
                           `stating` is a condition on `s`): a zero no source states is a null made zero
  Fails with one row per broken rule: the rule, its column(s), how many rows (or values) break it and one of
  them; a failed refresh reads these rows back from the failed build and prints them.
-#}
{% test rules(model, grain=[], not_null=[], unique=[], accepted_values={}, relationships={}, zero_stated_by_source=[]) %}
{%- set checks = [] %}

{%- if grain %}
{%- set columns = grain | join(', ') %}
{%- do checks.append("
    select 'grain' as rule, '" ~ columns ~ "' as column_name, count(*) as failing_rows,
        any_value(row(" ~ columns ~ ")::varchar) as example
    from (select " ~ columns ~ " from " ~ model ~ " group by " ~ columns ~ " having count(*) > 1)
    having count(*) > 0") %}
{%- endif %}

{%- if not_null %}
{%- set counts %}
    {%- for column in not_null %}
        count(*) filter (where {{ adapter.quote(column) }} is null) as {{ adapter.quote(column) }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endset %}
{%- do checks.append("
    select 'not_null' as rule, column_name, failing_rows, null as example
    from (unpivot (select " ~ counts ~ " from " ~ model ~ ") on columns(*) into name column_name value failing_rows)
    where failing_rows > 0") %}
{%- endif %}

{%- for column in unique %}
{%- do checks.append("
    select 'unique' as rule, '" ~ column ~ "' as column_name, count(*) as failing_rows,
        any_value(value::varchar) as example
    from (select " ~ column ~ " as value from " ~ model ~ " group by " ~ column ~ " having count(" ~ column ~ ") > 1)
    having count(*) > 0") %}
{%- endfor %}

{%- for column, values in accepted_values.items() %}
{%- set listed = [] %}
{%- for value in values %}{% do listed.append("'" ~ (value | string | replace("'", "''")) ~ "'") %}{% endfor %}
{%- do checks.append("
    select 'accepted_values' as rule, '" ~ column ~ "' as column_name, count(*) as failing_rows,
        any_value(value::varchar) as example
    from (select " ~ column ~ " as value from " ~ model ~ " group by " ~ column ~ ")
    where value not in (" ~ listed | join(', ') ~ ")
    having count(*) > 0") %}
{%- endfor %}

{%- for column, parent in relationships.items() %}
{%- do checks.append("
    select 'relationships' as rule,
        '" ~ column ~ " -> " ~ parent.to.schema ~ "." ~ parent.to.identifier ~ "." ~ parent.field ~ "' as column_name,
        count(*) as failing_rows, any_value(child.value::varchar) as example
    from (select " ~ column ~ " as value from " ~ model ~ " where " ~ column ~ " is not null) as child
    left join (select " ~ parent.field ~ " as value from " ~ parent.to ~ ") as parent on child.value = parent.value
    where parent.value is null
    having count(*) > 0") %}
{%- endfor %}

{%- for rule in zero_stated_by_source %}
{%- set model_keys = [] %}
{%- for model_key in rule['keys'] %}{% do model_keys.append('m.' ~ model_key) %}{% endfor %}
{%- set matches %}
    {%- for model_key, source_key in rule['keys'].items() %}
        {{ source_key }} is not distinct from m.{{ model_key }} and
    {%- endfor %}
        ({{ rule.get('stating', 'true') }})
{%- endset %}
{%- do checks.append("
    select 'zero_stated_by_source' as rule, '" ~ rule.column_name ~ "' as column_name, count(*) as failing_rows,
        any_value(row(" ~ model_keys | join(', ') ~ ")::varchar) as example
    from " ~ model ~ " as m
    where m." ~ rule.column_name ~ " = 0
        and not exists (select 1 from " ~ rule.source_model ~ " as s where " ~ matches ~ ")
    having count(*) > 0") %}
{%- endfor %}

{{ checks | join('\n    union all') }}
{% endtest %}
