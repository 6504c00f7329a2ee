"""IATI Datastore API v3 (transaction collection): paged fetch and the mapping of its documents to rows.

One Datastore document is one transaction plus every field of its parent activity (``API.md`` A.5).
The documents are mapped to the same rows as the XML parser produces, so everything downstream is shared.
Repeated activity elements arrive as parallel arrays; they are paired by position only when the arrays
have equal length (otherwise the pairing is unknowable: percentages are left empty, with a warning in the
log, and org refs are left empty rather than guessed). Nothing is added up here: the percentage sums and
their issues are derived in dbt (``int_iati__activity_percentages``), the same way as for the XML.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ingest.common.http import HttpClient
from ingest.common.source import FetchError, LandedFile, ParseError, RawFile
from ingest.iati.xml import Rows, boolean, iso_date

log = logging.getLogger("maw.iati")

KEY_HEADER = "Ocp-Apim-Subscription-Key"
FIELDS = (
    "id",
    "iati_identifier",
    "reporting_org_ref",
    "reporting_org_type",
    "reporting_org_narrative",
    "default_currency",
    "humanitarian",
    "hierarchy",
    "last_updated_datetime",
    "activity_status_code",
    "title_narrative",
    "title_narrative_xml_lang",
    "description_narrative",
    "description_narrative_xml_lang",
    "participating_org_ref",
    "participating_org_role",
    "participating_org_type",
    "participating_org_narrative",
    "recipient_country_code",
    "recipient_country_percentage",
    "recipient_region_code",
    "recipient_region_vocabulary",
    "recipient_region_percentage",
    "sector_code",
    "sector_vocabulary",
    "sector_percentage",
    "transaction_ref",
    "transaction_humanitarian",
    "transaction_transaction_type_code",
    "transaction_transaction_date_iso_date",
    "transaction_value",
    "transaction_value_currency",
    "transaction_value_value_date",
    "transaction_description_narrative",
    "transaction_provider_org_ref",
    "transaction_provider_org_type",
    "transaction_provider_org_narrative",
    "transaction_provider_org_provider_activity_id",
    "transaction_receiver_org_ref",
    "transaction_receiver_org_type",
    "transaction_receiver_org_narrative",
    "transaction_receiver_org_receiver_activity_id",
    "transaction_recipient_country_code",
    "transaction_recipient_region_code",
    "transaction_recipient_region_vocabulary",
    "transaction_sector_code",
    "transaction_sector_vocabulary",
    "transaction_flow_type_code",
    "transaction_finance_type_code",
    "transaction_aid_type_code",
    "transaction_tied_status_code",
    "transaction_disbursement_channel_code",
)


def fetch_pages(
    client: HttpClient, base_url: str, query: str, *, page_size: int = 1000, pause: float = 1.0
) -> list[RawFile]:
    """Every page of ``transaction/select`` for ``query``, sorted by ``id`` so pages never shift.

    ``pause`` seconds between requests keeps within the free tier's rate limit; a 429 is retried by the
    client with its longer cool-down (``Retry-After`` honoured).
    """
    url = base_url.rstrip("/") + "/transaction/select"
    pages: list[RawFile] = []
    start, found = 0, None
    while found is None or start < found:
        if pages and pause:
            time.sleep(pause)
        params = {
            "q": query,
            "fl": ",".join(FIELDS),
            "sort": "id asc",
            "rows": str(page_size),
            "start": str(start),
            "wt": "json",
        }
        raw = client.get(url, params, expect_json=True)
        body = json.loads(raw.content)
        response = body.get("response") if isinstance(body, dict) else None
        if not isinstance(response, dict) or not isinstance(response.get("docs"), list):
            raise FetchError("no response.docs in the answer; is this the IATI Datastore?", file=raw.origin)
        found = int(response.get("numFound") or 0)
        pages.append(raw.named(f"datastore-transaction-page-{len(pages) + 1:04d}", "json"))
        if not response["docs"]:  # before numFound: a partial answer, not the end of the data
            raise FetchError(
                f"page {len(pages)} (start={start}) is empty but numFound is {found}: only {start} of {found} rows",
                file=raw.origin,
            )
        start += len(response["docs"])
    log.info("IATI Datastore: %s transactions in %d page(s)", found, len(pages))
    return pages


def _list(value: Any) -> list:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def _first(value: Any) -> str | None:
    items = _list(value)
    return _str(items[0]) if items else None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _paired(*arrays: list) -> bool:
    return len({len(a) for a in arrays if a}) <= 1


def _decimal(value: Any, origin: str, row: int, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise ParseError(f"{value!r} is not a number", file=origin, row=row, field=field) from exc
    if not number.is_finite():
        raise ParseError(f"{value!r} is not a finite number", file=origin, row=row, field=field)
    return number


def _narrative(doc: dict, name: str, lang: str | None) -> str | None:
    texts, langs = _list(doc.get(f"{name}_narrative")), _list(doc.get(f"{name}_narrative_xml_lang"))
    if lang is None:
        return _str(texts[0]) if texts else None
    if len(langs) == len(texts):
        for text, text_lang in zip(texts, langs, strict=True):
            if str(text_lang).lower() == lang:
                return _str(text)
    return None


def parse_pages(files: Sequence[LandedFile]) -> dict[LandedFile, Rows]:
    """Rows per page; an activity's rows come from the first document that names it."""
    seen: set[str] = set()
    counters: dict[str, int] = {}
    result: dict[LandedFile, Rows] = {}
    for landed in files:
        try:
            docs = json.loads(landed.path.read_bytes(), parse_float=Decimal)["response"]["docs"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ParseError(f"not an IATI Datastore page: {exc}", file=landed.origin) from exc
        rows = Rows()
        for number, doc in enumerate(docs, start=1):
            identifier = _str(doc.get("iati_identifier"))
            if identifier is None:
                raise ParseError(
                    "document without iati_identifier", file=landed.origin, row=number, field="iati_identifier"
                )
            if identifier not in seen:
                seen.add(identifier)
                _activity(rows, doc, identifier, landed.origin, number)
            counters[identifier] = counters.get(identifier, 0) + 1
            _transaction(rows, doc, identifier, counters[identifier], landed.origin, number)
        result[landed] = rows
    return result


def _activity(rows: Rows, doc: dict, identifier: str, origin: str, number: int) -> None:
    """The activity-level rows of the first document of an activity (every document repeats them)."""
    _narrative_rows(rows, doc, identifier, number)
    _participating_org_rows(rows, doc, identifier, number)
    _recipient_rows(rows, doc, identifier, origin, number)
    _sector_rows(rows, doc, identifier, origin, number)
    _activity_row(rows, doc, identifier, number)


def _narrative_rows(rows: Rows, doc: dict, identifier: str, number: int) -> None:
    for kind in ("title", "description"):
        texts, langs = _list(doc.get(f"{kind}_narrative")), _list(doc.get(f"{kind}_narrative_xml_lang"))
        for position, text in enumerate(texts, start=1):
            rows.add(
                "narratives",
                number,
                iati_identifier=identifier,
                element=kind,
                description_type=None,
                position=position,
                lang=_str(langs[position - 1]).lower() if len(langs) == len(texts) and langs[position - 1] else None,
                narrative=_str(text),
            )


def _participating_org_rows(rows: Rows, doc: dict, identifier: str, number: int) -> None:
    refs, roles = _list(doc.get("participating_org_ref")), _list(doc.get("participating_org_role"))
    types, names = _list(doc.get("participating_org_type")), _list(doc.get("participating_org_narrative"))
    for position, role in enumerate(roles, start=1):
        rows.add(
            "participating_orgs",
            number,
            iati_identifier=identifier,
            position=position,
            role_code=_str(role),
            org_ref=_str(refs[position - 1]) if len(refs) == len(roles) else None,
            org_type=_str(types[position - 1]) if len(types) == len(roles) else None,
            org_activity_id=None,
            crs_channel_code=None,
            org_name=_str(names[position - 1]) if len(names) == len(roles) else None,
        )


def _unpaired(what: str, identifier: str, origin: str, number: int) -> None:
    log.warning(
        "%s, document %d, %s: %s percentages cannot be paired with codes in the Datastore arrays; left empty",
        origin,
        number,
        identifier,
        what,
    )


def _recipient_rows(rows: Rows, doc: dict, identifier: str, origin: str, number: int) -> None:
    """Recipient countries, then regions, from the parallel Datastore arrays."""
    position = 0
    countries, country_pcts = _list(doc.get("recipient_country_code")), _list(doc.get("recipient_country_percentage"))
    regions = _list(doc.get("recipient_region_code"))
    region_vocabs, region_pcts = (
        _list(doc.get("recipient_region_vocabulary")),
        _list(doc.get("recipient_region_percentage")),
    )
    for kind, codes, pcts, vocabs in (
        ("country", countries, country_pcts, []),
        ("region", regions, region_pcts, region_vocabs),
    ):
        usable = len(pcts) == len(codes)
        if pcts and not usable:
            _unpaired(f"recipient {kind}", identifier, origin, number)
        for index, code in enumerate(codes):
            position += 1
            percentage = _decimal(pcts[index], origin, number, f"recipient_{kind}_percentage") if usable else None
            rows.add(
                "recipients",
                number,
                iati_identifier=identifier,
                transaction_index=None,
                position=position,
                recipient_kind=kind,
                code=_str(code),
                vocabulary=(_str(vocabs[index]) if len(vocabs) == len(codes) else None) or "1"
                if kind == "region"
                else None,
                percentage=percentage,
                name=None,
            )


def _sector_rows(rows: Rows, doc: dict, identifier: str, origin: str, number: int) -> None:
    """Sectors from the parallel Datastore arrays."""
    codes, vocabs, pcts = (
        _list(doc.get("sector_code")),
        _list(doc.get("sector_vocabulary")),
        _list(doc.get("sector_percentage")),
    )
    usable = _paired(codes, pcts) and len(pcts) in (0, len(codes))
    if pcts and not usable:
        _unpaired("sector", identifier, origin, number)
    for index, code in enumerate(codes):
        vocabulary = (_str(vocabs[index]) if len(vocabs) == len(codes) else None) or "1"
        percentage = _decimal(pcts[index], origin, number, "sector_percentage") if usable and pcts else None
        rows.add(
            "sectors",
            number,
            iati_identifier=identifier,
            transaction_index=None,
            position=index + 1,
            vocabulary=vocabulary,
            code=_str(code),
            percentage=percentage,
            name=None,
        )


def _activity_row(rows: Rows, doc: dict, identifier: str, number: int) -> None:
    rows.add(
        "activities",
        number,
        iati_identifier=identifier,
        iati_version=None,
        reporting_org_ref=_first(doc.get("reporting_org_ref")),
        reporting_org_type=_first(doc.get("reporting_org_type")),
        reporting_org_name=_first(doc.get("reporting_org_narrative")),
        default_currency=_first(doc.get("default_currency")),
        default_lang=None,
        hierarchy=_first(doc.get("hierarchy")),
        humanitarian=boolean(_first(doc.get("humanitarian"))),
        last_updated_datetime=_first(doc.get("last_updated_datetime")),
        activity_status_code=_first(doc.get("activity_status_code")),
        title=_narrative(doc, "title", None),
        title_en=_narrative(doc, "title", "en"),
        title_nl=_narrative(doc, "title", "nl"),
        description_en=_narrative(doc, "description", "en"),
        description_nl=_narrative(doc, "description", "nl"),
        planned_start_date=None,
        actual_start_date=None,
        planned_end_date=None,
        actual_end_date=None,
        collaboration_type_code=None,
        default_flow_type_code=None,
        default_finance_type_code=None,
        default_aid_type_code=None,
        default_tied_status_code=None,
    )


def _transaction(rows: Rows, doc: dict, identifier: str, index: int, origin: str, number: int) -> None:
    date_text = _first(doc.get("transaction_transaction_date_iso_date"))
    value_date_text = _first(doc.get("transaction_value_value_date"))
    value = _first(doc.get("transaction_value"))
    currency = _first(doc.get("transaction_value_currency"))
    default_currency = _first(doc.get("default_currency"))
    rows.add(
        "transactions",
        number,
        iati_identifier=identifier,
        reporting_org_ref=_first(doc.get("reporting_org_ref")),
        transaction_index=index,
        transaction_ref=_first(doc.get("transaction_ref")),
        transaction_type_code=_first(doc.get("transaction_transaction_type_code")),
        transaction_date_text=date_text,
        transaction_date=iso_date(date_text),
        value=_decimal(value, origin, number, "transaction_value"),
        value_text=value,
        currency=(currency or default_currency or "").upper() or None,
        currency_is_default=currency is None,
        value_date_text=value_date_text,
        value_date=iso_date(value_date_text),
        humanitarian=boolean(_first(doc.get("transaction_humanitarian"))),
        description=_first(doc.get("transaction_description_narrative")),
        provider_org_ref=_first(doc.get("transaction_provider_org_ref")),
        provider_org_type=_first(doc.get("transaction_provider_org_type")),
        provider_org_name=_first(doc.get("transaction_provider_org_narrative")),
        provider_activity_id=_first(doc.get("transaction_provider_org_provider_activity_id")),
        receiver_org_ref=_first(doc.get("transaction_receiver_org_ref")),
        receiver_org_type=_first(doc.get("transaction_receiver_org_type")),
        receiver_org_name=_first(doc.get("transaction_receiver_org_narrative")),
        receiver_activity_id=_first(doc.get("transaction_receiver_org_receiver_activity_id")),
        flow_type_code=_first(doc.get("transaction_flow_type_code")),
        finance_type_code=_first(doc.get("transaction_finance_type_code")),
        aid_type_code=_first(doc.get("transaction_aid_type_code")),
        tied_status_code=_first(doc.get("transaction_tied_status_code")),
        disbursement_channel_code=_first(doc.get("transaction_disbursement_channel_code")),
    )
    position = 0
    regions = _list(doc.get("transaction_recipient_region_code"))
    region_vocabs = _list(doc.get("transaction_recipient_region_vocabulary"))
    for kind, codes in (("country", _list(doc.get("transaction_recipient_country_code"))), ("region", regions)):
        for index_in, code in enumerate(codes):
            position += 1
            vocabulary = None
            if kind == "region":
                vocabulary = (_str(region_vocabs[index_in]) if len(region_vocabs) == len(codes) else None) or "1"
            rows.add(
                "recipients",
                number,
                iati_identifier=identifier,
                transaction_index=index,
                position=position,
                recipient_kind=kind,
                code=_str(code),
                vocabulary=vocabulary,
                percentage=None,
                name=None,
            )
    codes, vocabs = _list(doc.get("transaction_sector_code")), _list(doc.get("transaction_sector_vocabulary"))
    for index_in, code in enumerate(codes):
        rows.add(
            "sectors",
            number,
            iati_identifier=identifier,
            transaction_index=index,
            position=index_in + 1,
            vocabulary=(_str(vocabs[index_in]) if len(vocabs) == len(codes) else None) or "1",
            code=_str(code),
            percentage=None,
            name=None,
        )
