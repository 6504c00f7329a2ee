-- What programmes report they achieved: programme x indicator x period, with the document's own words
-- (built in int_documents__result_indicators).
select
    document,
    figure_id,
    programme,
    indicator,
    subject,
    policy_track,
    iso3,
    partners,
    period_start,
    period_end,
    value,
    value_low,
    value_high,
    qualifier,
    unit,
    quote,
    line,
    ocr_flag,
    document_year
from {{ ref('int_documents__result_indicators') }}
