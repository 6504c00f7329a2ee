-- Durable solutions during the year (flows). Null means the category does not apply to the row, not zero.
-- The asylum side is the country returned from (returns) or the receiving country (resettlement, naturalisation).
select
    year,
    coo_iso as origin_iso3,
    coa_iso as asylum_iso3,
    coo as origin_unhcr_code,
    coa as asylum_unhcr_code,
    coo_name as origin_name,
    coa_name as asylum_name,
    returned_refugees,
    resettlement,
    naturalisation,
    returned_idps,
    _source_file,
    _source_row,
    _snapshot_sha256,
    _retrieved_at
from {{ source('unhcr', 'solutions') }}
