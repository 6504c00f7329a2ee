-- Planned amounts per budget (sub)article and year, in whole euros, from the table parser and from the
-- annotations side by side (column reading); the test budget_lines_readings_agree keeps them equal.
select
    b.article,
    b.article_name,
    b.year,
    cast(b.amount as bigint) as amount_eur,
    b.document,
    b.reading as source,
    b.figure_id,
    f.quote,
    b.line,
    t.document_year
from {{ ref('int_documents__budget_lines') }} as b
left join {{ ref('stg_documents__figures') }} as f on b.document = f.document and b.figure_id = f.figure_id
inner join {{ ref('stg_documents__texts') }} as t on b.document = t.document
where b.unit = 'EUR'
