-- Tags (SDG targets, publisher keywords such as COVID-19), per raw file.
with source as (
    select * from {{ source('iati', 'tags') }}
),

renamed as (
    select
        iati_identifier,
        position,
        vocabulary,
        code,
        name,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
