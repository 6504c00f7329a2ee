"""IOM Missing Migrants Project: incidents (dead, missing, route, country) from every download.

Three formats mapped explicitly to one schema (their columns differ): the all-data export (xlsx), the
per-year JSON API and the CSV export of the downloads page. Split incidents keep their own rows
(``split_number``); negative counts are IOM's later corrections and are kept.

Quirks handled on purpose (see ``../shared/data/iom/README.md``): the JSON has every value as text, a
thousands separator, HTML entities and the misspelt key ``location_coodinates``; the xlsx has BOMs in a
few ids, an incident date ``0`` and 13 rows without a date; the CSV export dates read
``Thu, 01/01/2026 - 12:00``. Country names become ISO3 through ``ingest.common.countries``; values that
are not a country (``Mixed/Unknown``) stay null, any other unresolved name fails the expectation suite.

The parser reads and casts; the measures (``dead_missing``, ``is_correction``, ``incident_dead_missing``)
are derived in dbt, ``int_iom__mmp_rows``, and their rules are tested there.
"""

from __future__ import annotations

import html
import json
import logging
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

import fastexcel
import polars as pl

from ingest.common import rawio
from ingest.common.columns import Column, TableSchema
from ingest.common.countries import try_resolve
from ingest.common.http import HttpClient
from ingest.common.settings import IomSettings
from ingest.common.source import Dataset, FetchError, LandedFile, ParseError, RawFile, SourceContext
from ingest.common.tabular import Schema, cast_checked, read_csv_records, require_columns
from ingest.iom.shared import (
    SOURCE,
    clean_text,
    cleaned,
    dates,
    mirror_files,
    recorded_dates,
    vintage_of,
    with_constants,
)

log = logging.getLogger("maw.iom")

MMP_EXPORT_PATH = "sites/g/files/tmzbdl601/files/report-migrant-incident/Missing_Migrants_Global_Figures_allData.xlsx"

# Country-of-incident values that are not a country: kept as published, ISO3 left null.
NOT_A_COUNTRY = frozenset({"Mixed/Unknown", "Unknown", "Mixed"})


# --- fetching --------------------------------------------------------------------------------------------


def fetch_mmp_live(settings: IomSettings, client: HttpClient) -> list[RawFile]:
    """The per-year JSON for every year, then the all-data export (optional: IOM may refuse it)."""
    base = settings.mmp_url.rstrip("/") + "/"
    files = []
    for year in range(settings.mmp_year_from, settings.mmp_year_to + 1):
        raw = client.get(base + f"global-figures/{year}/json", expect_json=True)
        if not isinstance(json.loads(raw.content), list):
            raise FetchError("Missing Migrants JSON is not a list of incidents", file=raw.origin)
        files.append(raw.named(f"missing_migrants/api_json/{year}-json.json"))
    try:
        export = client.get(base + MMP_EXPORT_PATH)
    except FetchError as exc:
        log.warning("Missing Migrants all-data export not loaded (%s); the per-year JSON is used", exc.describe())
    else:
        day = export.retrieved_at[:10]
        files.append(export.named(f"missing_migrants/download_{day}/{MMP_EXPORT_PATH.rsplit('/', 1)[-1]}", "xlsx"))
    return files


def fetch_mmp(context: SourceContext) -> list[RawFile]:
    if context.mode == "live":
        return fetch_mmp_live(context.settings.iom, context.client(context.settings.iom.mmp_http))
    return mirror_files(context, "missing_migrants", ("api_json/*.json", "download_*/*.xlsx", "download_*/*.csv"))


# --- parsing ---------------------------------------------------------------------------------------------


def _count(name: str) -> Column:
    return Column(name, pl.Int64)


