-- Recipient countries (ISO2 as in IATI) and regions, activity- or transaction-level, per raw file.
with source as (
    select * from {{ source('iati', 'recipients') }}
),

renamed as (
    select
        iati_identifier,
        transaction_index,
        position,
        recipient_kind,
        code as recipient_code,
        vocabulary as recipient_vocabulary,
        percentage,
        name as recipient_narrative,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
