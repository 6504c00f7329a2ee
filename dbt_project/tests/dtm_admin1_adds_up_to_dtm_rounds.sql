-- The admin-1 units of a snapshot add up to its admin-1 total in marts.dtm_rounds.
with units as (
    select iso3, operation, round_number, reporting_date, assessment_type, sum(idps) as idps
    from {{ ref('dtm_admin1') }}
    group by all
),

admin1_rounds as (
    select * from {{ ref('dtm_rounds') }}
    where admin_level = 1
)

select r.iso3, r.operation, r.reporting_date, r.idps, u.idps as unit_sum
from admin1_rounds as r
full outer join units as u
    on
        r.iso3 = u.iso3
        and r.operation = u.operation
        and r.round_number is not distinct from u.round_number
        and r.reporting_date = u.reporting_date
        and r.assessment_type is not distinct from u.assessment_type
where r.idps is distinct from u.idps
