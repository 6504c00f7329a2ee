-- Countries a document names for a policy track, as of the document's date (or year where it has no date).
select
    f.document,
    coalesce(f.policy_track, 'unspecified') as policy_track,
    f.iso3,
    min(f.country_name) as country_name,
    list_sort(list_distinct(list(f.programme))) as programmes,
    list_sort(list_distinct(flatten(list(f.partners)))) as partners,
    t.published_date as as_of_date,
    t.document_year as as_of_year,
    list_sort(list(f.figure_id)) as figure_ids,
    min(f.quote) as quote,
    min(f.line) as line,
    bool_or(f.ocr_flag is not null) as ocr_flagged
from {{ ref('stg_documents__figures') }} as f
inner join {{ ref('stg_documents__texts') }} as t on f.document = t.document
where f.table_name = 'focus_country' and f.iso3 is not null
group by f.document, coalesce(f.policy_track, 'unspecified'), f.iso3, t.published_date, t.document_year
