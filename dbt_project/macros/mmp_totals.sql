{#-
    The totals of a group of Missing Migrants rows of record, shared by the route, region and country marts:
    incidents (distinct Main IDs), dead and missing (an empty cell counts as 0, as the row's published total
    dead + missing states), dead_missing, and the download the rows come from (one per incident year).
    Use in a select grouped by the mart's grain.
-#}
{% macro mmp_totals() %}
    count(distinct main_id) as incidents,
    sum(coalesce(dead, 0))::bigint as dead,
    sum(coalesce(missing, 0))::bigint as missing,
    sum(dead_missing)::bigint as dead_missing,
    any_value(source_format) as source_format,
    any_value(vintage) as vintage
{%- endmacro %}
