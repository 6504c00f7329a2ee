"""IATI: what the Dutch Ministry of Foreign Affairs (``XM-DAC-7``) and its partners report, activity by activity.

Three ways in, never added together; all of them end in the same rows (``ingest/iati_xml.py``):

* **mirror / demo**: the activity XML files of a mirror laid out like ``../shared/data``
  (``iati/minbuza_nl/*.xml`` and ``iati/partners/*.xml``; the Dutch files there are a *sample*).
* **live, keyless (default)**: the IATI Registry's ``package_search`` lists each publisher's activity files
  (``MAW_IATI_PUBLISHERS``, default ``minbuza_nl,unhcr,iom``); each file is downloaded from its host.
* **live, Datastore**: when ``IATI_API_KEY`` is set, the Datastore API v3 transaction collection
  (``ingest/iati_datastore.py``) *replaces* the Registry path. Without a key the refresh says so and uses
  the Registry.

Every dataset of this source (activities, transactions, participating orgs, ...) is one table of the same
parse. Live downloads happen once per refresh (cached for an hour in the process) and every dataset lands
the same bytes under the same content hash; the parse is cached by the files' hashes, so it runs once per
snapshot. Rows of one activity are grouped by ``source_dataset`` (one XML file, or the Datastore extract).
"""

from __future__ import annotations

import csv
import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import polars as pl
from lxml import etree

from ingest.common.http import HttpClient, env_key
from ingest.common.source import Dataset, FetchError, LandedFile, ParseError, RawFile, SourceContext, read_mirror_file
from ingest.common.tabular import Schema, cast_checked, read_csv_text
from ingest.iati.datastore import fetch_pages, parse_pages
from ingest.iati.datastore_mirror import extract_tables, fetch_extracts
from ingest.iati.xml import TABLES, frames, parse_file

log = logging.getLogger("maw.iati")

SOURCE = "iati"
DUTCH_MFA = "XM-DAC-7"
REGISTRY_URL = "https://iatiregistry.org/api/3/action"
DATASTORE_URL = "https://api.iatistandard.org/datastore"
CODELIST_URL = "https://iatistandard.org/reference_downloads/203/codelists/downloads/clv3/xml/{name}.xml"
DEFAULT_PUBLISHERS = "minbuza_nl,unhcr,iom"
DEFAULT_DATASTORE_QUERY = f'reporting_org_ref:"{DUTCH_MFA}" OR transaction_provider_org_ref:"{DUTCH_MFA}"'
MIRROR_FOLDERS = ("iati/minbuza_nl", "iati/partners")
REFERENCE = Path(__file__).parents[1] / "reference"
CODELIST_FILE = REFERENCE / "iati_codelists.csv"  # the demo mirror's codelists and the suites' code sets
OVERRIDES_FILE = REFERENCE / "iati_migration_overrides.csv"
CODELISTS = (
    "ActivityDateType",
    "ActivityStatus",
    "AidType",
    "CollaborationType",
    "Country",
    "Currency",
    "DisbursementChannel",
    "FinanceType",
    "FlowType",
    "OrganisationRole",
    "OrganisationType",
    "PolicyMarker",
    "PolicySignificance",
    "Region",
    "RegionVocabulary",
    "Sector",
    "SectorCategory",
    "SectorVocabulary",
    "TiedStatus",
    "TransactionType",
)
FETCH_CACHE_SECONDS = 3600.0  # one refresh; the next nightly run downloads again

# --- fetch: three paths to the same activity data -----------------------------------------------------


def registry_url() -> str:
    return os.environ.get("MAW_IATI_REGISTRY_URL", REGISTRY_URL).rstrip("/")


def datastore_url() -> str:
    return os.environ.get("MAW_IATI_DATASTORE_URL", DATASTORE_URL).rstrip("/")


def _is_activity_package(package: dict) -> bool:
    extras = {e.get("key"): e.get("value") for e in package.get("extras") or [] if isinstance(e, dict)}
    if extras.get("filetype"):
        return extras["filetype"] == "activity"
    name = str(package.get("name", ""))
    return not name.endswith(("-org", "-organisation", "-organization", "-org-file"))


