"""IATI codelists: the official lists that name the codes of activities, and the small reviewed subset
the expectation suites check codes against."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache

import polars as pl
from lxml import etree

from ingest.common.columns import Column, TableSchema
from ingest.common.source import (
    REVIEWED_CSV_DIR,
    Dataset,
    LandedFile,
    ParseError,
    RawFile,
    SourceContext,
    read_mirror_file,
)
from ingest.iati.shared import SOURCE, with_file_provenance

CODELIST_FILE = REVIEWED_CSV_DIR / "iati_codelists.csv"  # the demo mirror's codelists and the suites' code sets
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


CODELIST_TABLE = TableSchema(
    columns=(
        Column("codelist", pl.Utf8, nullable=False),
        Column("code", pl.Utf8, nullable=False),
        Column("name", pl.Utf8),
        Column("category", pl.Utf8),
        Column("status", pl.Utf8),
    ),
    key=("codelist", "code"),
)


def _fetch_codelists(context: SourceContext) -> list[RawFile]:
    """Official codelists from the mirror (the demo mirror's are a small subset) or the IATI website."""
    if context.mode == "live":
        client = context.client(context.settings.iati_http)
        url = context.settings.iati.codelist_url
        return [client.get(url.format(name=name)).named(f"{name}.xml", "xml") for name in CODELISTS]
    return [read_mirror_file(context, f"iati/codelists/{name}.xml", "xml") for name in CODELISTS]


# No entity expansion, no network: a codelist is data, not a document with includes.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _codelist_xml(landed: LandedFile) -> pl.DataFrame:
    try:
        root = etree.parse(str(landed.path), XML_PARSER).getroot()
    except etree.XMLSyntaxError as exc:
        raise ParseError(
            f"malformed codelist XML at line {exc.lineno}: {exc.msg}", file=landed.origin, row=exc.lineno
        ) from None
    except OSError as exc:  # lxml reports an undecodable byte as an OSError naming the landed copy
        raise ParseError(f"unreadable codelist XML: {str(exc).split(': ')[-1]}", file=landed.origin) from None
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
    frame = pl.DataFrame(rows, schema={**CODELIST_TABLE.cast_schema(), "_source_row": pl.Int64}, orient="row")
    return with_file_provenance(frame, landed).select(CODELIST_TABLE.names)


def _parse_codelists(files: Sequence[LandedFile]) -> pl.DataFrame:
    return pl.concat([_codelist_xml(landed) for landed in files], how="vertical")


@cache
def reference_codes(codelist: str) -> frozenset[str]:
    """Codes of one codelist from the small reference file (used by the expectation suites)."""
    with CODELIST_FILE.open(encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle) if row["codelist"] == codelist)


DATASET = Dataset(
    source=SOURCE,
    name="codelists",
    fetch=_fetch_codelists,
    parse=_parse_codelists,
    schema=CODELIST_TABLE,
    description="IATI codelists (code, English name, category) used to name codes.",
    track_changes=False,
)
