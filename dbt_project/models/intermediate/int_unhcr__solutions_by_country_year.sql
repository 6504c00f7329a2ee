-- Durable solutions per country and year (flows). Returns count against the country of ORIGIN (people
-- going home); resettlement arrivals and naturalisations against the RECEIVING country. A null source cell
-- (category not applicable) contributes nothing; a country-year with no applicable cell stays null.
with solutions as (
    select * from {{ ref('stg_unhcr__solutions') }}
),

returns as (
    select
        origin_iso3 as iso3,
        year,
        sum(returned_refugees)::bigint as returned_refugees
    from solutions
    where returned_refugees is not null
    group by all
),

received as (
    select
        asylum_iso3 as iso3,
        year,
        sum(resettlement)::bigint as resettlement_arrivals,
        sum(naturalisation)::bigint as naturalisations
    from solutions
    where resettlement is not null or naturalisation is not null
    group by all
)

select
    coalesce(r.iso3, v.iso3) as iso3,
    coalesce(r.year, v.year) as year,
    r.returned_refugees,
    v.resettlement_arrivals,
    v.naturalisations
from returns as r
full outer join received as v on r.iso3 = v.iso3 and r.year = v.year
