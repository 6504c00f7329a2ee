"""Reading numbers the Dutch way, as the policy documents write them.

``.`` groups thousands and ``,`` is the decimal comma: ``1.859`` is 1859 and ``0,2`` is 0.2. A scale word
after the number multiplies it (``7,4 miljard``, ``max. EUR 800 mln.``), a currency before or after it
names the unit (``EUR 249.000``, ``42 miljoen Euro``, ``USD 681 miljard``) and ``%``/``procent`` makes it
a percentage. Anything that does not follow these rules is an error, never a guess: ``1.5`` could be
either convention, so it is refused.

OCR turns digits into look-alike letters (``2l`` for ``21``). :func:`ocr_reading` applies a fixed,
documented substitution table so that a person's reading of such a token can be checked; the figure that
relies on it must carry an ``ocr_flag``.
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
}
_SCALE_AFTER = re.compile(r"^\s*(duizend|miljoen|miljard|mln|mld|mrd)\b\.?", re.IGNORECASE)
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


def ocr_reading(token: str) -> Decimal:
    """The token with OCR look-alike letters replaced by digits, then read the Dutch way."""
    return parse_dutch("".join(OCR_DIGITS.get(ch, ch) for ch in token))


def has_ocr_letters(token: str) -> bool:
    return any(not ch.isdigit() and ch not in ".," for ch in token)


def token_pattern(token: str) -> re.Pattern[str]:
    """Where ``token`` stands as a whole number: not part of a longer number on either side."""
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