def list_registry_files(
    client: HttpClient, base_url: str, publisher: str, *, page_size: int = 1000
) -> list[tuple[str, str]]:
    """(dataset name, XML url) of every activity file the Registry lists for ``publisher``."""
    found: list[tuple[str, str]] = []
    start, count = 0, None
    while count is None or start < count:
        raw = client.get(
            f"{base_url}/package_search",
            {"fq": f"organization:{publisher}", "rows": str(page_size), "start": str(start)},
            expect_json=True,
        )
        body = json.loads(raw.content)
        result = body.get("result") if isinstance(body, dict) else None
        if not isinstance(result, dict) or not isinstance(result.get("results"), list):
            raise FetchError("no result.results in the answer; is this the IATI Registry (CKAN)?", file=raw.origin)
        count = int(result.get("count") or 0)
        for package in result["results"]:
            resources = package.get("resources") or []
            if _is_activity_package(package) and resources and resources[0].get("url"):
                found.append((str(package["name"]), str(resources[0]["url"])))
        if not result["results"]:
            break
        start += len(result["results"])
    if not found:
        raise FetchError(
            f"the Registry lists no activity files for publisher {publisher!r}", file=f"{base_url}/package_search"
        )
    return sorted(found)


def fetch_registry(client: HttpClient, base_url: str, publishers: Sequence[str]) -> list[RawFile]:
    """Download every activity file the Registry lists for the publishers (no key needed)."""
    files = []
    for publisher in publishers:
        for name, url in list_registry_files(client, base_url, publisher):
            raw = client.get(url)
            files.append(
                RawFile(
                    content=raw.content,
                    origin=raw.origin,
                    extension="xml",
                    http_status=raw.http_status,
                    retrieved_at=raw.retrieved_at,
                    name=name,
                )
            )
        log.info("IATI Registry: %s activity file(s) of %s downloaded", len(files), publisher)
    return files


def fetch_live() -> list[RawFile]:
    key = env_key("IATI_API_KEY")
    backoff = float(os.environ.get("MAW_HTTP_BACKOFF", "1.0"))
    if key:
        client = HttpClient(
            headers={"Ocp-Apim-Subscription-Key": key},
            backoff=backoff,
            rate_limit_cooldown=float(os.environ.get("MAW_IATI_RATE_LIMIT_COOLDOWN", "10")),
        )
        return fetch_pages(
            client,
            datastore_url(),
            os.environ.get("MAW_IATI_DATASTORE_QUERY", DEFAULT_DATASTORE_QUERY),
            page_size=int(os.environ.get("MAW_IATI_DATASTORE_ROWS", "1000")),
            pause=float(os.environ.get("MAW_IATI_DATASTORE_PAUSE", "1.0")),
        )
    log.warning(
        "IATI_API_KEY is not set: the IATI Datastore needs a (free) key from developer.iatistandard.org. "
        "Using the keyless path instead: activity XML files listed by the IATI Registry."
    )
    publishers = [p.strip() for p in os.environ.get("MAW_IATI_PUBLISHERS", DEFAULT_PUBLISHERS).split(",") if p.strip()]
    return fetch_registry(HttpClient(backoff=backoff), registry_url(), publishers)


def fetch_mirror(context: SourceContext) -> list[RawFile]:
    files = []
    for folder in MIRROR_FOLDERS:
        directory = context.mirror_path(folder)
        for path in sorted(directory.glob("*.xml")) if directory.is_dir() else []:
            files.append(read_mirror_file(context, f"{folder}/{path.name}", "xml"))
    if not files:
        raise FetchError(f"no activity XML files in {', '.join(MIRROR_FOLDERS)}", file=str(context.mirror_dir))
    return files + fetch_extracts(context)


_fetched: dict[tuple, tuple[float, list[RawFile]]] = {}


def fetch_activity_files(context: SourceContext) -> list[RawFile]:
    """The raw activity files for this context. Live downloads happen once per refresh and are shared by
    every dataset of the source (so all tables come from the same bytes); local files are simply re-read."""
    if context.mode != "live":
        return fetch_mirror(context)
    key = (env_key("IATI_API_KEY") is not None, registry_url(), datastore_url())
    cached = _fetched.get(key)
    if cached is not None and time.monotonic() - cached[0] < FETCH_CACHE_SECONDS:
        return cached[1]
    files = fetch_live()
    _fetched.clear()
    _fetched[key] = (time.monotonic(), files)
    return files


# --- parse: once per snapshot, one frame per table --------------------------------------------------


def _with_provenance(frame: pl.DataFrame, landed: LandedFile) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(landed.origin).alias("_source_file"),
        pl.lit(landed.sha256).alias("_snapshot_sha256"),
        pl.lit(landed.retrieved_at).str.to_datetime(time_zone="UTC").alias("_retrieved_at"),
    )


