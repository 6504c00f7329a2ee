-- A document commitment spread over the years of its period must add up to the amount the document states,
-- once: no row may be counted twice (e.g. through two spellings of a programme name).
select
    c.document,
    c.figure_id,
    c.amount,
    sum(s.commitment_eur) as spread_total
from {{ ref('programme_commitments') }} as c
inner join {{ ref('int_programmes__document_commitments_by_year') }} as s
    on c.document = s.document and c.figure_id = s.figure_id
group by c.document, c.figure_id, c.amount
having abs(sum(s.commitment_eur) - c.amount) > 0.01
