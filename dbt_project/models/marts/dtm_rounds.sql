-- DTM history: one row per country, operation, round, reporting date, assessment type and admin level, with
-- the IDP stock summed over that level's rows (v3 splits a unit by reason and origin), each level from its
-- source of record. is_current marks the snapshot that is the country's current figure (the rule of
-- int_iom__dtm_current_idps); is_latest_of_operation the operation's latest reporting date.
with records as (
    select * from {{ ref('int_iom__dtm_records_of_record') }}
),

rounds as (
    select
        iso3,
        operation,
        round_number,
        reporting_date,
        assessment_type,
        admin_level,
        sum(idps)::bigint as idps,
        count(*) as records,
        count(distinct coalesce(admin2_pcode, admin1_pcode, iso3)) as admin_units,
        any_value(operation_status) as operation_status,
        any_value(source_format) as source_format,
        any_value(vintage) as vintage,
        any_value(_snapshot_sha256) as file_sha256
    from records
    group by all
),

current_snapshot as (
    select * from {{ ref('int_iom__dtm_current_idps') }}
)

select
    r.*,
    c.iso3 is not null as is_current,
    r.reporting_date = max(r.reporting_date) over (partition by r.iso3, r.operation) as is_latest_of_operation
from rounds as r
left join current_snapshot as c
    on
        r.iso3 = c.iso3
        and r.operation = c.operation
        and r.reporting_date = c.reporting_date
        and r.round_number is not distinct from c.round_number
        and r.assessment_type is not distinct from c.assessment_type
