-- The two third-party stocks UNHCR adds to its forcibly-displaced headline: IDMC conflict IDPs (per
-- country, origin = asylum) and UNRWA-registered Palestine refugees (hosted by area, originating = PSE).
with idmc as (
    select
        country_iso3 as iso3,
        year,
        sum(conflict_idps)::bigint as idmc_conflict_idps
    from {{ ref('stg_unhcr__idmc') }}
    group by all
),

unrwa_hosted as (
    select
        asylum_iso3 as iso3,
        year,
        sum(registered_refugees)::bigint as unrwa_refugees_hosted
    from {{ ref('stg_unhcr__unrwa') }}
    group by all
),

unrwa_originating as (
    select
        origin_iso3 as iso3,
        year,
        sum(registered_refugees)::bigint as unrwa_refugees_originating
    from {{ ref('stg_unhcr__unrwa') }}
    group by all
),

spine as (
    select
        iso3,
        year
    from idmc
    union
    select
        iso3,
        year
    from unrwa_hosted
    union
    select
        iso3,
        year
    from unrwa_originating
)

select
    s.iso3,
    s.year,
    i.idmc_conflict_idps,
    h.unrwa_refugees_hosted,
    o.unrwa_refugees_originating
from spine as s
left join idmc as i on s.iso3 = i.iso3 and s.year = i.year
left join unrwa_hosted as h on s.iso3 = h.iso3 and s.year = h.year
left join unrwa_originating as o on s.iso3 = o.iso3 and s.year = o.year
