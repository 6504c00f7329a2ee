-- Statistics the documents attribute to UNHCR, next to the same statistic computed from the UNHCR marts.
-- Country claims compare with marts.country_year (refugees incl. other people in need of international
-- protection, year-end stocks); world claims with marts.world_year (UNHCR's Global Trends totals, incl. the
-- forcibly displaced headline built with IDMC's IDPs and UNRWA's Palestine refugees).
with claims as (
    select
        *,
        year(period_end) as data_year
    from {{ ref('stg_documents__figures') }}
    where upper(attributed_source) like '%UNHCR%'
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
)

select
    c.document,
    c.figure_id,
    c.subject,
    c.iso3,
    c.country_name,
    c.metric,
    c.data_year,
    c.value as document_value,
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
