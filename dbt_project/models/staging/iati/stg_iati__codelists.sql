-- IATI codelists: code -> English name (and category, e.g. the 3-digit DAC category of a 5-digit sector).
with source as (
    select * from {{ source('iati', 'codelists') }}
),

renamed as (
    select
        codelist,
        code,
        name,
        category,
        status,
        _snapshot_sha256
    from source
)

select * from renamed
