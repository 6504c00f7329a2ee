-- Year-end stocks (and two within-year return flows) by origin x asylum, ISO codes for joining.
select
    year,
    coo_iso as origin_iso3,
    coa_iso as asylum_iso3,
    coo as origin_unhcr_code,
    coa as asylum_unhcr_code,
    coo_name as origin_name,
    coa_name as asylum_name,
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
from {{ source('unhcr', 'population') }}
