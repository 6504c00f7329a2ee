"""Streaming parser for IATI activity XML 2.01-2.03: one activity in memory at a time.

The parser turns each ``<iati-activity>`` into rows of a few long tables (activities, narratives,
transactions, participating orgs, recipients, sectors, policy markers, tags); see :data:`TABLES`. It keeps
every transaction as published (negative de-commitments included) and never adds anything up: splitting
and converting values is the job of the dbt models, where the rules are documented and tested.

``_source_row`` is the line number of the element in the XML file (``<iati-activity>`` for activity
tables, ``<transaction>`` for transactions), so a row can be found in its file with any editor.
Foreign-namespace attributes (d-portal's ``dstore:*``) and elements (UNHCR's ``unhcr:value-USD``) are
ignored, as the standard's extension rules allow.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl
import pycountry
from lxml import etree

from ingest.common import rawio
from ingest.common.columns import Column
from ingest.common.source import ParseError
from ingest.iati.codelists import reference_codes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
MONEY = pl.Decimal(precision=28, scale=6)
PERCENT = pl.Decimal(precision=12, scale=6)

CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)  # ISO 4217
ACTIVITY_STATUSES = frozenset({"1", "2", "3", "4", "5", "6"})

# Columns of each table, declared once (``ingest/common/columns.py``): the frames below are typed from
# them and ``ingest.iati.activities`` adds ``source_dataset`` and the provenance columns.
TABLES: dict[str, tuple[Column, ...]] = {
    "activities": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("iati_version", pl.Utf8, values=frozenset(SUPPORTED_VERSIONS)),
        Column("reporting_org_ref", pl.Utf8, nullable=False),
        Column("reporting_org_type", pl.Utf8),
        Column("reporting_org_name", pl.Utf8),
        Column("default_currency", pl.Utf8, values=CURRENCIES),
        Column("default_lang", pl.Utf8),
        Column("hierarchy", pl.Utf8),
        Column("humanitarian", pl.Boolean),
        Column("last_updated_datetime", pl.Utf8),
        Column("activity_status_code", pl.Utf8, values=ACTIVITY_STATUSES),
        Column("title", pl.Utf8),
        Column("title_en", pl.Utf8),
        Column("title_nl", pl.Utf8),
        Column("description_en", pl.Utf8),
        Column("description_nl", pl.Utf8),
        Column("planned_start_date", pl.Date),
        Column("actual_start_date", pl.Date),
        Column("planned_end_date", pl.Date),
        Column("actual_end_date", pl.Date),
        Column("collaboration_type_code", pl.Utf8),
        Column("default_flow_type_code", pl.Utf8),
        Column("default_finance_type_code", pl.Utf8),
        Column("default_aid_type_code", pl.Utf8),
        Column("default_tied_status_code", pl.Utf8),
    ),
    "narratives": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("element", pl.Utf8, values=frozenset({"title", "description"})),
        Column("description_type", pl.Utf8),
        Column("position", pl.Int32),
        Column("lang", pl.Utf8),
        Column("narrative", pl.Utf8),
    ),
    "transactions": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("reporting_org_ref", pl.Utf8),
        Column("transaction_index", pl.Int32, nullable=False),
        Column("transaction_ref", pl.Utf8),
        Column("transaction_type_code", pl.Utf8, nullable=False, values=reference_codes("TransactionType")),
        Column("transaction_date_text", pl.Utf8),
        Column("transaction_date", pl.Date, nullable=False, min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
        Column("value", MONEY, nullable=False),
        Column("value_text", pl.Utf8),
        Column("currency", pl.Utf8, nullable=False, values=CURRENCIES),
        Column("currency_is_default", pl.Boolean),
        Column("value_date_text", pl.Utf8),
        Column("value_date", pl.Date),
        Column("humanitarian", pl.Boolean),
        Column("description", pl.Utf8),
        Column("provider_org_ref", pl.Utf8),
        Column("provider_org_type", pl.Utf8),
        Column("provider_org_name", pl.Utf8),
        Column("provider_activity_id", pl.Utf8),
        Column("receiver_org_ref", pl.Utf8),
        Column("receiver_org_type", pl.Utf8),
        Column("receiver_org_name", pl.Utf8),
        Column("receiver_activity_id", pl.Utf8),
        Column("flow_type_code", pl.Utf8),
        Column("finance_type_code", pl.Utf8),
        Column("aid_type_code", pl.Utf8),
        Column("tied_status_code", pl.Utf8),
        Column("disbursement_channel_code", pl.Utf8),
    ),
    "participating_orgs": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("position", pl.Int32),
        Column("role_code", pl.Utf8, values=frozenset({"1", "2", "3", "4"})),
        Column("org_ref", pl.Utf8),
        Column("org_type", pl.Utf8),
        Column("org_activity_id", pl.Utf8),
        Column("crs_channel_code", pl.Utf8),
        Column("org_name", pl.Utf8),
    ),
    "recipients": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("transaction_index", pl.Int32),  # null: activity level
        Column("position", pl.Int32),
        Column("recipient_kind", pl.Utf8, nullable=False, values=frozenset({"country", "region"})),  # country | region
        Column("code", pl.Utf8, nullable=False),
        Column("vocabulary", pl.Utf8),
        Column("percentage", PERCENT, min_value=0, max_value=100),
        Column("name", pl.Utf8),
    ),
    "sectors": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("transaction_index", pl.Int32),
        Column("position", pl.Int32),
        Column("vocabulary", pl.Utf8),
        Column("code", pl.Utf8, nullable=False),
        Column("percentage", PERCENT, min_value=0, max_value=100),
        Column("name", pl.Utf8),
    ),
    "policy_markers": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("position", pl.Int32),
        Column("vocabulary", pl.Utf8),
        Column("code", pl.Utf8, nullable=False),
        Column("significance", pl.Utf8),
        Column("name", pl.Utf8),
    ),
    "tags": (
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("position", pl.Int32),
        Column("vocabulary", pl.Utf8),
        Column("code", pl.Utf8, nullable=False),
        Column("name", pl.Utf8),
    ),
}


@dataclass
class Rows:
    """Rows of every table, each with the source line it came from."""

    tables: dict[str, list[dict]] = field(default_factory=lambda: {name: [] for name in TABLES})

    def add(self, table: str, line: int | None, **values: object) -> None:
        self.tables[table].append({**values, "_source_row": line})

    def extend(self, other: Rows) -> None:
        for name, rows in other.tables.items():
            self.tables[name].extend(rows)


def text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def attr(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    value = element.get(name)
    return value.strip() if value is not None and value.strip() else None


def narrative(element: etree._Element | None, lang: str | None = None, default_lang: str | None = None) -> str | None:
    """The narrative in ``lang`` (the activity's default language counts), or the first one."""
    if element is None:
        return None
    narratives = element.findall("narrative")
    if lang is None:
        return text(narratives[0]) if narratives else text(element)
    for item in narratives:
        item_lang = (item.get(XML_LANG) or default_lang or "").lower()
        if item_lang == lang:
            return text(item)
    return None


def iso_date(value: str | None) -> date | None:
    """``YYYY-MM-DD`` (a time part is ignored); None when absent or not a date (the suite reports it)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def decimal(value: str | None, *, origin: str, line: int | None, field_name: str) -> Decimal | None:
    if value is None or not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation as exc:
        raise ParseError(f"{value!r} is not a decimal number", file=origin, row=line, field=field_name) from exc
    if not number.is_finite():
        raise ParseError(f"{value!r} is not a finite number", file=origin, row=line, field=field_name)
    # What the typed columns hold (MONEY: 22 integer digits; a percentage of 10,000 is no percentage).
    digits = 4 if field_name.endswith("@percentage") else MONEY.precision - MONEY.scale
    if number and number.adjusted() >= digits:
        raise ParseError(
            f"{value!r} is too large (more than {digits} integer digits)", file=origin, row=line, field=field_name
        )
    return number


def boolean(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in {"1", "true"}


def parse_activity(element: etree._Element, origin: str, version: str) -> Rows:
    """All rows of one ``<iati-activity>`` element."""
    rows = Rows()
    identifier = text(element.find("iati-identifier"))
    if identifier is None:
        raise ParseError(
            "activity without iati-identifier", file=origin, row=element.sourceline, field="iati-identifier"
        )
    default_lang = (element.get(XML_LANG) or "").lower() or None
    reporting_ref = attr(element.find("reporting-org"), "ref")
    _narrative_rows(rows, element, identifier, default_lang)
    _participating_org_rows(rows, element, identifier)
    _recipient_rows(rows, element, identifier, None, origin)
    _sector_rows(rows, element, identifier, None, origin)
    _marker_and_tag_rows(rows, element, identifier)
    for index, node in enumerate(element.findall("transaction"), start=1):
        _transaction(rows, node, index, identifier, reporting_ref, attr(element, "default-currency"), origin)
    _activity_row(rows, element, identifier, version, default_lang)
    return rows


def _narrative_rows(rows: Rows, element: etree._Element, identifier: str, default_lang: str | None) -> None:
    """Every narrative of the title and the descriptions, with its language."""
    title = element.find("title")
    for kind, items in (
        ("title", [title] if title is not None else []),
        ("description", element.findall("description")),
    ):
        for item in items:
            for position, node in enumerate(item.findall("narrative"), start=1):
                rows.add(
                    "narratives",
                    item.sourceline,
                    iati_identifier=identifier,
                    element=kind,
                    description_type=attr(item, "type") if kind == "description" else None,
                    position=position,
                    lang=(node.get(XML_LANG) or default_lang or "").lower() or None,
                    narrative=text(node),
                )


def _participating_org_rows(rows: Rows, element: etree._Element, identifier: str) -> None:
    for position, org in enumerate(element.findall("participating-org"), start=1):
        rows.add(
            "participating_orgs",
            org.sourceline,
            iati_identifier=identifier,
            position=position,
            role_code=attr(org, "role"),
            org_ref=attr(org, "ref"),
            org_type=attr(org, "type"),
            org_activity_id=attr(org, "activity-id"),
            crs_channel_code=attr(org, "crs-channel-code"),
            org_name=narrative(org),
        )


def _percentage(node: etree._Element, tag: str, transaction_index: int | None, origin: str) -> Decimal | None:
    """An activity-level split's percentage; transaction-level recipients and sectors carry none."""
    if transaction_index is not None:
        return None
    return decimal(attr(node, "percentage"), origin=origin, line=node.sourceline, field_name=f"{tag}/@percentage")


def _recipient_rows(
    rows: Rows, parent: etree._Element, identifier: str, transaction_index: int | None, origin: str
) -> None:
    """Recipient countries, then regions, of an activity or one transaction, percentages as published."""
    position = 0
    for kind, tag in (("country", "recipient-country"), ("region", "recipient-region")):
        for node in parent.findall(tag):
            position += 1
            rows.add(
                "recipients",
                node.sourceline,
                iati_identifier=identifier,
                transaction_index=transaction_index,
                position=position,
                recipient_kind=kind,
                code=attr(node, "code"),
                vocabulary=(attr(node, "vocabulary") or "1") if kind == "region" else None,
                percentage=_percentage(node, tag, transaction_index, origin),
                name=narrative(node),
            )


def _sector_rows(
    rows: Rows, parent: etree._Element, identifier: str, transaction_index: int | None, origin: str
) -> None:
    """Sectors of an activity or one transaction, every vocabulary, percentages as published."""
    for position, node in enumerate(parent.findall("sector"), start=1):
        rows.add(
            "sectors",
            node.sourceline,
            iati_identifier=identifier,
            transaction_index=transaction_index,
            position=position,
            vocabulary=attr(node, "vocabulary") or "1",
            code=attr(node, "code"),
            percentage=_percentage(node, "sector", transaction_index, origin),
            name=narrative(node),
        )


def _marker_and_tag_rows(rows: Rows, element: etree._Element, identifier: str) -> None:
    for position, node in enumerate(element.findall("policy-marker"), start=1):
        rows.add(
            "policy_markers",
            node.sourceline,
            iati_identifier=identifier,
            position=position,
            vocabulary=attr(node, "vocabulary") or "1",
            code=attr(node, "code"),
            significance=attr(node, "significance"),
            name=narrative(node),
        )
    for position, node in enumerate(element.findall("tag"), start=1):
        rows.add(
            "tags",
            node.sourceline,
            iati_identifier=identifier,
            position=position,
            vocabulary=attr(node, "vocabulary"),
            code=attr(node, "code"),
            name=narrative(node),
        )


def _activity_row(rows: Rows, element: etree._Element, identifier: str, version: str, default_lang: str | None) -> None:
    """The activity itself. Its percentage sums are no part of it: int_iati__activity_percentages adds up the
    recipient and sector rows."""
    reporting, title = element.find("reporting-org"), element.find("title")
    dates = {attr(d, "type"): iso_date(attr(d, "iso-date")) for d in element.findall("activity-date")}

    def description(lang: str) -> str | None:
        found = [narrative(d, lang, default_lang) for d in element.findall("description")]
        return "\n\n".join(d for d in found if d) or None

    rows.add(
        "activities",
        element.sourceline,
        iati_identifier=identifier,
        iati_version=version,
        reporting_org_ref=attr(reporting, "ref"),
        reporting_org_type=attr(reporting, "type"),
        reporting_org_name=narrative(reporting),
        default_currency=attr(element, "default-currency"),
        default_lang=default_lang,
        hierarchy=attr(element, "hierarchy"),
        humanitarian=boolean(attr(element, "humanitarian")),
        last_updated_datetime=attr(element, "last-updated-datetime"),
        activity_status_code=attr(element.find("activity-status"), "code"),
        title=narrative(title),
        title_en=narrative(title, "en", default_lang),
        title_nl=narrative(title, "nl", default_lang),
        description_en=description("en"),
        description_nl=description("nl"),
        planned_start_date=dates.get("1"),
        actual_start_date=dates.get("2"),
        planned_end_date=dates.get("3"),
        actual_end_date=dates.get("4"),
        collaboration_type_code=attr(element.find("collaboration-type"), "code"),
        default_flow_type_code=attr(element.find("default-flow-type"), "code"),
        default_finance_type_code=attr(element.find("default-finance-type"), "code"),
        default_aid_type_code=attr(element.find("default-aid-type"), "code"),
        default_tied_status_code=attr(element.find("default-tied-status"), "code"),
    )


def _transaction(
    rows: Rows,
    node: etree._Element,
    index: int,
    identifier: str,
    reporting_ref: str | None,
    default_currency: str | None,
    origin: str,
) -> None:
    line = node.sourceline
    value_node = node.find("value")
    value_text = text(value_node)
    date_text = attr(node.find("transaction-date"), "iso-date")
    value_date_text = attr(value_node, "value-date")
    provider, receiver = node.find("provider-org"), node.find("receiver-org")
    currency = attr(value_node, "currency")
    rows.add(
        "transactions",
        line,
        iati_identifier=identifier,
        reporting_org_ref=reporting_ref,
        transaction_index=index,
        transaction_ref=attr(node, "ref"),
        transaction_type_code=attr(node.find("transaction-type"), "code"),
        transaction_date_text=date_text,
        transaction_date=iso_date(date_text),
        value=decimal(
            value_text,
            origin=origin,
            line=value_node.sourceline if value_node is not None else line,
            field_name="transaction/value",
        ),
        value_text=value_text,
        currency=(currency or default_currency or "").upper() or None,
        currency_is_default=currency is None,
        value_date_text=value_date_text,
        value_date=iso_date(value_date_text),
        humanitarian=boolean(attr(node, "humanitarian")),
        description=narrative(node.find("description")),
        provider_org_ref=attr(provider, "ref"),
        provider_org_type=attr(provider, "type"),
        provider_org_name=narrative(provider),
        provider_activity_id=attr(provider, "provider-activity-id"),
        receiver_org_ref=attr(receiver, "ref"),
        receiver_org_type=attr(receiver, "type"),
        receiver_org_name=narrative(receiver),
        receiver_activity_id=attr(receiver, "receiver-activity-id"),
        flow_type_code=attr(node.find("flow-type"), "code"),
        finance_type_code=attr(node.find("finance-type"), "code"),
        aid_type_code=attr(node.find("aid-type"), "code"),
        tied_status_code=attr(node.find("tied-status"), "code"),
        disbursement_channel_code=attr(node.find("disbursement-channel"), "code"),
    )
    _recipient_rows(rows, node, identifier, index, origin)
    _sector_rows(rows, node, identifier, index, origin)


def iter_activities(path: Path, origin: str) -> Iterator[Rows]:
    """Stream a file activity by activity; malformed XML raises with the file and line. ``huge_tree`` lets
    a long narrative through, so the file's size is bounded instead (``MAW_MAX_XML_BYTES``); entities are
    not expanded."""
    rawio.check_size(path, origin, rawio.max_xml_bytes(), "XML")
    try:
        for _event, element in etree.iterparse(
            str(path),
            events=("end",),
            tag="iati-activity",
            huge_tree=True,
            remove_blank_text=True,
            resolve_entities=False,
            no_network=True,
        ):
            root = element.getparent()
            version = (root.get("version") if root is not None else None) or ""
            if version not in SUPPORTED_VERSIONS:
                raise ParseError(
                    f"IATI version {version or '(none)'} is not supported "
                    f"(expected one of {', '.join(SUPPORTED_VERSIONS)})",
                    file=origin,
                    row=(root.sourceline if root is not None else None),
                    field="iati-activities/@version",
                )
            yield parse_activity(element, origin, version)
            # Free what has been read: memory stays bounded by one activity.
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del root[0]
    except OSError as exc:  # lxml reports an undecodable byte as an OSError naming the landed copy
        raise ParseError(f"unreadable XML: {str(exc).split(': ')[-1]}", file=origin) from None
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        raise ParseError(
            f"malformed XML at line {line}, column {column}: {exc.msg}", file=origin, row=line, field=None
        ) from None  # lxml's error names the landed copy; this one names the source file


def parse_file(path: Path, origin: str) -> Rows:
    rows = Rows()
    found = False
    for activity in iter_activities(path, origin):
        rows.extend(activity)
        found = True
    if not found:
        _require_activities_root(path, origin)
    return rows


def _require_activities_root(path: Path, origin: str) -> None:
    """An empty ``<iati-activities/>`` is valid; any other root is not an activity file."""
    try:
        for _event, element in etree.iterparse(str(path), events=("start",)):
            if element.tag != "iati-activities":
                raise ParseError(
                    f"root element is <{element.tag}>, not <iati-activities>", file=origin, row=element.sourceline
                )
            return
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed XML at line {exc.lineno}: {exc.msg}", file=origin, row=exc.lineno) from None


def frames(rows: Rows) -> dict[str, pl.DataFrame]:
    """One typed frame per table (``_source_row`` included; the other provenance columns are added later)."""
    return {
        name: pl.DataFrame(
            rows.tables[name], schema={**{c.name: c.dtype for c in columns}, "_source_row": pl.Int64}, orient="row"
        )
        for name, columns in TABLES.items()
    }
