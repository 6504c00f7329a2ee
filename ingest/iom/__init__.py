"""IOM: DTM internal displacement figures and Missing Migrants Project incidents.

Two datasets, each with one parser whatever the path the bytes came by:

* ``dtm_idps``: IDP figures at admin 0, 1 and 2, every operation and reporting round, in one long table
  with ``admin_level``. Live with ``DTM_API_KEY``: the DTM API v3 (``Ocp-Apim-Subscription-Key`` header),
  the country list and then ``displacement/admin{0,1,2}?Admin0Pcode=`` per country. Live without a key:
  HDX CKAN ``package_show`` for ``global-iom-dtm-from-api`` and its admin-0-to-2 CSV. Mirror: every v3 and
  v2 response and every HDX file under ``iom/dtm/``. Rows keep ``source_format`` and ``vintage`` (when
  the response was recorded), because the mirror holds overlapping vintages of the same figures; which
  vintage the marts use is decided in dbt (``int_iom__dtm_snapshots``), not here.
* ``missing_migrants``: MMP incidents from the all-data export (xlsx), the per-year JSON API and the CSV
  export of the downloads page, mapped explicitly to one schema (their columns differ). Split incidents
  keep their own rows (``split_number``); negative counts are IOM's later corrections and are kept.

Quirks handled on purpose (see ``../shared/data/iom/README.md``): v3 admin0 records have no ``id``; v3
splits a round into rows by reason and origin; HDX CSVs carry an HXL hashtag row and changed columns
between vintages; the HAPI file has a BOM and collapsed rows; the MMP JSON has every value as text, a
thousands separator, HTML entities and the misspelt key ``location_coodinates``; the xlsx has BOMs in a
few ids, an incident date ``0`` and 13 rows without a date; the CSV export dates read
``Thu, 01/01/2026 - 12:00``. Country names become ISO3 through ``ingest.common.countries.resolve``; values that
are not a country (``Mixed/Unknown``) stay null, any other unresolved name fails the expectation suite.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

import fastexcel
import polars as pl
import pycountry

from ingest.common import rawio
from ingest.common.countries import try_resolve
from ingest.common.http import HttpClient, env_key
from ingest.common.source import Dataset, FetchError, LandedFile, ParseError, RawFile, SourceContext, read_mirror_file
from ingest.common.tabular import Schema, cast_checked, read_csv_text

log = logging.getLogger("maw.iom")

SOURCE = "iom"
DTM_API_URL = "https://dtmapi.iom.int/v3/"
HDX_URL = "https://data.humdata.org/"
MMP_URL = "https://missingmigrants.iom.int/"
KEY_ENV = "DTM_API_KEY"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
HDX_DATASET = "global-iom-dtm-from-api"
HDX_RESOURCE_SUFFIX = "-admin-0-to-2.csv"
MMP_EXPORT_PATH = "sites/g/files/tmzbdl601/files/report-migrant-incident/Missing_Migrants_Global_Figures_allData.xlsx"
MMP_FIRST_YEAR = 2014
MIRROR_ROOT = "iom"

# Country-of-incident values that are not a country: kept as published, ISO3 left null.
NOT_A_COUNTRY = frozenset({"Mixed/Unknown", "Unknown", "Mixed"})


def dtm_api_url() -> str:
    return os.environ.get("MAW_DTM_API_URL", DTM_API_URL).rstrip("/") + "/"


def hdx_url() -> str:
    return os.environ.get("MAW_HDX_URL", HDX_URL).rstrip("/") + "/"


def mmp_url() -> str:
    return os.environ.get("MAW_MMP_URL", MMP_URL).rstrip("/") + "/"


# --- fetching --------------------------------------------------------------------------------------------


def _named(raw: RawFile, name: str, extension: str | None = None) -> RawFile:
    return RawFile(
        content=raw.content,
        origin=raw.origin,
        extension=extension or raw.extension,
        http_status=raw.http_status,
        retrieved_at=raw.retrieved_at,
        name=name,
    )


def _mirror_files(context: SourceContext, folder: str, patterns: Sequence[str]) -> list[RawFile]:
    """Every file of a mirror folder matching ``patterns``, plus the mirror's manifest (the vintages)."""
    root = context.mirror_path(MIRROR_ROOT)
    found = sorted({p for pattern in patterns for p in (root / folder).glob(pattern) if p.is_file()})
    if not found:
        raise FetchError(f"no files matching {', '.join(patterns)} in the mirror", file=str(root / folder))
    files = [read_mirror_file(context, f"{MIRROR_ROOT}/{p.relative_to(root)}", _extension(p.name)) for p in found]
    files = [_named(f, str(p.relative_to(root))) for f, p in zip(files, found, strict=True)]
    if (root / "manifest.csv").is_file():
        files.append(_named(read_mirror_file(context, f"{MIRROR_ROOT}/manifest.csv", "csv"), "manifest.csv"))
    return files


