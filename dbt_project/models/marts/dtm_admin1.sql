-- DTM IDPs per admin-1 unit of each reporting snapshot (country, operation, round, reporting date,
-- assessment type), summed over the unit's rows (v3 splits a unit by displacement reason and origin), from
-- the admin-1 source of record. A stock on the reporting date: never add snapshots or operations together.
with records as (
    select * from {{ ref('int_iom__dtm_records_of_record') }}
    where admin_level = 1
)

select
    iso3,
    operation,
    round_number,
    reporting_date,
    assessment_type,
    admin1_pcode,
    any_value(admin1_name) as admin1_name,
    sum(idps)::bigint as idps,
    count(*) as records,
    any_value(source_format) as source_format,
    any_value(vintage) as vintage,
    any_value(_snapshot_sha256) as file_sha256
from records
group by iso3, operation, round_number, reporting_date, assessment_type, admin1_pcode
