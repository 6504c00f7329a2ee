"""A view is what a page shows of one mart: the rows (written as the CSV beside the chart), the chart
drawn from exactly those rows, and where they come from. Pages only format what a view holds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

import report.charts as charts_module
from report.charts import Series, draw
from report.provenance import Provenance

HEADINGS = {
    "gap_eur": "gap (EUR)",
    "idps_dtm_reporting_date": "DTM reporting date",
    "readings_agree": "parser and annotation agree",
}


@dataclass
class View:
    """Rows of a mart with their chart and provenance. ``key`` identifies a row in ``mart``; when
    ``aggregated`` the rows are a SQL aggregate over the mart and ``query`` is that SQL."""

    slug: str
    title: str
    frame: pl.DataFrame
    mart: str
    key: tuple[str, ...]
    sources: list[Provenance]
    columns: dict[str, str] = field(default_factory=dict)  # column -> heading of the table (all if empty)
    chart: Chart | None = None
    svg_height: int = 260
    aggregated: bool = False
    query: str = ""
    value_columns: tuple[str, ...] = ()  # rows are exactly those of the entity with any of these

    @property
    def headings(self) -> dict[str, str]:
        return self.columns or {c: c for c in self.frame.columns}

    def csv_frame(self) -> pl.DataFrame:
        """The rows as the CSV holds them: lists (policy tracks, documents, results) joined with "; "."""
        lists = [name for name, dtype in self.frame.schema.items() if isinstance(dtype, pl.List)]
        return self.frame.with_columns(pl.col(name).cast(pl.List(pl.String)).list.join("; ") for name in lists)

    @property
    def source_groups(self) -> list[dict]:
        """The sources of the view, one entry per source and licence, for the source line."""
        groups: dict[tuple[str, str], dict] = {}
        for p in self.sources:
            group = groups.setdefault((p.source_name, p.licence), {"source": p.source_name, "licence": p.licence})
            group.setdefault("datasets", []).append(p)
            group.setdefault("retrieved", set()).add(p.retrieved_at or "not loaded")
        return [g | {"retrieved": sorted(g["retrieved"])} for g in groups.values()]

    @property
    def rows(self) -> list[dict]:
        return self.frame.to_dicts()

    def manifest(self, page: str, folder: str) -> dict:
        return {
            "page": page,
            "slug": self.slug,
            "title": self.title,
            "csv": f"{folder}/{self.slug}.csv",
            "svg": f"{folder}/{self.slug}.svg" if self.chart else None,
            "chart_key": self.chart.key if self.chart else None,
            "mart": self.mart,
            "key": list(self.key),
            "columns": self.frame.columns,
            "table_columns": list(self.headings),
            "rows": self.frame.height,
            "aggregated": self.aggregated,
            "value_columns": list(self.value_columns),
            "query": self.query,
        }


@dataclass(frozen=True)
class YearChart:
    """Columns of a ``*_year`` mart drawn as lines over years (``{name}`` in the title is filled in)."""

    slug: str
    title: str
    unit: str
    series: dict[str, str]  # column -> line label
    datasets: tuple[str, ...]
    extra: tuple[str, ...] = ()  # columns in the CSV and table, not drawn
    whole: bool = True  # whole-number ticks (people, euros); False for ratios


# What the look of a chart depends on besides its data: the code that draws it.
CHART_CODE = hashlib.sha256(Path(charts_module.__file__).read_bytes()).hexdigest()


@dataclass(frozen=True)
class Chart:
    key: str  # digest of everything the SVG is drawn from
    svg: str | None  # drawn by this build; None when ``earlier`` is the same chart
    earlier: Path | None = None  # the previous report's SVG of this key, linked into the new site


class Charts:
    """The charts of one build. A chart drawn from the same data, labels and chart code as one in the
    previous report is not drawn again: its SVG file (the same bytes either way) is linked into the new site,
    which on this machine's file system costs a twentieth of writing a new file."""

    def __init__(self, previous: dict[str, Path] | None = None) -> None:
        self.previous = previous or {}
        self.drawn = 0
        self.reused = 0

    @property
    def rendered(self) -> int:
        return self.drawn + self.reused

    def _chart(self, spec: tuple) -> Chart:
        """``spec``: the chart's kind and its ``render`` arguments."""
        key = hashlib.sha256(repr((CHART_CODE, spec)).encode()).hexdigest()[:24]
        earlier = self.previous.get(key)
        if earlier is not None and earlier.is_file():
            self.reused += 1
            return Chart(key, None, earlier)
        self.drawn += 1
        return Chart(key, draw(*spec))

    def lines(self, years: list[int], series: list[Series], unit: str, whole: bool = True) -> Chart:
        return self._chart(("line", years, series, unit, whole))

    def bars(self, labels: list[str], values: list, unit: str) -> Chart:
        return self._chart(("bar", labels, values, unit))


def year_rows(spec: YearChart, frame: pl.DataFrame, key: tuple[str, ...]) -> pl.DataFrame:
    """What a year view of ``frame`` shows: the rows where any of the spec's columns has a figure, by year,
    with the ``key`` columns, the spec's columns and its extra columns."""
    columns = list(spec.series)
    rows = frame.filter(pl.any_horizontal(pl.col(columns).is_not_null())).sort("year")
    return rows.select(*key, *columns, *spec.extra)


def year_view(
    spec: YearChart,
    rows: pl.DataFrame,
    *,
    key: tuple[str, ...],
    mart: str,
    sources: list[Provenance],
    charts: Charts,
    name: str = "",
) -> View | None:
    """The view of ``rows`` (``year_rows``), drawn as one line per column that has any figure; None when
    there are no rows (the page then says so)."""
    if rows.is_empty():
        return None
    columns = list(spec.series)
    years = list(range(rows["year"].min(), rows["year"].max() + 1))
    series = []
    for column in columns:
        if rows[column].null_count() == rows.height:
            continue
        by_year = dict(zip(rows["year"].to_list(), rows[column].to_list(), strict=True))
        series.append(Series(spec.series[column], [by_year.get(year) for year in years]))
    headings = {"year": "year", **spec.series, **{c: HEADINGS.get(c, c.replace("_", " ")) for c in spec.extra}}
    return View(
        slug=spec.slug,
        title=spec.title.format(name=name),
        frame=rows,
        mart=mart,
        key=key,
        sources=sources,
        columns=headings,
        chart=charts.lines(years, series, spec.unit, spec.whole),
        value_columns=tuple(columns),
    )
