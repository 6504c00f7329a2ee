"""One country resolver for every source: names in English or Dutch (with or without diacritics) to ISO3.

Names come from pycountry (ISO 3166-1 and its Dutch translation from the iso-codes project) plus a small,
reviewed alias file (``dbt_project/seeds/read_by_ingest/country_aliases.csv``) for short forms, UNHCR's and IOM's
spellings and OCR damage. A name that resolves to nothing is an error for the caller to report.
"""

from __future__ import annotations

import csv
import gettext
import importlib.metadata
import unicodedata
from functools import cache

import pycountry

from ingest.common.source import REVIEWED_CSV_DIR

ALIAS_FILE = REVIEWED_CSV_DIR / "country_aliases.csv"

# Codes that are not ISO 3166-1 countries but occur in the sources; kept and labelled, never dropped.
PSEUDO_COUNTRIES: dict[str, str] = {
    "UNK": "Unknown (origin unknown or various)",
    "XXA": "Stateless",
    "TIB": "Tibetan",
    "AB9": "Abyei Area",
    "XKX": "Kosovo (not in ISO 3166-1; code used by the EU and IOM)",
}


@cache
def known_iso3() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes plus the pseudo-codes the warehouse keeps and labels."""
    return frozenset({c.alpha_3 for c in pycountry.countries} | set(PSEUDO_COUNTRIES))


def fold(name: str) -> str:
    """Case-, space- and diacritic-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@cache
def dutch() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)


def dutch_name(english: str) -> str:
    return dutch().gettext(english)


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        names = {country.name, dutch_name(country.name)}
        for attribute in ("official_name", "common_name"):
            if hasattr(country, attribute):
                names.add(getattr(country, attribute))
                names.add(dutch_name(getattr(country, attribute)))
        for name in names:
            index.setdefault(fold(name), country.alpha_3)
    with ALIAS_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            index[fold(row["alias"])] = row["iso3"]
    return index


class UnknownCountry(LookupError):
    pass


def resolve(name: str) -> str:
    """ISO3 for a country name in English or Dutch; raises :class:`UnknownCountry` when unknown."""
    iso3 = _index().get(fold(name))
    if iso3 is None:
        raise UnknownCountry(f"country name {name!r} resolves to no ISO3 code; add it to {ALIAS_FILE.name}")
    return iso3


def try_resolve(name: str | None) -> str | None:
    if not name:
        return None
    return _index().get(fold(name))


def reference_rows() -> list[dict[str, str | None]]:
    """ISO3, ISO2, English and Dutch names of every ISO 3166-1 country, then the labelled pseudo-codes."""
    rows: list[dict[str, str | None]] = [
        {
            "iso3": c.alpha_3,
            "iso2": c.alpha_2,
            "numeric": c.numeric,
            "name_en": getattr(c, "common_name", c.name),
            "name_nl": dutch_name(c.name),
            "official_name_en": getattr(c, "official_name", c.name),
            "is_pseudo_country": "false",
        }
        for c in pycountry.countries
    ]
    rows += [
        {
            "iso3": code,
            "iso2": None,
            "numeric": None,
            "name_en": label,
            "name_nl": None,
            "official_name_en": label,
            "is_pseudo_country": "true",
        }
        for code, label in PSEUDO_COUNTRIES.items()
    ]
    return rows


def library_version() -> str:
    return importlib.metadata.version("pycountry")