def _extension(file_name: str) -> str:
    return file_name.rsplit(".", 1)[-1].lower()


def _dtm_envelope(raw: RawFile, expected_iso3: str | None = None) -> list[dict]:
    """The records of a DTM response, after checking the envelope says it succeeded."""
    try:
        body = json.loads(raw.content)
    except ValueError as exc:
        raise FetchError(f"DTM response is not JSON: {exc}", file=raw.origin) from exc
    if not isinstance(body, dict) or not isinstance(body.get("result"), list):
        raise FetchError("DTM response has no 'result' list; is this the DTM API?", file=raw.origin)
    if body.get("isSuccess") is not True:
        reason = "; ".join(body.get("errorMessages") or []) or "no reason given"
        raise FetchError(f"DTM API answered isSuccess={body.get('isSuccess')!r}: {reason}", file=raw.origin)
    records = body["result"]
    if body.get("totalRecordsCount") not in (None, len(records)):
        raise FetchError(
            f"totalRecordsCount is {body['totalRecordsCount']} but the answer holds {len(records)} records: incomplete",
            file=raw.origin,
        )
    if expected_iso3:
        other = {r.get("admin0Pcode") for r in records} - {expected_iso3}
        if other:
            raise FetchError(
                f"asked for Admin0Pcode={expected_iso3} but got {sorted(map(str, other))}", file=raw.origin
            )
    return records


def fetch_dtm_live(client: HttpClient | None = None) -> list[RawFile]:
    """DTM API v3 with the key in ``DTM_API_KEY``; without a key, the keyless HDX copy."""
    key = env_key(KEY_ENV)
    if key is None:
        log.warning(
            "%s is not set: DTM figures come from the keyless HDX path (CKAN package_show %s -> its CSV). "
            "Set %s to use the DTM API v3.",
            KEY_ENV,
            HDX_DATASET,
            KEY_ENV,
        )
        return fetch_dtm_hdx(client or HttpClient(timeout=120))
    log.info("DTM figures come from the DTM API v3 (%s) with the key in %s", dtm_api_url(), KEY_ENV)
    client = client or HttpClient(timeout=60, attempts=4)
    client.session.headers[KEY_HEADER] = key
    base = dtm_api_url()
    countries_raw = client.get(base + "displacement/country-list", expect_json=True)
    countries = sorted({r["admin0Pcode"] for r in _dtm_envelope(countries_raw)})
    wanted = os.environ.get("MAW_DTM_COUNTRIES", "").strip()
    if wanted:
        countries = [c for c in countries if c in {w.strip().upper() for w in wanted.split(",")}]
    files = [
        _named(countries_raw, "dtm/api_v3/displacement-country-list.json"),
        _named(
            client.get(base + "displacement/operation-list", expect_json=True),
            "dtm/api_v3/displacement-operation-list.json",
        ),
    ]
    _dtm_envelope(files[1])
    for iso3 in countries:
        for level in (0, 1, 2):
            raw = client.get(base + f"displacement/admin{level}", {"Admin0Pcode": iso3}, expect_json=True)
            _dtm_envelope(raw, iso3)
            files.append(_named(raw, f"dtm/api_v3/displacement-admin{level}-admin0pcode-{iso3.lower()}.json"))
    return files


