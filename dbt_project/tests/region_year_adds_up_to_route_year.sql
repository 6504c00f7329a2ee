-- The regions of a year add up to all routes of that year (one download per year, each row in one region).
with regions as (
    select year, sum(dead_missing) as dead_missing from {{ ref('region_year') }} group by year
),

routes as (
    select year, sum(dead_missing) as dead_missing from {{ ref('route_year') }} group by year
)

select r.year, r.dead_missing as routes, g.dead_missing as regions
from routes as r
full outer join regions as g on r.year = g.year
where r.dead_missing is distinct from g.dead_missing
