-- Planned amounts per budget article and year from the documents, beside what IATI shows XM-DAC-7
-- disbursed (types 3 and 4) on migration-related activities in the same year, EUR, with the gap. IATI has
-- no budget-article field: the comparison is with all migration-related disbursements, as the classification
-- in int_iati__activity_migration_relevance defines them (in-donor refugee costs, sector 93010, excluded).
-- The gap is null where IATI has no migration disbursement in the year (no data is not a gap of the whole plan).
with planned as (
    select
        article,
        article_name,
        year,
        max(amount_eur) as planned_eur,
        list_distinct(list(document)) as documents,
        count(distinct amount_eur) = 1 as readings_agree
    from {{ ref('budget_lines') }}
    group by article, article_name, year
),

disbursed as (
    select
        year,
        sum(value_eur) as iati_migration_disbursed_eur
    from {{ ref('oda_transactions') }}
    where
        is_nl_mfa_reported
        and is_migration_related
        and transaction_type_code in ('3', '4')
        and not is_in_donor_refugee_cost
    group by year
)

select
    p.article,
    p.article_name,
    p.year,
    p.planned_eur,
    round(d.iati_migration_disbursed_eur, 2) as iati_migration_disbursed_eur,
    round(p.planned_eur - d.iati_migration_disbursed_eur, 2) as gap_eur,
    p.documents,
    p.readings_agree
from planned as p
left join disbursed as d on p.year = d.year