def fetch_dtm_hdx(client: HttpClient) -> list[RawFile]:
    """HDX CKAN ``package_show`` for the global DTM dataset, then the admin-0-to-2 CSV it lists."""
    shown = client.get(hdx_url() + "api/3/action/package_show", {"id": HDX_DATASET}, expect_json=True)
    body = json.loads(shown.content)
    if isinstance(body, dict) and "success" in body:
        if body["success"] is not True:
            raise FetchError(f"HDX package_show failed: {body.get('error')!r}", file=shown.origin)
        body = body.get("result")
    resources = body.get("resources") if isinstance(body, dict) else None
    chosen = [
        r for r in resources or [] if str(r.get("download_url") or r.get("url") or "").endswith(HDX_RESOURCE_SUFFIX)
    ]
    if not chosen:
        raise FetchError(f"HDX dataset {HDX_DATASET} lists no *{HDX_RESOURCE_SUFFIX} resource", file=shown.origin)
    url = chosen[0].get("download_url") or chosen[0]["url"]
    csv_raw = client.get(url)
    file_name = url.rsplit("/", 1)[-1]
    return [
        _named(shown, f"dtm/hdx/package_show_{HDX_DATASET}.json", "json"),
        _named(csv_raw, f"dtm/hdx/{file_name}", "csv"),
    ]


def fetch_dtm(context: SourceContext) -> list[RawFile]:
    if context.mode == "live":
        return fetch_dtm_live()
    return _mirror_files(context, "dtm", ("api_v3/*.json", "api_v2/*.json", "hdx/*.csv", "hdx/*.json"))


def fetch_mmp_live(client: HttpClient | None = None) -> list[RawFile]:
    """The per-year JSON for every year, then the all-data export (optional: IOM may refuse it)."""
    client = client or HttpClient(timeout=120, attempts=4)
    year_from = int(os.environ.get("MAW_MMP_YEAR_FROM", MMP_FIRST_YEAR))
    year_to = int(os.environ.get("MAW_MMP_YEAR_TO", date.today().year))
    files = []
    for year in range(year_from, year_to + 1):
        raw = client.get(mmp_url() + f"global-figures/{year}/json", expect_json=True)
        if not isinstance(json.loads(raw.content), list):
            raise FetchError("Missing Migrants JSON is not a list of incidents", file=raw.origin)
        files.append(_named(raw, f"missing_migrants/api_json/{year}-json.json"))
    try:
        export = client.get(mmp_url() + MMP_EXPORT_PATH)
    except FetchError as exc:
        log.warning("Missing Migrants all-data export not loaded (%s); the per-year JSON is used", exc.describe())
    else:
        day = export.retrieved_at[:10]
        files.append(_named(export, f"missing_migrants/download_{day}/{MMP_EXPORT_PATH.rsplit('/', 1)[-1]}", "xlsx"))
    return files


def fetch_mmp(context: SourceContext) -> list[RawFile]:
    if context.mode == "live":
        return fetch_mmp_live()
    return _mirror_files(context, "missing_migrants", ("api_json/*.json", "download_*/*.xlsx", "download_*/*.csv"))


# --- shared parsing helpers --------------------------------------------------------------------------------


def _vintages(files: Sequence[LandedFile]) -> dict[str, date]:
    """File name -> the date the mirror's manifest says the file was recorded."""
    vintages: dict[str, date] = {}
    for landed in files:
        if landed.name != "manifest.csv":
            continue
        for row in read_csv_text(landed, ["file", "recorded"]).iter_rows(named=True):
            try:
                vintages[row["file"]] = date.fromisoformat(row["recorded"])
            except (TypeError, ValueError) as exc:
                raise ParseError(f"manifest row has no usable recorded date: {exc}", file=landed.origin) from exc
    return vintages


