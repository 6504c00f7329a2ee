-- UNHCR stocks summed per country and year, once by country of asylum (hosted) and once by origin.
-- The table breaks out only pairs with a figure and writes 0 wherever a count does not apply, so a sum is
-- a figure only over rows that report that population: refugees, asylum seekers and OIP (NA counted as 0,
-- "not applicable") where a row of the country has refugees, asylum seekers or OIP (the protection
-- population); stateless and UNHCR-assisted IDPs where a row has them. Elsewhere null, never 0.
with pop as (
    select * from {{ ref('stg_unhcr__population') }}
),

hosted as (
    select
        asylum_iso3 as iso3,
        year,
        (sum(refugees) filter (where refugees > 0 or asylum_seekers > 0 or oip > 0))::bigint as refugees_hosted,
        (sum(coalesce(oip, 0)) filter (where refugees > 0 or asylum_seekers > 0 or oip > 0))::bigint as oip_hosted,
        (sum(asylum_seekers) filter (where refugees > 0 or asylum_seekers > 0 or oip > 0))::bigint
            as asylum_seekers_hosted,
        (sum(stateless) filter (where stateless > 0))::bigint as stateless,
        (sum(idps) filter (where origin_iso3 = asylum_iso3 and idps > 0))::bigint as idps
    from pop
    group by all
),

originating as (
    select
        origin_iso3 as iso3,
        year,
        (sum(refugees) filter (where refugees > 0 or asylum_seekers > 0 or oip > 0))::bigint
            as refugees_originating,
        (sum(coalesce(oip, 0)) filter (where refugees > 0 or asylum_seekers > 0 or oip > 0))::bigint
            as oip_originating,
        (sum(asylum_seekers) filter (where refugees > 0 or asylum_seekers > 0 or oip > 0))::bigint
            as asylum_seekers_originating
    from pop
    group by all
)

select
    coalesce(h.iso3, o.iso3) as iso3,
    coalesce(h.year, o.year) as year,
    h.refugees_hosted,
    h.oip_hosted,
    h.asylum_seekers_hosted,
    o.refugees_originating,
    o.oip_originating,
    o.asylum_seekers_originating,
    h.idps,
    h.stateless
from hosted as h
full outer join originating as o on h.iso3 = o.iso3 and h.year = o.year
