-- Money committed or planned for programmes and contributions, as the documents state it.
select
    f.document,
    f.figure_id,
    coalesce(f.programme, f.subject) as programme,
    f.subject,
    f.policy_track,
    f.phase_id,
    f.partners,
    case when f.iso3 is null then []::varchar[] else [f.iso3] end as countries,
    f.metric,
    f.value as amount,
    f.unit as currency,
    f.ocr_flag,
    f.period_start,
    f.period_end,
    f.quote,
    f.line,
    t.document_year
from {{ ref('stg_documents__figures') }} as f
inner join {{ ref('stg_documents__texts') }} as t on f.document = t.document
where f.table_name = 'programme_commitment'
