-- DTM IDP records, all levels, formats and vintages; DTM's "Not available" origin placeholder becomes null.
with source as (
    select * from {{ source('iom', 'dtm_idps') }}
),

renamed as (
    select
        source_format,
        vintage,
        admin_level,
        admin0_pcode as iso3,
        admin0_name,
        admin1_pcode,
        admin1_name,
        admin2_pcode,
        admin2_name,
        operation,
        operation_status,
        reporting_date,
        round_number,
        assessment_type,
        displacement_reason,
        nullif(origin_admin1_pcode, 'Not available') as origin_admin1_pcode,
        nullif(origin_admin1_name, 'Not available') as origin_admin1_name,
        idps,
        number_males,
        number_females,
        record_id,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
