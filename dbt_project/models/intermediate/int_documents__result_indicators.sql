-- What programmes report they achieved: programme x indicator x period, with the document's own words.
select
    f.document,
    f.figure_id,
    coalesce(f.programme, f.subject) as programme,
    f.metric as indicator,
    f.subject,
    f.policy_track,
    f.iso3,
    f.partners,
    f.period_start,
    f.period_end,
    f.value,
    f.value_low,
    f.value_high,
    f.qualifier,
    f.unit,
    f.quote,
    f.line,
    f.ocr_flag,
    t.document_year
from {{ ref('stg_documents__figures') }} as f
inner join {{ ref('stg_documents__texts') }} as t on f.document = t.document
where f.table_name = 'result_indicator'
