-- Programme commitments the documents state in EUR, spread evenly over the calendar years of their period
-- (a commitment of EUR 100 m for 2024-2027 counts EUR 25 m a year). Commitments without a period, in
-- another currency or by other donors (e.g. the EU) are not spread; they stay in marts.programme_commitments.
with commitments as (
    select
        n.programme_id,
        c.figure_id,
        c.document,
        c.amount,
        c.countries,
        year(c.period_start) as first_year,
        year(c.period_end) as last_year
    from {{ ref('programme_commitments') }} as c
    inner join {{ ref('int_programmes__document_names') }} as n on lower(trim(c.programme)) = n.document_name
    where c.currency = 'EUR' and c.amount is not null and c.period_start is not null and c.period_end is not null
)

select
    c.programme_id,
    y.year,
    c.figure_id,
    c.document,
    c.countries,
    c.amount / (c.last_year - c.first_year + 1) as commitment_eur
from commitments as c
inner join {{ ref('dim_year') }} as y on y.year between c.first_year and c.last_year
