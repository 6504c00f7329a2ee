"""Everything the report reads from the published warehouse, in one pass: a few queries per mart, each
naming its columns, split per country or programme in memory (one query per page would be slower)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from report.marts import ReportError, any_figure, require, select

REPO_ROOT = Path(__file__).resolve().parent.parent
# The reviewed names the documents use for each programme (the seed dbt builds dim_programme from). The
# marts key programme_commitments and result_indicators by the name as written; see programme_names().
PROGRAMME_SEED = REPO_ROOT / "dbt_project" / "seeds" / "programmes.csv"

COUNTRY_YEAR = (
    "iso3",
    "year",
    "refugees_hosted",
    "oip_hosted",
    "asylum_seekers_hosted",
    "idps",
    "idmc_conflict_idps",
    "unrwa_refugees_hosted",
    "refugees_originating",
    "oip_originating",
    "asylum_seekers_originating",
    "forcibly_displaced_originating",
    "idps_dtm",
    "idps_dtm_reporting_date",
    "migrants_dead_missing",
    "nl_oda_disbursed_eur",
    "nl_oda_migration_disbursed_eur",
    "nl_oda_migration_eur_per_displaced_hosted",
    "focus_opvang_in_de_regio",
    "focus_migratiesamenwerking",
    "focus_policy_tracks",
)
# Every other column of country_year is a figure: a country-year with any of them (a focus flag too) counts.
COUNTRY_IDENTITY = ("iso3", "year", "country_name", "country_name_nl", "is_pseudo_country")
DIM_COUNTRY = ("iso3", "name_en", "name_nl", "unsd_region", "unsd_subregion", "country_kind")
WORLD_YEAR = ("year", "forcibly_displaced", "refugees", "asylum_seekers", "oip", "unrwa_refugees", "idps")
ROUTE_YEAR = ("route", "year", "incidents", "dead", "missing", "dead_missing")
POLICY_FOCUS = (
    "document",
    "role",
    "policy_track",
    "programme",
    "iso3",
    "member_name",
    "member_kind",
    "region_name",
    "period_start",
    "period_end",
    "document_year",
    "quote",
    "line",
    "ocr_flagged",
)
DOCUMENT_FIGURES = (
    "document",
    "figure_id",
    "table_name",
    "subject",
    "programme",
    "policy_track",
    "iso3",
    "metric",
    "value",
    "unit",
    "period_end",
    "quote",
    "line",
    "document_title",
    "document_year",
)
DOCUMENT_CHECKS = ("document", "figure_id", "subject", "iso3", "metric", "year", "document_value", "data_value")
DOCUMENT_CHECKS += ("unit", "status", "quote", "line")
DIM_PROGRAMME = (
    "programme_id",
    "programme_name",
    "policy_tracks",
    "partners",
    "countries",
    "period_start",
    "period_end",
    "iati_identifiers",
    "document_commitments",
    "document_results",
    "source_document",
    "source_quote",
)
PROGRAMME_MONEY = (
    "document_commitment_eur",
    "iati_committed_eur",
    "iati_disbursed_eur",
    "partner_reported_incoming_eur",
    "partner_reported_disbursed_eur",
)
PROGRAMME_YEAR = ("programme_id", "year", *PROGRAMME_MONEY, "document_results")
PROGRAMME_COUNTRY_YEAR = ("programme_id", "iso3", "year", *PROGRAMME_MONEY, "document_results")
MATCHING_REPORT = ("programme_id", "iati_identifier", "activity_title", "match_status", "match_on", "matched_pattern")
COMMITMENTS = ("document", "figure_id", "programme", "subject", "metric", "amount", "currency", "countries")
COMMITMENTS += ("period_start", "period_end", "quote", "line")
RESULTS = ("document", "figure_id", "programme", "indicator", "subject", "iso3", "period_start", "period_end")
RESULTS += ("value", "unit", "quote", "line")
BUDGET_ARTICLE_YEAR = ("article", "article_name", "year", "planned_eur", "iati_migration_disbursed_eur", "gap_eur")
BUDGET_ARTICLE_YEAR += ("documents", "readings_agree")
BUDGET_LINES = ("article", "article_name", "year", "amount_eur", "document", "source", "figure_id", "quote", "line")
ODA = ("year", "value_eur", "is_nl_mfa_reported", "is_migration_related", "transaction_type_code")
ODA += ("is_in_donor_refugee_cost",)
META = {
    "meta.publish": ("publish_id", "run_id", "mode", "published_at"),
    "meta.loads": ("run_id", "source", "dataset", "snapshot_id", "rows", "unchanged", "status"),
    "meta.snapshots": ("snapshot_id", "retrieved_at"),
    "meta.changes": ("run_id", "source", "dataset", "year", "change", "key", "column_name", "old_value", "new_value"),
}

NEEDED = {
    "marts.country_year": COUNTRY_YEAR,
    "marts.dim_country": DIM_COUNTRY,
    "marts.world_year": WORLD_YEAR,
    "marts.route_year": ROUTE_YEAR,
    "marts.policy_focus_countries": POLICY_FOCUS,
    "marts.document_figures": DOCUMENT_FIGURES,
    "marts.document_checks": DOCUMENT_CHECKS,
    "marts.dim_programme": DIM_PROGRAMME,
    "marts.programme_year": PROGRAMME_YEAR,
    "marts.programme_country_year": PROGRAMME_COUNTRY_YEAR,
    "marts.programme_matching_report": MATCHING_REPORT,
    "marts.programme_commitments": COMMITMENTS,
    "marts.result_indicators": RESULTS,
    "marts.budget_article_year": BUDGET_ARTICLE_YEAR,
    "marts.budget_lines": BUDGET_LINES,
    "marts.oda_transactions": ODA,
    **META,
}

# Dutch migration-related ODA as marts.budget_article_year counts it: XM-DAC-7's own disbursements and
# expenditure (types 3, 4) on migration-related activities, in-donor refugee costs excluded; all recipients.
ODA_MIGRATION_BY_YEAR = """select year, sum(value_eur) as nl_oda_migration_disbursed_eur
from marts.oda_transactions
where is_nl_mfa_reported and is_migration_related and transaction_type_code in ('3', '4')
  and not is_in_donor_refugee_cost and value_eur is not null
