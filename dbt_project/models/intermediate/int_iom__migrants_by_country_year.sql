-- Dead and missing migrants by country of incident and year (incidents at sea or of unknown place have
-- no country of incident and are not in any country's figure; they are in marts.route_year).
select
    country_of_incident_iso3 as iso3,
    incident_year as year,
    sum(dead_missing)::bigint as migrants_dead_missing
from {{ ref('int_iom__mmp_incidents_of_record') }}
where country_of_incident_iso3 is not null
group by all
