-- UNHCR's code list: joins UNHCR codes to ISO3; ISO3 is null for a few UNHCR-only codes.
select
    unhcr_code,
    iso_code as iso3,
    name,
    unhcr_region,
    unsd_region,
    unsd_subregion,
    nullif(unsd_imregion, '') as unsd_intermediate_region,
    _snapshot_sha256
from {{ source('unhcr', 'countries') }}
