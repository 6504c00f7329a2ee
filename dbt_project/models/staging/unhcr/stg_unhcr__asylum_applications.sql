-- Applications lodged during the year (a flow). unit says persons (P) or cases (C): never add the two.
-- The code 'NA' in application_type / decision_level is a code ("new and appeal" / "new applications").
select
    year,
    coo_iso as origin_iso3,
    coa_iso as asylum_iso3,
    coo as origin_unhcr_code,
    coa as asylum_unhcr_code,
    coo_name as origin_name,
    coa_name as asylum_name,
    procedure_type,
    app_type as application_type,
    dec_level as decision_level,
    app_pc as unit,
    applied,
    _source_file,
    _source_row,
    _snapshot_sha256,
    _retrieved_at
from {{ source('unhcr', 'asylum_applications') }}
