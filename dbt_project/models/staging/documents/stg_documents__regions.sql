-- The reviewed region -> member country table (documents/regions.csv), one row per member country.
with source as (
    select * from {{ source('documents', 'regions') }}
),

renamed as (
    select
        region_id,
        region_name,
        iso3,
        basis,
        _source_file,
        _source_row,
        _snapshot_sha256
    from source
)

select * from renamed
