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
from pathlib import Path
from typing import Any

import pycountry
import yaml

from ingest.common import countries
from ingest.common.dutch_numbers import (
    FRACTION_PHRASE,
    MONEY_UNITS,
    NUMBER_TOKEN,
    SCALE_WORDS,
    STATED_UNITS,
    WORD,
    NotADutchNumber,
    Reading,
    has_ocr_letters,
    is_dutch,
    ocr_reading,
    parse_dutch,
    qualifier_before,
    read_header,
    read_in_context,
    read_words,
    token_pattern,
)

TABLES = frozenset(
    {
        "budget_article_year",
        "spend_per_priority",
        "programme_commitment",
        "activities_per_country",
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
    # optional: ranges, qualifiers and the programme phase a figure belongs to
    "qualifier",
    "value_low",
    "value_high",
    "number_high",
    "phase",
)
# Units by kind. Money in whole currency units; counts name what is counted; durations their unit.
UNIT_KINDS: dict[str, str] = {
    "EUR": "money",
    "USD": "money",
    "persons": "persons",
    "percent": "percent",
    "fraction": "share",
    "ratio": "ratio",
    "years": "duration",
    "months": "duration",
    **dict.fromkeys(
        ("count", "countries", "activities", "languages", "organisations", "projects", "programmes", "laws"),
        "count",
    ),
}
# A ratio of money to money ("elke ingelegde dollar 3-8 dollar in lening"): the quote names the base.
_PER_CURRENCY = re.compile(r"\b(?:per|elke|iedere)\s+(?:\w+\s+)?(?:dollar|euro|EUR|USD)\b", re.IGNORECASE)
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
    kind: str = "digits"  # digits | words
    qualifier: str | None = None  # "ruim", "circa", ... before it, as a QUALIFIERS class
    accounted_by: str = "unaccounted"  # figure | ignore | rule | unaccounted
    reference: str | None = None  # figure id, ignore reason or rule name


_NUMBER_BEFORE = re.compile(r"(?:\d|(?<!\w)(?:een|één))\s*$", re.IGNORECASE)


def word_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of the numbers written in words: fractions ("een derde"), then single number words.

    ``een`` counts only before a scale word (``een miljoen``; otherwise it is the article); a scale word
    right after a number is that number's scale, not a number of its own.
    """
    spans = [(m.start(), m.end()) for m in FRACTION_PHRASE.finditer(text)]
    inside = {position for start, end in spans for position in range(start, end)}
    words = list(WORD.finditer(text))
    for index, match in enumerate(words):
        word = match.group().lower()
        if match.start() in inside or read_words(word) is None:
            continue
        if word == "een":
            following = words[index + 1] if index + 1 < len(words) else None
            between = text[match.end() : following.start()] if following else ""
            if following is None or following.group().lower() not in SCALE_WORDS or between.strip():
                continue
        if word in SCALE_WORDS:
            before = text[max(0, match.start() - 20) : match.start()]
            previous = words[index - 1] if index else None
            gap = text[previous.end() : match.start()] if previous else "x"
            if _NUMBER_BEFORE.search(before) or (previous and not gap.strip() and read_words(previous.group())):
                continue
        spans.append((match.start(), match.end()))
    return sorted(spans)


def scan(document: Document) -> list[NumberToken]:
    """Every number in the document, in digits or words, with the rule that explains it where one applies."""
    text = document.text
    rule_spans: list[tuple[int, int, str]] = [
        (m.start(), m.end(), name) for name, pattern in RULES.items() for m in pattern.finditer(text)
    ]
    found = [(m.start(), m.end(), "digits") for m in NUMBER_TOKEN.finditer(text)]
    found += [(start, end, "words") for start, end in word_numbers(text)]
    tokens = []
    for start, end, kind in sorted(found):
        token = NumberToken(
            start=start,
            end=end,
            token=text[start:end],
            line=document.line_of(start),
            column=document.column_of(start),
            snippet=document.snippet(start, end),
            kind=kind,
            qualifier=qualifier_before(text[max(0, start - 30) : start]),
        )
        rule = next((name for s, e, name in rule_spans if s <= token.start and token.end <= e), None)
        if rule is not None and kind == "digits":
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
    number_reading: str = "no_number"  # dutch | words | decimal_point | ocr_substitution | nil | unreadable | no_number
    extra_spans: list[tuple[int, int]] = field(default_factory=list)  # number_high of a range

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
    lists: list[ListCheck] = field(default_factory=list)
    phases: list[PhaseCheck] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        name = self.document.name
        return [
            *(f"{name}: {p}" for p in self.problems),
            *(f.describe() for f in self.figures if not f.ok),
            *(c.describe() for c in self.lists if not c.ok),
            *(p.describe() for p in self.phases if not p.ok),
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
    number, ocr_flag = figure.get("number"), figure.get("ocr_flag")
    try:
        value, low, high = (_as_decimal(figure.get(k)) for k in ("value", "value_low", "value_high"))
    except InvalidOperation:
        problems.append(f"value {figure.get('value')!r} is not a number")
        return
    unit = figure.get("unit")
    if unit is not None and unit not in UNIT_KINDS:
        problems.append(f"unit {unit!r} is not one of {', '.join(UNIT_KINDS)}")
    if number is None:
        problems.append("number (the number token as written in the quote) is required")
        return
    number = str(number)
    if number in NIL_MARKERS:
        _check_nil(quote, quote_start, number, value, unit, check)
        return
    match = _number_in_quote(quote, number)
    if match is None:
        problems.append(f"number {number!r} does not stand as a whole number in the quote {quote!r}")
        return
    if quote_start is not None:
        check.number_span = (quote_start + match.start(), quote_start + match.end())
        _check_qualifier(document, figure, quote_start + match.start(), check)

    header_scale, header_unit = 1, None
    scale_quote = figure.get("scale_quote")
    if scale_quote is not None:
        if not document.occurrences(str(scale_quote)):
            problems.append(f"scale_quote {scale_quote!r} does not occur verbatim in the document")
        header_scale, header_unit = read_header(str(scale_quote))

    reading = _read_token(quote, match, number, bool(ocr_flag), check)
    if reading is None:
        if check.number_reading != "unreadable" and not problems:
            problems.append("the number cannot be read")
        return
    if scale_quote is not None:
        if reading.scale != 1 and header_scale != 1:
            problems.append("the quote states a scale word and scale_quote gives another; use one")
        reading = Reading(
            number=reading.number,
            scale=reading.scale * header_scale,
            unit=reading.unit or header_unit,
            precision=reading.precision * header_scale,
        )
    bounds = _range_reading(quote, match, number, figure, reading, check)
    if bounds is not None:
        reading = bounds[2]
    check.reading = reading
    if bounds is not None:
        if value is not None:
            problems.append("a range has value_low and value_high, value must be null")
        if (low, high) != bounds[:2]:
            problems.append(
                f"value_low/value_high {low}/{high} do not match the quote, which reads as the range "
                f"{bounds[0].normalize():f} to {bounds[1].normalize():f}"
            )
    elif low is not None or high is not None:
        problems.append("value_low/value_high are for ranges ('3 tot 8', 'tienduizenden'); give value")
    elif value is None:
        problems.append(
            f"value is null but the quote says {reading.value.normalize():f}"
            f"{' ' + reading.unit if reading.unit else ''}"
        )
        return
    elif value != reading.value:
        how = f"with scale_quote {scale_quote!r} " if scale_quote else ""
        problems.append(
            f"value {value.normalize():f} does not match the quote: {number!r} in {quote!r} {how}reads as "
            f"{reading.value.normalize():f}"
        )
    _check_unit(quote, unit, reading, problems)


def _read_token(quote: str, match: re.Match[str], number: str, ocr: bool, check: FigureCheck) -> Reading | None:
    """Read the figure's number in its quote: digits the Dutch way, words, or through the OCR rules."""
    before, after = quote[: match.start()], quote[match.end() :]
    words = read_words(number)
    if words is not None:
        check.number_reading = "words"
        digits = words.value if words.value is not None else Decimal(1)
        return read_in_context(before, number, after, number=digits)
    if has_ocr_letters(number) or not is_dutch(number):
        if not ocr:
            damaged = has_ocr_letters(number)
            what = "contains letters (OCR damage?)" if damaged else "is not written the Dutch way"
            check.problems.append(f"number {number!r} {what}: set ocr_flag and read it, or leave value null")
            return None
        if all(check.figure.get(k) is None for k in ("value", "value_low", "value_high")):
            check.number_reading = "unreadable"
            return None
        reader = ocr_reading
        check.number_reading = "ocr_substitution" if has_ocr_letters(number) else "decimal_point"
    else:
        reader, check.number_reading = parse_dutch, "dutch"
    try:
        digits = reader(number)
    except NotADutchNumber as exc:
        check.problems.append(f"{exc}; even with the OCR rules it cannot be read: leave value null")
        return None
    reading = read_in_context(before, number, after, number=digits, ocr=ocr)
    if reading.ocr_scale:
        check.number_reading = "ocr_substitution"
    return reading


def _range_reading(
    quote: str,
    match: re.Match[str],
    number: str,
    figure: dict[str, Any],
    reading: Reading,
    check: FigureCheck,
) -> tuple[Decimal, Decimal, Reading] | None:
    """(low, high, reading) of a range: a plural power ("tienduizenden") or ``number`` to ``number_high``.

    In "3-8 dollar" or "2 tot 3 miljoen" the scale and currency after the high end apply to both ends.
    """
    words = read_words(number)
    if words is not None and words.value is None:
        assert words.low is not None and words.high is not None
        return words.low * reading.scale, words.high * reading.scale, reading
    number_high = figure.get("number_high")
    if number_high is None:
        return None
    rest = quote[match.end() :]
    high_match = token_pattern(str(number_high)).search(rest)
    if high_match is None or not re.fullmatch(r"\s*(?:-|\u2013|tot|à|a|en)\s*", rest[: high_match.start()]):
        check.problems.append(f"number_high {number_high!r} does not follow {number!r} as 'X-Y' / 'X tot Y'")
        return None
    if check.number_span is not None:
        offset = check.number_span[1]
        check.extra_spans.append((offset + high_match.start(), offset + high_match.end()))
    high = read_in_context(rest[: high_match.start()], str(number_high), rest[high_match.end() :])
    scale = reading.scale if reading.scale != 1 else high.scale
    combined = Reading(
        number=reading.number,
        scale=scale,
        unit=reading.unit or high.unit,
        precision=reading.precision * (scale // reading.scale),
    )
    return reading.number * scale, high.number * high.scale if high.scale != 1 else high.number * scale, combined


def _check_qualifier(document: Document, figure: dict[str, Any], at: int, check: FigureCheck) -> None:
    """A qualifier in the text before the number ("ruim", "circa", "max.") must be in ``qualifier``."""
    stated = qualifier_before(document.text[max(0, at - 30) : at])
    words = read_words(str(figure.get("number")))
    if stated is None and words is not None and words.approximate:
        stated = "approximate"
    given = figure.get("qualifier")
    if given != stated:
        if stated is None:
            check.problems.append(f"qualifier {given!r} given, but no qualifier is written before the number")
        else:
            check.problems.append(f"the text qualifies the number as {stated!r}: set qualifier: {stated}")


def _check_unit(quote: str, unit: Any, reading: Reading, problems: list[str]) -> None:
    if not unit:
        problems.append("unit is required when value is given")
    elif unit == "ratio" and reading.unit in MONEY_UNITS:
        if not _PER_CURRENCY.search(quote):
            problems.append("unit 'ratio' for an amount of money needs the base in the quote ('per dollar')")
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
    matches = list(token_pattern(number).finditer(quote))
    if not matches:
        check.problems.append(f"number {number!r} does not stand as a whole number in the quote")
        return check
    where = document.occurrences(quote)
    if not where:
        check.problems.append("quote does not occur verbatim in the document")
    # every occurrence of the number in the quote ("één op één"), wherever the quote occurs
    check.spans = [(start + m.start(), start + m.end()) for start in where for m in matches]
    return check


def account(
    numbers: Iterable[NumberToken],
    figures: list[FigureCheck],
    ignores: list[IgnoreCheck],
    lists: Iterable[ListCheck] = (),
) -> None:
    """Mark each scanned number with the figure, list count or ignore entry whose number span contains it."""
    figure_spans = [
        (span, f.id) for f in figures for span in ([f.number_span] if f.number_span else []) + f.extra_spans
    ]
    figure_spans += [(c.number_span, f"list {c.id}") for c in lists if c.number_span is not None]
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


# --- country and region lists -------------------------------------------------------------------------

# What a list says about its countries. Only "focus" makes a country a focus country of its policy track.
ROLES = {
    "focus": "focus country of the named policy track",
    "programme_country": "a country where the named programme works",
    "partner": "a partner (donor, partnership country) of the programme or track",
    "example": "named as an example ('bijv.', 'zoals', 'onder meer', 'denk aan'), not a closed list",
    "origin": "country of origin",
    "transit": "transit country",
    "destination": "destination country",
    "mentioned": "named without a role in a programme or track",
}
LIST_KEYS = (
    "id",
    "role",
    "subject",
    "policy_track",
    "programme",
    "phase",
    "period_start",
    "period_end",
    "quote",
    "number",
    "members",
    "ocr_flag",
    "note",
)
MEMBER_KEYS = ("name", "iso3", "region", "quote", "ocr_flag")


@dataclass
class MemberCheck:
    name: str
    iso3: str | None
    region: str | None
    quote: str
    line: int | None


@dataclass
class ListCheck:
    """One list of countries or regions and what the check found; ``problems`` empty means verified."""

    document: str
    entry: dict[str, Any]
    members: list[MemberCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    line: int | None = None
    number_span: tuple[int, int] | None = None

    @property
    def id(self) -> str:
        return str(self.entry.get("id"))

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return f"{self.document} list {self.id}: " + "; ".join(self.problems)


def _unique_line(document: Document, quote: str, what: str, problems: list[str]) -> int | None:
    where = document.occurrences(quote)
    if len(where) != 1:
        problems.append(f"{what} {quote!r} occurs {len(where)} times in the document (it must occur exactly once)")
        return None
    return where[0]


def check_list(document: Document, entry: dict[str, Any], regions: dict[str, str]) -> ListCheck:
    """Verify a list: its quote, every member written in it and resolved, its role, period and count."""
    check = ListCheck(document=document.name, entry=entry)
    problems = check.problems
    unknown = sorted(set(entry) - set(LIST_KEYS))
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}")
    missing = [k for k in ("id", "role", "subject", "quote", "members") if entry.get(k) in (None, "", [])]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
        return check
    if not _SLUG.match(str(entry["id"])):
        problems.append("id must be a lower-case slug")
    role = entry["role"]
    if role not in ROLES:
        problems.append(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "focus" and not entry.get("policy_track"):
        problems.append("a focus list names its policy_track")
    if role == "programme_country" and not entry.get("programme"):
        problems.append("a programme_country list names its programme")
    try:
        start, end = _as_date(entry.get("period_start")), _as_date(entry.get("period_end"))
    except ValueError as exc:
        problems.append(f"period is not an ISO date: {exc}")
    else:
        if role == "focus" and (start is None or end is None):
            problems.append("a focus list needs period_start and period_end (the years it is a focus for)")
        if start is not None and end is not None and start > end:
            problems.append(f"period_start {start} is after period_end {end}")
    quote = str(entry["quote"])
    at = _unique_line(document, quote, "quote", problems)
    check.line = None if at is None else document.line_of(at)
    members = entry["members"]
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        problems.append("members must be a list of mappings (name and iso3 or region)")
        return check
    for member in members:
        _check_member(document, entry, member, quote, check.line, regions, check)
    if entry.get("number") is not None:
        _check_list_count(entry, quote, at, check)
    return check


def _check_member(
    document: Document,
    entry: dict[str, Any],
    member: dict[str, Any],
    list_quote: str,
    list_line: int | None,
    regions: dict[str, str],
    check: ListCheck,
) -> None:
    problems = check.problems
    name, iso3, region = member.get("name"), member.get("iso3"), member.get("region")
    unknown = sorted(set(member) - set(MEMBER_KEYS))
    if unknown or not name or (iso3 is None) == (region is None):
        problems.append(f"member {member!r}: needs name and exactly one of iso3 or region")
        return
    name = str(name)
    quote, line = list_quote, list_line
    if member.get("quote") is not None:  # a member written apart from the list's heading (maps, tables)
        quote = str(member["quote"])
        at = _unique_line(document, quote, f"member {name!r} quote", problems)
        line = None if at is None else document.line_of(at)
    if not token_pattern(name).search(quote):
        problems.append(f"member {name!r} is not written in {quote!r}")
    if region is not None:
        if region not in regions:
            problems.append(f"region {region!r} is not in documents/regions.csv")
    else:
        try:
            resolved = countries.resolve(name)
        except countries.UnknownCountry as exc:
            problems.append(str(exc))
        else:
            if resolved != iso3:
                problems.append(f"member {name!r} resolves to {resolved}, not {iso3}")
            if name not in _exact_spellings() and not (member.get("ocr_flag") or entry.get("ocr_flag")):
                problems.append(f"member {name!r} is not a standard spelling (OCR damage?): set ocr_flag")
    check.members.append(MemberCheck(name, None if iso3 is None else str(iso3), region, quote, line))


def _check_list_count(entry: dict[str, Any], quote: str, at: int | None, check: ListCheck) -> None:
    """The count a document states for its list ("in 14 landen", "zeven landen") must be its length."""
    number = str(entry["number"])
    match = token_pattern(number).search(quote)
    if match is None:
        check.problems.append(f"number {number!r} does not stand as a whole number in the quote")
        return
    words = read_words(number)
    try:
        count = words.value if words is not None else parse_dutch(number)
    except NotADutchNumber as exc:
        check.problems.append(str(exc))
        return
    if count != len(entry["members"]):
        check.problems.append(f"the quote counts {number!r} ({count}) but the list has {len(entry['members'])} members")
    if at is not None:
        check.number_span = (at + match.start(), at + match.end())


# --- programme phases -----------------------------------------------------------------------------------

PHASE_KEYS = (
    "id",
    "programme",
    "phase",
    "period_start",
    "period_end",
    "period_basis",
    "budget_figure",
    "countries_list",
    "partners",
    "quote",
    "note",
)


@dataclass
class PhaseCheck:
    """A phase of a programme as a document describes it: period, budget figure, country list, partners."""

    document: str
    entry: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    line: int | None = None

    @property
    def id(self) -> str:
        return str(self.entry.get("id"))

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return f"{self.document} phase {self.id}: " + "; ".join(self.problems)


def check_phase(
    document: Document, entry: dict[str, Any], figures: list[FigureCheck], lists: list[ListCheck]
) -> PhaseCheck:
    check = PhaseCheck(document=document.name, entry=entry)
    problems = check.problems
    unknown = sorted(set(entry) - set(PHASE_KEYS))
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}")
    missing = [k for k in ("id", "programme", "phase", "quote") if entry.get(k) is None]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
        return check
    if not _SLUG.match(str(entry["id"])):
        problems.append("id must be a lower-case slug")
    try:
        start, end = _as_date(entry.get("period_start")), _as_date(entry.get("period_end"))
    except ValueError as exc:
        problems.append(f"period is not an ISO date: {exc}")
    else:
        if start is not None and end is not None and start > end:
            problems.append(f"period_start {start} is after period_end {end}")
        if entry.get("period_basis") is None:
            problems.append("period_basis says where the period comes from (the document's words)")
    at = _unique_line(document, str(entry["quote"]), "quote", problems)
    check.line = None if at is None else document.line_of(at)
    by_id = {f.id: f for f in figures}
    budget = entry.get("budget_figure")
    if budget is not None:
        figure = by_id.get(str(budget))
        if figure is None:
            problems.append(f"budget_figure {budget!r} is not a figure of this document")
        elif figure.figure.get("phase") != entry["id"] or figure.figure.get("table") != "programme_commitment":
            problems.append(f"budget_figure {budget!r} must be a programme_commitment with phase {entry['id']!r}")
    countries_list = entry.get("countries_list")
    if countries_list is not None and countries_list not in {c.id for c in lists}:
        problems.append(f"countries_list {countries_list!r} is not a list of this document")
    partners = entry.get("partners", [])
    if not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
        problems.append("partners must be a list of names ([] if none)")
    return check


def read_yaml(text: str) -> Any:
    """``yaml.safe_load`` through libyaml's parser: the same safe constructors, five times faster on the
    annotation files (every documents dataset reads all of them)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_annotation(text: str, source: str) -> dict[str, Any]:
    """Parse one annotation file; structural problems raise :class:`AnnotationError` naming the file."""
    try:
        data = read_yaml(text)
    except yaml.YAMLError as exc:
        raise AnnotationError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("figures"), list):
        raise AnnotationError(f"{source}: expected a mapping with a 'figures' list")
    if not all(isinstance(f, dict) for f in data["figures"]):
        raise AnnotationError(f"{source}: every entry of 'figures' must be a mapping")
    for section in ("ignore", "lists", "phases"):
        entries = data.get(section) or []
        if not isinstance(entries, list) or not all(isinstance(i, dict) for i in entries):
            raise AnnotationError(f"{source}: '{section}' must be a list of mappings")
    return data


def _duplicates(items: Iterable[Any], what: str) -> None:
    seen: dict[str, int] = {}
    items = list(items)
    for item in items:
        seen[item.id] = seen.get(item.id, 0) + 1
    for item in items:
        if seen[item.id] > 1:
            item.problems.append(f"{what} id occurs {seen[item.id]} times in the file")


def check_document(
    document: Document, annotation: dict[str, Any], regions: dict[str, str] | None = None
) -> DocumentCheck:
    """Verify every figure, list, phase and ignore entry, and the coverage of one document.

    ``regions`` maps the region ids of documents/regions.csv to their names (read from the repo if None).
    """
    problems = []
    if annotation.get("document") != document.name:
        problems.append(f"annotation names document {annotation.get('document')!r}")
    if not annotation.get("reviewed_by"):
        problems.append("reviewed_by is empty: a person must review the annotation")
    regions = read_regions() if regions is None else regions
    figures = [check_figure(document, f) for f in annotation["figures"]]
    lists = [check_list(document, entry, regions) for entry in annotation.get("lists") or []]
    phases = [check_phase(document, entry, figures, lists) for entry in annotation.get("phases") or []]
    for items, what in ((figures, "figure"), (lists, "list"), (phases, "phase")):
        _duplicates(items, what)
    phase_ids = {p.id for p in phases}
    for item in [*figures, *lists]:
        phase = (item.figure if isinstance(item, FigureCheck) else item.entry).get("phase")
        if phase is not None and phase not in phase_ids:
            item.problems.append(f"phase {phase!r} is not a phase of this document")
    ignores = [check_ignore(document, i, entry) for i, entry in enumerate(annotation.get("ignore") or [], 1)]
    numbers = scan(document)
    account(numbers, figures, ignores, lists)
    return DocumentCheck(
        document=document,
        reviewed_by=annotation.get("reviewed_by"),
        figures=figures,
        ignores=ignores,
        numbers=numbers,
        problems=problems,
        lists=lists,
        phases=phases,
    )


REGIONS_FILE = Path(__file__).resolve().parents[2] / "documents" / "regions.csv"
REGION_COLUMNS = ("region_id", "region_name", "iso3", "basis")


def read_regions(text: str | None = None) -> dict[str, str]:
    """region_id -> region_name from documents/regions.csv (or its text): the reviewed region members."""
    text = REGIONS_FILE.read_text(encoding="utf-8") if text is None else text
    rows = list(csv.DictReader(text.splitlines()))
    if rows and tuple(rows[0]) != REGION_COLUMNS:
        raise AnnotationError(f"regions.csv: expected columns {', '.join(REGION_COLUMNS)}")
    return {row["region_id"]: row["region_name"] for row in rows}
