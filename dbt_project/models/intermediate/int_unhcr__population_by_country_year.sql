-- UNHCR stocks summed per country and year, once by country of asylum (hosted) and once by origin.
with pop as (
    select * from {{ ref('stg_unhcr__population') }}
),

hosted as (
    select
        asylum_iso3 as iso3,
        year,
        sum(refugees)::bigint as refugees_hosted,
        sum(coalesce(oip, 0))::bigint as oip_hosted,
        sum(asylum_seekers)::bigint as asylum_seekers_hosted,
        sum(stateless)::bigint as stateless,
        sum(case when origin_iso3 = asylum_iso3 then idps else 0 end)::bigint as idps
    from pop
    group by all
),

originating as (
    select
        origin_iso3 as iso3,
        year,
        sum(refugees)::bigint as refugees_originating,
        sum(coalesce(oip, 0))::bigint as oip_originating,
        sum(asylum_seekers)::bigint as asylum_seekers_originating
    from pop
    group by all
)

select
    coalesce(h.iso3, o.iso3) as iso3,
    coalesce(h.year, o.year) as year,
    coalesce(h.refugees_hosted, 0) as refugees_hosted,
    coalesce(h.oip_hosted, 0) as oip_hosted,
    coalesce(h.asylum_seekers_hosted, 0) as asylum_seekers_hosted,
    coalesce(o.refugees_originating, 0) as refugees_originating,
    coalesce(o.oip_originating, 0) as oip_originating,
    coalesce(o.asylum_seekers_originating, 0) as asylum_seekers_originating,
    coalesce(h.idps, 0) as idps,
    coalesce(h.stateless, 0) as stateless
from hosted as h
full outer join originating as o on h.iso3 = o.iso3 and h.year = o.year
