with source as (
    select * from {{ source('reference', 'countries') }}
),

renamed as (
    select
        iso3,
        iso2,
        numeric as iso_numeric,
        name_en,
        name_nl,
        official_name_en,
        is_pseudo_country,
        _snapshot_sha256
    from source
)

select * from renamed
