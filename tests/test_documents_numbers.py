"""The Dutch number reader: the forms the documents use, and refusals where a reading would be a guess."""

from decimal import Decimal

import pytest

from ingest.common.dutch_numbers import NotADutchNumber, ocr_reading, parse_dutch, read_header, read_in_context


def read(text: str, token: str):
    at = text.index(token)
    return read_in_context(text[:at], token, text[at + len(token) :])


@pytest.mark.parametrize(
    ("text", "token", "value", "unit"),
    [
        ("een steunpakket van EUR 7,4 miljard", "7,4", Decimal(7_400_000_000), "EUR"),
        ("1.859 mensen", "1.859", Decimal(1859), None),
        ("0,2", "0,2", Decimal("0.2"), None),
        ("max. EUR 800 mln. voor", "800", Decimal(800_000_000), "EUR"),
        ("bijdrage van 42 miljoen Euro in 2011", "42", Decimal(42_000_000), "EUR"),
        ("EUR 249.000 (2024-2026)", "249.000", Decimal(249_000), "EUR"),
        ("naar schatting USD 681 \nmiljard bedragen", "681", Decimal(681_000_000_000), "USD"),
        ("ongeveer 3,6 procent van de", "3,6", Decimal("3.6"), "percent"),
        ("2014-2023 73% uit vijf landen", "73", Decimal(73), "percent"),
        ("(Nederlandse bijdrage: Euro 200.000)", "200.000", Decimal(200_000), "EUR"),
        ("circa 117 miljoen mensen", "117", Decimal(117_000_000), None),
    ],
)
def test_reads_numbers_the_dutch_way(text: str, token: str, value: Decimal, unit: str | None) -> None:
    reading = read(text, token)
    assert reading.value == value
    assert reading.unit == unit


def test_precision_is_the_place_value_of_the_last_digit_written() -> None:
    assert read("Iran (3,8 miljoen)", "3,8").precision == Decimal(100_000)
    assert read("Pakistan (2 miljoen)", "2").precision == Decimal(1_000_000)
    assert read("1.009 Afrikaanse migranten", "1.009").precision == Decimal(1)


@pytest.mark.parametrize("token", ["1.5", "6.6", "1,5,5", "12.34", "2l"])
def test_ambiguous_or_damaged_tokens_are_refused(token: str) -> None:
    with pytest.raises(NotADutchNumber):
        parse_dutch(token)


def test_ocr_table_reads_look_alike_letters_only_when_asked() -> None:
    assert ocr_reading("2l") == Decimal(21)
    assert ocr_reading("1O0") == Decimal(100)
    assert read_in_context("voor EUR ", "100", " min. en een looptijd", ocr=True).value == Decimal(100_000_000)
    assert read_in_context("voor EUR ", "100", " min. en een looptijd").value == Decimal(100)


@pytest.mark.parametrize(
    ("header", "scale", "unit"),
    [
        ("Bedrag in EUR miljoen.", 1_000_000, "EUR"),
        ("Uitgaven 2010(Euro, mln.)", 1_000_000, "EUR"),
        ("Aantal", 1, None),
    ],
)
def test_table_headers_give_scale_and_currency(header: str, scale: int, unit: str | None) -> None:
    assert read_header(header) == (scale, unit)