def _vintage(landed: LandedFile, vintages: dict[str, date]) -> date:
    """When the bytes were recorded: the manifest's date in a mirror, else the retrieval day."""
    return vintages.get(landed.name or "") or date.fromisoformat(landed.retrieved_at[:10])


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\ufeff", "").strip()
    return text or None


def _with_constants(frame: pl.DataFrame, **values: object) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(v, dtype=pl.Date if isinstance(v, date) else None).alias(k) for k, v in values.items()
    )


def _dates(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Cast an ISO ``YYYY-MM-DD`` text column to Date; a value that is not one raises with its row."""
    parsed = frame.get_column(column).str.to_date("%Y-%m-%d", strict=False)
    failed = parsed.is_null() & frame.get_column(column).is_not_null()
    if failed.any():
        index = int(failed.arg_true()[0])
        raise ParseError(
            f"value {frame.get_column(column)[index]!r} is not a date (YYYY-MM-DD)",
            file=frame.get_column("_source_file")[index],
            row=frame.get_column("_source_row")[index],
            field=column,
        )
    return frame.with_columns(parsed.alias(column))


def _iso3_of_pcode(pcode: str | None) -> str | None:
    """The country a p-code's prefix names: ``AF15`` -> AFG, ``IRQ-G01`` -> IRQ, ``TCD07`` -> TCD."""
    if not pcode:
        return None
    letters = re.match(r"[A-Za-z]+", pcode)
    if not letters:
        return "?"
    prefix = letters.group(0).upper()
    if len(prefix) >= 3:
        return prefix[:3]
    country = pycountry.countries.get(alpha_2=prefix)
    return country.alpha_3 if country else "?"


# --- DTM ----------------------------------------------------------------------------------------------------

DTM_SCHEMA: Schema = {
    "admin_level": pl.Int8,
    "record_id": pl.Int64,
    "operation": pl.Utf8,
    "admin0_name": pl.Utf8,
    "admin0_pcode": pl.Utf8,
    "admin1_name": pl.Utf8,
    "admin1_pcode": pl.Utf8,
    "admin2_name": pl.Utf8,
    "admin2_pcode": pl.Utf8,
    "idps": pl.Int64,
    "reporting_date": pl.Utf8,  # cast to Date by _dates (cast_checked does not cast text to dates)
    "round_number": pl.Int32,
    "displacement_reason": pl.Utf8,
    "number_males": pl.Int64,
    "number_females": pl.Int64,
    "origin_admin1_name": pl.Utf8,
    "origin_admin1_pcode": pl.Utf8,
    "assessment_type": pl.Utf8,
    "operation_status": pl.Utf8,
}
DTM_KEY = (
    "source_format",
    "vintage",
    "admin_level",
    "operation",
    "admin0_pcode",
    "admin1_pcode",
    "admin2_pcode",
    "reporting_date",
    "round_number",
    "assessment_type",
    "displacement_reason",
    "origin_admin1_pcode",
)
# DTM API / HDX field -> our column
DTM_FIELDS = {
    "id": "record_id",
    "operation": "operation",
    "admin0Name": "admin0_name",
    "admin0Pcode": "admin0_pcode",
    "admin1Name": "admin1_name",
    "admin1Pcode": "admin1_pcode",
    "admin2Name": "admin2_name",
    "admin2Pcode": "admin2_pcode",
    "adminLevel": "admin_level",
    "numPresentIdpInd": "idps",
    "reportingDate": "reporting_date",
    "roundNumber": "round_number",
    "displacementReason": "displacement_reason",
    "numberMales": "number_males",
    "numberFemales": "number_females",
    "idpOriginAdmin1Name": "origin_admin1_name",
    "idpOriginAdmin1Pcode": "origin_admin1_pcode",
    "assessmentType": "assessment_type",
    "operationStatus": "operation_status",
}
DTM_REQUIRED = ("operation", "admin0Pcode", "numPresentIdpInd", "reportingDate", "roundNumber")
HAPI_FIELDS = {
    "location_code": "admin0_pcode",
    "admin1_code": "admin1_pcode",
    "admin1_name": "admin1_name",
    "admin2_code": "admin2_pcode",
    "admin2_name": "admin2_name",
    "admin_level": "admin_level",
    "operation": "operation",
    "assessment_type": "assessment_type",
    "population": "idps",
    "reporting_round": "round_number",
    "reference_period_start": "reporting_date",
}
_API_FILE = re.compile(r"(?:displacement-admin|idpadmin)(\d)")


def _dtm_text_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(DTM_SCHEMA, pl.Utf8), orient="row")


