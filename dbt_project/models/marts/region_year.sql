-- Deaths and disappearances per Missing Migrants region of incident and year, from the download of record
-- per year; region as MMP publishes it (comma-joined combinations, e.g. 'Mediterranean,North America', kept).
select
    region,
    incident_year as year,
    {{ mmp_totals() }}
from {{ ref('int_iom__mmp_incidents_of_record') }}
group by all
