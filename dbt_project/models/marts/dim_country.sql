-- One row per ISO3 code (and labelled pseudo-code) with English/Dutch names and UNHCR/UN regions.
with unhcr as (
    select * from {{ ref('int_unhcr__countries') }}
    where iso3 is not null
    qualify row_number() over (partition by iso3 order by unhcr_code) = 1
)

select
    c.iso3,
    c.iso2,
    c.name_en,
    c.name_nl,
    c.official_name_en,
    u.unhcr_code,
    u.unhcr_region,
    u.unsd_region,
    u.unsd_subregion,
    c.is_pseudo_country,
    case
        when c.iso3 = 'UNK' then 'unknown'
        when c.iso3 = 'XXA' then 'stateless'
        when c.iso3 in ('TIB', 'AB9') then 'territory or group without ISO code'
        when c.iso3 = 'XKX' then 'not in ISO 3166-1'
        else 'country'
    end as country_kind
from {{ ref('stg_reference__countries') }} as c
left join unhcr as u on c.iso3 = u.iso3
