"""A mirror's IATI Datastore extract, read through the Datastore parser.

``iati/minbuza_nl/<extract>/transactions_*.csv`` holds Datastore transaction documents flattened to one CSV
row each (Datastore field names), and ``activities_*.csv`` beside it the title, description and organisation
names of their activities (Python-list strings). Each CSV row is turned back into the Datastore document it
came from and mapped by ``ingest.iati.datastore`` like a live page, so the mirror exercises the same parser.
What the extract lacks stays empty (sectors, recipients, roles, last-updated time), except
``reporting_org_ref``, which the suites require: it is read from the activity itself (``reporting_ref``).
Staging keeps an activity's rows from one file, the XML where both have it (the XML names its last update),
so a transaction is never counted twice; ``int_iati__datastore_extract_transactions`` shows which extract
transactions the XML already has.
"""

from __future__ import annotations

import ast
import csv
import io
import re
from collections.abc import Sequence

import polars as pl

from ingest.common.source import LandedFile, ParseError, RawFile, SourceContext, read_mirror_file
from ingest.iati.datastore import _activity, _transaction
from ingest.iati.xml import Rows, frames

EXTRACT_PARENT = "iati/minbuza_nl"
TRANSACTIONS_PREFIX = "transactions_"
ACTIVITIES_PREFIX = "activities_"
DUTCH_MFA_PREFIX = "XM-DAC-7-"
ORGANISATION_PREFIX = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,6}-[^-]+")  # agency code + registration number
INCOMING, OUTGOING = ("1", "11"), ("2", "3", "4")
ACTIVITY_FIELDS = ("title_narrative", "description_narrative", "reporting_org_narrative")


def fetch_extracts(context: SourceContext) -> list[RawFile]:
    """The transaction and activity CSVs of every Datastore extract folder of the mirror."""
    parent = context.mirror_path(EXTRACT_PARENT)
    files: list[RawFile] = []
    for transactions in sorted(parent.glob(f"*/{TRANSACTIONS_PREFIX}*.csv")) if parent.is_dir() else []:
        folder = f"{EXTRACT_PARENT}/{transactions.parent.name}"
        files.append(read_mirror_file(context, f"{folder}/{transactions.name}", "csv"))
        activities = transactions.name.replace(TRANSACTIONS_PREFIX, ACTIVITIES_PREFIX, 1)
        files.append(read_mirror_file(context, f"{folder}/{activities}", "csv"))
    return files


def is_extract_file(landed: LandedFile) -> bool:
    return landed.path.name.endswith(".csv") and (landed.name or "").startswith(EXTRACT_PARENT + "/")


def _records(landed: LandedFile) -> list[dict[str, str]]:
    try:
        return list(csv.DictReader(io.StringIO(landed.path.read_text(encoding="utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ParseError(f"not a readable CSV: {exc}", file=landed.origin) from exc


def _listed(text: str | None, origin: str, row: int, field: str) -> list[str]:
    """A Python-list string such as ``['Title']`` as the extract writes it."""
    if not text:
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError) as exc:
        raise ParseError(f"{text[:60]!r} is not a list of strings", file=origin, row=row, field=field) from exc
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ParseError(f"{text[:60]!r} is not a list of strings", file=origin, row=row, field=field)
    return value


def _activity_fields(landed: LandedFile) -> dict[str, dict[str, list[str]]]:
    fields: dict[str, dict[str, list[str]]] = {}
    for number, record in enumerate(_records(landed), start=2):
        identifier = (record.get("iati_identifier") or "").strip()
        if not identifier:
            raise ParseError(
                "activity without iati_identifier", file=landed.origin, row=number, field="iati_identifier"
            )
        fields[identifier] = {f: _listed(record.get(f), landed.origin, number, f) for f in ACTIVITY_FIELDS}
    return fields


def reporting_ref(identifier: str, transactions: list[dict[str, str]]) -> str | None:
    """The reporting organisation of an extract activity, in this order: XM-DAC-7 for the Ministry's
    ``XM-DAC-7-`` identifiers; the organisation on the activity's own side of its transactions (receiver of
    incoming funds, provider of outgoing money) that the identifier starts with; else the identifier's
    organisation prefix (agency code + registration number, as the IATI identifier rule prescribes); else the
    only organisation on that side (the Ministry's older ``NL-1-`` activities name XM-DAC-7); else None."""
    if identifier.startswith(DUTCH_MFA_PREFIX):
        return DUTCH_MFA_PREFIX.rstrip("-")
    own = set()
    for record in transactions:
        kind = record.get("transaction_transaction_type_code")
        side = "receiver" if kind in INCOMING else "provider" if kind in OUTGOING else None
        if side and (ref := (record.get(f"transaction_{side}_org_ref") or "").strip()):
            own.add(ref)
    prefixing = sorted((ref for ref in own if identifier.startswith(ref + "-")), key=len)
    if prefixing:
        return prefixing[-1]
    if match := ORGANISATION_PREFIX.match(identifier):
        return match.group(0)
    return own.pop() if len(own) == 1 else None


def _document(record: dict[str, str], activity: dict[str, list[str]], reporting: str | None) -> dict[str, object]:
    """The Datastore document a CSV row was flattened from (empty cells are absent fields)."""
    doc: dict[str, object] = {key: value for key, value in record.items() if key and value not in (None, "")}
    doc.update({key: value for key, value in activity.items() if value})
    if reporting:
        doc["reporting_org_ref"] = reporting
    return doc


def parse_extract(transactions: LandedFile, activities: LandedFile) -> Rows:
    """Rows of one extract: an activity from its first transaction row, then every transaction."""
    fields = _activity_fields(activities)
    records = _records(transactions)
    by_activity: dict[str, list[dict[str, str]]] = {}
    for record in records:
        by_activity.setdefault((record.get("iati_identifier") or "").strip(), []).append(record)
    reporting = {identifier: reporting_ref(identifier, rows) for identifier, rows in by_activity.items()}
    rows = Rows()
    counters: dict[str, int] = {}
    for number, record in enumerate(records, start=2):
        identifier = (record.get("iati_identifier") or "").strip()
        if not identifier:
            raise ParseError(
                "transaction without iati_identifier", file=transactions.origin, row=number, field="iati_identifier"
            )
        if identifier not in fields:
            raise ParseError(
                f"activity {identifier} is missing from {activities.name}",
                file=transactions.origin,
                row=number,
                field="iati_identifier",
            )
        doc = _document(record, fields[identifier], reporting[identifier])
        if identifier not in counters:
            _activity(rows, doc, identifier, transactions.origin, number)
        counters[identifier] = counters.get(identifier, 0) + 1
        _transaction(rows, doc, identifier, counters[identifier], transactions.origin, number)
    return rows


def extract_tables(files: Sequence[LandedFile]) -> list[tuple[LandedFile, dict[str, pl.DataFrame]]]:
    """Each extract's tables, keyed by its transactions file (the activities file is read beside it)."""
    by_name = {landed.name: landed for landed in files if is_extract_file(landed)}
    result = []
    for name, landed in sorted(by_name.items()):
        folder, file_name = name.rsplit("/", 1)
        if not file_name.startswith(TRANSACTIONS_PREFIX):
            continue
        partner = by_name.get(f"{folder}/{file_name.replace(TRANSACTIONS_PREFIX, ACTIVITIES_PREFIX, 1)}")
        if partner is None:
            raise ParseError("the extract's activities file is missing", file=landed.origin)
        result.append((landed, frames(parse_extract(landed, partner))))
    return result
