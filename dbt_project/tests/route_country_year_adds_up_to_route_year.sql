-- Country rows plus unattributed rows of marts.route_country_year equal marts.route_year per route and year.
with by_country as (
    select route, year, sum(dead_missing) as dead_missing, sum(incidents) as incidents
    from {{ ref('route_country_year') }}
    group by all
)

select r.route, r.year, r.dead_missing, c.dead_missing as country_sum
from {{ ref('route_year') }} as r
full outer join by_country as c on r.route is not distinct from c.route and r.year = c.year
where r.dead_missing is distinct from c.dead_missing
