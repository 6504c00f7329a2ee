-- The documents with their metadata; the full text stays here for lookups, marts carry only references.
with source as (
    select * from {{ source('documents', 'texts') }}
),

renamed as (
    select
        document,
        stem,
        title,
        title_in_text,
        kind,
        issuer,
        language,
        published_date,
        year as document_year,
        parliamentary_reference,
        note,
        text_sha256,
        bytes,
        line_count,
        text,
        annotation_file,
        annotation_sha256,
        reviewed_by,
        _source_file,
        _retrieved_at
    from source
)

select * from renamed
