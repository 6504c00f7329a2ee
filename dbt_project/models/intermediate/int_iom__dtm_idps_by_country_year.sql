-- DTM IDPs per country and year: the most recent snapshot reported within that year, chosen by the same
-- rule as int_iom__dtm_current_idps; a country's latest year therefore carries its current figure.
select
    iso3,
    year(reporting_date) as year,
    idps as idps_dtm,
    reporting_date as idps_dtm_reporting_date,
    operation as idps_dtm_operation
from {{ ref('int_iom__dtm_snapshots') }}
qualify row_number() over (
    partition by iso3, year(reporting_date)
    order by reporting_date desc, assessment_type = 'BA' desc, idps desc, round_number desc
) = 1
