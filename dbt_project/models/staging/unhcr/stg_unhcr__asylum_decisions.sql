-- Decisions taken during the year (a flow). unit says persons (P) or cases (C): never add the two.
-- Small values are rounded by UNHCR, so total_decisions can differ from the sum of the four outcomes.
with source as (
    select * from {{ source('unhcr', 'asylum_decisions') }}
),

renamed as (
    select
        {{ unhcr_identity() }},
        procedure_type,
        dec_level as decision_level,
        dec_pc as unit,
        dec_recognized as recognized,
        dec_other as complementary_protection,
        dec_rejected as rejected,
        dec_closed as otherwise_closed,
        dec_total as total_decisions,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
