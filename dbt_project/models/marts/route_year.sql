-- Deaths and disappearances on migration routes per year (IOM Missing Migrants Project), from the
-- download of record for each year; route as MMP publishes it, null where MMP names no route.
select
    route,
    incident_year as year,
    {{ mmp_totals() }}
from {{ ref('int_iom__mmp_incidents_of_record') }}
group by all