def _dtm_api_frame(landed: LandedFile, level: int, statuses: dict[tuple[str, str], str]) -> pl.DataFrame:
    try:
        records = json.loads(landed.path.read_bytes())["result"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a DTM API response: {exc}", file=landed.origin) from exc
    rows = []
    for number, record in enumerate(records, start=1):
        for name in DTM_REQUIRED:
            if record.get(name) is None:
                raise ParseError("field missing from DTM record", file=landed.origin, row=number, field=name)
        row: dict[str, str | None] = dict.fromkeys(DTM_SCHEMA)
        for api_field, column in DTM_FIELDS.items():
            row[column] = _text(record.get(api_field))
        row["admin_level"] = str(level)
        row["reporting_date"] = (row["reporting_date"] or "")[:10] or None
        row["operation_status"] = statuses.get((record["operation"], record["admin0Pcode"]))
        rows.append(row)
    return _dates(cast_checked(_dtm_text_frame(rows), DTM_SCHEMA, landed, first_row=1), "reporting_date")


def _operation_statuses(landed: LandedFile) -> dict[tuple[str, str], str]:
    try:
        records = json.loads(landed.path.read_bytes())["result"]
        return {(r["operation"], r["admin0Pcode"]): r["operationStatus"] for r in records}
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a DTM operation list: {exc}", file=landed.origin) from exc


def _read_text_csv(landed: LandedFile) -> tuple[pl.DataFrame, int]:
    """A CSV as text (BOM and HXL hashtag row dropped), with the line number of its first record."""
    frame = read_csv_text(landed)  # decode errors, empty files and ragged rows named by line and field
    first_row = 2
    if frame.height and str(frame.row(0)[0] or "").startswith("#"):
        frame, first_row = frame.slice(1), 3
    return frame, first_row


def _require(frame: pl.DataFrame, columns: Sequence[str], landed: LandedFile) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParseError(
            f"columns missing from header: {', '.join(missing)} (found: {', '.join(frame.columns)})",
            file=landed.origin,
            row=1,
            field=missing[0],
        )


def _dtm_hdx_frame(landed: LandedFile) -> pl.DataFrame:
    """HDX's global CSV, by header name: the 2024 and 2025 vintages order and name columns differently."""
    frame, first_row = _read_text_csv(landed)
    _require(frame, DTM_REQUIRED, landed)
    present = {f: c for f, c in DTM_FIELDS.items() if f in frame.columns}
    text = frame.select(pl.col(f).alias(c) for f, c in present.items())
    if "admin_level" not in text.columns:  # 2024 vintage: the level is which p-codes are filled in
        text = text.with_columns(
            pl.when(pl.col("admin2_pcode").is_not_null())
            .then(pl.lit("2"))
            .when(pl.col("admin1_pcode").is_not_null())
            .then(pl.lit("1"))
            .otherwise(pl.lit("0"))
            .alias("admin_level")
        )
    text = text.with_columns(pl.col("reporting_date").str.slice(0, 10))
    text = text.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c) for c in DTM_SCHEMA if c not in text.columns)
    return _dates(
        cast_checked(text.select(list(DTM_SCHEMA)), DTM_SCHEMA, landed, first_row=first_row), "reporting_date"
    )


