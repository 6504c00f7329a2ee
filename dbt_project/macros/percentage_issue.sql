{#-
    Why one set of activity-level percentages (an activity's recipients, or its DAC sectors) cannot be used as
    published, or null when it can: no percentage on any of several parts (split evenly), some parts without one,
    or a sum more than 0.5 away from 100 (shares normalised). The texts are the ones the parsers wrote before
    this moved to dbt; a sum is printed without trailing zeros (80, 99.5). `label` is a SQL expression; `parts`,
    `with_percentage` and `total` are columns (total: the sum of the given percentages).
-#}
{% macro percentage_issue(label, parts, with_percentage, total) %}
    case
        when {{ with_percentage }} = 0 and {{ parts }} > 1
            then {{ label }} || ': no percentages, split evenly'
        when {{ with_percentage }} = 0 then null
        when {{ with_percentage }} < {{ parts }}
            then {{ label }} || ': ' || ({{ parts }} - {{ with_percentage }})::varchar || ' of '
            || {{ parts }}::varchar || ' without percentage (given sum '
            || rtrim(rtrim({{ total }}::varchar, '0'), '.') || ')'
        when abs({{ total }} - 100) > 0.5
            then {{ label }} || ': percentages sum to ' || rtrim(rtrim({{ total }}::varchar, '0'), '.')
            || ', not 100; shares normalised'
    end
{%- endmacro %}
