-- Every country or region list of the documents, one row per member, with its role, track, programme and period.
with source as (
    select * from {{ source('documents', 'lists') }}
),

renamed as (
    select
        document,
        list_id,
        member_index,
        role,
        subject,
        policy_track,
        programme,
        phase_id,
        period_start,
        period_end,
        list_quote,
        list_line,
        stated_count,
        member_count,
        member_name,
        iso3,
        region_id,
        member_quote,
        member_line,
        ocr_flag,
        note,
        verification,
        annotation_sha256,
        _source_file,
        _source_row,
        _snapshot_sha256
    from source
)

select * from renamed