# The loaded table, column by column, in order (provenance follows). ``read=False``: added by the parser,
# and only what reading the format needs: the file's format, vintage and requested year (its name and the
# manifest), the split number (a row's position among its incident's rows in the file: gone once loaded),
# latitude/longitude (the published "lat, lon" text, read) and the country ISO3 (see parse_mmp).
# The not-null, range and grain rules here run as the GE suite, blocking a bad load before the build;
# stg_iom__missing_migrants tests some again in dbt, after staging's casts (see _iom__sources.yml).
# Derived measures are not loaded: int_iom__mmp_rows computes them and tests their rules (no incident
# may total below zero) in the build.
MISSING_MIGRANTS = TableSchema(
    columns=(
        Column(
            "source_format",
            pl.Utf8,
            nullable=False,
            values=frozenset({"mmp_xlsx_all_data", "mmp_json_year", "mmp_csv_export"}),
            read=False,
        ),
        Column("vintage", pl.Date, nullable=False, read=False),
        Column("request_year", pl.Int32, read=False),
        # kept as published: one real 2015 JSON row has the placeholder "it will be included"
        Column("main_id", pl.Utf8, nullable=False),
        Column("split_number", pl.Int32, nullable=False, read=False),
        Column("incident_id_published", pl.Utf8),
        Column("incident_type", pl.Utf8),
        Column("region", pl.Utf8),
        Column("incident_date", pl.Date),
        Column("incident_year", pl.Int32, nullable=False, min_value=2014, max_value=date.today().year),
        _count("dead"),
        _count("missing"),
        _count("dead_missing_published"),
        _count("survivors"),
        _count("females"),
        _count("males"),
        _count("children"),
        Column("country_of_origin", pl.Utf8),
        Column("region_of_origin", pl.Utf8),
        Column("cause_of_death", pl.Utf8),
        Column("country_of_incident", pl.Utf8),
        Column("route", pl.Utf8),
        Column("location", pl.Utf8),
        Column("coordinates", pl.Utf8),
        Column("unsd_grouping", pl.Utf8),
        Column("information_source", pl.Utf8),
        Column("url", pl.Utf8),
        Column("source_quality", pl.Utf8),
        Column("country_of_incident_iso3", pl.Utf8, read=False),
        Column("unresolved_country_of_incident", pl.Utf8, read=False),
        Column("latitude", pl.Float64, min_value=-90, max_value=90, read=False),
        Column("longitude", pl.Float64, min_value=-180, max_value=180, read=False),
    ),
    key=("source_format", "vintage", "request_year", "main_id", "split_number"),
)
MMP_SCHEMA: Schema = MISSING_MIGRANTS.cast_schema()
MMP_COUNTS = ("dead", "missing", "dead_missing_published", "survivors", "females", "males", "children")

# Published column -> our column, per format (the three formats name the same things differently).
MMP_XLSX = {
    "Main ID": "main_id",
    "Incident ID": "incident_id_published",
    "Incident Type": "incident_type",
    "Region of Incident": "region",
    "Incident Date": "incident_date",
    "Incident Year": "incident_year",
    "Number of Dead": "dead",
    "Minimum Estimated Number of Missing": "missing",
    "Total Number of Dead and Missing": "dead_missing_published",
    "Number of Survivors": "survivors",
    "Number of Females": "females",
    "Number of Males": "males",
    "Number of Children": "children",
    "Country of Origin": "country_of_origin",
    "Region of Origin": "region_of_origin",
    "Cause of Death": "cause_of_death",
    "Country of Incident": "country_of_incident",
    "Migration Route": "route",
    "Location of Incident": "location",
    "Coordinates": "coordinates",
    "UNSD Geographical Grouping": "unsd_grouping",
    "Information Source": "information_source",
    "URL": "url",
    "Source Quality": "source_quality",
}
MMP_CSV = {
    "Main ID": "main_id",
    "Incident ID": "incident_id_published",
    "Region": "region",
    "Incident Date": "incident_date",
    "Year": "incident_year",
    "Number Dead": "dead",
    "Minimum Estimated Number of Missing": "missing",
    "Number of Survivors": "survivors",
    "Number of Females": "females",
    "Number of Males": "males",
    "Number of Children": "children",
    "Region of Origin": "region_of_origin",
    "Cause of Death": "cause_of_death",
    "Country of Origin": "country_of_origin",
    "Location of death": "location",
    "Information Source": "information_source",
    "Coordinates": "coordinates",
    "Migration route": "route",
    "URL": "url",
    "UNSD Geographical Grouping": "unsd_grouping",
    "Source Quality": "source_quality",
}
MMP_JSON = {
    "web_id": "main_id",
    "region": "region",
    "reported_date": "incident_date",
    "number_dead": "dead",
    "number_missing": "missing",
    "total_dead_and_missing": "dead_missing_published",
    "number_of_survivors": "survivors",
    "number_of_female": "females",
    "number_of_male": "males",
    "number_of_children": "children",
    "cause_death": "cause_of_death",
    "country_of_incident": "country_of_incident",
    "location_description": "location",
    "unsd_geographic_grouping": "unsd_grouping",
    "location_coodinates": "coordinates",
    "migration_route": "route",
    "information_source": "information_source",
    "url": "url",
    "source_quality": "source_quality",
    "region_origin": "region_of_origin",
    "country_origin": "country_of_origin",
}
# IOM may one day fix the misspelt key; accept both spellings.
MMP_JSON_ALIASES = {"location_coordinates": "location_coodinates"}
MMP_JSON_REQUIRED = (
    "web_id",
    "number_dead",
    "number_missing",
    "total_dead_and_missing",
    "country_of_incident",
)
_JSON_YEAR = re.compile(r"(\d{4})-json\.json$")


