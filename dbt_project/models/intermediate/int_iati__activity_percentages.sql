-- Per activity and raw file: the sum of its activity-level recipient country and region percentages, the sum
-- of its activity-level DAC sector percentages (vocabulary 1, else 2: the sectors int_iati__sector_shares
-- splits money over) and percentage_issue, why they cannot be used as published. Derived here, from the rows
-- the parsers write as published, the same way for the XML and the Datastore; transaction-level recipients and
-- sectors carry no percentage. The gate "each sum is 100 (tolerance 0.5) unless percentage_issue says why not"
-- is this model's value_between tests (its YAML says why it is a dbt test and not a suite expectation).
with recipients as (
    select
        source_dataset,
        iati_identifier,
        count(*) as parts,
        count(percentage) as parts_with_percentage,
        sum(percentage) as percentage_sum
    from {{ ref('stg_iati__recipients') }}
    where transaction_index is null
    group by source_dataset, iati_identifier
),

dac_sectors as (
    select
        source_dataset,
        iati_identifier,
        sector_vocabulary,
        percentage
    from {{ ref('stg_iati__sectors') }}
    where transaction_index is null and sector_vocabulary in ('1', '2')
    qualify sector_vocabulary = min(sector_vocabulary) over (partition by source_dataset, iati_identifier)
),

sectors as (
    select
        source_dataset,
        iati_identifier,
        min(sector_vocabulary) as sector_vocabulary,
        count(*) as parts,
        count(percentage) as parts_with_percentage,
        sum(percentage) as percentage_sum
    from dac_sectors
    group by source_dataset, iati_identifier
),

issues as (
    select
        coalesce(r.source_dataset, s.source_dataset) as source_dataset,
        coalesce(r.iati_identifier, s.iati_identifier) as iati_identifier,
        r.parts as recipient_parts,
        r.parts_with_percentage as recipient_parts_with_percentage,
        r.percentage_sum::decimal(12, 6) as recipient_percentage_sum,
        s.sector_vocabulary,
        s.parts as sector_parts,
        s.parts_with_percentage as sector_parts_with_percentage,
        s.percentage_sum::decimal(12, 6) as sector_percentage_sum,
        {{ percentage_issue(
            "'recipient countries/regions'", 'r.parts', 'r.parts_with_percentage', 'r.percentage_sum'
        ) }} as recipient_issue,
        {{ percentage_issue(
            "'sectors (vocabulary ' || s.sector_vocabulary || ')'",
            's.parts', 's.parts_with_percentage', 's.percentage_sum'
        ) }} as sector_issue
    from recipients as r
    full outer join sectors as s
        on r.source_dataset = s.source_dataset and r.iati_identifier = s.iati_identifier
)

select
    source_dataset,
    iati_identifier,
    recipient_parts,
    recipient_parts_with_percentage,
    recipient_percentage_sum,
    sector_vocabulary,
    sector_parts,
    sector_parts_with_percentage,
    sector_percentage_sum,
    nullif(concat_ws('; ', recipient_issue, sector_issue), '') as percentage_issue
from issues
