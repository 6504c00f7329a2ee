-- Example questions, one query each, against the published warehouse (warehouse/migration.duckdb).
-- Run one with:  maw sql "$(sed -n '/-- Q1/,/;$/p' docs/queries.sql)"   or open the file in any DuckDB client.
-- tests/test_queries.py runs every query below on the demo build and on the ../shared/data build.
-- Money is in whole euros (EUR), people in persons. Null means "no figure in the source", not zero.

-- Q1. How much Dutch migration-related aid went to Jordan each year, against how many refugees Jordan hosted?
--     (IATI: disbursements + expenditures XM-DAC-7 reports itself, allocated to Jordan; UNHCR: refugees + OIP
--     hosted at year end; per displaced person without and with the 2.4 million UNRWA-registered Palestine refugees.)
select
    year,
    nl_oda_migration_disbursed_eur,
    nl_oda_disbursed_eur,
    refugees_hosted + oip_hosted as refugees_and_oip_hosted,
    nl_oda_migration_eur_per_displaced_hosted,
    nl_oda_migration_eur_per_displaced_hosted_incl_unrwa
from marts.country_year
where iso3 = 'JOR' and year >= 2015
order by year;

-- Q2. What did COMPASS cost per year, in which countries, and what did it report as results?
select
    p.year,
    p.document_commitment_eur,
    p.iati_committed_eur,
    p.iati_disbursed_eur,
    (
        select list(distinct c.iso3 order by c.iso3)
        from marts.programme_country_year as c
        where c.programme_id = p.programme_id and c.year = p.year
            and (c.iati_disbursed_eur > 0 or c.document_commitment_eur > 0 or c.document_results is not null)
    ) as countries_with_money_or_results,
    (select d.countries from marts.dim_programme as d where d.programme_id = p.programme_id) as programme_countries,
    p.document_results
from marts.programme_year as p
where
    p.programme_id = 'compass'
    and (p.document_commitment_eur is not null or p.iati_disbursed_eur is not null or p.document_results is not null)
order by p.year;

-- Q3. Which focus countries of "opvang in de regio" received no Dutch migration-related disbursement in a year?
select
    year,
    iso3,
    country_name,
    country_name_nl,
    coalesce(nl_oda_migration_disbursed_eur, 0) as nl_oda_migration_disbursed_eur,
    refugees_hosted + oip_hosted as refugees_and_oip_hosted
from marts.country_year
where focus_opvang_in_de_regio and coalesce(nl_oda_migration_disbursed_eur, 0) = 0
order by year, iso3;

-- Q4. How large is forced displacement worldwide, year by year (UNHCR's Global Trends headline)?
select year, refugees, asylum_seekers, oip, idps, stateless, forcibly_displaced
from marts.world_year
where year >= 2015
order by year;

-- Q5. Planned budget for article 4.2 "Migratie" against what IATI shows was disbursed on migration.
select article, article_name, year, planned_eur, iati_migration_disbursed_eur, gap_eur
from marts.budget_article_year
where article = '4.2'
order by year;

-- Q6. Where did the people who sought protection in the Netherlands come from (largest corridors, latest year)?
select year, origin_iso3, refugees, asylum_seekers
from marts.displacement_pairs
where asylum_iso3 = 'NLD' and year = (select max(year) from marts.displacement_pairs where asylum_iso3 = 'NLD')
order by refugees + asylum_seekers desc
limit 10;

-- Q7. Deaths and missing on the Central Mediterranean route, per year (IOM Missing Migrants).
select route, year, incidents, dead, missing, dead_missing
from marts.route_year
where route = 'Central Mediterranean'
order by year;

-- Q8. Current internally displaced people per country (IOM DTM), with the date the figure refers to.
select iso3, country_name, year, idps_dtm, idps_dtm_reporting_date
from marts.country_year
where idps_dtm is not null
qualify row_number() over (partition by iso3 order by idps_dtm_reporting_date desc) = 1
order by idps_dtm desc;

-- Q9. Do the UNHCR figures the 2024 migration report quotes agree with the data?
select document, subject, iso3, document_value, data_value, status
from marts.document_checks
order by status desc, subject;

-- Q10. Which migration-related IATI activities belong to which programme, and which to none?
select match_status, programme_id, iati_identifier, activity_title, migration_reason
from marts.programme_matching_report
order by match_status, programme_id, iati_identifier;

-- Q11. Every figure a document gives for a programme, with its exact quote (provenance of the budget tables).
select document, table_name, subject, metric, value, unit, period_start, period_end, quote, ocr_flag
from marts.document_figures
where table_name in ('programme_commitment', 'budget_article_year')
order by document, period_start;

-- Q12. COMPASS's phases: years, budget, countries and partners, each with the quote it comes from.
select
    p.phase_number,
    year(p.period_start) as first_year,
    year(p.period_end) as last_year,
    p.budget,
    p.budget_currency,
    p.countries,
    p.partners,
    p.document,
    p.quote
from marts.dim_programme as d, unnest(d.phases) as u(p)
where d.programme_id = 'compass'
order by p.phase_number;

-- Q13. Which roles do the 2024-2026 documents give Tunisia? (A focus country of migratiesamenwerking, an example
--      of the EU partnerships; never a focus country of "opvang in de regio".)
select document_year, role, policy_track, programme, subject, period_start, period_end, quote
from marts.policy_focus_countries
where iso3 = 'TUN' and document_year between 2024 and 2026
order by document_year, role, policy_track;

-- Q14. The country and region lists of one document (001, the 2012 policy letter), as written, with their roles.
select
    list_id,
    role,
    subject,
    policy_track,
    stated_count,
    list(member_name order by member_index) as members
from marts.policy_focus_countries
where document like '001_%' and member_kind != 'region_member'
group by all
order by list_id;

-- Q15. A region named in a list, and the member countries it counts for (documents/regions.csv).
select list_id, role, member_name, region_name, list(iso3 order by iso3) as member_countries
from marts.policy_focus_countries
where member_kind = 'region_member'
group by all
order by list_id, region_name;

-- Q16. Activities a migration term occurs in that the classification leaves out, with the evidence and the rule.
select iati_identifier, title, verdict_rule, keyword_hits, dac_sectors, override_reason
from marts.iati_activity_classification
where not is_migration_related and len(keyword_hits) > 0
order by iati_identifier;
