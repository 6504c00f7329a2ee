-- Programme phases from the documents, with their budget (the phase's programme_commitment figure) and
-- countries (the phase's programme_country list; regions expanded to their member countries).
with phases as (
    select
        n.programme_id,
        p.*
    from {{ ref('stg_documents__phases') }} as p
    inner join {{ ref('int_programmes__document_names') }} as n on lower(trim(p.programme)) = n.document_name
),

budgets as (
    select
        document,
        figure_id,
        value,
        unit
    from {{ ref('stg_documents__figures') }}
    where table_name = 'programme_commitment'
),

countries as (
    select
        document,
        list_id,
        list_sort(list_distinct(list(iso3))) as countries
    from {{ ref('int_documents__list_members') }}
    where iso3 is not null
    group by document, list_id
)

select
    p.programme_id,
    p.phase_id,
    p.phase_number,
    p.period_start,
    p.period_end,
    p.period_basis,
    p.budget_figure_id,
    b.value as budget,
    b.unit as budget_currency,
    p.countries_list_id,
    coalesce(c.countries, []::varchar[]) as countries,
    p.partners,
    p.document,
    p.quote,
    p.line
from phases as p
left join budgets as b on p.document = b.document and p.budget_figure_id = b.figure_id
left join countries as c on p.document = c.document and p.countries_list_id = c.list_id
