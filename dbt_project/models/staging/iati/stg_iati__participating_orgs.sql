-- Participating organisations with their role codes, per raw file.
with source as (
    select * from {{ source('iati', 'participating_orgs') }}
),

renamed as (
    select
        iati_identifier,
        position,
        role_code,
        org_ref,
        org_type,
        org_name,
        org_activity_id,
        crs_channel_code,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
