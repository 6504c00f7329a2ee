-- Missing Migrants rows (incidents and splits) from every file, one schema; counts as published. Renames and
-- casts only: the measures (dead_missing, is_correction, incident_dead_missing) are in int_iom__mmp_rows.
with source as (
    select * from {{ source('iom', 'missing_migrants') }}
),

renamed as (
    select
        source_format,
        vintage,
        request_year,
        main_id,
        split_number,
        incident_id_published,
        incident_type,
        incident_date,
        incident_year,
        region,
        route,
        country_of_incident,
        country_of_incident_iso3,
        dead,
        missing,
        dead_missing_published,
        survivors,
        females,
        males,
        children,
        cause_of_death,
        country_of_origin,
        region_of_origin,
        location,
        latitude,
        longitude,
        unsd_grouping,
        information_source,
        url,
        source_quality,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
