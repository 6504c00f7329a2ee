-- Results the documents report per programme, attributed to the calendar year their period ends in.
select
    n.programme_id,
    year(r.period_end) as year,
    r.iso3,
    r.indicator,
    r.value,
    r.value_low,
    r.value_high,
    r.qualifier,
    r.unit,
    r.period_start,
    r.period_end,
    r.document,
    r.figure_id
from {{ ref('int_documents__result_indicators') }} as r
inner join {{ ref('int_programmes__document_names') }} as n on lower(trim(r.programme)) = n.document_name
where r.period_end is not null