DATASTORE_DATASET = "iati-datastore"


def source_dataset(landed: LandedFile) -> str:
    """The unit an activity is published in: one XML file (its Registry dataset or mirror path), or the whole
    Datastore extract (an activity's rows can sit on several pages). Staging keeps one per activity."""
    if landed.path.name.endswith(".json"):
        return DATASTORE_DATASET
    return landed.name or landed.origin


_parsed_xml: OrderedDict[tuple[str, str], dict[str, pl.DataFrame]] = OrderedDict()
PARSED_XML_KEPT = 64


def _xml_tables(landed: LandedFile) -> dict[str, pl.DataFrame]:
    """One XML file's tables, parsed once per (content hash, origin) however many datasets land it."""
    key = (landed.sha256, landed.origin)
    if key not in _parsed_xml:
        _parsed_xml[key] = frames(parse_file(landed.path, landed.origin))
        while len(_parsed_xml) > PARSED_XML_KEPT:
            _parsed_xml.popitem(last=False)
    _parsed_xml.move_to_end(key)
    return _parsed_xml[key]


@lru_cache(maxsize=2)
def _datastore_tables(pages: tuple[LandedFile, ...]) -> dict[LandedFile, dict[str, pl.DataFrame]]:
    return {landed: frames(rows) for landed, rows in parse_pages(pages).items()}


def _parse_snapshot(files: Sequence[LandedFile]) -> dict[str, pl.DataFrame]:
    per_file: list[tuple[LandedFile, dict[str, pl.DataFrame]]] = [
        (landed, _xml_tables(landed)) for landed in files if landed.path.name.endswith(".xml")
    ]
    per_file += list(_datastore_tables(tuple(f for f in files if f.path.name.endswith(".json"))).items())
    per_file += extract_tables(files)
    tables: dict[str, list[pl.DataFrame]] = {name: [] for name in TABLES}
    for landed, parsed in per_file:
        for name, frame in parsed.items():
            tables[name].append(
                _with_provenance(frame, landed).with_columns(pl.lit(source_dataset(landed)).alias("source_dataset"))
            )
    return {
        name: pl.concat(parts, how="vertical").select(
            *TABLES[name], "source_dataset", "_source_file", "_source_row", "_snapshot_sha256", "_retrieved_at"
        )
        for name, parts in tables.items()
    }


def _table_parser(table: str):
    def parse(files: Sequence[LandedFile]) -> pl.DataFrame:
        return _parse_snapshot(files)[table]

    return parse


# --- codelists ------------------------------------------------------------------------------------------

CODELIST_COLUMNS = ("codelist", "code", "name", "category", "status")


def _codelist_url(name: str) -> str:
    return os.environ.get("MAW_IATI_CODELIST_URL", CODELIST_URL).format(name=name)


def _fetch_codelists(context: SourceContext) -> list[RawFile]:
    """Official codelists from the mirror (the demo mirror's are a small subset) or the IATI website."""
    if context.mode == "live":
        client = HttpClient(backoff=float(os.environ.get("MAW_HTTP_BACKOFF", "1.0")))
        fetched = []
        for name in CODELISTS:
            raw = client.get(_codelist_url(name))
            fetched.append(
                RawFile(
                    content=raw.content,
                    origin=raw.origin,
                    extension="xml",
                    http_status=raw.http_status,
                    retrieved_at=raw.retrieved_at,
                    name=f"{name}.xml",
                )
            )
        return fetched
    return [read_mirror_file(context, f"iati/codelists/{name}.xml", "xml") for name in CODELISTS]


