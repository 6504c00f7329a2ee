-- Policy markers (vocabulary 1: OECD DAC CRS) with their significance, per raw file.
with source as (
    select * from {{ source('iati', 'policy_markers') }}
),

renamed as (
    select
        iati_identifier,
        position,
        vocabulary,
        code,
        significance,
        name,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
