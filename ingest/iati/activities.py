"""IATI activity datasets: what the Dutch MFA (``XM-DAC-7``) and its partners report, activity by activity.

Three ways in, never added together; all of them end in the same rows (``ingest/iati/xml.py``):

* **mirror / demo**: the activity XML files of a mirror laid out like ``../shared/data``
  (``iati/minbuza_nl/*.xml`` and ``iati/partners/*.xml``; the Dutch files there are a *sample*).
* **live, keyless (default)**: the IATI Registry's ``package_search`` lists each publisher's activity files
  (``MAW_IATI_PUBLISHERS``, default ``minbuza_nl,unhcr,iom``; ``registry.py``); each file is downloaded
  from its host.
* **live, Datastore**: when ``IATI_API_KEY`` is set, the Datastore API v3 transaction collection
  (``ingest/iati/datastore.py``) *replaces* the Registry path. Without a key the refresh says so and uses
  the Registry.

Every dataset of this source (activities, transactions, participating orgs, ...) is one table of the same
parse. Live downloads happen once per refresh (cached for an hour in the process) and every dataset lands
the same bytes under the same content hash; the parse is cached by the files' hashes, so it runs once per
snapshot. Rows of one activity are grouped by ``source_dataset`` (one XML file, or the Datastore extract).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import polars as pl

from ingest.common import rawio
from ingest.common.columns import Column, TableSchema
from ingest.common.source import Dataset, FetchError, LandedFile, RawFile, SourceContext, read_mirror_file
from ingest.iati.datastore import fetch_pages, parse_pages
from ingest.iati.datastore_mirror import extract_tables, fetch_extracts
from ingest.iati.registry import fetch_registry
from ingest.iati.shared import SOURCE, with_file_provenance
from ingest.iati.xml import TABLES, frames, parse_file

log = logging.getLogger("maw.iati")

MIRROR_FOLDERS = ("iati/minbuza_nl", "iati/partners")
FETCH_CACHE_SECONDS = 3600.0  # one refresh; the next nightly run downloads again
KEY_HEADER = "Ocp-Apim-Subscription-Key"

# --- fetch: three paths to the same activity data -----------------------------------------------------


def fetch_live(context: SourceContext) -> list[RawFile]:
    settings = context.settings.iati
    if settings.api_key:
        client = context.client(context.settings.iati_http, {KEY_HEADER: settings.api_key})
        return fetch_pages(
            client,
            settings.datastore_url.rstrip("/"),
            settings.datastore_query,
            page_size=settings.datastore_rows,
            pause=settings.datastore_pause,
        )
    log.warning(
        "IATI_API_KEY is not set: the IATI Datastore needs a (free) key from developer.iatistandard.org. "
        "Using the keyless path instead: activity XML files listed by the IATI Registry."
    )
    client = context.client(context.settings.iati_http)
    return fetch_registry(client, settings.registry_url.rstrip("/"), settings.publishers)


def fetch_mirror(context: SourceContext) -> list[RawFile]:
    files = []
    for folder in MIRROR_FOLDERS:
        directory = context.mirror_path(folder)
        for path in sorted(directory.glob("*.xml")) if directory.is_dir() else []:
            files.append(read_mirror_file(context, f"{folder}/{path.name}", "xml"))
    if not files:
        raise FetchError(f"no activity XML files in {', '.join(MIRROR_FOLDERS)}", file=str(context.mirror_dir))
    return files + fetch_extracts(context)


_fetched: dict[object, tuple[float, list[RawFile]]] = {}


def fetch_activity_files(context: SourceContext) -> list[RawFile]:
    """The raw activity files for this context. Live downloads happen once per refresh and are shared by
    every dataset of the source (so all tables come from the same bytes); local files are simply re-read."""
    if context.mode != "live":
        return fetch_mirror(context)
    key = context.settings.iati
    cached = _fetched.get(key)
    if cached is not None and time.monotonic() - cached[0] < FETCH_CACHE_SECONDS:
        return cached[1]
    files = fetch_live(context)
    _fetched.clear()
    _fetched[key] = (time.monotonic(), files)
    return files


# --- parse: once per snapshot, one frame per table --------------------------------------------------


DATASTORE_DATASET = "iati-datastore"


def source_dataset(landed: LandedFile) -> str:
    """The unit an activity is published in: one XML file (its Registry dataset or mirror path), or the whole
    Datastore extract (an activity's rows can sit on several pages). Staging keeps one per activity."""
    if landed.path.name.endswith(".json"):
        return DATASTORE_DATASET
    return landed.name or landed.origin


_parsed_xml: OrderedDict[tuple[str, str, int], dict[str, pl.DataFrame]] = OrderedDict()
PARSED_XML_KEPT = 64


def _xml_tables(landed: LandedFile) -> dict[str, pl.DataFrame]:
    """One XML file's tables, parsed once per (content hash, origin, size limit) however many datasets land it."""
    key = (landed.sha256, landed.origin, rawio.max_xml_bytes())  # a lower size limit must see the file again
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
                with_file_provenance(frame, landed).with_columns(pl.lit(source_dataset(landed)).alias("source_dataset"))
            )
    return {name: pl.concat(parts, how="vertical").select(SCHEMAS[name].names) for name, parts in tables.items()}


def _table_parser(table: str):
    def parse(files: Sequence[LandedFile]) -> pl.DataFrame:
        return _parse_snapshot(files)[table]

    return parse


# --- reviewed migration-relevance overrides ----------------------------------------------------------

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
# The grain of each table; ``_source_row`` (the XML line) tells two narratives of one element apart.
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

SCHEMAS = {
    name: TableSchema(columns=(*columns, Column("source_dataset", pl.Utf8, nullable=False)), key=_KEYS[name])
    for name, columns in TABLES.items()
}

DATASETS: tuple[Dataset, ...] = tuple(
    Dataset(
        source=SOURCE,
        name=name,
        fetch=fetch_activity_files,
        parse=_table_parser(name),
        schema=SCHEMAS[name],
        description=_DESCRIPTIONS[name],
        track_changes=name in {"activities", "transactions"},
    )
    for name in TABLES
)
