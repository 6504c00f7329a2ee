-- Must show 1: every budget line parsed from a document table has an annotated figure with the same article,
-- year and amount, and the other way round for annotations that point at a parsed cell. Rows returned = failures.
with parser as (
    select document, article, year, amount_eur from {{ ref('budget_lines') }} where source = 'parser'
),

annotation as (
    select document, article, year, amount_eur from {{ ref('budget_lines') }}
    where source = 'annotation' and article is not null
)

select
    coalesce(p.document, a.document) as document,
    coalesce(p.article, a.article) as article,
    coalesce(p.year, a.year) as year,
    p.amount_eur as parser_amount_eur,
    a.amount_eur as annotation_amount_eur
from parser as p
full outer join annotation as a on p.document = a.document and p.article = a.article and p.year = a.year
where p.amount_eur is distinct from a.amount_eur
