-- Deaths and disappearances per migration route, country of incident and year (IOM Missing Migrants
-- Project, download of record per year). iso3 is the country each row counts for (published, or attributed
-- from coordinates for the 2026 export); null = unattributed. Country rows plus unattributed rows add up to
-- marts.route_year per route and year.
select
    route,
    attributed_iso3 as iso3,
    incident_year as year,
    country_attribution,
    {{ mmp_totals() }}
from {{ ref('int_iom__mmp_incident_countries') }}
group by all
