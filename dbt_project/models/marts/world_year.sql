-- World totals per year as UNHCR's Global Trends report prints them: column sums over every
-- (origin, asylum) row, since the sources break every pair out. Stocks and flows are separate columns,
-- never added. forcibly_displaced is UNHCR's headline: refugees + asylum seekers + OIP + UNRWA-registered
-- Palestine refugees + IDMC conflict IDPs; null in years without an IDMC or UNRWA figure.
with population as (
    select
        year,
        sum(refugees)::bigint as refugees,
        sum(asylum_seekers)::bigint as asylum_seekers,
        sum(coalesce(oip, 0))::bigint as oip,
        sum(idps)::bigint as idps_unhcr_assisted,
        sum(stateless)::bigint as stateless,
        sum(others_of_concern)::bigint as others_of_concern,
        sum(host_community)::bigint as host_community,
        sum(returned_refugees)::bigint as returned_refugees,
        sum(returned_idps)::bigint as returned_idps
    from {{ ref('stg_unhcr__population') }}
    group by year
),

idmc as (
    select
        year,
        sum(conflict_idps)::bigint as idps
    from {{ ref('stg_unhcr__idmc') }}
    group by year
),

unrwa as (
    select
        year,
        sum(registered_refugees)::bigint as unrwa_refugees
    from {{ ref('stg_unhcr__unrwa') }}
    group by year
),

solutions as (
    select
        year,
        sum(resettlement)::bigint as resettlement_arrivals,
        sum(naturalisation)::bigint as naturalisations
    from {{ ref('stg_unhcr__solutions') }}
    group by year
),

applications as (
    select
        year,
        sum(applied)::bigint as asylum_applications_new
    from {{ ref('stg_unhcr__asylum_applications') }}
    where unit = 'P' and application_type = 'N'
    group by year
)

select
    p.year,
    p.refugees,
    p.asylum_seekers,
    p.oip,
    u.unrwa_refugees,
    i.idps,
    p.idps_unhcr_assisted,
    p.stateless,
    p.others_of_concern,
    p.host_community,
    (p.refugees + p.asylum_seekers + p.oip + u.unrwa_refugees + i.idps)::bigint as forcibly_displaced,
    p.returned_refugees,
    p.returned_idps,
    s.resettlement_arrivals,
    s.naturalisations,
    a.asylum_applications_new
from population as p
left join idmc as i on p.year = i.year
left join unrwa as u on p.year = u.year
left join solutions as s on p.year = s.year
left join applications as a on p.year = a.year
