-- Palestine refugees registered with UNRWA, by host area; the origin is always Palestinian (PSE).
select
    year,
    coo_iso as origin_iso3,
    coa_iso as asylum_iso3,
    coo as origin_unhcr_code,
    coa as asylum_unhcr_code,
    coo_name as origin_name,
    coa_name as asylum_name,
    total as registered_refugees,
    _source_file,
    _source_row,
    _snapshot_sha256,
    _retrieved_at
from {{ source('unhcr', 'unrwa') }}
