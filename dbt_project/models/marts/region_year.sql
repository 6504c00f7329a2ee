-- Deaths and disappearances per Missing Migrants region of incident and year, from the download of record
-- per year; region as MMP publishes it (comma-joined combinations, e.g. 'Mediterranean,North America', kept).
select
    region,
    incident_year as year,
    count(distinct main_id) as incidents,
    sum(coalesce(dead, 0))::bigint as dead,
    sum(coalesce(missing, 0))::bigint as missing,
    sum(dead_missing)::bigint as dead_missing,
    any_value(source_format) as source_format,
    any_value(vintage) as vintage
from {{ ref('int_iom__mmp_incidents_of_record') }}
group by all
