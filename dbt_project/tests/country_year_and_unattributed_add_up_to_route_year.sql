-- Must show 3: per year, the dead and missing of marts.country_year plus the unattributed rows of
-- marts.route_country_year equal all routes of marts.route_year (no death counted twice or lost).
with countries as (
    select year, sum(migrants_dead_missing) as dead_missing
    from {{ ref('country_year') }}
    group by year
),

unattributed as (
    select year, sum(dead_missing) as dead_missing
    from {{ ref('route_country_year') }}
    where iso3 is null
    group by year
),

routes as (
    select year, sum(dead_missing) as dead_missing
    from {{ ref('route_year') }}
    group by year
)

select r.year, r.dead_missing as routes, c.dead_missing as countries, u.dead_missing as unattributed
from routes as r
left join countries as c on r.year = c.year
left join unattributed as u on r.year = u.year
where r.dead_missing != coalesce(c.dead_missing, 0) + coalesce(u.dead_missing, 0)
