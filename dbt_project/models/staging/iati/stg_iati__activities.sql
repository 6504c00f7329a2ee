-- One row per activity per raw file, as published (the file of record is chosen in intermediate).
with source as (
    select * from {{ source('iati', 'activities') }}
),

renamed as (
    select
        iati_identifier,
        iati_version,
        reporting_org_ref,
        reporting_org_type,
        reporting_org_name,
        default_currency,
        default_lang,
        hierarchy,
        humanitarian as is_humanitarian,
        last_updated_datetime,
        activity_status_code,
        title,
        title_en,
        title_nl,
        description_en,
        description_nl,
        planned_start_date,
        actual_start_date,
        planned_end_date,
        actual_end_date,
        collaboration_type_code,
        default_flow_type_code,
        default_finance_type_code,
        default_aid_type_code,
        default_tied_status_code,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