def _dtm_hapi_frame(landed: LandedFile) -> pl.DataFrame:
    """HDX HAPI's IDP layout: one row per unit and round (reason/origin collapsed), HAPI-matched p-codes."""
    frame, first_row = _read_text_csv(landed)
    _require(frame, list(HAPI_FIELDS), landed)
    text = frame.select(pl.col(f).alias(c) for f, c in HAPI_FIELDS.items())
    text = text.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c) for c in DTM_SCHEMA if c not in text.columns)
    return _dates(
        cast_checked(text.select(list(DTM_SCHEMA)), DTM_SCHEMA, landed, first_row=first_row), "reporting_date"
    )


def dtm_source_format(name: str) -> str | None:
    """What a landed file is, from its logical name; None for files that hold no IDP records."""
    base = name.rsplit("/", 1)[-1]
    if name.startswith("dtm/api_v3/") and base.startswith("displacement-admin"):
        return "dtm_api_v3"
    if name.startswith("dtm/api_v2/") and base.startswith("idpadmin"):
        return "dtm_api_v2"
    if base.startswith("global-iom-dtm-from-api") and base.endswith(".csv"):
        return "hdx_global_csv"
    if base.startswith("hdx_hapi_idps") and base.endswith(".csv"):
        return "hdx_hapi_csv"
    return None


def parse_dtm(files: Sequence[LandedFile]) -> pl.DataFrame:
    vintages = _vintages(files)
    statuses = {
        "dtm_api_v3" if "/api_v3/" in f"/{f.name}" else "dtm_api_v2": _operation_statuses(f)
        for f in files
        if (f.name or "").endswith(("operation-list.json", "getalloperationlist.json"))
    }
    frames = []
    for landed in files:
        kind = dtm_source_format(landed.name or landed.path.name)
        if kind in ("dtm_api_v3", "dtm_api_v2"):
            level = _API_FILE.search(landed.name or "")
            if level is None:
                raise ParseError("cannot tell the admin level from the file name", file=landed.origin)
            frame = _dtm_api_frame(landed, int(level.group(1)), statuses.get(kind, {}))
        elif kind == "hdx_global_csv":
            frame = _dtm_hdx_frame(landed)
        elif kind == "hdx_hapi_csv":
            frame = _dtm_hapi_frame(landed)
        else:
            continue
        frames.append(_with_constants(frame, source_format=kind, vintage=_vintage(landed, vintages)))
    if not frames:
        raise ParseError("no DTM displacement records in this load", file=", ".join(f.origin for f in files))
    frame = pl.concat(frames, how="vertical")
    return frame.with_columns(
        pl.col("admin1_pcode").map_elements(_iso3_of_pcode, return_dtype=pl.Utf8).alias("admin1_pcode_iso3"),
        pl.col("admin2_pcode").map_elements(_iso3_of_pcode, return_dtype=pl.Utf8).alias("admin2_pcode_iso3"),
    ).select(
        "source_format",
        "vintage",
        *DTM_SCHEMA,
        "admin1_pcode_iso3",
        "admin2_pcode_iso3",
        "_source_file",
        "_source_row",
        "_snapshot_sha256",
        "_retrieved_at",
    )


# --- Missing Migrants -------------------------------------------------------------------------------------

