"""The Dutch policy documents: the budget tables of the warehouse, every figure checked against its words.

The documents ship in the repo (``documents/texts/``), so every mode (demo, mirror, live) reads the same
files: the texts, their reviewed annotation files (``documents/annotations/<stem>.yml``) and the catalog
(``documents/catalog.yml``). All of them are landed as raw files with their sha256 like any download.

Datasets (source ``documents``):

* ``texts``: one row per document, catalog metadata plus the full text and its hash.
* ``figures``: one row per annotated figure, with the result of its verification (``verification`` is
  ``ok`` or says what is wrong, naming document and figure) and the quote's line as ``_source_row``.
* ``numbers``: every number the scanner finds, and what accounts for it (figure, ignore entry, rule).
* ``table_rows``: structured tables parsed by code, cross-checked cell by cell against the annotations
  and, where the table states a total, against the sum of its parts.

The suites in ``expectations/documents.py`` refuse a load with any failed verification, unaccounted
number or disagreeing table cell. The same checks run from a shell before anything is loaded::

    python -m ingest.documents check [stem ...] [--report]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from ingest.common.columns import Column, TableSchema
from ingest.common.countries import known_iso3
from ingest.common.dutch_numbers import parse_dutch, read_header
from ingest.common.source import Dataset, FetchError, LandedFile, ParseError, RawFile, SourceContext, sha256_bytes
from ingest.documents.annotations import (
    REGION_COLUMNS,
    ROLES,
    UNIT_KINDS,
    AnnotationError,
    Document,
    DocumentCheck,
    check_document,
    load_annotation,
    read_regions,
    read_yaml,
)
from ingest.documents.annotations import (
    TABLES as FIGURE_TABLES,
)

SOURCE = "documents"
REPO = Path(__file__).resolve().parents[2]
DOCUMENTS_DIR = REPO / "documents"
CATALOG = "catalog.yml"
REGIONS = "regions.csv"
VALUE_TYPE = pl.Decimal(38, 4)


# --- reading the repo's documents ---------------------------------------------------------------------


def _raw(path: Path, root: Path) -> RawFile:
    relative = path.relative_to(root).as_posix()
    return RawFile(
        content=path.read_bytes(),
        origin=f"documents/{relative}",
        extension=path.name.split(".", 1)[1],
        name=relative,
    )


def collect(root: Path = DOCUMENTS_DIR) -> list[RawFile]:
    """The catalog, every text and every annotation file, as raw files (same bytes in every mode)."""
    catalog = root / CATALOG
    if not catalog.is_file():
        raise FetchError("document catalog is missing", file=str(catalog))
    files = [_raw(catalog, root)]
    if (root / REGIONS).is_file():
        files.append(_raw(root / REGIONS, root))
    files += [_raw(p, root) for p in sorted((root / "texts").glob("*.txt"))]
    files += [_raw(p, root) for p in sorted((root / "annotations").glob("*.yml"))]
    return files


def _fetch(_context: SourceContext) -> list[RawFile]:
    return collect()


@dataclass
class Entry:
    """One document with its catalog metadata, its landed text and annotation, and the check result."""

    meta: dict[str, Any]
    document: Document
    text_file: LandedFile | RawFile
    annotation_file: LandedFile | RawFile | None
    check: DocumentCheck | None

    @property
    def text_sha256(self) -> str:
        return _sha(self.text_file)

    @property
    def annotation_sha256(self) -> str | None:
        return None if self.annotation_file is None else _sha(self.annotation_file)


def _sha(file: LandedFile | RawFile) -> str:
    return file.sha256 if isinstance(file, LandedFile) else sha256_bytes(file.content)


def _content(file: LandedFile | RawFile) -> bytes:
    return file.path.read_bytes() if isinstance(file, LandedFile) else file.content


def _text(file: LandedFile | RawFile) -> str:
    try:
        return _content(file).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text: {exc}", file=file.origin) from exc


def corpus(files: Sequence[LandedFile | RawFile], stems: Sequence[str] = ()) -> list[Entry]:
    """Match catalog, texts and annotations; every document must have all three."""
    by_name = {f.name: f for f in files}
    catalog_file = by_name.get(CATALOG)
    if catalog_file is None:
        raise ParseError("the document catalog (catalog.yml) is not among the files")
    try:
        catalog = read_yaml(_text(catalog_file))["documents"]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise ParseError(f"catalog is not a mapping with a 'documents' list: {exc}", file=catalog_file.origin) from exc
    listed = {entry["file"] for entry in catalog}
    texts = {name.removeprefix("texts/") for name in by_name if name and name.startswith("texts/")}
    for name in sorted(texts - listed):
        raise ParseError(f"text {name} has no entry in the catalog; add its metadata", file=catalog_file.origin)
    annotated = {name.removeprefix("annotations/") for name in by_name if name and name.startswith("annotations/")}
    for name in sorted(annotated - {n.rsplit(".", 1)[0] + ".yml" for n in listed}):
        raise ParseError(
            f"annotation file {name} belongs to no document in the catalog",
            file=by_name[f"annotations/{name}"].origin,
        )
    regions_file = by_name.get(REGIONS)
    if regions_file is None:
        raise ParseError("the region table (regions.csv) is not among the files", file=catalog_file.origin)
    try:
        regions = read_regions(_text(regions_file))
    except AnnotationError as exc:
        raise ParseError(str(exc), file=regions_file.origin) from exc
    entries = []
    for row, meta in enumerate(catalog, start=1):
        name = meta["file"]
        stem = name.rsplit(".", 1)[0]
        if stems and stem not in stems and name not in stems:
            continue
        text_file = by_name.get(f"texts/{name}")
        if text_file is None:
            raise ParseError(
                f"catalog lists {name} but documents/texts/{name} is missing",
                file=catalog_file.origin,
                row=row,
            )
        document = Document(name=name, text=_text(text_file))
        annotation_file = by_name.get(f"annotations/{stem}.yml")
        check = None
        if annotation_file is not None:
            try:
                check = _checked(document, _text(annotation_file), annotation_file.origin, tuple(regions.items()))
            except AnnotationError as exc:
                raise ParseError(str(exc), file=annotation_file.origin) from exc
        entries.append(Entry(meta, document, text_file, annotation_file, check))
    return entries


@functools.lru_cache(maxsize=16)
def _checked(
    document: Document, annotation_text: str, annotation_origin: str, regions: tuple[tuple[str, str], ...]
) -> DocumentCheck:
    """One document checked against its annotation file. Each documents dataset reads the same corpus, so a
    refresh asks for the same check seven times: it is done once per text, annotation and region table (a
    check is a pure function of them, and nothing changes one once it is made)."""
    return check_document(document, load_annotation(annotation_text, annotation_origin), dict(regions))


def _require_annotations(entries: list[Entry]) -> None:
    for entry in entries:
        if entry.check is None:
            expected = f"documents/annotations/{entry.document.stem}.yml"
            origin = entry.text_file.origin
            raise ParseError(f"{entry.document.name} has no annotation file {expected}", file=origin)


# --- structured tables parsed by code ------------------------------------------------------------------


@dataclass
class Cell:
    row_label: str
    column_label: str
    year: int
    cell_text: str
    start: int  # character offset of the cell's text in the document
    value: Decimal
    is_total: bool = False


_NUMERIC_LINE = re.compile(r"^\s*(\d+(?:[.,]\d+)*)\s*$")
_YEAR_LINE = re.compile(r"^\s*((?:19|20)\d{2})\s*$")


def _lines_after(document: Document, header: str) -> list[tuple[int, str]]:
    """(offset, line) for every line after the one holding the unique ``header``."""
    where = document.occurrences(header)
    if len(where) != 1:
        raise ParseError(f"table header {header!r} occurs {len(where)} times (expected once)", file=document.name)
    start = document.text.index("\n", where[0]) + 1
    lines, offset = [], start
    for line in document.text[start:].split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _cell_offset(offset: int, line: str) -> int:
    return offset + len(line) - len(line.lstrip())


def parse_year_columns(document: Document, spec: dict[str, Any]) -> list[Cell]:
    """A header, one year per line, then row labels and one value per year (one cell per line)."""
    years: list[int] = []
    cells: list[Cell] = []
    labels: list[str] = []
    values: list[tuple[int, str]] = []
    for offset, line in _lines_after(document, spec["header"]):
        stripped = line.strip()
        if not stripped:
            continue
        if not values and not labels and _YEAR_LINE.match(line):
            years.append(int(stripped))
        elif _NUMERIC_LINE.match(line) and labels:
            values.append((_cell_offset(offset, line), stripped))
            if len(values) == len(years):
                label = " ".join(labels)
                for year, (start, text) in zip(years, values, strict=True):
                    cells.append(Cell(label, str(year), year, text, start, parse_dutch(text)))
                labels, values = [], []
        elif len(stripped) <= 40 and not values:
            labels.append(stripped)
        else:
            break
    if not years or not cells or labels or values:
        raise ParseError(
            f"table under {spec['header']!r}: expected year lines, then a label and one value per year",
            file=document.name,
        )
    return cells


def parse_label_value_rows(document: Document, spec: dict[str, Any]) -> list[Cell]:
    """A header, then label line / value line pairs, ending with the total row."""
    cells: list[Cell] = []
    label: str | None = None
    year, total, nothing = int(spec["year"]), spec["total_label"], spec.get("nothing_marker")
    for offset, line in _lines_after(document, spec["header"]):
        stripped = line.strip()
        if not stripped:
            continue
        is_value = _NUMERIC_LINE.match(line) or (nothing is not None and stripped == nothing)
        if is_value and label is not None:
            value = Decimal(0) if stripped == nothing else parse_dutch(stripped)
            cells.append(Cell(label, str(year), year, stripped, _cell_offset(offset, line), value, label == total))
            if label == total:
                return cells
            label = None
        elif not is_value and label is None and len(stripped) <= 60:
            label = stripped
        else:
            break
    raise ParseError(f"table under {spec['header']!r}: no {total!r} row with a value found", file=document.name)


LAYOUTS = {"year_columns": parse_year_columns, "label_value_rows": parse_label_value_rows}


def table_rows(entry: Entry) -> list[dict[str, Any]]:
    """Every parsed cell, with its scale applied and the annotation that must agree with it."""
    rows = []
    figures_by_span = {
        f.number_span[0]: f for f in (entry.check.figures if entry.check else []) if f.number_span is not None
    }
    for spec in entry.meta.get("tables") or []:
        layout = LAYOUTS.get(spec.get("layout"))
        if layout is None:
            raise ParseError(f"unknown table layout {spec.get('layout')!r}", file=entry.document.name)
        cells = layout(entry.document, spec)
        scale, unit = read_header(spec["header"])
        article = spec.get("article")
        if article is not None and not entry.document.occurrences(spec["article_quote"]):
            raise ParseError(
                f"article_quote {spec['article_quote']!r} is not in the document", file=entry.document.name
            )
        if article is not None and article not in spec["article_quote"]:
            raise ParseError(f"article {article} is not named in article_quote", file=entry.document.name)
        parts_sum = sum((c.value for c in cells if not c.is_total), Decimal(0)) * scale
        for cell in cells:
            value = cell.value * scale
            figure = figures_by_span.get(cell.start)
            problems = []
            if figure is None:
                problems.append("no annotated figure points at this cell")
            else:
                if figure.figure.get("table") != spec["name"]:
                    problems.append(f"figure {figure.id} is annotated as table {figure.figure.get('table')!r}")
                annotated = figure.figure.get("value")
                if annotated is None or Decimal(str(annotated)) != value:
                    problems.append(f"figure {figure.id} has value {annotated}, the parser reads {value:f}")
                if figure.figure.get("unit") != unit:
                    problems.append(
                        f"figure {figure.id} has unit {figure.figure.get('unit')!r}, the header says {unit!r}"
                    )
                start = figure.figure.get("period_start")
                if start is None or dt.date.fromisoformat(str(start)).year != cell.year:
                    problems.append(f"figure {figure.id} period starts {start}, the table column is {cell.year}")
            if cell.is_total and parts_sum != value:
                problems.append(f"parts add up to {parts_sum:f}, the stated total is {value:f}")
            label = cell.row_label
            prefix = spec.get("label_prefix")
            rows.append(
                {
                    "document": entry.document.name,
                    "table_name": spec["name"],
                    "row_label": label,
                    "column_label": cell.column_label,
                    "year": cell.year,
                    "article": article,
                    "article_name": label.removeprefix(prefix).strip() if prefix else None,
                    "cell_text": cell.cell_text,
                    "line": entry.document.line_of(cell.start),
                    "scale": scale,
                    "value": value,
                    "unit": unit,
                    "is_total": cell.is_total,
                    "sum_of_parts": parts_sum if cell.is_total else None,
                    "annotation_figure_id": figure.id if figure else None,
                    "check": "ok"
                    if not problems
                    else f"{entry.document.name} table {spec['name']} "
                    f"{label!r} {cell.column_label}: " + "; ".join(problems),
                }
            )
    return rows


# --- the datasets ---------------------------------------------------------------------------------------


def _provenance(entry: Entry, row: int | None) -> dict[str, Any]:
    retrieved = getattr(entry.text_file, "retrieved_at", None)
    return {
        "_source_file": entry.text_file.origin,
        "_source_row": row,
        "_snapshot_sha256": entry.text_sha256,
        "_retrieved_at": retrieved,
    }


DOCUMENT_KINDS = frozenset({"spending_proposal", "letter_to_parliament", "annual_report"})
NUMBER_READINGS = frozenset({"dutch", "words", "decimal_point", "ocr_substitution", "nil", "unreadable", "no_number"})
# A check's result column says "ok" or names document, figure or line and the problem: only "ok" loads.
VERIFIED = frozenset({"ok"})

_PROVENANCE_SCHEMA = {
    "_source_file": pl.Utf8,
    "_source_row": pl.Int64,
    "_snapshot_sha256": pl.Utf8,
    "_retrieved_at": pl.Utf8,
}


def _frame(rows: list[dict[str, Any]], schema: TableSchema) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={**schema.dtypes(), **_PROVENANCE_SCHEMA}, orient="row")
    return frame.with_columns(pl.col("_retrieved_at").str.to_datetime(time_zone="UTC"))


TEXT_SCHEMA = TableSchema(
    columns=(
        Column("document", pl.Utf8, nullable=False),
        Column("stem", pl.Utf8),
        Column("title", pl.Utf8, nullable=False),
        Column("title_in_text", pl.Boolean),
        Column("kind", pl.Utf8, nullable=False, values=DOCUMENT_KINDS),
        Column("issuer", pl.Utf8),
        Column("language", pl.Utf8, nullable=False, values=frozenset({"nl", "en"})),
        Column("published_date", pl.Date),
        Column("year", pl.Int32, nullable=False),
        Column("parliamentary_reference", pl.Utf8),
        Column("note", pl.Utf8),
        Column("text_sha256", pl.Utf8, nullable=False),
        Column("bytes", pl.Int64),
        Column("line_count", pl.Int64),
        Column("text", pl.Utf8, nullable=False),
        Column("annotation_file", pl.Utf8, nullable=False),
        Column("annotation_sha256", pl.Utf8, nullable=False),
        Column("reviewed_by", pl.Utf8, nullable=False),
    ),
    key=("document",),
)


def _parse_texts(files: Sequence[LandedFile]) -> pl.DataFrame:
    rows = []
    for entry in corpus(files):
        meta = entry.meta
        published = meta.get("published_date")
        rows.append(
            {
                "document": entry.document.name,
                "stem": entry.document.stem,
                "title": meta.get("title"),
                "title_in_text": meta.get("title_in_text"),
                "kind": meta.get("kind"),
                "issuer": meta.get("issuer"),
                "language": meta.get("language"),
                "published_date": dt.date.fromisoformat(str(published)) if published else None,
                "year": meta.get("year"),
                "parliamentary_reference": meta.get("parliamentary_reference"),
                "note": " ".join(str(meta.get("note") or "").split()) or None,
                "text_sha256": entry.text_sha256,
                "bytes": len(_content(entry.text_file)),
                "line_count": entry.document.text.count("\n") + 1,
                "text": entry.document.text,
                "annotation_file": entry.annotation_file.origin if entry.annotation_file else None,
                "annotation_sha256": entry.annotation_sha256,
                "reviewed_by": entry.check.reviewed_by if entry.check else None,
                **_provenance(entry, 1),
            }
        )
    return _frame(rows, TEXT_SCHEMA)


FIGURE_SCHEMA = TableSchema(
    columns=(
        Column("document", pl.Utf8, nullable=False),
        Column("figure_id", pl.Utf8, nullable=False),
        Column("table_name", pl.Utf8, nullable=False, values=FIGURE_TABLES),
        Column("subject", pl.Utf8, nullable=False),
        Column("programme", pl.Utf8),
        Column("policy_track", pl.Utf8),
        Column("country_name", pl.Utf8),
        Column("iso3", pl.Utf8, values=known_iso3()),
        Column("partners", pl.List(pl.Utf8)),
        Column("attributed_source", pl.Utf8),
        Column("period_start", pl.Date),
        Column("period_end", pl.Date),
        Column("metric", pl.Utf8, nullable=False),
        Column("value", VALUE_TYPE),
        Column("unit", pl.Utf8, values=frozenset(UNIT_KINDS)),
        Column("quote", pl.Utf8, nullable=False),
        Column("number", pl.Utf8),
        Column("scale_quote", pl.Utf8),
        Column("ocr_flag", pl.Utf8),
        Column("note", pl.Utf8),
        Column("qualifier", pl.Utf8),
        Column("value_low", VALUE_TYPE),
        Column("value_high", VALUE_TYPE),
        Column("number_high", pl.Utf8),
        Column("phase_id", pl.Utf8),
        Column("unit_kind", pl.Utf8, values=frozenset(UNIT_KINDS.values())),
        Column("line", pl.Int64, nullable=False),
        Column("number_reading", pl.Utf8, values=NUMBER_READINGS),
        Column("stated_unit", pl.Utf8),
        Column("precision", VALUE_TYPE),
        Column("verification", pl.Utf8, values=VERIFIED),
        Column("annotation_file", pl.Utf8),
        Column("annotation_sha256", pl.Utf8),
    ),
    key=("document", "figure_id"),
)


def _date(value: Any) -> dt.date | None:
    try:
        return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return None  # the verification column already says what is wrong


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value is None or isinstance(value, bool) else Decimal(str(value))
    except ArithmeticError:
        return None


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _parse_figures(files: Sequence[LandedFile]) -> pl.DataFrame:
    entries = corpus(files)
    _require_annotations(entries)
    rows = []
    for entry in entries:
        assert entry.check is not None and entry.annotation_file is not None
        for check in entry.check.figures:
            f = check.figure
            partners = f.get("partners")
            rows.append(
                {
                    "document": entry.document.name,
                    "figure_id": _text_or_none(f.get("id")),
                    "table_name": _text_or_none(f.get("table")),
                    "subject": _text_or_none(f.get("subject")),
                    "programme": _text_or_none(f.get("programme")),
                    "policy_track": _text_or_none(f.get("policy_track")),
                    "country_name": _text_or_none(f.get("country_name")),
                    "iso3": _text_or_none(f.get("iso3")),
                    "partners": [str(p) for p in partners] if isinstance(partners, list) else None,
                    "attributed_source": _text_or_none(f.get("attributed_source")),
                    "period_start": _date(f.get("period_start")),
                    "period_end": _date(f.get("period_end")),
                    "metric": _text_or_none(f.get("metric")),
                    "value": _decimal(f.get("value")),
                    "unit": _text_or_none(f.get("unit")),
                    "quote": _text_or_none(f.get("quote")),
                    "number": _text_or_none(f.get("number")),
                    "scale_quote": _text_or_none(f.get("scale_quote")),
                    "ocr_flag": _text_or_none(f.get("ocr_flag")),
                    "note": _text_or_none(f.get("note")),
                    "qualifier": _text_or_none(f.get("qualifier")),
                    "value_low": _decimal(f.get("value_low")),
                    "value_high": _decimal(f.get("value_high")),
                    "number_high": _text_or_none(f.get("number_high")),
                    "phase_id": _text_or_none(f.get("phase")),
                    "unit_kind": UNIT_KINDS.get(str(f.get("unit"))),
                    "line": check.line,
                    "number_reading": check.number_reading,
                    "stated_unit": check.reading.unit if check.reading else None,
                    "precision": check.reading.precision if check.reading else None,
                    "verification": "ok" if check.ok else check.describe(),
                    "annotation_file": entry.annotation_file.origin,
                    "annotation_sha256": entry.annotation_sha256,
                    **_provenance(entry, check.line),
                }
            )
        rows += [
            {
                **dict.fromkeys(FIGURE_SCHEMA),
                "document": entry.document.name,
                "figure_id": f"(file: {problem})",
                "verification": f"{entry.document.name}: {problem}",
                **_provenance(entry, None),
            }
            for problem in entry.check.problems
        ]
    return _frame(rows, FIGURE_SCHEMA)


NUMBER_SCHEMA = TableSchema(
    columns=(
        Column("document", pl.Utf8, nullable=False),
        Column("line", pl.Int64, nullable=False),
        Column("column", pl.Int64),
        Column("token", pl.Utf8, nullable=False),
        Column("snippet", pl.Utf8),
        Column("accounted_by", pl.Utf8, values=frozenset({"figure", "ignore", "rule"})),
        Column("reference", pl.Utf8, nullable=False),
        Column("coverage", pl.Utf8, values=VERIFIED),
    ),
    key=("document", "line", "column"),
)


def _parse_numbers(files: Sequence[LandedFile]) -> pl.DataFrame:
    entries = corpus(files)
    _require_annotations(entries)
    rows = []
    for entry in entries:
        assert entry.check is not None
        for n in entry.check.numbers:
            coverage = (
                "ok"
                if n.accounted_by != "unaccounted"
                else (f"{entry.document.name} line {n.line}: number {n.token!r} is unaccounted for: {n.snippet}")
            )
            rows.append(
                {
                    "document": entry.document.name,
                    "line": n.line,
                    "column": n.column,
                    "token": n.token,
                    "snippet": n.snippet,
                    "accounted_by": n.accounted_by,
                    "reference": n.reference,
                    "coverage": coverage,
                    **_provenance(entry, n.line),
                }
            )
        for ignore in entry.check.ignores:
            if ignore.problems:  # a broken ignore entry is a coverage failure of its own
                rows.append(
                    {
                        "document": entry.document.name,
                        "line": None,
                        "column": ignore.index,
                        "token": _text_or_none(ignore.entry.get("number")),
                        "snippet": _text_or_none(ignore.entry.get("quote")),
                        "accounted_by": "ignore",
                        "reference": _text_or_none(ignore.entry.get("reason")),
                        "coverage": f"{entry.document.name} ignore entry {ignore.index}: " + "; ".join(ignore.problems),
                        **_provenance(entry, None),
                    }
                )
    return _frame(rows, NUMBER_SCHEMA)


LIST_SCHEMA = TableSchema(
    columns=(
        Column("document", pl.Utf8, nullable=False),
        Column("list_id", pl.Utf8, nullable=False),
        Column("member_index", pl.Int64),
        Column("role", pl.Utf8, nullable=False, values=frozenset(ROLES)),
        Column("subject", pl.Utf8, nullable=False),
        Column("policy_track", pl.Utf8),
        Column("programme", pl.Utf8),
        Column("phase_id", pl.Utf8),
        Column("period_start", pl.Date),
        Column("period_end", pl.Date),
        Column("list_quote", pl.Utf8, nullable=False),
        Column("list_line", pl.Int64, nullable=False),
        Column("stated_count", pl.Utf8),
        Column("member_count", pl.Int64),
        Column("member_name", pl.Utf8, nullable=False),
        Column("iso3", pl.Utf8, values=known_iso3()),
        Column("region_id", pl.Utf8),
        Column("member_quote", pl.Utf8),
        Column("member_line", pl.Int64, nullable=False),
        Column("ocr_flag", pl.Utf8),
        Column("note", pl.Utf8),
        Column("verification", pl.Utf8, values=VERIFIED),
        Column("annotation_sha256", pl.Utf8),
    ),
    key=("document", "list_id", "member_index"),
)


def _parse_lists(files: Sequence[LandedFile]) -> pl.DataFrame:
    """One row per member of every country or region list (a list that fails has one row saying why)."""
    entries = corpus(files)
    _require_annotations(entries)
    rows = []
    for entry in entries:
        assert entry.check is not None
        for check in entry.check.lists:
            e = check.entry
            common = {
                "document": entry.document.name,
                "list_id": _text_or_none(e.get("id")),
                "role": _text_or_none(e.get("role")),
                "subject": _text_or_none(e.get("subject")),
                "policy_track": _text_or_none(e.get("policy_track")),
                "programme": _text_or_none(e.get("programme")),
                "phase_id": _text_or_none(e.get("phase")),
                "period_start": _date(e.get("period_start")),
                "period_end": _date(e.get("period_end")),
                "list_quote": _text_or_none(e.get("quote")),
                "list_line": check.line,
                "stated_count": _text_or_none(e.get("number")),
                "member_count": len(check.members),
                "ocr_flag": _text_or_none(e.get("ocr_flag")),
                "note": _text_or_none(e.get("note")),
                "verification": "ok" if check.ok else check.describe(),
                "annotation_sha256": entry.annotation_sha256,
            }
            members = check.members or [None]
            for index, member in enumerate(members, start=1):
                rows.append(
                    {
                        **common,
                        "member_index": index,
                        "member_name": member.name if member else None,
                        "iso3": member.iso3 if member else None,
                        "region_id": member.region if member else None,
                        "member_quote": member.quote if member else None,
                        "member_line": member.line if member else None,
                        **_provenance(entry, member.line if member else check.line),
                    }
                )
    return _frame(rows, LIST_SCHEMA)


PHASE_SCHEMA = TableSchema(
    columns=(
        Column("document", pl.Utf8, nullable=False),
        Column("phase_id", pl.Utf8, nullable=False),
        Column("programme", pl.Utf8, nullable=False),
        Column("phase_number", pl.Int64),
        Column("period_start", pl.Date),
        Column("period_end", pl.Date),
        Column("period_basis", pl.Utf8, nullable=False),
        Column("budget_figure_id", pl.Utf8),
        Column("countries_list_id", pl.Utf8),
        Column("partners", pl.List(pl.Utf8)),
        Column("quote", pl.Utf8, nullable=False),
        Column("line", pl.Int64, nullable=False),
        Column("note", pl.Utf8),
        Column("verification", pl.Utf8, values=VERIFIED),
    ),
    key=("document", "phase_id"),
)


def _parse_phases(files: Sequence[LandedFile]) -> pl.DataFrame:
    entries = corpus(files)
    _require_annotations(entries)
    rows = []
    for entry in entries:
        assert entry.check is not None
        for check in entry.check.phases:
            e = check.entry
            partners = e.get("partners")
            rows.append(
                {
                    "document": entry.document.name,
                    "phase_id": _text_or_none(e.get("id")),
                    "programme": _text_or_none(e.get("programme")),
                    "phase_number": e.get("phase") if isinstance(e.get("phase"), int) else None,
                    "period_start": _date(e.get("period_start")),
                    "period_end": _date(e.get("period_end")),
                    "period_basis": _text_or_none(e.get("period_basis")),
                    "budget_figure_id": _text_or_none(e.get("budget_figure")),
                    "countries_list_id": _text_or_none(e.get("countries_list")),
                    "partners": [str(p) for p in partners] if isinstance(partners, list) else None,
                    "quote": _text_or_none(e.get("quote")),
                    "line": check.line,
                    "note": _text_or_none(e.get("note")),
                    "verification": "ok" if check.ok else check.describe(),
                    **_provenance(entry, check.line),
                }
            )
    return _frame(rows, PHASE_SCHEMA)


REGION_SCHEMA = TableSchema(
    columns=(
        Column("region_id", pl.Utf8, nullable=False),
        Column("region_name", pl.Utf8, nullable=False),
        Column("iso3", pl.Utf8, nullable=False, values=known_iso3()),
        Column("basis", pl.Utf8, nullable=False),
    ),
    key=("region_id", "iso3"),
)


def _parse_regions(files: Sequence[LandedFile]) -> pl.DataFrame:
    """The reviewed region -> member country table, one row per member, as documents/regions.csv has it."""
    regions = next((f for f in files if f.name == REGIONS), None)
    if regions is None:
        raise ParseError("the region table (regions.csv) is not among the files")
    text = _text(regions)
    read_regions(text)  # the header is checked
    rows = [
        {
            **{column: row[column] for column in REGION_COLUMNS},
            "_source_file": regions.origin,
            "_source_row": number,
            "_snapshot_sha256": _sha(regions),
            "_retrieved_at": getattr(regions, "retrieved_at", None),
        }
        for number, row in enumerate(csv.DictReader(text.splitlines()), start=2)
    ]
    return _frame(rows, REGION_SCHEMA)


TABLE_SCHEMA = TableSchema(
    columns=(
        Column("document", pl.Utf8, nullable=False),
        Column("table_name", pl.Utf8, nullable=False),
        Column("row_label", pl.Utf8, nullable=False),
        Column("column_label", pl.Utf8),
        Column("year", pl.Int32, nullable=False),
        Column("article", pl.Utf8),
        Column("article_name", pl.Utf8),
        Column("cell_text", pl.Utf8),
        Column("line", pl.Int64),
        Column("scale", pl.Int64),
        Column("value", VALUE_TYPE, nullable=False),
        Column("unit", pl.Utf8, nullable=False),
        Column("is_total", pl.Boolean),
        Column("sum_of_parts", VALUE_TYPE),
        Column("annotation_figure_id", pl.Utf8, nullable=False),
        Column("check", pl.Utf8, values=VERIFIED),
    ),
    key=("document", "table_name", "row_label", "column_label"),
)


def _parse_table_rows(files: Sequence[LandedFile]) -> pl.DataFrame:
    rows = []
    for entry in corpus(files):
        rows += [{**row, **_provenance(entry, row["line"])} for row in table_rows(entry)]
    return _frame(rows, TABLE_SCHEMA)


def _dataset(name: str, parse, schema: TableSchema, description: str) -> Dataset:
    return Dataset(source=SOURCE, name=name, fetch=_fetch, parse=parse, schema=schema, description=description)


DATASETS = (
    _dataset("texts", _parse_texts, TEXT_SCHEMA, "The policy documents: catalog metadata, full text, sha256."),
    _dataset(
        "figures",
        _parse_figures,
        FIGURE_SCHEMA,
        "Every annotated figure with its quote, value, unit and the result of checking it against the text.",
    ),
    _dataset(
        "numbers",
        _parse_numbers,
        NUMBER_SCHEMA,
        "Every number in the documents and what accounts for it (figure, ignore entry with reason, rule).",
    ),
    _dataset(
        "lists",
        _parse_lists,
        LIST_SCHEMA,
        "Every list of countries or regions in the documents, one row per member, with role, track and period.",
    ),
    _dataset(
        "phases",
        _parse_phases,
        PHASE_SCHEMA,
        "Programme phases as the documents describe them: period and its basis, budget figure, country list.",
    ),
    _dataset(
        "regions",
        _parse_regions,
        REGION_SCHEMA,
        "The reviewed region -> member country table (documents/regions.csv) that region list members expand by.",
    ),
    _dataset(
        "table_rows",
        _parse_table_rows,
        TABLE_SCHEMA,
        "Structured tables parsed by code, cross-checked against the annotations and their stated totals.",
    ),
)


# --- the checker CLI -----------------------------------------------------------------------------------


def _number_label(token) -> str:
    if token.accounted_by == "figure":
        return f"figure {token.reference}"
    if token.accounted_by == "ignore":
        return f"ignored: {token.reference}"
    if token.accounted_by == "rule":
        return f"rule: {token.reference}"
    return "UNACCOUNTED"


def run_check(stems: Sequence[str], *, report: bool, root: Path = DOCUMENTS_DIR, out=sys.stdout) -> int:
    """Check annotations (and parsed tables) of the given documents, print the coverage report."""
    try:
        entries = corpus(collect(root), stems)
    except (ParseError, FetchError) as exc:
        print(f"FAILED: {exc.describe()}", file=out)
        return 1
    if stems and len(entries) != len(set(stems)):
        found = {e.document.stem for e in entries} | {e.document.name for e in entries}
        print(f"FAILED: unknown document(s): {', '.join(s for s in stems if s not in found)}", file=out)
        return 1
    failures = 0
    for entry in entries:
        name = entry.document.name
        if entry.check is None:
            print(
                f"{name}: FAILED: no annotation file documents/annotations/{entry.document.stem}.yml",
                file=out,
            )
            failures += 1
            continue
        check = entry.check
        try:
            tables = table_rows(entry)
        except ParseError as exc:
            tables = [{"check": f"{name}: {exc.describe()}"}]
        counts = {
            kind: sum(n.accounted_by == kind for n in check.numbers)
            for kind in ("figure", "ignore", "rule", "unaccounted")
        }
        verified = sum(f.ok for f in check.figures)
        words = sum(n.kind == "words" for n in check.numbers)
        members = sum(len(c.members) for c in check.lists)
        print(
            f"{name}: {verified}/{len(check.figures)} figures verified; {len(check.lists)} country lists "
            f"({members} members), {len(check.phases)} programme phases; {len(check.numbers)} numbers "
            f"({words} in words): {counts['figure']} figures or list counts, {counts['ignore']} ignored with a "
            f"reason, {counts['rule']} by rule, {counts['unaccounted']} unaccounted; {len(tables)} table cells parsed",
            file=out,
        )
        if report:
            for n in check.numbers:
                print(f"  line {n.line:>4} {n.token:>12}  {_number_label(n):<60} {n.snippet}", file=out)
        problems = check.failures + [t["check"] for t in tables if t["check"] != "ok"]
        for problem in problems:
            print(f"  FAIL {problem}", file=out)
        failures += len(problems)
    print(
        (
            "OK: every figure verified and every number accounted for"
            if not failures
            else f"FAILED: {failures} problem(s)"
        ),
        file=out,
    )
    return 1 if failures else 0


def run_draft(text_file: Path, out: Path | None, root: Path = DOCUMENTS_DIR, stream=sys.stdout) -> int:
    """Write a draft annotation file for a new text (to ``out``, or documents/drafts/<stem>.yml)."""
    from ingest.documents.draft import draft

    document = Document(name=text_file.name, text=text_file.read_text(encoding="utf-8"))
    proposal = draft(document, read_regions((root / REGIONS).read_text(encoding="utf-8")))
    target = out or root / "drafts" / f"{document.stem}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# DRAFT for documents/texts/{document.name}: every proposal must be checked against the text, then\n"
        "# moved to documents/annotations/<stem>.yml with reviewed_by set (documents/README.md).\n"
    )
    body = yaml.safe_dump(proposal, allow_unicode=True, sort_keys=False, width=110)
    target.write_text(header + body, encoding="utf-8")
    print(
        f"{target}: {len(proposal['figures'])} figure proposals, {len(proposal['lists'])} country lists",
        file=stream,
    )
    return 0


def run_evaluation(root: Path = DOCUMENTS_DIR, stream=sys.stdout) -> int:
    """Recall and precision of the draft tool against the reviewed annotations, per kind, over all documents."""
    from ingest.documents.draft import Score, evaluate

    files = collect(root)
    regions = read_regions(next(f for f in files if f.name == REGIONS).content.decode("utf-8"))
    totals: dict[str, Score] = {}
    for entry in corpus(files):
        assert entry.check is not None
        for kind, score in evaluate(entry.document, entry.check, regions).items():
            total = totals.setdefault(kind, Score())
            total.reviewed += score.reviewed
            total.proposed += score.proposed
            total.matched_reviewed += score.matched_reviewed
            total.matched_proposed += score.matched_proposed
    print(f"{'kind':<28} {'reviewed':>8} {'proposed':>8} {'recall':>7} {'precision':>9}", file=stream)
    for kind in sorted(totals):
        t = totals[kind]
        print(f"{kind:<28} {t.reviewed:>8} {t.proposed:>8} {t.recall:>7.0%} {t.precision:>9.0%}", file=stream)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.documents", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="verify annotations and print the coverage report")
    check.add_argument("stems", nargs="*", help="document stems or file names (default: all)")
    check.add_argument("--report", action="store_true", help="list every number and what accounts for it")
    check.add_argument("--root", type=Path, default=DOCUMENTS_DIR, help="documents directory (default: the repo's)")
    drafting = commands.add_parser("draft", help="write a draft annotation file for a text, or --evaluate the tool")
    drafting.add_argument("text", nargs="?", type=Path, help="the text file (documents/texts/<file>.txt)")
    drafting.add_argument("--out", type=Path, help="where to write the draft (default documents/drafts/<stem>.yml)")
    drafting.add_argument(
        "--evaluate", action="store_true", help="recall and precision against the reviewed annotations"
    )
    drafting.add_argument("--root", type=Path, default=DOCUMENTS_DIR, help="documents directory (default: the repo's)")
    args = parser.parse_args(argv)
    if args.command == "draft":
        if args.evaluate:
            return run_evaluation(args.root)
        if args.text is None:
            parser.error("draft needs a text file (or --evaluate)")
        return run_draft(args.text, args.out, args.root)
    return run_check(args.stems, report=args.report, root=args.root)
