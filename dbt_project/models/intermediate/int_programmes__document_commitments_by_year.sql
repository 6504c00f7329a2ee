-- Programme commitments the documents state in EUR, spread evenly over the calendar years of their period and,
-- where the document lists the phase's countries, evenly over those countries: EUR 800 m for 2024-2027 and eight
-- countries counts EUR 25 m per country and year. A commitment's period is its own, or its phase's where the
-- figure gives none; its countries are its phase's list, or the one country the figure names. Where no countries
-- are listed the yearly amount stays unsplit (iso3 null), so the parts always add up to the commitment.
-- Commitments without a period, in another currency or by other donors (e.g. the EU) are not spread; they stay
-- in marts.programme_commitments.
with commitments as (
    select
        n.programme_id,
        c.figure_id,
        c.phase_id,
        c.document,
        c.amount,
        coalesce(nullif(p.countries, []), c.countries) as countries,
        year(coalesce(c.period_start, p.period_start)) as first_year,
        year(coalesce(c.period_end, p.period_end)) as last_year
    from {{ ref('int_documents__programme_commitments') }} as c
    inner join {{ ref('int_programmes__document_names') }} as n on lower(trim(c.programme)) = n.document_name
    left join {{ ref('int_programmes__phases') }} as p on c.phase_id = p.phase_id
    where c.currency = 'EUR' and c.amount is not null
),

spread as (
    select
        *,
        coalesce(nullif(countries, []), [null]::varchar[]) as split_over
    from commitments
    where first_year is not null and last_year is not null
),

spread_years as (
    select
        *,
        unnest(generate_series(first_year, last_year))::integer as year
    from spread
)

select
    s.programme_id,
    s.year,
    s.figure_id,
    s.phase_id,
    s.document,
    country.unnest as iso3,
    s.countries,
    case when len(s.countries) > 0 then 'years_and_countries' else 'years_only' end as split_rule,
    s.amount / (s.last_year - s.first_year + 1) / len(s.split_over) as commitment_eur
from spread_years as s,
    unnest(s.split_over) as country
