-- Per-operation history: one row per reporting snapshot (country, operation, reporting date, round,
-- assessment type) with the IDP stock summed over that snapshot's rows at each admin level, each level
-- from its source of record. v3 splits one unit and round into rows by reason and origin, hence the sum;
-- BA (baseline) and SA (site assessment) are separate measurements of the same people and stay apart.
with records as (
    select * from {{ ref('int_iom__dtm_records_of_record') }}
),

by_level as (
    select
        iso3,
        operation,
        reporting_date,
        round_number,
        assessment_type,
        (sum(idps) filter (where admin_level = 0))::bigint as idps,
        (sum(idps) filter (where admin_level = 1))::bigint as idps_admin1,
        (sum(idps) filter (where admin_level = 2))::bigint as idps_admin2,
        count(*) filter (where admin_level = 0) as admin0_rows,
        any_value(source_format) filter (where admin_level = 0) as source_format,
        any_value(vintage) filter (where admin_level = 0) as vintage,
        any_value(operation_status) as operation_status
    from records
    group by all
)

select *
from by_level
where idps is not null
