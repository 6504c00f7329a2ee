"""The pages: what each shows, as views of the marts. Templates format; every number is in a view's rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import polars as pl

from report.charts import Series
from report.data import (
    ODA_MIGRATION_BY_COUNTRY,
    ODA_MIGRATION_BY_YEAR,
    PROGRAMME_MONEY,
    TOP_HOSTS,
    TOP_ORIGINS,
    Marts,
    programme_names,
)
from report.provenance import Sources
from report.views import Charts, View, YearChart, year_rows, year_view

UNHCR_STOCKS = ("unhcr/population", "unhcr/idmc", "unhcr/unrwa")
IATI_EUR = ("iati/activities", "iati/transactions", "fx/ecb_reference_rates")
DOCUMENTS = ("documents/figures", "documents/texts")

COUNTRY_CHARTS = (
    YearChart(
        "displaced-hosted",
        "Refugees, asylum seekers and IDPs in {name}",
        "persons",
        {
            "refugees_hosted": "refugees",
            "oip_hosted": "other in need of protection",
            "asylum_seekers_hosted": "asylum seekers",
            "unrwa_refugees_hosted": "Palestine refugees (UNRWA)",
            "idmc_conflict_idps": "IDPs (IDMC)",
            "idps": "IDPs assisted by UNHCR",
        },
        UNHCR_STOCKS,
    ),
    YearChart(
        "displaced-originating",
        "Refugees and asylum seekers from {name}",
        "persons",
        {
            "refugees_originating": "refugees",
            "oip_originating": "other in need of protection",
            "asylum_seekers_originating": "asylum seekers",
            "forcibly_displaced_originating": "forcibly displaced",
        },
        UNHCR_STOCKS,
    ),
    YearChart(
        "idps-dtm",
        "IDPs in {name} per IOM DTM (at the reporting date)",
        "persons",
        {"idps_dtm": "IDPs (IOM DTM)"},
        ("iom/dtm_idps",),
        extra=("idps_dtm_reporting_date",),
    ),
    YearChart(
        "dead-missing",
        "Dead and missing migrants in incidents in {name}",
        "persons",
        {"migrants_dead_missing": "dead and missing"},
        ("iom/missing_migrants",),
    ),
    YearChart(
        "dutch-oda",
        "Dutch ODA disbursed to {name}",
        "EUR",
        {"nl_oda_disbursed_eur": "all sectors", "nl_oda_migration_disbursed_eur": "migration-related"},
        IATI_EUR,
    ),
    YearChart(
        "eur-per-displaced",
        "Migration-related Dutch ODA per displaced person hosted in {name}",
        "EUR per person",
        {"nl_oda_migration_eur_per_displaced_hosted": "EUR per displaced person"},
        (*IATI_EUR, "unhcr/population", "unhcr/idmc"),
        whole=False,
    ),
)
WORLD_CHART = YearChart(
    "forcibly-displaced",
    "Forcibly displaced people worldwide",
    "persons",
    {
        "forcibly_displaced": "forcibly displaced",
        "idps": "IDPs (IDMC)",
        "refugees": "refugees",
        "asylum_seekers": "asylum seekers",
        "unrwa_refugees": "Palestine refugees (UNRWA)",
        "oip": "other in need of protection",
    },
    UNHCR_STOCKS,
)
PROGRAMME_CHART = YearChart(
    "money-by-year",
    "{name}: document commitments against IATI commitments and disbursements",
    "EUR",
    {
        "document_commitment_eur": "documents: committed",
        "iati_committed_eur": "IATI: committed",
        "iati_disbursed_eur": "IATI: disbursed",
    },
    (*DOCUMENTS, *IATI_EUR),
)
PARTNER_CHART = YearChart(
    "partner-reported",
    "{name}: money partners report receiving from and spending for the Netherlands (not added to the above)",
    "EUR",
    {"partner_reported_incoming_eur": "partners: incoming", "partner_reported_disbursed_eur": "partners: disbursed"},
    IATI_EUR,
)
BUDGET_CHART = YearChart(
    "plan-against-iati",
    "{name}: planned against IATI migration-related disbursements",
    "EUR",
    {"planned_eur": "planned (documents)", "iati_migration_disbursed_eur": "IATI: disbursed"},
    ("documents/figures", "documents/table_rows", *IATI_EUR),
    extra=("gap_eur", "documents", "readings_agree"),
)


@dataclass
class Page:
    path: str  # relative to the site root, e.g. countries/JOR.html
    template: str
    title: str
    views: list[View] = field(default_factory=list)
    context: dict = field(default_factory=dict)

    @property
    def root(self) -> str:
        """Relative path from the page to the site root."""
        return "../" * (len(PurePosixPath(self.path).parts) - 1)

    @property
    def folder(self) -> str:
        """Folder of the page's charts and CSVs, relative to the page (countries/JOR/ for countries/JOR.html)."""
        return PurePosixPath(self.path).stem

    def view(self, slug: str) -> View | None:
        return next((v for v in self.views if v.slug == slug), None)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")


