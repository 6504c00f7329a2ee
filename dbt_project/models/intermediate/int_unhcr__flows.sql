-- Newly displaced across borders during the year (flows, never to be added to stocks). The flows spreadsheet
-- says UKN (unknown) and STA (stateless) where every other table says UNK and XXA: aligned here, with the
-- source's codes kept in *_iso3_source.
select
    year,
    case origin_iso3_source when 'UKN' then 'UNK' when 'STA' then 'XXA' else origin_iso3_source end as origin_iso3,
    case asylum_iso3_source when 'UKN' then 'UNK' when 'STA' then 'XXA' else asylum_iso3_source end as asylum_iso3,
    origin_iso3_source,
    asylum_iso3_source,
    origin_unhcr_code,
    asylum_unhcr_code,
    origin_name,
    asylum_name,
    refugees,
    asylum_seekers,
    refugee_like,
    oip,
    _source_file,
    _source_row,
    _snapshot_sha256,
    _retrieved_at
from {{ ref('stg_unhcr__flows') }}
