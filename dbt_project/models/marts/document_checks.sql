-- Claims the documents attribute to UNHCR against the UNHCR data for the same year. Country claims compare with
-- marts.country_year (refugees incl. other people in need of international protection, year-end stocks); world
-- claims with marts.world_year (UNHCR's Global Trends totals, incl. the forcibly displaced headline built with
-- IDMC's IDPs and UNRWA's Palestine refugees). The comparison is with the published marts, so it is made here.
-- Match rule: the data value rounded to the precision the document writes (3,8 miljoen -> nearest 100 000;
-- 2 miljoen -> nearest million; 73% -> whole percent) must equal the document's value. Mismatches are shown,
-- never corrected. A document that lists N countries for one metric and year (a "top five") also claims they
-- are the data's top N: rank_status says whether each listed country is.
with claims as (
    select * from {{ ref('int_documents__unhcr_claims') }}
),

country as (
    select
        iso3,
        year,
        refugees_hosted + oip_hosted as refugees_hosted,
        refugees_originating + oip_originating as refugees_originating,
        rank() over (partition by year order by refugees_hosted + oip_hosted desc) as hosted_rank,
        rank() over (partition by year order by refugees_originating + oip_originating desc) as originating_rank
    from {{ ref('country_year') }}
    where not is_pseudo_country
),

world as (
    select
        year,
        asylum_seekers,
        oip as other_in_need_of_international_protection,
        refugees + oip as refugees_and_oip,
        forcibly_displaced
    from {{ ref('world_year') }}
),

top5_origins as (
    select
        year,
        sum(refugees_originating) as top5_refugees_originating
    from country
    where originating_rank <= 5
    group by year
),

compared as (
    select
        c.document,
        c.figure_id,
        c.subject,
        c.iso3,
        c.country_name,
        c.metric,
        c.data_year,
        c.document_value,
        c.unit,
        c.precision,
        c.quote,
        c.line,
        c.attributed_source,
        case
            when c.metric = 'refugees_hosted' then cy.refugees_hosted
            when c.metric = 'refugees_originating' then cy.refugees_originating
            when c.metric = 'asylum_seekers' and c.iso3 is null then w.asylum_seekers
            when c.metric = 'other_in_need_of_international_protection' and c.iso3 is null
                then w.other_in_need_of_international_protection
            when c.metric = 'forcibly_displaced' and c.iso3 is null then w.forcibly_displaced
            when c.metric = 'refugees_originating_top5_share' and c.iso3 is null
                then 100.0 * t.top5_refugees_originating / nullif(w.refugees_and_oip, 0)
        end as data_value,
        case
            when c.metric = 'refugees_hosted' then cy.hosted_rank
            when c.metric = 'refugees_originating' then cy.originating_rank
        end as data_rank,
        case
            when c.metric in ('refugees_hosted', 'refugees_originating')
                then 'marts.country_year: refugees + oip, ' || case
                    when c.metric = 'refugees_hosted'
                        then 'by country of asylum'
                    else 'by country of origin'
                end
            when c.metric = 'asylum_seekers' and c.iso3 is null then 'marts.world_year: asylum_seekers'
            when c.metric = 'other_in_need_of_international_protection' and c.iso3 is null
                then 'marts.world_year: oip'
            when c.metric = 'forcibly_displaced' and c.iso3 is null
                then 'marts.world_year: refugees + asylum seekers + OIP + UNRWA refugees + IDMC conflict IDPs'
            when c.metric = 'refugees_originating_top5_share' and c.iso3 is null
                then 'marts.country_year: refugees + oip of the five largest origins / marts.world_year refugees + oip'
        end as data_definition
    from claims as c
    left join country as cy on c.iso3 = cy.iso3 and c.data_year = cy.year
    left join world as w on c.data_year = w.year
    left join top5_origins as t on c.data_year = t.year
),

checked as (
    select
        *,
        cast(data_value as double) as data_number,
        cast(precision as double) as step,
        count(*) filter (where iso3 is not null) over (partition by document, metric, data_year) as countries_listed
    from compared
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
from checked as c