def _mmp_text_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(MMP_SCHEMA, pl.Utf8), orient="row")


def _in_schema_order(text: pl.DataFrame) -> pl.DataFrame:
    """Every read column, as text, in the schema's order; a column the format does not have is null."""
    return text.select(pl.col(c) if c in text.columns else pl.lit(None, pl.Utf8).alias(c) for c in MMP_SCHEMA)


def _xlsx_text(landed: LandedFile) -> pl.DataFrame:
    """All cells as text; the export stores most cells (dates too) as strings and counts as numbers."""
    rawio.check_zip(landed)  # an xlsx is a zip: refuse a decompression bomb before calamine opens it
    try:
        frame = pl.read_excel(landed.path, engine="calamine", infer_schema_length=0)
    except (pl.exceptions.PolarsError, OSError, ValueError, zipfile.BadZipFile, fastexcel.FastExcelError) as exc:
        raise ParseError(f"not a readable xlsx export: {exc}", file=landed.origin) from exc
    frame = frame.rename({c: c.replace("\ufeff", "").strip() for c in frame.columns})
    require_columns(frame, list(MMP_XLSX), landed)
    text = frame.select(cleaned(name).alias(column) for name, column in MMP_XLSX.items())
    return text.with_columns(
        *(pl.col(c).str.strip_suffix(".0") for c in ("incident_year", *MMP_COUNTS)),  # numeric cells: floats
        # one row in the 2025-05 export: no date, not the epoch
        pl.when(pl.col("incident_date") != "0").then(pl.col("incident_date")).alias("incident_date"),
    )


def _json_text(landed: LandedFile) -> pl.DataFrame:
    """Every value as text (IOM's JSON has numbers as text too), HTML entities decoded, "1,022" as 1022."""
    try:
        records = json.loads(landed.path.read_bytes())
    except ValueError as exc:
        raise ParseError(f"not JSON: {exc}", file=landed.origin) from exc
    if not isinstance(records, list):
        raise ParseError("the per-year JSON must be a list of incidents", file=landed.origin)
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise ParseError("an incident is not a JSON object", file=landed.origin, row=number)
        if not MMP_JSON_ALIASES.keys().isdisjoint(record):
            records[number - 1] = record = {MMP_JSON_ALIASES.get(k, k): v for k, v in record.items()}
        for name in MMP_JSON_REQUIRED:
            if name not in record:
                raise ParseError("key missing from incident", file=landed.origin, row=number, field=name)
    values = {
        column: [v if v is None or isinstance(v, str) else str(v) for v in (r.get(key) for r in records)]
        for key, column in MMP_JSON.items()
    }
    text = pl.DataFrame(values, schema=dict.fromkeys(values, pl.Utf8)).select(cleaned(c).alias(c) for c in values)
    text = text.with_columns(_unescaped(text.get_column(c)) for c in values)
    return text.with_columns(pl.col(c).str.replace_all(",", "", literal=True) for c in MMP_COUNTS)


def _unescaped(column: pl.Series) -> pl.Series:
    """HTML entities decoded, calling Python only for the few values with an ``&``."""
    at = column.str.contains("&", literal=True).fill_null(False).arg_true()
    if at.is_empty():
        return column
    return column.scatter(at, [html.unescape(value) for value in column.gather(at)])


def _csv_rows(landed: LandedFile) -> tuple[list[dict[str, str | None]], int]:
    frame, first_row = read_csv_records(landed, skip_hashtag_row=True)
    require_columns(frame, list(MMP_CSV), landed)
    rows = []
    for number, record in enumerate(frame.select(list(MMP_CSV)).iter_rows(named=True), start=first_row):
        row: dict[str, str | None] = dict.fromkeys(MMP_SCHEMA)
        row |= {column: clean_text(record[name]) for name, column in MMP_CSV.items()}
        if row["incident_date"]:  # "Thu, 01/01/2026 - 12:00": weekday, US month/day, a fixed noon
            try:
                row["incident_date"] = (
                    datetime.strptime(row["incident_date"], "%a, %m/%d/%Y - %H:%M").date().isoformat()
                )
            except ValueError as exc:
                raise ParseError(
                    f"incident date not in the export's format: {exc}",
                    file=landed.origin,
                    row=number,
                    field="Incident Date",
                ) from exc
        rows.append(row)
    return rows, first_row


