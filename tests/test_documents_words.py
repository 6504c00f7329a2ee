"""Numbers in words, qualifiers, ranges, ratios and the decimal-point rule: read, scanned and checked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.common.dutch_numbers import ocr_reading, qualifier_before, read_words
from ingest.documents.annotations import Document, check_document, check_figure, scan


@pytest.mark.parametrize(
    ("token", "value", "low", "high"),
    [
        ("vijftien", 15, None, None),
        ("eenentwintig", 21, None, None),
        ("tweehonderdvijftig", 250, None, None),
        ("honderdduizend", 100_000, None, None),
        ("één", 1, None, None),
        ("een derde", Decimal("0.3333"), None, None),
        ("helft", Decimal("0.5"), None, None),
        ("tienduizenden", None, 20_000, 100_000),
        ("tientallen", None, 20, 100),
        ("dertigtal", 30, None, None),
    ],
)
def test_number_words_read(token: str, value, low, high) -> None:
    reading = read_words(token)
    assert reading is not None
    assert (reading.value, reading.low, reading.high) == (value, low, high)


@pytest.mark.parametrize("word", ["achtergrond", "tweede", "Nederland", "q"])
def test_other_words_are_not_numbers(word: str) -> None:
    assert read_words(word) is None


@pytest.mark.parametrize(
    ("before", "qualifier"),
    [
        ("ruim ", "more_than"),
        ("circa ", "approximate"),
        ("bijna EUR ", "almost"),
        ("max. EUR ", "at_most"),
        ("in ", None),
    ],
)
def test_qualifiers_before_a_number(before: str, qualifier: str | None) -> None:
    assert qualifier_before(before) == qualifier


def test_a_point_that_cannot_group_thousands_is_a_decimal_point() -> None:
    assert ocr_reading("6.6") == Decimal("6.6")
    assert ocr_reading("2l") == Decimal(21)


TEXT = (
    "Er zijn twee miljoen mensen ontheemd, een derde van hen kinderen. In vijftien landen werken we. "
    "Tienduizenden vluchtelingen kregen werk. Elke ingelegde dollar levert 3-8 dollar in lening op. "
    "Voor Noord-Afrika gaat het om 6.6 miljoen Euro. Het gaat om ruim 200 mensen. Ook één op één gesprekken."
)


def test_the_scanner_finds_number_words_but_not_articles_or_scales() -> None:
    tokens = {(t.token, t.kind) for t in scan(Document("x.txt", TEXT))}
    assert {("twee", "words"), ("een derde", "words"), ("vijftien", "words"), ("Tienduizenden", "words")} <= tokens
    assert not any(t == "miljoen" for t, _ in tokens)  # the scale of "twee miljoen" and "6.6 miljoen"
    assert ("200", "digits") in tokens


def test_an_unannotated_number_word_fails_the_check() -> None:
    document = Document("x.txt", TEXT)
    check = check_document(document, {"document": "x.txt", "reviewed_by": "me", "figures": []}, regions={})
    unaccounted = {n.token for n in check.numbers if n.accounted_by == "unaccounted"}
    assert {"twee", "een derde", "vijftien", "Tienduizenden"} <= unaccounted


def figure(**fields) -> dict:
    return {"id": "f", "table": "context_statistic", "subject": "x", "metric": "m", "partners": [], **fields}


def test_words_with_a_scale_read_as_value() -> None:
    document = Document("x.txt", TEXT)
    good = figure(quote="twee miljoen mensen", number="twee", value=2_000_000, unit="persons")
    assert check_figure(document, good).ok
    assert not check_figure(document, {**good, "value": 2}).ok


def test_a_plural_power_is_a_range_with_low_and_high() -> None:
    document = Document("x.txt", TEXT)
    good = figure(quote="Tienduizenden vluchtelingen", number="Tienduizenden", value_low=20_000, value_high=100_000)
    assert check_figure(document, {**good, "unit": "persons"}).ok
    assert not check_figure(document, {**good, "unit": "persons", "value": 20_000}).ok
    assert not check_figure(document, {**good, "unit": "persons", "value_high": 90_000}).ok


def test_a_money_ratio_is_a_ratio_not_money() -> None:
    document = Document("x.txt", TEXT)
    ratio = figure(
        quote="Elke ingelegde dollar levert 3-8 dollar", number="3", number_high="8", value_low=3, value_high=8
    )
    assert check_figure(document, {**ratio, "unit": "ratio"}).ok
    without_base = {**ratio, "quote": "levert 3-8 dollar", "unit": "ratio"}
    assert any("base" in p for p in check_figure(document, without_base).problems)


def test_the_decimal_point_rule_needs_a_flag_and_reads_the_value() -> None:
    document = Document("x.txt", TEXT)
    amount = figure(quote="6.6 miljoen Euro", number="6.6", unit="EUR")
    assert any("ocr_flag" in p for p in check_figure(document, {**amount, "value": 6_600_000}).problems)
    flagged = {**amount, "ocr_flag": "decimal point"}
    assert check_figure(document, {**flagged, "value": 6_600_000}).number_reading == "decimal_point"
    assert check_figure(document, {**flagged, "value": 6_600_000}).ok
    assert not check_figure(document, {**flagged, "value": 66_000_000}).ok


def test_a_written_qualifier_must_be_annotated() -> None:
    document = Document("x.txt", TEXT)
    exact = figure(quote="ruim 200 mensen", number="200", value=200, unit="persons")
    assert any("more_than" in p for p in check_figure(document, exact).problems)
    assert check_figure(document, {**exact, "qualifier": "more_than"}).ok


def test_an_ignore_entry_covers_every_occurrence_in_its_quote() -> None:
    document = Document("x.txt", TEXT)
    annotation = {
        "document": "x.txt",
        "reviewed_by": "me",
        "figures": [],
        "ignore": [{"quote": "één op één", "number": "één", "reason": "one-to-one"}],
    }
    check = check_document(document, annotation, regions={})
    assert all(n.accounted_by == "ignore" for n in check.numbers if n.token == "één")
