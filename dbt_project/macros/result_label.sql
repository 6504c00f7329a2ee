{#-
    One reported result as text, for the document_results lists of the programme marts: "indicator: value
    unit", a range as "low-high", and the document's qualifier in brackets ("people_reached: 1000000.0
    persons (more_than)"). Needs indicator, value, value_low, value_high, qualifier and unit; never null.
-#}
{% macro result_label() -%}
    indicator || ': '
    || coalesce(value::double::varchar, value_low::double || '-' || value_high::double, 'no number')
    || coalesce(' ' || unit, '') || coalesce(' (' || qualifier || ')', '')
{%- endmacro %}
