-- Sectors of every vocabulary, activity- or transaction-level, per raw file.
with source as (
    select * from {{ source('iati', 'sectors') }}
),

renamed as (
    select
        iati_identifier,
        transaction_index,
        position,
        vocabulary as sector_vocabulary,
        code as sector_code,
        percentage,
        name as sector_narrative,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
