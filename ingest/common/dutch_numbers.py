"""Reading numbers the Dutch way, as the policy documents write them.

``.`` groups thousands and ``,`` is the decimal comma: ``1.859`` is 1859 and ``0,2`` is 0.2. A scale word
after the number multiplies it (``7,4 miljard``, ``max. EUR 800 mln.``), a currency before or after it
names the unit (``EUR 249.000``, ``42 miljoen Euro``, ``USD 681 miljard``) and ``%``/``procent`` makes it
a percentage. Anything that does not follow these rules is an error, never a guess: ``1.5`` could be
either convention, so it is refused.

OCR turns digits into look-alike letters (``2l`` for ``21``). :func:`ocr_reading` applies a fixed,
documented substitution table so that a person's reading of such a token can be checked; the figure that
relies on it must carry an ``ocr_flag``. A point followed by one, two or four and more digits (``6.6``)
cannot group thousands, so it can only be a decimal point written the English way: :func:`ocr_reading`
reads it as one, and the figure must say so in ``ocr_flag`` too.

Numbers written in words (:func:`read_words`): ``vijftien``, ``tweehonderd``, ``eenentwintig``, ``één``,
``een``/``twee`` before a scale word (``twee miljoen``), fractions (``een derde``, ``de helft``), and
plurals of a power of ten, which are ranges: ``tienduizenden`` means from two to ten times ten thousand
(20 000 to 100 000), ``tientallen`` 20 to 100. ``dertigtal`` is about thirty. Qualifiers before a number
(:data:`QUALIFIERS`: ``ruim``, ``circa``, ``bijna``, ``max.``, ...) say whether it is exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Digits with Dutch grouping: "1.859", "249.000", "7,4", "0,2", "5,8", "2023".
NUMBER_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_DUTCH = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")

SCALES: dict[str, int] = {
    "duizend": 10**3,
    "miljoen": 10**6,
    "mln": 10**6,
    "miljard": 10**9,
    "mld": 10**9,
    "mrd": 10**9,
    # plural scale words after a number word: "tientallen miljarden" (tens of billions)
    "miljoenen": 10**6,
    "miljarden": 10**9,
}
_SCALE_AFTER = re.compile(r"^\s*(duizend|miljoen|miljard|miljoenen|miljarden|mln|mld|mrd)\b\.?", re.IGNORECASE)
# Scale words as OCR damages them ("mln." read as "min."); accepted only for figures with an ocr_flag.
OCR_SCALES: dict[str, str] = {"min": "mln", "rnln": "mln", "rnld": "mld", "miljocn": "miljoen"}
_SCALE_AFTER_OCR = re.compile(r"^\s*(min|rnln|rnld|miljocn)\b\.?", re.IGNORECASE)
_SCALE_ANYWHERE = re.compile(r"\b(duizend|miljoen|miljard|mln|mld|mrd)\b", re.IGNORECASE)

_CURRENCY_WORDS = (
    (r"US\$|USD|US[ -]dollars?|dollars?|\$", "USD"),
    (r"EUR|€|[Ee]uros?", "EUR"),
)
_CURRENCY_BEFORE = [(re.compile(rf"(?:{pattern})\s*$"), unit) for pattern, unit in _CURRENCY_WORDS]
_CURRENCY_AFTER = [(re.compile(rf"^\s*(?:{pattern})(?![A-Za-z])"), unit) for pattern, unit in _CURRENCY_WORDS]
_CURRENCY_ANYWHERE = [
    (re.compile(rf"(?<![A-Za-z])(?:{pattern})(?![A-Za-z])"), unit) for pattern, unit in _CURRENCY_WORDS
]
_PERCENT_AFTER = re.compile(r"^\s*(?:%|procent\b)", re.IGNORECASE)

MONEY_UNITS = frozenset({"EUR", "USD"})
STATED_UNITS = MONEY_UNITS | {"percent"}

# Letters OCR puts where digits were; used only to check a person's reading of a flagged token.
OCR_DIGITS = {"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "S": "5", "B": "8", "Z": "2"}


class NotADutchNumber(ValueError):
    pass


def parse_dutch(token: str) -> Decimal:
    """``1.859`` -> 1859, ``0,2`` -> 0.2, ``249.000`` -> 249000; anything ambiguous raises."""
    if not _DUTCH.match(token):
        raise NotADutchNumber(f"{token!r} is not a number written the Dutch way (1.859 / 0,2 / 249.000)")
    return Decimal(token.replace(".", "").replace(",", "."))


def is_dutch(token: str) -> bool:
    return bool(_DUTCH.match(token))


_ENGLISH_DECIMAL = re.compile(r"^\d+\.(?:\d{1,2}|\d{4,})$")


def ocr_reading(token: str) -> Decimal:
    """The token with OCR look-alike letters replaced by digits, then read the Dutch way.

    A single point that cannot group thousands (``6.6``, ``2.75``) is read as a decimal point.
    """
    token = "".join(OCR_DIGITS.get(ch, ch) for ch in token)
    if _ENGLISH_DECIMAL.match(token):
        return Decimal(token)
    return parse_dutch(token)


def has_ocr_letters(token: str) -> bool:
    return any(not ch.isdigit() and ch not in ".," for ch in token)


def token_pattern(token: str) -> re.Pattern[str]:
    """Where ``token`` stands as a whole number: not part of a longer number (or word) on either side."""
    if token[:1].isalpha():
        return re.compile(rf"(?<!\w){re.escape(token)}(?!\w)")
    return re.compile(rf"(?<!\d)(?<!\d[.,]){re.escape(token)}(?!\d)(?![.,]\d)")


@dataclass(frozen=True)
class Reading:
    """What a number in its context says: value in normalised units and the unit the text states."""

    number: Decimal  # the digits as written
    scale: int  # 1, 10**3, 10**6 or 10**9
    unit: str | None  # "EUR", "USD", "percent" or None when the text states no unit
    precision: Decimal  # place value of the last written digit, times the scale (3,8 miljoen -> 100000)
    ocr_scale: bool = False  # the scale word was read through OCR_SCALES

    @property
    def value(self) -> Decimal:
        return self.number * self.scale


def _decimals(token: str) -> int:
    return len(token.split(",", 1)[1]) if "," in token else 0


def read_in_context(
    before: str, token: str, after: str, number: Decimal | None = None, *, ocr: bool = False
) -> Reading:
    """Read ``token`` with the words around it: scale word after, currency before or after, percent.

    With ``ocr`` a scale word damaged by OCR (``min.`` for ``mln.``) is read through :data:`OCR_SCALES`.
    """
    number = parse_dutch(token) if number is None else number
    scale, ocr_scale = 1, False
    scale_match = _SCALE_AFTER.match(after)
    if scale_match:
        scale = SCALES[scale_match.group(1).lower()]
        after = after[scale_match.end() :]
    elif ocr and (ocr_match := _SCALE_AFTER_OCR.match(after)):
        scale, ocr_scale = SCALES[OCR_SCALES[ocr_match.group(1).lower()]], True
        after = after[ocr_match.end() :]
    unit = None
    if _PERCENT_AFTER.match(after):
        unit = "percent"
    else:
        for pattern, currency in _CURRENCY_BEFORE:
            if pattern.search(before):
                unit = currency
                break
        else:
            for pattern, currency in _CURRENCY_AFTER:
                if pattern.match(after):
                    unit = currency
                    break
    precision = Decimal(scale) / (Decimal(10) ** _decimals(token))
    return Reading(number=number, scale=scale, unit=unit, precision=precision, ocr_scale=ocr_scale)


def read_header(header: str) -> tuple[int, str | None]:
    """Scale and currency stated by a table header such as ``Bedrag in EUR miljoen`` or ``(Euro, mln.)``."""
    scale_match = _SCALE_ANYWHERE.search(header)
    scale = SCALES[scale_match.group(1).lower()] if scale_match else 1
    unit = next((currency for pattern, currency in _CURRENCY_ANYWHERE if pattern.search(header)), None)
    return scale, unit


# --- numbers written in words ----------------------------------------------------------------------------

_UNIT_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
}
_TEEN_WORDS = {
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_TENS_WORDS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_COMPOUND = re.compile(rf"^({'|'.join(_UNIT_WORDS)})[eë]n({'|'.join(_TENS_WORDS)})$")
# Fractions as written: "een derde", "twee derde", "een kwart", "de helft", "anderhalf", "driekwart".
_DENOMINATORS = {"derde": 3, "kwart": 4, "vierde": 4, "vijfde": 5}
FRACTION_PHRASE = re.compile(
    r"(?<!\w)(een|één|twee|drie|vier)\s+(derde|kwart|vijfde)(?!\w)"
    r"(?!\s+(?:land|landen|partij|partijen|lidstaat|weg|fase|keer|plaats|pijler|prioriteit)\b)",
    re.IGNORECASE,
)
_WHOLE_FRACTIONS = {"helft": Decimal("0.5"), "anderhalf": Decimal("1.5"), "driekwart": Decimal("0.75")}
_PLURAL_POWERS = {
    "tientallen": 10,
    "honderden": 100,
    "duizenden": 1000,
    "tienduizenden": 10_000,
    "honderdduizenden": 100_000,
    "miljoenen": 10**6,
    "miljarden": 10**9,
}
SCALE_WORDS = frozenset({"duizend", "miljoen", "miljard", "miljoenen", "miljarden"})
WORD = re.compile(r"[^\W\d_]+")
# Qualifiers before a number, by what they say about it; a currency may stand between ("max. EUR 800").
QUALIFIERS: dict[str, str] = {
    "ruim": "more_than",
    "meer dan": "more_than",
    "bijna": "almost",
    "nagenoeg": "almost",
    "circa": "approximate",
    "ca.": "approximate",
    "ongeveer": "approximate",
    "zo'n": "approximate",
    "zo\u2019n": "approximate",
    "rond de": "approximate",
    "naar schatting": "approximate",
    "maximaal": "at_most",
    "max.": "at_most",
    "hooguit": "at_most",
    "ten hoogste": "at_most",
    "minstens": "at_least",
    "ten minste": "at_least",
    "tenminste": "at_least",
    "minimaal": "at_least",
    "minder dan": "less_than",
}
_QUALIFIER_BEFORE = re.compile(
    rf"(?<![\w.])({'|'.join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))})"
    rf"\s*(?:(?:EUR|€|USD|US\$|\$)\s*)?$",
    re.IGNORECASE,
)


def qualifier_before(before: str) -> str | None:
    """The qualifier (``ruim`` -> ``more_than``) written right before a number, if any."""
    match = _QUALIFIER_BEFORE.search(before[-30:])
    return QUALIFIERS[match.group(1).lower()] if match else None


@dataclass(frozen=True)
class WordReading:
    """What a number written in words says: a value, or a range for plurals of a power of ten."""

    value: Decimal | None  # None for a range
    low: Decimal | None = None
    high: Decimal | None = None
    approximate: bool = False  # "dertigtal": about thirty


def _below_100(word: str) -> int | None:
    for table in (_UNIT_WORDS, _TEEN_WORDS, _TENS_WORDS):
        if word in table:
            return table[word]
    match = _COMPOUND.match(word)
    return _UNIT_WORDS[match.group(1)] + _TENS_WORDS[match.group(2)] if match else None


def _below_1000(word: str) -> int | None:
    if "honderd" not in word:
        return _below_100(word)
    head, _, tail = word.partition("honderd")
    hundreds = 1 if head == "" else _UNIT_WORDS.get(head)
    rest = 0 if tail == "" else _below_100(tail.removeprefix("en"))
    return None if hundreds is None or rest is None else hundreds * 100 + rest


def word_integer(word: str) -> int | None:
    """``vijftien`` -> 15, ``tweehonderdvijftig`` -> 250, ``drieduizend`` -> 3000; None if not a number."""
    word = word.lower()
    if "duizend" not in word:
        return _below_1000(word)
    head, _, tail = word.partition("duizend")
    thousands = 1 if head == "" else _below_1000(head)
    rest = 0 if tail == "" else _below_1000(tail)
    return None if thousands is None or rest is None else thousands * 1000 + rest


def read_words(token: str) -> WordReading | None:
    """A number written in words, or None when ``token`` is not one."""
    words = token.lower().split()
    if len(words) == 2 and words[1] in _DENOMINATORS and words[0] in _UNIT_WORDS:
        value = Decimal(_UNIT_WORDS[words[0]]) / _DENOMINATORS[words[1]]
        return WordReading(value.quantize(Decimal("0.0001")))
    if len(words) != 1:
        return None
    word = words[0]
    if word in _WHOLE_FRACTIONS:
        return WordReading(_WHOLE_FRACTIONS[word])
    if word in _PLURAL_POWERS:
        power = Decimal(_PLURAL_POWERS[word])
        return WordReading(None, low=2 * power, high=10 * power)
    if word in SCALE_WORDS:
        return WordReading(Decimal(SCALES[word]))
    if word.endswith("tal") and (about := word_integer(word.removesuffix("tal"))) is not None and about >= 10:
        return WordReading(Decimal(about), approximate=True)
    value = word_integer(word)
    return None if value is None else WordReading(Decimal(value))


def is_word_number(token: str) -> bool:
    return read_words(token) is not None
