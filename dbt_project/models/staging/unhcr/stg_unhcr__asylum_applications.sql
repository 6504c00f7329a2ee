-- Applications lodged during the year (a flow). unit says persons (P) or cases (C): never add the two.
-- The code 'NA' in application_type / decision_level is a code ("new and appeal" / "new applications").
with source as (
    select * from {{ source('unhcr', 'asylum_applications') }}
),

renamed as (
    select
        {{ unhcr_identity() }},
        procedure_type,
        app_type as application_type,
        dec_level as decision_level,
        app_pc as unit,
        applied,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
