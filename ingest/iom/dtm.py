"""IOM DTM: internal displacement figures at admin 0, 1 and 2, every operation, round and vintage.

Live with ``DTM_API_KEY``: the DTM API v3 (``Ocp-Apim-Subscription-Key`` header), the country list and
then ``displacement/admin{0,1,2}?Admin0Pcode=`` per country. Live without a key: HDX CKAN
``package_show`` for ``global-iom-dtm-from-api`` and its admin-0-to-2 CSV. Mirror: every v3 and v2
response and every HDX file under ``iom/dtm/``. Rows keep ``source_format`` and ``vintage``; which
vintage the marts use is decided in dbt (``int_iom__dtm_snapshots``), not here.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence

import polars as pl

from ingest.common.columns import WORLD_POPULATION, Column, TableSchema
from ingest.common.countries import known_iso3
from ingest.common.http import HttpClient
from ingest.common.settings import IomSettings
from ingest.common.source import Dataset, FetchError, LandedFile, ParseError, RawFile, SourceContext
from ingest.common.tabular import Schema, cast_checked, read_csv_records, require_columns
from ingest.iom.shared import SOURCE, clean_text, dates, mirror_files, recorded_dates, vintage_of, with_constants

log = logging.getLogger("maw.iom")

KEY_ENV = "DTM_API_KEY"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
HDX_DATASET = "global-iom-dtm-from-api"
HDX_RESOURCE_SUFFIX = "-admin-0-to-2.csv"


def _base(url: str) -> str:
    return url.rstrip("/") + "/"


# --- fetching --------------------------------------------------------------------------------------------


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


def fetch_dtm_live(settings: IomSettings, client: HttpClient) -> list[RawFile]:
    """DTM API v3 with the key in ``DTM_API_KEY``; without a key, the keyless HDX copy."""
    if settings.dtm_api_key is None:
        log.warning(
            "%s is not set: DTM figures come from the keyless HDX path (CKAN package_show %s -> its CSV). "
            "Set %s to use the DTM API v3.",
            KEY_ENV,
            HDX_DATASET,
            KEY_ENV,
        )
        return fetch_dtm_hdx(settings, client)
    base = _base(settings.dtm_api_url)
    log.info("DTM figures come from the DTM API v3 (%s) with the key in %s", base, KEY_ENV)
    client.session.headers[KEY_HEADER] = settings.dtm_api_key
    countries_raw = client.get(base + "displacement/country-list", expect_json=True)
    countries = sorted({r["admin0Pcode"] for r in _dtm_envelope(countries_raw)})
    if settings.dtm_countries:
        countries = [c for c in countries if c in {w.upper() for w in settings.dtm_countries}]
    files = [
        countries_raw.named("dtm/api_v3/displacement-country-list.json"),
        client.get(base + "displacement/operation-list", expect_json=True).named(
            "dtm/api_v3/displacement-operation-list.json"
        ),
    ]
    _dtm_envelope(files[1])
    for iso3 in countries:
        for level in (0, 1, 2):
            raw = client.get(base + f"displacement/admin{level}", {"Admin0Pcode": iso3}, expect_json=True)
            _dtm_envelope(raw, iso3)
            files.append(raw.named(f"dtm/api_v3/displacement-admin{level}-admin0pcode-{iso3.lower()}.json"))
    return files


def fetch_dtm_hdx(settings: IomSettings, client: HttpClient) -> list[RawFile]:
    """HDX CKAN ``package_show`` for the global DTM dataset, then the admin-0-to-2 CSV it lists."""
    shown = client.get(_base(settings.hdx_url) + "api/3/action/package_show", {"id": HDX_DATASET}, expect_json=True)
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
        shown.named(f"dtm/hdx/package_show_{HDX_DATASET}.json", "json"),
        csv_raw.named(f"dtm/hdx/{file_name}", "csv"),
    ]


def fetch_dtm(context: SourceContext) -> list[RawFile]:
    if context.mode == "live":
        settings = context.settings.iom
        policy = settings.dtm_http if settings.dtm_api_key else settings.hdx_http
        return fetch_dtm_live(settings, context.client(policy))
    return mirror_files(context, "dtm", ("api_v3/*.json", "api_v2/*.json", "hdx/*.csv", "hdx/*.json"))


# --- parsing ---------------------------------------------------------------------------------------------


# The loaded table, column by column (provenance follows). ``read=False``: added by the parser. The
# not-null, set, range and grain rules run as the GE suite before a load reaches the build.
DTM_IDPS = TableSchema(
    columns=(
        Column(
            "source_format",
            pl.Utf8,
            nullable=False,
            values=frozenset({"dtm_api_v3", "dtm_api_v2", "hdx_global_csv", "hdx_hapi_csv"}),
            read=False,
        ),
        Column("vintage", pl.Date, nullable=False, read=False),
        Column("admin_level", pl.Int8, nullable=False, values=frozenset({0, 1, 2})),
        Column("record_id", pl.Int64),
        Column("operation", pl.Utf8, nullable=False),
        Column("admin0_name", pl.Utf8),
        Column("admin0_pcode", pl.Utf8, nullable=False, values=known_iso3()),
        Column("admin1_name", pl.Utf8),
        Column("admin1_pcode", pl.Utf8),
        Column("admin2_name", pl.Utf8),
        Column("admin2_pcode", pl.Utf8),
        Column("idps", pl.Int64, nullable=False, min_value=0, max_value=WORLD_POPULATION),
        Column("reporting_date", pl.Date, nullable=False),
        Column("round_number", pl.Int32, nullable=False, min_value=0),
        Column("displacement_reason", pl.Utf8),
        Column("number_males", pl.Int64, min_value=0, max_value=WORLD_POPULATION),
        Column("number_females", pl.Int64, min_value=0, max_value=WORLD_POPULATION),
        Column("origin_admin1_name", pl.Utf8),
        Column("origin_admin1_pcode", pl.Utf8),
        Column("assessment_type", pl.Utf8, values=frozenset({"BA", "SA", "ETT"})),
        Column("operation_status", pl.Utf8),
    ),
    key=(
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
    ),
)
# What the format readers fill, as text for ``cast_checked`` (reporting_date is cast by ``dates``).
DTM_SCHEMA: Schema = DTM_IDPS.cast_schema()
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
            row[column] = clean_text(record.get(api_field))
        row["admin_level"] = str(level)
        row["reporting_date"] = (row["reporting_date"] or "")[:10] or None
        row["operation_status"] = statuses.get((record["operation"], record["admin0Pcode"]))
        rows.append(row)
    return dates(cast_checked(_dtm_text_frame(rows), DTM_SCHEMA, landed, first_row=1), "reporting_date")


def _operation_statuses(landed: LandedFile) -> dict[tuple[str, str], str]:
    try:
        records = json.loads(landed.path.read_bytes())["result"]
        return {(r["operation"], r["admin0Pcode"]): r["operationStatus"] for r in records}
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a DTM operation list: {exc}", file=landed.origin) from exc


def _dtm_hdx_frame(landed: LandedFile) -> pl.DataFrame:
    """HDX's global CSV, by header name: the 2024 and 2025 vintages order and name columns differently."""
    frame, first_row = read_csv_records(landed, skip_hashtag_row=True)
    require_columns(frame, DTM_REQUIRED, landed)
    present = {f: c for f, c in DTM_FIELDS.items() if f in frame.columns}
    text = frame.select(pl.col(f).alias(c) for f, c in present.items())
    # 2024 vintage: no level column; the format encodes the level by which p-codes are filled in. Read here
    # (not derived in dbt) because the level is part of the loaded table's grain (DTM_IDPS.key, checked by the suite).
    if "admin_level" not in text.columns:
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
    return dates(cast_checked(text.select(list(DTM_SCHEMA)), DTM_SCHEMA, landed, first_row=first_row), "reporting_date")


