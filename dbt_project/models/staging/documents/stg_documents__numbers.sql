-- The coverage report: every number in every document and what accounts for it.
with source as (
    select * from {{ source('documents', 'numbers') }}
),

renamed as (
    select
        document,
        line,
        "column" as line_column,
        token,
        snippet,
        accounted_by,
        reference,
        coverage,
        _source_file,
        _snapshot_sha256
    from source
)

select * from renamed
