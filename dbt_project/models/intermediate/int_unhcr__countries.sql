-- UNHCR's code list, the bridge from UNHCR codes to ISO3. The list says XXX for "Unknown" where every data table
-- says UNK, and has no ISO code for Tibetan (the data tables use TIB); both are aligned here, originals kept.
select
    unhcr_code,
    case
        when iso_code = 'XXX' then 'UNK'
        when iso_code is null and unhcr_code = 'TIB' then 'TIB'
        else iso_code
    end as iso3,
    iso_code as iso_code_source,
    name,
    unhcr_region,
    unsd_region,
    unsd_subregion,
    unsd_intermediate_region,
    _snapshot_sha256
from {{ ref('stg_unhcr__countries') }}
