{#-
    The ISO3 code a p-code's letter prefix names (`prefix`: the upper-cased leading letters, '' when the
    p-code starts with none, null when there is no p-code). Three letters or more: their first three (IRQ-G01,
    TCD07); two: `iso2_match`, the ISO3 of the reference country with that ISO2 code (AF15 -> AFG), joined by
    the caller. '?' where the prefix names no country, so a same-country test fails on it.
-#}
{% macro iso3_of_pcode_prefix(prefix, iso2_match) -%}
    case
        when {{ prefix }} is null then null
        when length({{ prefix }}) >= 3 then left({{ prefix }}, 3)
        else coalesce({{ iso2_match }}, '?')
    end
{%- endmacro %}
