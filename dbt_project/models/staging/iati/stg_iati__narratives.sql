-- Titles and descriptions in every published language, per raw file.
with source as (
    select * from {{ source('iati', 'narratives') }}
),

renamed as (
    select
        iati_identifier,
        element,
        description_type,
        position,
        lang,
        narrative,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
