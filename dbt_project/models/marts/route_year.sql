-- Deaths and disappearances on migration routes per year (IOM Missing Migrants Project), from the
-- download of record for each year; route as MMP publishes it, null where MMP names no route.
select
    route,
    incident_year as year,
    count(distinct main_id) as incidents,
    sum(coalesce(dead, 0))::bigint as dead,
    sum(coalesce(missing, 0))::bigint as missing,
    sum(dead_missing)::bigint as dead_missing,
    any_value(source_format) as source_format,
    any_value(vintage) as vintage
from {{ ref('int_iom__mmp_incidents_of_record') }}
group by all
