-- Newly displaced across borders during the year (flows, never to be added to stocks), codes as in the flows
-- spreadsheet: UKN (unknown) and STA (stateless) where every other table says UNK and XXA (aligned in
-- int_unhcr__flows). Tibetan rows have no origin name in the source.
with source as (
    select * from {{ source('unhcr', 'flows') }}
),

renamed as (
    select
        year,
        coo_iso as origin_iso3_source,
        coa_iso as asylum_iso3_source,
        coo as origin_unhcr_code,
        coa as asylum_unhcr_code,
        coo_name as origin_name,
        coa_name as asylum_name,
        refugees,
        asylum_seekers,
        refugee_like,
        oip,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
