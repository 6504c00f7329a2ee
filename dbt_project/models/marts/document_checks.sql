-- Claims the documents attribute to UNHCR against the UNHCR data for the same year. Match rule: the data
-- value rounded to the precision the document writes (3,8 miljoen -> nearest 100 000; 2 miljoen -> nearest
-- million; 73% -> whole percent) must equal the document's value. Mismatches are shown, never corrected.
-- A document that lists N countries for one metric and year (a "top five") also claims they are the data's
-- top N: rank_status says whether each listed country is.
with claims as (
    select
        *,
        cast(data_value as double) as data_number,
        cast(precision as double) as step,
        count(*) filter (where iso3 is not null) over (partition by document, metric, data_year) as countries_listed
    from {{ ref('int_documents__unhcr_claims') }}
)

select
    c.document,
    c.figure_id,
    c.subject,
    c.iso3,
    c.country_name,
    c.metric,
    c.data_year as year,
    c.document_value,
    c.unit,
    c.precision as document_precision,
    c.data_value,
    round(c.data_number / c.step) * c.step as data_value_rounded,
    c.data_rank,
    case when c.iso3 is not null then c.countries_listed end as countries_listed,
    case
        when c.iso3 is null or c.data_rank is null then null
        when c.data_rank <= c.countries_listed then 'in data top ' || c.countries_listed
        else 'not in data top ' || c.countries_listed
    end as rank_status,
    case
        when c.data_value is null then 'no data'
        when abs(round(c.data_number / c.step) * c.step - cast(c.document_value as double)) < 1e-9 * c.step
            then 'match'
        else 'mismatch'
    end as status,
    c.data_definition,
    c.attributed_source,
    c.quote,
    c.line
from claims as c
