-- UNHCR's code list as published: UNHCR codes with their ISO code and regions. Its ISO codes are aligned with
-- the data tables' (XXX for unknown, no code for Tibetan) in int_unhcr__countries.
with source as (
    select * from {{ source('unhcr', 'countries') }}
),

renamed as (
    select
        unhcr_code,
        iso_code,
        name,
        unhcr_region,
        unsd_region,
        unsd_subregion,
        nullif(unsd_imregion, '') as unsd_intermediate_region,
        _snapshot_sha256
    from source
)

select * from renamed