MMP_SCHEMA: Schema = {
    "main_id": pl.Utf8,
    "incident_id_published": pl.Utf8,
    "incident_type": pl.Utf8,
    "region": pl.Utf8,
    "incident_date": pl.Utf8,  # cast to Date by _dates
    "incident_year": pl.Int32,
    "dead": pl.Int64,
    "missing": pl.Int64,
    "dead_missing_published": pl.Int64,
    "survivors": pl.Int64,
    "females": pl.Int64,
    "males": pl.Int64,
    "children": pl.Int64,
    "country_of_origin": pl.Utf8,
    "region_of_origin": pl.Utf8,
    "cause_of_death": pl.Utf8,
    "country_of_incident": pl.Utf8,
    "route": pl.Utf8,
    "location": pl.Utf8,
    "coordinates": pl.Utf8,
    "unsd_grouping": pl.Utf8,
    "information_source": pl.Utf8,
    "url": pl.Utf8,
    "source_quality": pl.Utf8,
}
MMP_COUNTS = ("dead", "missing", "dead_missing_published", "survivors", "females", "males", "children")
MMP_KEY = ("source_format", "vintage", "request_year", "main_id", "split_number")

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


def _xlsx_rows(landed: LandedFile) -> list[dict[str, str | None]]:
    """All cells as text; the export stores most cells (dates too) as strings and counts as numbers."""
    rawio.check_zip(landed)  # an xlsx is a zip: refuse a decompression bomb before calamine opens it
    try:
        frame = pl.read_excel(landed.path, engine="calamine", infer_schema_length=0)
    except (pl.exceptions.PolarsError, OSError, ValueError, zipfile.BadZipFile, fastexcel.FastExcelError) as exc:
        raise ParseError(f"not a readable xlsx export: {exc}", file=landed.origin) from exc
    frame = frame.rename({c: c.replace("\ufeff", "").strip() for c in frame.columns})
    missing = [c for c in MMP_XLSX if c not in frame.columns]
    if missing:
        raise ParseError(
            f"columns missing from the export: {', '.join(missing)}",
            file=landed.origin,
            row=1,
            field=missing[0],
        )
    rows = []
    for record in frame.select(list(MMP_XLSX)).iter_rows(named=True):
        row = {column: _text(record[name]) for name, column in MMP_XLSX.items()}
        for count in ("incident_year", *MMP_COUNTS):
            if row[count] is not None and row[count].endswith(".0"):  # numeric cells come back as floats
                row[count] = row[count][:-2]
        if row["incident_date"] == "0":  # one row in the 2025-05 export: no date, not the epoch
            row["incident_date"] = None
        rows.append(row)
    return rows


def _json_rows(landed: LandedFile) -> list[dict[str, str | None]]:
    try:
        records = json.loads(landed.path.read_bytes())
    except ValueError as exc:
        raise ParseError(f"not JSON: {exc}", file=landed.origin) from exc
    if not isinstance(records, list):
        raise ParseError("the per-year JSON must be a list of incidents", file=landed.origin)
    rows = []
    for number, record in enumerate(records, start=1):
        record = {MMP_JSON_ALIASES.get(k, k): v for k, v in record.items()}
        for name in MMP_JSON_REQUIRED:
            if name not in record:
                raise ParseError("key missing from incident", file=landed.origin, row=number, field=name)
        row: dict[str, str | None] = dict.fromkeys(MMP_SCHEMA)
        for key, column in MMP_JSON.items():
            value = _text(record.get(key))
            row[column] = html.unescape(value) if value is not None else None
        for count in MMP_COUNTS:
            if row[count] is not None:
                row[count] = row[count].replace(",", "")  # "1,022" in 2015
        rows.append(row)
    return rows


