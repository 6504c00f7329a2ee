-- Durable solutions during the year (flows). Null means the category does not apply to the row, not zero.
-- The asylum side is the country returned from (returns) or the receiving country (resettlement, naturalisation).
with source as (
    select * from {{ source('unhcr', 'solutions') }}
),

renamed as (
    select
        {{ unhcr_identity() }},
        returned_refugees,
        resettlement,
        naturalisation,
        returned_idps,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
