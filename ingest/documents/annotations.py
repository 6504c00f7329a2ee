"""Checking a document's annotation file against the document's own words.

A figure is trusted only when its quote occurs verbatim (exactly once) in the document and the number in
the quote, read the Dutch way with the scale and currency written around it, equals the annotated value
and unit. Country names must resolve to the annotated ISO3. OCR damage is never repaired here: a figure
that depends on a damaged token or a damaged country name must say so in ``ocr_flag``.

Coverage: :func:`scan` finds every number in the text. Each one is accounted for by a figure, by an
ignore entry (with a reason) or by one of the documented :data:`RULES` (years, dates, section numbers,
footnote markers, parliamentary and legal references, URLs). Anything else is *unaccounted* and fails the
check, so a document cannot be half-annotated. The format is in ``ANNOTATION_FORMAT`` (documents/README.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import pycountry
import yaml

from ingest.common import countries
from ingest.common.dutch_numbers import (
    NUMBER_TOKEN,
    STATED_UNITS,
    NotADutchNumber,
    Reading,
    has_ocr_letters,
    is_dutch,
    ocr_reading,
    parse_dutch,
    read_header,
    read_in_context,
    token_pattern,
)

TABLES = frozenset(
    {
        "budget_article_year",
        "spend_per_priority",
        "programme_commitment",
        "activities_per_country",
        "focus_country",
        "result_indicator",
        "context_statistic",
        "other_amount",
    }
)
FIGURE_KEYS = (
    "id",
    "table",
    "subject",
    "programme",
    "policy_track",
    "country_name",
    "iso3",
    "partners",
    "attributed_source",
    "period_start",
    "period_end",
    "metric",
    "value",
    "unit",
    "quote",
    "number",
    "scale_quote",
    "ocr_flag",
    "note",
)
NIL_MARKERS = frozenset({"--", "-", "\u2013", "\u2014"})  # dashes a table uses for "nothing"
REQUIRED_KEYS = ("id", "table", "subject", "metric", "quote")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
SNIPPET = 40


class AnnotationError(ValueError):
    """The annotation file cannot be read at all (not YAML, wrong document, no figures list)."""


# --- the document -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    name: str  # file name, e.g. "000_954fb70bc37eb58d.txt"
    text: str

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0]

    def line_of(self, position: int) -> int:
        """1-based line number of a character position."""
        return self.text.count("\n", 0, position) + 1

    def column_of(self, position: int) -> int:
        return position - (self.text.rfind("\n", 0, position) + 1) + 1

    def snippet(self, start: int, end: int) -> str:
        """The number with some context, on one line, for reports."""
        left = self.text[max(0, start - SNIPPET) : start]
        right = self.text[end : end + SNIPPET]
        return " ".join(f"{left}[{self.text[start:end]}]{right}".split())

    def occurrences(self, quote: str) -> list[int]:
        """Start positions of every (possibly overlapping) occurrence of ``quote``."""
        found, start = [], self.text.find(quote)
        while start != -1:
            found.append(start)
            start = self.text.find(quote, start + 1)
        return found


# --- the scanner and its rules ------------------------------------------------------------------------

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
# Each rule: name -> pattern whose match spans the numbers it explains. Order matters only for reporting.
RULES: dict[str, re.Pattern[str]] = {
    "url": re.compile(r"(?:https?://|www\.)\S+"),
    "parliamentary_reference": re.compile(r"Kamerstuk(?:ken)?\s+[\w -]{1,20}?,\s*nr\.?\s*\w+"),
    "legal_reference": re.compile(r"\b\d{2,4}/\d{1,4}/(?:EU|EG|EEG)\b"),
    "date": re.compile(
        rf"\b\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{2,4}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\bmid-\d{{4}}\b",
        re.IGNORECASE,
    ),
    "section_number": re.compile(
        r"(?:\b(?:hoofdstuk(?:ken)?|bijlage|paragraaf|(?:sub|begrotings)?artikel(?:en)?|lid|"
        r"beleidsprioriteit|prioriteit)\s+)\d+(?:\.\d+)*",
        re.IGNORECASE,
    ),
    # "1. Doel", "2) Versterken", "3.Colombia" at the start of a line: list and section numbers.
    "list_marker": re.compile(r"(?m)^[ \t·•«-]*\d{1,2}(?:\.\d{1,2})*[.)](?=\s|[A-Z]|$)"),
    # A year standing alone or in a range ("2013-2014", "2016/2017", "2010(Euro"), not an amount.
    "year": re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d]|[.,]\d|\s*(?:%|procent|miljoen|miljard|mln|duizend))"),
    # 1-2 digits glued to a word and followed by no letter: a footnote marker ("Netwerk3?").
    "footnote_marker": re.compile(r"(?<=[A-Za-z\u00C0-\u017F])\d{1,2}(?!\w)(?![.,]\d)"),
}


@dataclass
class NumberToken:
    start: int
    end: int
    token: str
    line: int
    column: int
    snippet: str
    accounted_by: str = "unaccounted"  # figure | ignore | rule | unaccounted
    reference: str | None = None  # figure id, ignore reason or rule name


def scan(document: Document) -> list[NumberToken]:
    """Every run of digits in the document, with the rule that explains it where one applies."""
    rule_spans: list[tuple[int, int, str]] = [
        (m.start(), m.end(), name) for name, pattern in RULES.items() for m in pattern.finditer(document.text)
    ]
    tokens = []
    for match in NUMBER_TOKEN.finditer(document.text):
        token = NumberToken(
            start=match.start(),
            end=match.end(),
            token=match.group(),
            line=document.line_of(match.start()),
            column=document.column_of(match.start()),
            snippet=document.snippet(match.start(), match.end()),
        )
        rule = next((name for s, e, name in rule_spans if s <= token.start and token.end <= e), None)
        if rule is not None:
            token.accounted_by, token.reference = "rule", rule
        tokens.append(token)
    return tokens


# --- figures ------------------------------------------------------------------------------------------


@dataclass
class FigureCheck:
    """One figure and what the check found; ``problems`` empty means verified."""

    document: str
    figure: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    line: int | None = None
    number_span: tuple[int, int] | None = None
    reading: Reading | None = None
    number_reading: str = "no_number"  # dutch | ocr_substitution | nil | unreadable | no_number

    @property
    def id(self) -> str:
        return str(self.figure.get("id"))

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return f"{self.document} figure {self.id}: " + "; ".join(self.problems)


@dataclass
class IgnoreCheck:
    index: int
    entry: dict[str, Any]
    spans: list[tuple[int, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class DocumentCheck:
    document: Document
    reviewed_by: str | None
    figures: list[FigureCheck]
    ignores: list[IgnoreCheck]
    numbers: list[NumberToken]
    problems: list[str] = field(default_factory=list)  # file-level problems

    @property
    def failures(self) -> list[str]:
        name = self.document.name
        return [
            *(f"{name}: {p}" for p in self.problems),
            *(f.describe() for f in self.figures if not f.ok),
            *(
                f"{name} ignore entry {i.index} ({i.entry.get('quote')!r}): {'; '.join(i.problems)}"
                for i in self.ignores
                if i.problems
            ),
            *(
                f"{name} line {n.line}: number {n.token!r} is unaccounted for: {n.snippet}"
                for n in self.numbers
                if n.accounted_by == "unaccounted"
            ),
        ]

    @property
    def ok(self) -> bool:
        return not self.failures


@cache
def _exact_spellings() -> frozenset[str]:
    """Country names as the library and the reviewed aliases spell them (OCR aliases excluded)."""
    names: set[str] = set()
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names |= {getattr(country, attribute), countries.dutch_name(getattr(country, attribute))}
    with countries.ALIAS_FILE.open(encoding="utf-8") as handle:
        names |= {row["alias"] for row in csv.DictReader(handle) if "OCR" not in (row.get("note") or "")}
    return frozenset(names)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _as_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidOperation(f"{value!r} is not a number")
    return Decimal(str(value))


def _number_in_quote(quote: str, number: str) -> re.Match[str] | None:
    return token_pattern(number).search(quote)


def check_figure(document: Document, figure: dict[str, Any]) -> FigureCheck:
    check = FigureCheck(document=document.name, figure=figure)
    problems = check.problems
    unknown = sorted(set(figure) - set(FIGURE_KEYS))
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}")
    missing = [k for k in REQUIRED_KEYS if figure.get(k) in (None, "")]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
        return check
    if not _SLUG.match(str(figure["id"])):
        problems.append("id must be a lower-case slug")
    table = figure["table"]
    if table not in TABLES:
        problems.append(f"table {table!r} is not one of {', '.join(sorted(TABLES))}")
    if not _SNAKE.match(str(figure["metric"])):
        problems.append(f"metric {figure['metric']!r} is not snake_case")
    partners = figure.get("partners", [])
    if partners is None or not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
        problems.append("partners must be a list of names ([] if none)")

    quote = str(figure["quote"])
    where = document.occurrences(quote)
    if not where:
        problems.append(f"quote {quote!r} does not occur verbatim in the document")
    elif len(where) > 1:
        problems.append(
            f"quote {quote!r} occurs {len(where)} times (lines "
            f"{', '.join(str(document.line_of(p)) for p in where)}); make it longer so it is unique"
        )
    else:
        check.line = document.line_of(where[0])

    try:
        start, end = _as_date(figure.get("period_start")), _as_date(figure.get("period_end"))
    except ValueError as exc:
        problems.append(f"period is not an ISO date: {exc}")
    else:
        if start is not None and end is not None and start > end:
            problems.append(f"period_start {start} is after period_end {end}")

    _check_country(document, figure, quote, problems)
    _check_number(document, figure, quote, where[0] if len(where) == 1 else None, check)
    return check


def _check_nil(
    quote: str, quote_start: int | None, number: str, value: Decimal | None, unit: Any, check: FigureCheck
) -> None:
    """A dash in a table cell ("--") says nothing was spent: the value must be 0."""
    check.number_reading = "nil"
    at = quote.find(number)
    if at == -1:
        check.problems.append(f"number {number!r} is not in the quote {quote!r}")
    elif quote_start is not None:
        check.number_span = (quote_start + at, quote_start + at + len(number))
    if value != 0:
        check.problems.append(f"a {number!r} cell means nothing (0); value is {value}")
    if not unit:
        check.problems.append("unit is required when value is given")


def _check_country(document: Document, figure: dict[str, Any], quote: str, problems: list[str]) -> None:
    name, iso3 = figure.get("country_name"), figure.get("iso3")
    if name is None:
        if iso3 is not None:
            problems.append(f"iso3 {iso3} given without country_name (the country as written in the quote)")
        return
    name = str(name)
    if name not in quote:
        problems.append(f"country_name {name!r} is not written in the quote")
    try:
        resolved = countries.resolve(name)
    except countries.UnknownCountry as exc:
        problems.append(str(exc))
        return
    if iso3 != resolved:
        problems.append(f"country_name {name!r} resolves to {resolved}, not {iso3}")
    if name not in _exact_spellings() and not figure.get("ocr_flag"):
        problems.append(
            f"country_name {name!r} is not a standard spelling (lost diacritic or OCR damage?): set ocr_flag"
        )


def _check_number(
    document: Document, figure: dict[str, Any], quote: str, quote_start: int | None, check: FigureCheck
) -> None:
    problems = check.problems
    number, unit, ocr_flag = figure.get("number"), figure.get("unit"), figure.get("ocr_flag")
    try:
        value = _as_decimal(figure.get("value"))
    except InvalidOperation:
        problems.append(f"value {figure.get('value')!r} is not a number")
        return
    if figure["table"] == "focus_country" and number is None:
        if value is not None:
            problems.append("a focus_country figure without a number must have value null")
        return
    if number is None:
        problems.append("number (the number token as written in the quote) is required")
        return
    number = str(number)
    if number in NIL_MARKERS:
        _check_nil(quote, quote_start, number, value, figure.get("unit"), check)
        return
    match = _number_in_quote(quote, number)
    if match is None:
        problems.append(f"number {number!r} does not stand as a whole number in the quote {quote!r}")
        return
    if quote_start is not None:
        check.number_span = (quote_start + match.start(), quote_start + match.end())

    header_scale, header_unit = 1, None
    scale_quote = figure.get("scale_quote")
    if scale_quote is not None:
        if not document.occurrences(str(scale_quote)):
            problems.append(f"scale_quote {scale_quote!r} does not occur verbatim in the document")
        header_scale, header_unit = read_header(str(scale_quote))

    if has_ocr_letters(number) or not is_dutch(number):
        if not ocr_flag:
            damaged = has_ocr_letters(number)
            what = "contains letters (OCR damage?)" if damaged else "is not written the Dutch way"
            problems.append(f"number {number!r} {what}: set ocr_flag and read it, or leave value null")
            return
        if value is None:
            check.number_reading = "unreadable"
            return
        reader, check.number_reading = ocr_reading, "ocr_substitution"
    else:
        reader, check.number_reading = parse_dutch, "dutch"
    try:
        digits = reader(number)
    except NotADutchNumber as exc:
        problems.append(f"{exc}; even with the OCR table it cannot be read: leave value null")
        return
    reading = read_in_context(quote[: match.start()], number, quote[match.end() :], number=digits, ocr=bool(ocr_flag))
    if reading.ocr_scale:
        check.number_reading = "ocr_substitution"

    if scale_quote is not None:
        if reading.scale != 1 and header_scale != 1:
            problems.append("the quote states a scale word and scale_quote gives another; use one")
        reading = Reading(
            number=reading.number,
            scale=reading.scale * header_scale,
            unit=reading.unit or header_unit,
            precision=reading.precision * header_scale,
        )
    check.reading = reading
    if value is None:
        problems.append(
            f"value is null but the quote says {reading.value.normalize():f}"
            f"{' ' + reading.unit if reading.unit else ''}"
        )
        return
    if value != reading.value:
        how = f"with scale_quote {scale_quote!r} " if scale_quote else ""
        problems.append(
            f"value {value.normalize():f} does not match the quote: {number!r} in {quote!r} {how}reads as "
            f"{reading.value.normalize():f}"
        )
    if not unit:
        problems.append("unit is required when value is given")
    elif reading.unit is not None and unit != reading.unit:
        problems.append(f"unit {unit!r} does not match the quote, which states {reading.unit!r}")
    elif reading.unit is None and unit in STATED_UNITS:
        problems.append(
            f"unit {unit!r} is not stated in the quote; make the quote include the currency or "
            f"percent sign, or give scale_quote"
        )


# --- ignore entries and coverage ----------------------------------------------------------------------


def check_ignore(document: Document, index: int, entry: dict[str, Any]) -> IgnoreCheck:
    check = IgnoreCheck(index=index, entry=entry)
    quote, number, reason = entry.get("quote"), entry.get("number"), entry.get("reason")
    if not quote or number is None:
        check.problems.append("quote and number are required")
        return check
    if not reason:
        check.problems.append("reason is required")
    quote, number = str(quote), str(number)
    match = _number_in_quote(quote, number)
    if match is None:
        check.problems.append(f"number {number!r} does not stand as a whole number in the quote")
        return check
    where = document.occurrences(quote)
    if not where:
        check.problems.append("quote does not occur verbatim in the document")
    check.spans = [(start + match.start(), start + match.end()) for start in where]
    return check


def account(numbers: Iterable[NumberToken], figures: list[FigureCheck], ignores: list[IgnoreCheck]) -> None:
    """Mark each scanned number with the figure or ignore entry whose number span contains it."""
    figure_spans = [(f.number_span, f.id) for f in figures if f.number_span is not None]
    ignore_spans = [(span, str(i.entry.get("reason"))) for i in ignores for span in i.spans]
    for token in numbers:
        for (start, end), figure_id in figure_spans:
            if start <= token.start and token.end <= end:
                token.accounted_by, token.reference = "figure", figure_id
                break
        else:
            if token.accounted_by == "rule":
                continue
            for (start, end), reason in ignore_spans:
                if start <= token.start and token.end <= end:
                    token.accounted_by, token.reference = "ignore", reason
                    break


def load_annotation(text: str, source: str) -> dict[str, Any]:
    """Parse one annotation file; structural problems raise :class:`AnnotationError` naming the file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AnnotationError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("figures"), list):
        raise AnnotationError(f"{source}: expected a mapping with a 'figures' list")
    if not all(isinstance(f, dict) for f in data["figures"]):
        raise AnnotationError(f"{source}: every entry of 'figures' must be a mapping")
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(i, dict) for i in ignore):
        raise AnnotationError(f"{source}: 'ignore' must be a list of mappings")
    return data


def check_document(document: Document, annotation: dict[str, Any]) -> DocumentCheck:
    """Verify every figure, every ignore entry and the coverage of one document."""
    problems = []
    if annotation.get("document") != document.name:
        problems.append(f"annotation names document {annotation.get('document')!r}")
    if not annotation.get("reviewed_by"):
        problems.append("reviewed_by is empty: a person must review the annotation")
    figures = [check_figure(document, f) for f in annotation["figures"]]
    seen: dict[str, int] = {}
    for figure in figures:
        seen[figure.id] = seen.get(figure.id, 0) + 1
    for figure in figures:
        if seen[figure.id] > 1:
            figure.problems.append(f"id occurs {seen[figure.id]} times in the file")
    ignores = [check_ignore(document, i, entry) for i, entry in enumerate(annotation.get("ignore") or [], 1)]
    numbers = scan(document)
    account(numbers, figures, ignores)
    return DocumentCheck(
        document=document,
        reviewed_by=annotation.get("reviewed_by"),
        figures=figures,
        ignores=ignores,
        numbers=numbers,
        problems=problems,
    )