def _codelist_xml(landed: LandedFile) -> pl.DataFrame:
    try:
        root = etree.parse(str(landed.path)).getroot()
    except etree.XMLSyntaxError as exc:
        raise ParseError(
            f"malformed codelist XML at line {exc.lineno}: {exc.msg}", file=landed.origin, row=exc.lineno
        ) from None
    if root.tag != "codelist" or not root.get("name"):
        raise ParseError(
            f"root element is <{root.tag}>, not <codelist name=...>", file=landed.origin, row=root.sourceline
        )
    rows = []
    for item in root.iter("codelist-item"):
        names = item.findall("name/narrative")
        english = next(
            (n for n in names if (n.get("{http://www.w3.org/XML/1998/namespace}lang") or "en") == "en"), None
        )
        code = item.findtext("code")
        if code is None or not code.strip():
            raise ParseError("codelist item without code", file=landed.origin, row=item.sourceline, field="code")
        rows.append(
            {
                "codelist": root.get("name"),
                "code": code.strip(),
                "name": (english.text or "").strip() if english is not None else None,
                "category": (item.findtext("category") or "").strip() or None,
                "status": item.get("status") or "active",
                "_source_row": item.sourceline,
            }
        )
    frame = pl.DataFrame(
        rows, schema={**dict.fromkeys(CODELIST_COLUMNS, pl.Utf8), "_source_row": pl.Int64}, orient="row"
    )
    return _with_provenance(frame, landed).select(
        *CODELIST_COLUMNS, "_source_file", "_source_row", "_snapshot_sha256", "_retrieved_at"
    )


def _parse_codelists(files: Sequence[LandedFile]) -> pl.DataFrame:
    return pl.concat([_codelist_xml(landed) for landed in files], how="vertical")


@cache
def reference_codes(codelist: str) -> frozenset[str]:
    """Codes of one codelist from the small reference file (used by the expectation suites)."""
    with CODELIST_FILE.open(encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle) if row["codelist"] == codelist)


# --- reviewed migration-relevance overrides ----------------------------------------------------------

OVERRIDE_SCHEMA: Schema = {
    "iati_identifier": pl.Utf8,
    "is_migration_related": pl.Boolean,
    "reason": pl.Utf8,
    "reviewed_by": pl.Utf8,
}


def _fetch_overrides(_context: SourceContext) -> list[RawFile]:
    return [
        RawFile(
            content=OVERRIDES_FILE.read_bytes(), origin=str(OVERRIDES_FILE), extension="csv", name=OVERRIDES_FILE.name
        )
    ]


def _parse_overrides(files: Sequence[LandedFile]) -> pl.DataFrame:
    return pl.concat(
        cast_checked(read_csv_text(landed, list(OVERRIDE_SCHEMA)), OVERRIDE_SCHEMA, landed, first_row=2)
        for landed in files
    )


# --- datasets ------------------------------------------------------------------------------------------

_DESCRIPTIONS = {
    "activities": "One row per IATI activity per file: identifier, reporting org, titles (en, nl), status, dates.",
    "narratives": "Every title and description narrative of every activity, with its language.",
    "transactions": "Every transaction as published: type, date, value, currency, value-date, provider, receiver.",
    "participating_orgs": "Participating organisations of each activity with role, ref, type and activity id.",
    "recipients": "Recipient countries and regions, activity- or transaction-level, with percentages.",
    "sectors": "Sectors (all vocabularies), activity- or transaction-level, with percentages.",
    "policy_markers": "OECD DAC policy markers (and other vocabularies) with significance.",
    "tags": "Tags (e.g. SDG targets, publisher keywords) of each activity.",
}
_KEYS = {
    "activities": ("source_dataset", "iati_identifier"),
    "narratives": ("source_dataset", "iati_identifier", "element", "_source_row", "position"),
    "transactions": ("source_dataset", "iati_identifier", "transaction_index"),
    "participating_orgs": ("source_dataset", "iati_identifier", "position"),
    "recipients": ("source_dataset", "iati_identifier", "transaction_index", "position"),
    "sectors": ("source_dataset", "iati_identifier", "transaction_index", "position"),
    "policy_markers": ("source_dataset", "iati_identifier", "position"),
    "tags": ("source_dataset", "iati_identifier", "position"),
}

DATASETS: tuple[Dataset, ...] = (
    *(
        Dataset(
            source=SOURCE,
            name=name,
            fetch=fetch_activity_files,
            parse=_table_parser(name),
            key=_KEYS[name],
            description=_DESCRIPTIONS[name],
            track_changes=name in {"activities", "transactions"},
        )
        for name in TABLES
    ),
    Dataset(
        source=SOURCE,
        name="codelists",
        fetch=_fetch_codelists,
        parse=_parse_codelists,
        key=("codelist", "code"),
        description="IATI codelists (code, English name, category) used to name codes.",
        track_changes=False,
    ),
    Dataset(
        source=SOURCE,
        name="migration_overrides",
        fetch=_fetch_overrides,
        parse=_parse_overrides,
        key=("iati_identifier",),
        description="Reviewed overrides of the migration-relevance rules.",
        track_changes=False,
    ),
)