def _dtm_hapi_frame(landed: LandedFile) -> pl.DataFrame:
    """HDX HAPI's IDP layout: one row per unit and round (reason/origin collapsed), HAPI-matched p-codes."""
    frame, first_row = read_csv_records(landed, skip_hashtag_row=True)
    require_columns(frame, list(HAPI_FIELDS), landed)
    text = frame.select(pl.col(f).alias(c) for f, c in HAPI_FIELDS.items())
    text = text.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c) for c in DTM_SCHEMA if c not in text.columns)
    return dates(cast_checked(text.select(list(DTM_SCHEMA)), DTM_SCHEMA, landed, first_row=first_row), "reporting_date")


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
    recorded = recorded_dates(files)
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
        frames.append(with_constants(frame, source_format=kind, vintage=vintage_of(landed, recorded)))
    if not frames:
        raise ParseError("no DTM displacement records in this load", file=", ".join(f.origin for f in files))
    # The country a p-code names (admin1/admin2 p-code -> ISO3) is derived in dbt, int_iom__dtm_pcode_countries,
    # which also tests that it is the row's country.
    frame = pl.concat(frames, how="vertical")
    return frame.select(DTM_IDPS.names)


DATASET = Dataset(
    source=SOURCE,
    name="dtm_idps",
    fetch=fetch_dtm,
    parse=parse_dtm,
    schema=DTM_IDPS,
    description="DTM IDP figures (individuals present), admin 0/1/2, every operation, round and vintage.",
)
