-- Palestine refugees registered with UNRWA, by host area; the origin is always Palestinian (PSE).
with source as (
    select * from {{ source('unhcr', 'unrwa') }}
),

renamed as (
    select
        {{ unhcr_identity() }},
        total as registered_refugees,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