def _csv_rows(landed: LandedFile) -> tuple[list[dict[str, str | None]], int]:
    frame, first_row = _read_text_csv(landed)
    _require(frame, list(MMP_CSV), landed)
    rows = []
    for number, record in enumerate(frame.select(list(MMP_CSV)).iter_rows(named=True), start=first_row):
        row: dict[str, str | None] = dict.fromkeys(MMP_SCHEMA)
        row |= {column: _text(record[name]) for name, column in MMP_CSV.items()}
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
        rows, first_row = _xlsx_rows(landed), 2
    elif kind == "mmp_json_year":
        rows, first_row = _json_rows(landed), 1
        request_year = int(_JSON_YEAR.search(landed.name or landed.path.name).group(1))
        for row in rows:  # the endpoint answers for one year: that is the incident year
            row["incident_year"] = str(request_year)
    else:
        rows, first_row = _csv_rows(landed)
    for row in rows:
        if row["incident_year"] is None and row["main_id"]:  # 13 rows of the 2025-05 export: year from the id
            row["incident_year"] = row["main_id"][:4]
    frame = _dates(cast_checked(_mmp_text_frame(rows), MMP_SCHEMA, landed, first_row=first_row), "incident_date")
    return frame.with_columns(
        pl.lit(request_year, dtype=pl.Int32).alias("request_year"),
        (pl.int_range(pl.len(), dtype=pl.Int32).over("main_id") + 1).alias("split_number"),
    )


def _resolve_incident_country(name: str | None) -> str | None:
    if name is None or name in NOT_A_COUNTRY:
        return None
    return try_resolve(name)


def parse_mmp(files: Sequence[LandedFile]) -> pl.DataFrame:
    vintages = _vintages(files)
    frames = []
    for landed in files:
        kind = mmp_source_format(landed.name or landed.path.name)
        if kind is None:
            continue
        frames.append(_with_constants(_mmp_frame(landed, kind), source_format=kind, vintage=_vintage(landed, vintages)))
    if not frames:
        raise ParseError("no Missing Migrants files in this load", file=", ".join(f.origin for f in files))
    frame = pl.concat(frames, how="vertical")
    coordinates = pl.col("coordinates").str.extract_groups(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
    frame = frame.with_columns(
        pl.col("country_of_incident")
        .map_elements(_resolve_incident_country, return_dtype=pl.Utf8)
        .alias("country_of_incident_iso3"),
        (pl.col("dead").fill_null(0) + pl.col("missing").fill_null(0)).alias("dead_missing"),
        coordinates.struct.field("1").cast(pl.Float64).alias("latitude"),
        coordinates.struct.field("2").cast(pl.Float64).alias("longitude"),
        pl.any_horizontal(pl.col(c) < 0 for c in MMP_COUNTS).fill_null(False).alias("is_correction"),
    )
    frame = frame.with_columns(
        pl.when(
            pl.col("country_of_incident").is_not_null()
            & ~pl.col("country_of_incident").is_in(list(NOT_A_COUNTRY))
            & pl.col("country_of_incident_iso3").is_null()
        )
        .then(pl.col("country_of_incident"))
        .alias("unresolved_country_of_incident"),
        pl.col("dead_missing")
        .sum()
        .over("source_format", "vintage", "request_year", "main_id")
        .alias("incident_dead_missing"),
    )
    return frame.select(
        "source_format",
        "vintage",
        "request_year",
        "main_id",
        "split_number",
        *(c for c in MMP_SCHEMA if c != "main_id"),
        "dead_missing",
        "incident_dead_missing",
        "is_correction",
        "country_of_incident_iso3",
        "unresolved_country_of_incident",
        "latitude",
        "longitude",
        "_source_file",
        "_source_row",
        "_snapshot_sha256",
        "_retrieved_at",
    )


DATASETS = (
    Dataset(
        source=SOURCE,
        name="dtm_idps",
        fetch=fetch_dtm,
        parse=parse_dtm,
        key=DTM_KEY,
        description="DTM IDP figures (individuals present), admin 0/1/2, every operation, round and vintage.",
    ),
    Dataset(
        source=SOURCE,
        name="missing_migrants",
        fetch=fetch_mmp,
        parse=parse_mmp,
        key=MMP_KEY,
        description="Missing Migrants Project incidents (dead, missing, route, country) from every download.",
    ),
)