def mmp_source_format(name: str) -> str | None:
    if name.endswith(".xlsx"):
        return "mmp_xlsx_all_data"
    if _JSON_YEAR.search(name):
        return "mmp_json_year"
    if name.startswith("missing_migrants/download_") and name.endswith(".csv"):
        return "mmp_csv_export"
    return None


def _mmp_frame(landed: LandedFile, kind: str) -> pl.DataFrame:
    request_year = None
    if kind == "mmp_xlsx_all_data":
        text, first_row = _xlsx_text(landed), 2
    elif kind == "mmp_json_year":
        text, first_row = _json_text(landed), 1
        request_year = int(_JSON_YEAR.search(landed.name or landed.path.name).group(1))
        # the endpoint answers for one year: that is the incident year
        text = text.with_columns(pl.lit(str(request_year), dtype=pl.Utf8).alias("incident_year"))
    else:
        rows, first_row = _csv_rows(landed)
        text = _mmp_text_frame(rows)
    year, main_id = pl.col("incident_year"), pl.col("main_id")
    text = _in_schema_order(text).with_columns(  # 13 rows of the 2025-05 export: the year from the id
        pl.when(year.is_null() & main_id.is_not_null())
        .then(main_id.str.slice(0, 4))
        .otherwise(year)
        .alias("incident_year")
    )
    frame = cast_checked(text, MMP_SCHEMA, landed, first_row=first_row)
    for column in MISSING_MIGRANTS.date_columns():
        frame = dates(frame, column)
    # Read from the format, so here: the year the JSON file's name asks for, and a split's position among
    # its incident's rows in this file (file order, which the loaded table no longer has).
    return frame.with_columns(
        pl.lit(request_year, dtype=pl.Int32).alias("request_year"),
        (pl.int_range(pl.len(), dtype=pl.Int32).over("main_id") + 1).alias("split_number"),
    )


def _resolve_incident_country(name: str | None) -> str | None:
    if name is None or name in NOT_A_COUNTRY:
        return None
    return try_resolve(name)


def parse_mmp(files: Sequence[LandedFile]) -> pl.DataFrame:
    recorded = recorded_dates(files)
    frames = []
    for landed in files:
        kind = mmp_source_format(landed.name or landed.path.name)
        if kind is None:
            continue
        # The file's format (from its name) and vintage (the manifest's date): what the file is, read here.
        frames.append(
            with_constants(_mmp_frame(landed, kind), source_format=kind, vintage=vintage_of(landed, recorded))
        )
    if not frames:
        raise ParseError("no Missing Migrants files in this load", file=", ".join(f.origin for f in files))
    frame = pl.concat(frames, how="vertical")
    # Latitude and longitude read the published "lat, lon" text (a format, like a date's).
    coordinates = pl.col("coordinates").str.extract_groups(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
    # The one derivation kept here: country name -> ISO3. Every source resolves names with the one Python
    # resolver (ingest.common.countries: pycountry plus reviewed aliases), and a name it cannot resolve
    # must stop the load before the build, naming file, row and field: the suite's gate on
    # unresolved_country_of_incident (expectations/iom.py) does that on this frame.
    frame = frame.with_columns(
        pl.col("country_of_incident")
        .map_elements(_resolve_incident_country, return_dtype=pl.Utf8)
        .alias("country_of_incident_iso3"),
        coordinates.struct.field("1").cast(pl.Float64).alias("latitude"),
        coordinates.struct.field("2").cast(pl.Float64).alias("longitude"),
    )
    frame = frame.with_columns(
        pl.when(
            pl.col("country_of_incident").is_not_null()
            & ~pl.col("country_of_incident").is_in(list(NOT_A_COUNTRY))
            & pl.col("country_of_incident_iso3").is_null()
        )
        .then(pl.col("country_of_incident"))
        .alias("unresolved_country_of_incident"),
    )
    return frame.select(MISSING_MIGRANTS.names)


DATASET = Dataset(
    source=SOURCE,
    name="missing_migrants",
    fetch=fetch_mmp,
    parse=parse_mmp,
    schema=MISSING_MIGRANTS,
    description="Missing Migrants Project incidents (dead, missing, route, country) from every download.",
)