def budget_slug(article: str | None, article_name: str) -> str:
    """The article number where the document gives one (4.2), else the article's name."""
    return slug(article) if article else slug(article_name)


def budget_title(article: str | None, article_name: str) -> str:
    return f"Budget article {article} {article_name}" if article else article_name


# The article the index shows: "Migratie" of the BHO budget, where Dutch migration cooperation is planned.
INDEX_BUDGET_ARTICLE = "4.2"


class Site:
    """The pages of one build."""

    def __init__(self, marts: Marts, sources: Sources, charts: Charts) -> None:
        self.marts = marts
        self.sources = sources
        self.charts = charts
        self.names = {
            r["iso3"]: r for r in marts.countries.iter_rows(named=True)
        }  # iso3 -> English and Dutch name, region
        self.documents = {r["document"]: r for r in marts.documents.iter_rows(named=True)}
        self.country_codes = sorted(self._countries_with_figures())
        self.programme_ids = marts.programmes["programme_id"].to_list()
        self._parts: dict[str, tuple[dict, pl.DataFrame]] = {}

    def _countries_with_figures(self) -> set[str]:
        m = self.marts
        linked = m.programme_country_year["iso3"].to_list()
        codes = {*m.country_year["iso3"].to_list(), *m.policy_focus["iso3"].drop_nulls().to_list(), *linked}
        codes |= set(m.document_figures["iso3"].to_list()) | set(m.document_checks["iso3"].to_list())
        return {c for c in codes if c}

    def country_link(self, iso3: str) -> dict:
        name = self.names.get(iso3, {})
        return {
            "iso3": iso3,
            "name_en": name.get("name_en") or iso3,
            "name_nl": name.get("name_nl"),
            "href": f"countries/{iso3}.html" if iso3 in self.country_codes else None,
        }

    def pages(self) -> list[Page]:
        return [
            self.index(),
            *(self.country(code) for code in self.country_codes),
            *self.programmes(),
            *self.budget_articles(),
        ]

    def part(self, frame_name: str, column: str, key: str) -> pl.DataFrame:
        """The rows of a mart frame with ``column`` = ``key``."""
        return self.split(f"{frame_name} by {column}", column, key, lambda: getattr(self.marts, frame_name))

    def chart_part(self, frame_name: str, column: str, key: str, spec: YearChart) -> pl.DataFrame:
        """``year_rows`` of ``part`` (keyed by ``column`` and year)."""

        def rows() -> pl.DataFrame:
            return year_rows(spec, getattr(self.marts, frame_name), (column, "year"))

        return self.split(f"{frame_name} by {column}: {spec.slug}", column, key, rows)

    def split(self, name: str, column: str, key: str, rows: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        """The rows of ``rows()`` with ``column`` = ``key``: ``rows()`` is computed once per build (as ``name``)
        and split by ``column``, since each polars call costs about 0.3 ms even on a frame of a few rows, and
        a filter per page scans the frame a few hundred times (the country pages made 4,000 such calls)."""
        if name not in self._parts:
            frame = rows()
            parts = {k[0]: part for k, part in frame.partition_by(column, as_dict=True, maintain_order=True).items()}
            self._parts[name] = (parts, frame.clear())
        parts, empty = self._parts[name]
        return parts.get(key, empty)

    # --- countries -------------------------------------------------------------------------------

    def country(self, iso3: str) -> Page:
        link = self.country_link(iso3)
        views = [
            year_view(
                spec,
                self.chart_part("country_year", "iso3", iso3, spec),
                key=("iso3", "year"),
                mart="marts.country_year",
                sources=self.sources(*spec.datasets),
                charts=self.charts,
                name=link["name_en"],
            )
            for spec in COUNTRY_CHARTS
        ]
        focus_years = self.split("focus-years", "iso3", iso3, self._focus_years)
        programme_rows = self.part("programme_country_year", "iso3", iso3)
        money = self.split("programme-money", "iso3", iso3, self._programme_money)
        programme_ids = sorted(set(programme_rows["programme_id"].to_list()))
        extra = [
            self._table(
                "focus-years",
                "Years a policy document names it a focus country",
                focus_years,
                "marts.country_year",
                ("iso3", "year"),
                DOCUMENTS,
            ),
            self._table(
                "programme-money",
                "Programme money and results in the country by year",
                money,
                "marts.programme_country_year",
                ("programme_id", "iso3", "year"),
                (*DOCUMENTS, *IATI_EUR),
            ),
        ]
        return Page(
            path=f"countries/{iso3}.html",
            template="country.html.j2",
            title=f"{link['name_en']} ({iso3})",
            views=[v for v in (*views, *extra) if v is not None],
            context={
                "country": link | {"region": self.names.get(iso3, {}).get("unsd_subregion")},
                "policy": self._with_documents(self.part("policy_focus", "iso3", iso3)),
                "figures": self._with_documents(self.part("document_figures", "iso3", iso3)),
                "checks": self._with_documents(self.part("document_checks", "iso3", iso3)),
                "programmes": [self._programme_link(p) for p in programme_ids],
            },
        )

    def _focus_years(self) -> pl.DataFrame:
        focus = pl.any_horizontal(pl.col("focus_opvang_in_de_regio", "focus_migratiesamenwerking").fill_null(False))
        return self.marts.country_year.filter(focus).select(
            "iso3", "year", "focus_opvang_in_de_regio", "focus_migratiesamenwerking", "focus_policy_tracks"
        )

    def _programme_money(self) -> pl.DataFrame:
        money = pl.any_horizontal(pl.col([*PROGRAMME_MONEY, "document_results"]).is_not_null())
        return (
            self.marts.programme_country_year.filter(money)
            .sort("year", "programme_id")
            .select("programme_id", "iso3", "year", *PROGRAMME_MONEY, "document_results")
        )

    def _table(
        self, slug_: str, title: str, frame: pl.DataFrame, mart: str, key: tuple[str, ...], datasets
    ) -> View | None:
        if frame.is_empty():
            return None
        return View(slug_, title, frame, mart, key, self.sources(*datasets))

    def _with_documents(self, frame: pl.DataFrame) -> list[dict]:
        """Rows with the title and year of the document they quote."""
        return [r | {"doc": self.documents.get(r["document"], {})} for r in frame.iter_rows(named=True)]

    def _programme_link(self, programme_id: str) -> dict:
        row = self.marts.programmes.filter(pl.col("programme_id") == programme_id)
        name = row["programme_name"][0] if row.height else programme_id
        return {"id": programme_id, "name": name, "href": f"programmes/{programme_id}.html"}

    # --- programmes ------------------------------------------------------------------------------

    def programmes(self) -> list[Page]:
        m = self.marts
        names = programme_names(m)
        pages = []
        for programme in m.programmes.iter_rows(named=True):
            pid = programme["programme_id"]
            years = self.part("programme_year", "programme_id", pid)
            known = names.get(pid, set())
            by_name = pl.col("programme").str.strip_chars().str.to_lowercase().is_in(list(known))
            views = [
                year_view(
                    spec,
                    self.chart_part("programme_year", "programme_id", pid, spec),
                    key=("programme_id", "year"),
                    mart="marts.programme_year",
                    sources=self.sources(*spec.datasets),
                    charts=self.charts,
                    name=programme["programme_name"],
                )
                for spec in (PROGRAMME_CHART, PARTNER_CHART)
            ]
            by_country = (
                self.part("programme_country_year", "programme_id", pid)
                .filter(pl.any_horizontal(pl.col([*PROGRAMME_MONEY, "document_results"]).is_not_null()))
                .sort("iso3", "year")
            )
            views.append(
                self._table(
                    "money-by-country",
                    "By country and year",
                    by_country,
                    "marts.programme_country_year",
                    ("programme_id", "iso3", "year"),
                    (*DOCUMENTS, *IATI_EUR),
                )
            )
            results_by_year = years.filter(pl.col("document_results").is_not_null()).select(
                "programme_id", "year", "document_results"
            )
            views.append(
                self._table(
                    "results-by-year",
                    "Results the documents report, by the year their period ends",
                    results_by_year,
                    "marts.programme_year",
                    ("programme_id", "year"),
                    DOCUMENTS,
                )
            )
            pages.append(
                Page(
                    path=f"programmes/{pid}.html",
                    template="programme.html.j2",
                    title=programme["programme_name"],
                    views=[v for v in views if v is not None],
                    context={
                        "programme": programme,
                        "countries": [self.country_link(c) for c in programme["countries"]],
                        "source_doc": self.documents.get(programme["source_document"], {}),
                        "commitments": self._with_documents(m.commitments.filter(by_name)),
                        "results": self._with_documents(m.results.filter(by_name)),
                        "activities": m.matching.filter(pl.col("programme_id") == pid).to_dicts(),
                        "linked_countries": [self.country_link(c) for c in sorted(set(by_country["iso3"].to_list()))],
                    },
                )
            )
        return pages

    # --- budget articles -------------------------------------------------------------------------

    def budget_article_keys(self) -> list[tuple[str | None, str]]:
        return sorted(
            {(r["article"], r["article_name"]) for r in self.marts.budget_article_year.iter_rows(named=True)},
            key=lambda k: (k[0] is None, k[0] or "", k[1]),
        )

    def budget_articles(self) -> list[Page]:
        m = self.marts
        pages = []
        for article, article_name in self.budget_article_keys():
            title = budget_title(article, article_name)
            view = self._budget_view(article, article_name)
            same = pl.col("article").eq_missing(article) & (pl.col("article_name") == article_name)
            pages.append(
                Page(
                    path=f"budget/{budget_slug(article, article_name)}.html",
                    template="budget.html.j2",
                    title=title,
                    views=[view] if view else [],
                    context={
                        "article": article,
                        "article_name": article_name,
                        "lines": self._with_documents(m.budget_lines.filter(same)),
                    },
                )
            )
        return pages

    def _budget_view(self, article: str | None, article_name: str, slug_: str | None = None) -> View | None:
        same = pl.col("article").eq_missing(article) & (pl.col("article_name") == article_name)
        view = year_view(
            BUDGET_CHART,
            year_rows(BUDGET_CHART, self.marts.budget_article_year.filter(same), ("article", "article_name", "year")),
            key=("article", "article_name", "year"),
            mart="marts.budget_article_year",
            sources=self.sources(*BUDGET_CHART.datasets),
            charts=self.charts,
            name=budget_title(article, article_name),
        )
        if view and slug_:
            view.slug = slug_
        return view

    # --- index -----------------------------------------------------------------------------------

    def index(self) -> Page:
        m = self.marts
        views = [
            year_view(
                WORLD_CHART,
                year_rows(WORLD_CHART, m.world_year, ("year",)),
                key=("year",),
                mart="marts.world_year",
                sources=self.sources(*WORLD_CHART.datasets),
                charts=self.charts,
            ),
            self._top("top-hosts", "Largest refugee-hosting countries", m.top_hosts, "refugees_hosted", TOP_HOSTS),
            self._top(
                "top-origins",
                "Largest countries of origin of refugees",
                m.top_origins,
                "refugees_originating",
                TOP_ORIGINS,
            ),
            self._oda_by_year(),
            self._oda_by_country(),
            self._routes(),
        ]
        budget_views = [
            self._budget_view(article, name, slug_=f"budget-{article}")
            for article, name in self.budget_article_keys()
            if article == INDEX_BUDGET_ARTICLE
        ]
        return Page(
            path="index.html",
            template="index.html.j2",
            title="Migration and Dutch development money",
            views=[v for v in (*views, *budget_views) if v is not None],
            context={
                "changes": m.changes.to_dicts(),
                "change_samples": m.change_samples.to_dicts(),
                "freshness": m.freshness.to_dicts(),
                "countries": [self.country_link(c) for c in self.country_codes],
                "programmes": [self._programme_link(p) for p in self.programme_ids],
                "budget": [
                    {"title": budget_title(a, n), "href": f"budget/{budget_slug(a, n)}.html"}
                    for a, n in self.budget_article_keys()
                ],
                "world_latest": m.world_year.filter(pl.col("forcibly_displaced").is_not_null()).tail(1).to_dicts(),
            },
        )

    def _named(self, frame: pl.DataFrame) -> list[str]:
        return [self.country_link(c)["name_en"] for c in frame["iso3"].to_list()]

    def _top(self, slug_: str, title: str, frame: pl.DataFrame, column: str, query: str) -> View | None:
        if frame.is_empty():
            return None
        year = frame["year"][0]
        return View(
            slug=slug_,
            title=f"{title}, end of {year}",
            frame=frame,
            mart="marts.country_year",
            key=("iso3", "year"),
            sources=self.sources("unhcr/population", "unhcr/unrwa", "unhcr/idmc"),
            chart=self.charts.bars(self._named(frame), frame[column].to_list(), f"{column.replace('_', ' ')}, persons"),
            svg_height=320,
            query=query,
        )

    def _oda_by_year(self) -> View | None:
        frame = self.marts.oda_by_year
        if frame.is_empty():
            return None
        years = list(range(frame["year"].min(), frame["year"].max() + 1))
        by_year = dict(zip(frame["year"].to_list(), frame["nl_oda_migration_disbursed_eur"].to_list(), strict=True))
        return View(
            slug="oda-migration-by-year",
            title="Dutch migration-related ODA disbursed, all recipients (incl. regional and unallocated)",
            frame=frame,
            mart="marts.oda_transactions",
            key=("year",),
            sources=self.sources(*IATI_EUR),
            chart=self.charts.lines(years, [Series("migration-related", [by_year.get(y) for y in years])], "EUR"),
            aggregated=True,
            query=ODA_MIGRATION_BY_YEAR,
        )

    def _oda_by_country(self) -> View | None:
        frame = self.marts.oda_by_country
        if frame.is_empty():
            return None
        return View(
            slug="oda-migration-by-country",
            title="Countries receiving most Dutch migration-related ODA, all years IATI covers",
            frame=frame,
            mart="marts.country_year",
            key=("iso3",),
            sources=self.sources(*IATI_EUR),
            chart=self.charts.bars(self._named(frame), frame["nl_oda_migration_disbursed_eur"].to_list(), "EUR"),
            svg_height=320,
            aggregated=True,
            query=ODA_MIGRATION_BY_COUNTRY,
        )

    def _routes(self) -> View | None:
        """Dead and missing on the routes with most dead and missing (the chart), every route in the CSV."""
        frame = self.marts.route_year.filter(pl.col("route").is_not_null())
        if frame.is_empty():
            return None
        top = (
            frame.group_by("route").agg(pl.col("dead_missing").sum()).sort("dead_missing", "route", descending=True)
        )["route"].to_list()[:6]
        years = list(range(frame["year"].min(), frame["year"].max() + 1))
        series = []
        for route in top:
            part = frame.filter(pl.col("route") == route)
            by_year = dict(zip(part["year"].to_list(), part["dead_missing"].to_list(), strict=True))
            series.append(Series(route, [by_year.get(y) for y in years]))
        return View(
            slug="dead-missing-by-route",
            title="Dead and missing migrants by route (the six routes with most, every route in the data)",
            frame=frame.sort("route", "year"),
            mart="marts.route_year",
            key=("route", "year"),
            sources=self.sources("iom/missing_migrants"),
            chart=self.charts.lines(years, series, "persons"),
        )
