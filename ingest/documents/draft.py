"""Drafting an annotation file for a new document, and measuring how much of a reviewed one a draft gets right.

``python -m ingest.documents draft <file.txt>`` proposes, for a person to review:

* a figure for every number the scanner finds (digits and words) that no rule explains: its quote (the
  sentence part around it, made unique), the Dutch reading with scale, qualifier and range, a unit guess
  (the currency or percent the text states, else the noun after the number: ``mensen`` -> persons,
  ``landen`` -> countries, ``jaar`` -> years, ...) and a period guess (the year written closest to it);
* a list for every run of country and region names (``Tunesië, Libanon, Jordanië en Egypte``), names
  resolved to ISO3 or to a region of documents/regions.csv, with a role guess from the words before it
  (``bijv.``/``zoals`` -> example, ``focus`` -> focus, ``actief in`` -> programme_country, ...) and the
  count the text states for it (``in 14 landen``).

:func:`evaluate` compares drafts with the reviewed annotation files: a reviewed figure counts as proposed
exactly when a draft figure has the same number (same place in the text), value (or range) and unit; a
reviewed list when a draft list has the same members (and, counted apart, the same role).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ingest.common import countries
from ingest.common.dutch_numbers import (
    MONEY_UNITS,
    NotADutchNumber,
    has_ocr_letters,
    is_dutch,
    ocr_reading,
    parse_dutch,
    read_in_context,
    read_words,
    token_pattern,
)
from ingest.documents.annotations import UNIT_KINDS, Document, DocumentCheck, NumberToken, scan

_NOUN_UNITS = (
    (
        r"mensen|personen|vluchtelingen|migranten|kinderen|slachtoffers|deelnemers|asielzoekers|terugkeerders|"
        r"ontheemden|jongeren|vrouwen|studenten|functionarissen|voortvluchtigen|Ethiopiërs|leden",
        "persons",
    ),
    (r"landen", "countries"),
    (r"jaar|jaren", "years"),
    (r"maanden", "months"),
    (r"activiteiten?", "activities"),
    (r"projecten|onderzoeken", "projects"),
    (r"organisaties|donoren|partners", "organisations"),
    ("programma[\u2019']?s", "programmes"),
    (r"wetten", "laws"),
)
_NOUN_AFTER = re.compile(
    "^\\s*(?:[\\w\u2019'-]+\\s+){0,3}?(" + "|".join(p for p, _ in _NOUN_UNITS) + r")\b", re.IGNORECASE
)
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d])")
_SENTENCE_END = re.compile(r"[.;:!?]\s|\n\n")
_ROLE_CUES = (
    (re.compile(r"bijv\.|bijvoorbeeld|zoals|onder meer|onder andere|o\.a\.|denk aan", re.IGNORECASE), "example"),
    (re.compile(r"focus|richt zich|met name op|prioriteit", re.IGNORECASE), "focus"),
    (re.compile(r"actief in|programma|project|uitgevoerd|financiert|steun", re.IGNORECASE), "programme_country"),
    (re.compile(r"partnerschap|samenwerking met|partnerlanden", re.IGNORECASE), "partner"),
    (re.compile(r"herkomst|komt uit|uit (?:vijf|de)", re.IGNORECASE), "origin"),
    (re.compile(r"doorreis|transit", re.IGNORECASE), "transit"),
)
_COUNT_BEFORE = re.compile(r"(\S+)\s+landen\b[^.]{0,20}$")
# Between two names of one list: separators, list markers and words like "en", "of".
_GAP = re.compile(r"^(?:[\s,;()\[\].|*\d]|\ben\b|\bof\b|\balsook\b|\bsamen met\b)*$")
_NAME = re.compile("[A-Z][\\w\u2019'-]*(?:(?: |-\n?)[A-Z][\\w\u2019'-]*){0,2}")


@dataclass
class Mention:
    start: int
    end: int
    name: str
    iso3: str | None
    region: str | None

    @property
    def key(self) -> str:
        return self.iso3 or f"region:{self.region}"


def _unique_quote(document: Document, start: int, end: int) -> str:
    """The sentence part around [start, end): grown word by word until it occurs once."""
    text = document.text
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 80), start)), default=max(0, start - 40))
    right_match = _SENTENCE_END.search(text, end, min(len(text), end + 60))
    right = right_match.start() if right_match else min(len(text), end + 30)
    lo, hi = max(left, start - 30), min(right, end + 25)
    while document.text.count(text[lo:hi]) > 1 and (lo > left or hi < right):
        lo, hi = max(left, lo - 10), min(right, hi + 10)
    while lo > left and not text[lo - 1].isspace():  # whole words only
        lo -= 1
    while hi < right and not text[hi].isspace():
        hi += 1
    return text[lo:hi]


def _unit_guess(after: str, stated: str | None, fraction: bool) -> str:
    if stated is not None:
        return stated
    if fraction:
        return "fraction"
    match = _NOUN_AFTER.match(after[:60])
    if match:
        word = match.group(1).lower()
        return next(unit for pattern, unit in _NOUN_UNITS if re.fullmatch(pattern, word, re.IGNORECASE))
    return "count"


def _period_guess(document: Document, start: int) -> tuple[str | None, str | None]:
    text = document.text
    lo = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    hi_match = _SENTENCE_END.search(text, start)
    hi = hi_match.start() if hi_match else len(text)
    years = [(abs(m.start() - start), m.group()) for m in _YEAR.finditer(text, lo, hi) if m.start() != start]
    if not years:
        return None, None
    year = min(years)[1]
    return f"{year}-01-01", f"{year}-12-31"


def draft_figure(document: Document, token: NumberToken, index: int) -> dict[str, Any] | None:
    """A figure proposal for one scanned number; None when the token cannot be read at all."""
    text = document.text
    before, after = text[max(0, token.start - 40) : token.start], text[token.end : token.end + 80]
    words = read_words(token.token)
    ocr_flag = None
    try:
        if words is not None:
            number = words.value if words.value is not None else Decimal(1)
        elif has_ocr_letters(token.token) or not is_dutch(token.token):
            number, ocr_flag = ocr_reading(token.token), f"check: {token.token!r} is not a Dutch number"
        else:
            number = parse_dutch(token.token)
    except NotADutchNumber:
        return None
    reading = read_in_context(before, token.token, after, number=number)
    value, low, high = reading.value, None, None
    if words is not None and words.value is None:
        assert words.low is not None and words.high is not None
        value, low, high = None, words.low * reading.scale, words.high * reading.scale
    fraction = words is not None and words.value is not None and words.value < 1
    unit = _unit_guess(after, reading.unit, fraction)
    start, end = _period_guess(document, token.start)
    table = "other_amount" if unit in MONEY_UNITS else "context_statistic"
    figure = {
        "id": f"draft-{document.line_of(token.start)}-{index}",
        "table": table,
        "subject": "TODO",
        "programme": None,
        "policy_track": None,
        "country_name": None,
        "iso3": None,
        "partners": [],
        "attributed_source": None,
        "period_start": start,
        "period_end": end,
        "metric": "todo",
        "value": None if value is None else _plain(value),
        "unit": unit,
        "quote": _unique_quote(document, token.start, token.end),
        "number": token.token,
        "scale_quote": None,
        "ocr_flag": ocr_flag,
        "note": f"draft: line {document.line_of(token.start)}; check unit, period, table and subject",
    }
    if token.qualifier:
        figure["qualifier"] = token.qualifier
    if low is not None:
        figure.update(value_low=_plain(low), value_high=_plain(high))
    return figure


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def mentions(document: Document, regions: dict[str, str]) -> list[Mention]:
    """Every country or region name in the text (longest name first), the Netherlands itself excepted."""
    text = document.text
    region_names = {countries.fold(name): region for region, name in regions.items()}
    found: list[Mention] = []
    position = 0
    for match in _NAME.finditer(text):
        if match.start() < position:
            continue
        words = re.split(r"(?<=\S)(?= )", match.group())
        for size in range(len(words), 0, -1):
            candidate = "".join(words[:size]).strip()
            folded = countries.fold(candidate.replace("-\n", "-"))
            iso3 = countries.try_resolve(candidate)
            region = region_names.get(folded)
            if iso3 is None and region is None:
                continue
            if iso3 == "NLD":
                break
            end = match.start() + len(candidate)
            found.append(Mention(match.start(), end, candidate, iso3, region))
            position = end
            break
    return found


def draft_lists(document: Document, regions: dict[str, str]) -> list[dict[str, Any]]:
    """Runs of country and region names, with a role guessed from the words before the run."""
    text = document.text
    runs: list[list[Mention]] = []
    for mention in mentions(document, regions):
        if runs and _GAP.match(text[runs[-1][-1].end : mention.start]) and mention.start - runs[-1][-1].end < 15:
            runs[-1].append(mention)
        else:
            runs.append([mention])
    proposals = []
    for index, run in enumerate(runs, start=1):
        context = text[max(0, run[0].start - 80) : run[0].start]
        role = next((role for cue, role in _ROLE_CUES if cue.search(context)), None)
        if len(run) < 2 and role not in ("example", "focus"):
            continue
        members, seen = [], set()
        for mention in run:
            if mention.key in seen:
                continue
            seen.add(mention.key)
            members.append(
                {"name": mention.name, "iso3": mention.iso3}
                if mention.iso3
                else {"name": mention.name, "region": mention.region}
            )
        count = _COUNT_BEFORE.search(context)
        quote_start = run[0].start - (len(context) - count.start()) if count else run[0].start
        proposals.append(
            {
                "id": f"draft-list-{document.line_of(run[0].start)}-{index}",
                "role": role or "mentioned",
                "subject": "TODO",
                "policy_track": None,
                "programme": None,
                "period_start": None,
                "period_end": None,
                "quote": text[quote_start : run[-1].end],
                "number": count.group(1) if count else None,
                "members": members,
                "note": "draft: check role, track, programme and period",
            }
        )
    return proposals


def draft(document: Document, regions: dict[str, str]) -> dict[str, Any]:
    """A draft annotation file: figures for every number no rule explains, and the country lists."""
    tokens = [t for t in scan(document) if t.accounted_by != "rule"]
    figures = [f for i, t in enumerate(tokens, start=1) if (f := draft_figure(document, t, i)) is not None]
    return {
        "document": document.name,
        "reviewed_by": None,
        "figures": figures,
        "lists": draft_lists(document, regions),
        "ignore": [],
    }


# --- how good is a draft? -------------------------------------------------------------------------------


@dataclass
class Score:
    reviewed: int = 0
    proposed: int = 0
    matched_reviewed: int = 0
    matched_proposed: int = 0

    @property
    def recall(self) -> float:
        return self.matched_reviewed / self.reviewed if self.reviewed else float("nan")

    @property
    def precision(self) -> float:
        return self.matched_proposed / self.proposed if self.proposed else float("nan")


def _figure_key(figure: dict[str, Any], span: tuple[int, int] | None) -> tuple[Any, ...]:
    def number(value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value)).normalize()

    return (
        span,
        number(figure.get("value")),
        number(figure.get("value_low")),
        number(figure.get("value_high")),
        figure.get("unit"),
    )


def _span_in(document: Document, figure: dict[str, Any]) -> tuple[int, int] | None:
    quote, token = str(figure.get("quote")), str(figure.get("number"))
    where = document.occurrences(quote)
    if len(where) != 1:
        return None
    match = token_pattern(token).search(quote)
    return None if match is None else (where[0] + match.start(), where[0] + match.end())


def evaluate(document: Document, check: DocumentCheck, regions: dict[str, str]) -> dict[str, Score]:
    """Recall and precision of the draft of ``document`` against its reviewed annotation, per kind."""
    proposal = draft(document, regions)
    scores: dict[str, Score] = {}
    reviewed = {
        _figure_key(f.figure, f.number_span): UNIT_KINDS.get(str(f.figure.get("unit")), "other")
        for f in check.figures
        if f.number_span is not None
    }
    drafted = {_figure_key(f, _span_in(document, f)): UNIT_KINDS.get(f["unit"], "other") for f in proposal["figures"]}
    for key, kind in reviewed.items():
        score = scores.setdefault(f"figures: {kind}", Score())
        score.reviewed += 1
        score.matched_reviewed += key in drafted
    for key, kind in drafted.items():
        score = scores.setdefault(f"figures: {kind}", Score())
        score.proposed += 1
        score.matched_proposed += key in reviewed

    def members(entry: dict[str, Any]) -> frozenset[str]:
        return frozenset(str(m.get("iso3") or f"region:{m.get('region')}") for m in entry["members"])

    reviewed_lists = Counter((members(c.entry), c.entry.get("role")) for c in check.lists)
    drafted_lists = Counter((members(e), e["role"]) for e in proposal["lists"])
    for kind, project in (("lists: members", lambda k: k[0]), ("lists: members and role", lambda k: k)):
        want = Counter(project(k) for k in reviewed_lists.elements())
        have = Counter(project(k) for k in drafted_lists.elements())
        hits = sum((want & have).values())
        scores[kind] = Score(sum(want.values()), sum(have.values()), hits, hits)
    return scores
