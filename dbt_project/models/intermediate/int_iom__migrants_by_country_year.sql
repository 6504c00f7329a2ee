-- Dead and missing migrants by country of incident and year: the country the row counts for in
-- int_iom__mmp_incident_countries (published, or attributed from coordinates for the 2026 export). Rows with no
-- country (at sea far from any attributed incident, or a place without ISO3) are in marts.route_country_year
-- as unattributed, so country sums plus unattributed equal marts.route_year.
select
    attributed_iso3 as iso3,
    incident_year as year,
    sum(dead_missing)::bigint as migrants_dead_missing
from {{ ref('int_iom__mmp_incident_countries') }}
where attributed_iso3 is not null
group by all