group by year order by year"""

ODA_MIGRATION_BY_COUNTRY = """select iso3, min(year) as first_year, max(year) as last_year,
       sum(nl_oda_migration_disbursed_eur) as nl_oda_migration_disbursed_eur
from marts.country_year
where nl_oda_migration_disbursed_eur is not null
group by iso3 order by nl_oda_migration_disbursed_eur desc, iso3 limit 15"""


def top_by(column: str, *shown: str) -> str:
    """The ten largest countries by ``column`` in the latest year that has it (pseudo-codes left out)."""
    return f"""select iso3, year, {", ".join((column, *shown))}
from marts.country_year
where year = (select max(year) from marts.country_year where {column} is not null)
  and {column} is not null and not is_pseudo_country
order by {column} desc, iso3 limit 10"""


TOP_HOSTS = top_by("refugees_hosted", "oip_hosted", "asylum_seekers_hosted")
TOP_ORIGINS = top_by("refugees_originating", "forcibly_displaced_originating")


@dataclass
class Marts:
    country_year: pl.DataFrame
    countries: pl.DataFrame
    world_year: pl.DataFrame
    route_year: pl.DataFrame
    policy_focus: pl.DataFrame
    document_figures: pl.DataFrame
    document_checks: pl.DataFrame
    programmes: pl.DataFrame
    programme_year: pl.DataFrame
    programme_country_year: pl.DataFrame
    matching: pl.DataFrame
    commitments: pl.DataFrame
    results: pl.DataFrame
    budget_article_year: pl.DataFrame
    budget_lines: pl.DataFrame
    oda_by_year: pl.DataFrame
    oda_by_country: pl.DataFrame
    top_hosts: pl.DataFrame
    top_origins: pl.DataFrame
    changes: pl.DataFrame
    change_samples: pl.DataFrame
    freshness: pl.DataFrame
    documents: pl.DataFrame


def load(con: duckdb.DuckDBPyConnection, published: Path, run_id: str | None) -> Marts:
    require(con, NEEDED, published)
    with_figures = any_figure(con, "marts.country_year", COUNTRY_IDENTITY)
    return Marts(
        country_year=select(con, "marts.country_year", COUNTRY_YEAR, with_figures, "iso3, year"),
        countries=select(con, "marts.dim_country", DIM_COUNTRY),
        world_year=select(con, "marts.world_year", WORLD_YEAR, order="year"),
        route_year=select(con, "marts.route_year", ROUTE_YEAR, order="route, year"),
        policy_focus=select(
            con, "marts.policy_focus_countries", POLICY_FOCUS, order="document_year, policy_track, role"
        ),
        document_figures=select(
            con,
            "marts.document_figures",
            DOCUMENT_FIGURES,
            "iso3 is not null and table_name <> 'focus_country'",
            "document_year, document, line",
        ),
        document_checks=select(con, "marts.document_checks", DOCUMENT_CHECKS, "iso3 is not null", "year, metric"),
        programmes=select(con, "marts.dim_programme", DIM_PROGRAMME, order="programme_id"),
        programme_year=select(con, "marts.programme_year", PROGRAMME_YEAR, order="programme_id, year"),
        programme_country_year=select(
            con, "marts.programme_country_year", PROGRAMME_COUNTRY_YEAR, order="programme_id, iso3, year"
        ),
        matching=select(
            con, "marts.programme_matching_report", MATCHING_REPORT, "programme_id is not null", "iati_identifier"
        ),
        commitments=select(con, "marts.programme_commitments", COMMITMENTS, order="period_start, document, line"),
        results=select(con, "marts.result_indicators", RESULTS, order="period_end, document, line"),
        budget_article_year=select(con, "marts.budget_article_year", BUDGET_ARTICLE_YEAR, order="article, year"),
        budget_lines=select(con, "marts.budget_lines", BUDGET_LINES, order="year, document, source"),
        oda_by_year=con.sql(ODA_MIGRATION_BY_YEAR).pl(),
        oda_by_country=con.sql(ODA_MIGRATION_BY_COUNTRY).pl(),
        top_hosts=con.sql(TOP_HOSTS).pl(),
        top_origins=con.sql(TOP_ORIGINS).pl(),
        changes=con.sql(
            """select source, dataset, change, count(*) as rows, min(year) as first_year, max(year) as last_year
               from meta.changes where run_id = ? group by all order by source, dataset, change""",
            params=[run_id],
        ).pl(),
        change_samples=con.sql(
            """select source, dataset, year, change, key::varchar as key, column_name, old_value, new_value
               from meta.changes where run_id = ? order by source, dataset, year desc nulls last limit 40""",
            params=[run_id],
        ).pl(),
        freshness=con.sql(
            """with retrieved as (
                   select snapshot_id, max(retrieved_at) as retrieved_at from meta.snapshots group by snapshot_id
               )
               select l.source, l.dataset, l.rows, l.snapshot_id, l.unchanged, r.retrieved_at::date as retrieved,
                      date_diff('day', r.retrieved_at, p.published_at) as age_days_at_publish
               from meta.loads as l
               inner join meta.publish as p on l.run_id = p.run_id
               left join retrieved as r on l.snapshot_id = r.snapshot_id
               where l.run_id = ? order by l.source, l.dataset""",
            params=[run_id],
        ).pl(),
        documents=con.sql(
            "select distinct document, document_title, document_year from marts.document_figures order by document"
        ).pl(),
    )


def programme_names(marts: Marts) -> dict[str, set[str]]:
    """The lower-cased names each programme goes by in the documents, from the reviewed seed dbt uses.

    marts.programme_commitments and marts.result_indicators carry the programme as the document writes
    it, not its programme_id; matching on the seed's names, as dbt does, gives each figure its programme.
    The counts dim_programme publishes are checked, so a seed edited after the publish fails the build
    instead of showing figures under the wrong programme."""
    if not PROGRAMME_SEED.exists():
        raise ReportError(f"programme names not found: {PROGRAMME_SEED} (the seed dim_programme is built from)")
    with PROGRAMME_SEED.open(newline="", encoding="utf-8") as handle:
        names = {
            row["programme_id"]: {n.strip().lower() for n in row["document_names"].split("|") if n.strip()}
            for row in csv.DictReader(handle)
        }
    for programme in marts.programmes.iter_rows(named=True):
        pid = programme["programme_id"]
        known = names.get(pid, set())
        commitments = sum(1 for p in marts.commitments["programme"] if p and p.strip().lower() in known)
        results = sum(
            1
            for p, end in zip(marts.results["programme"], marts.results["period_end"], strict=True)
            if p and p.strip().lower() in known and end is not None
        )
        if (commitments, results) != (programme["document_commitments"], programme["document_results"]):
            raise ReportError(
                f"programme {pid}: {PROGRAMME_SEED.name} names give {commitments} commitment(s) and {results} "
                f"dated result(s), marts.dim_programme counts {programme['document_commitments']} and "
                f"{programme['document_results']}: refresh the warehouse after editing the seed"
            )
    return names
