-- Current IDPs of a country: its most recent reporting snapshot, never a sum over operations (they
-- overlap: Sudan's "Overview" contains the others) nor a pick by highest round (rounds restart per
-- operation). On a tie of dates: baseline (BA) before site assessment (SA), then the larger operation.
select
    iso3,
    operation,
    reporting_date,
    round_number,
    assessment_type,
    idps,
    idps_admin1,
    idps_admin2,
    source_format,
    vintage
from {{ ref('int_iom__dtm_snapshots') }}
qualify row_number() over (
    partition by iso3
    order by reporting_date desc, assessment_type = 'BA' desc, idps desc, round_number desc
) = 1
