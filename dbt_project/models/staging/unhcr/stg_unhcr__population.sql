-- Year-end stocks (and two within-year return flows) by origin x asylum, ISO codes for joining.
with source as (
    select * from {{ source('unhcr', 'population') }}
),

renamed as (
    select
        {{ unhcr_identity() }},
        refugees,
        asylum_seekers,
        returned_refugees,
        idps,
        returned_idps,
        stateless,
        ooc as others_of_concern,
        oip,
        hst as host_community,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
