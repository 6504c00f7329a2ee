-- Verified figures (the load only passes when verification = 'ok' for all of them).
with source as (
    select * from {{ source('documents', 'figures') }}
),

renamed as (
    select
        document,
        figure_id,
        table_name,
        subject,
        programme,
        policy_track,
        country_name,
        iso3,
        partners,
        attributed_source,
        period_start,
        period_end,
        metric,
        value,
        unit,
        quote,
        number,
        scale_quote,
        ocr_flag,
        note,
        qualifier,
        value_low,
        value_high,
        number_high,
        phase_id,
        unit_kind,
        line,
        number_reading,
        stated_unit,
        precision,
        verification,
        annotation_file,
        annotation_sha256,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
