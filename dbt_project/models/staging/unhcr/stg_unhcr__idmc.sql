-- IDMC conflict-IDP stock (origin = asylum). 1990-2008 are single world rows with the pseudo-code UNK.
with source as (
    select * from {{ source('unhcr', 'idmc') }}
),

renamed as (
    select
        year,
        coo_iso as country_iso3,
        coo as country_unhcr_code,
        coo_name as country_name,
        total as conflict_idps,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
