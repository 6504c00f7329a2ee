"""Countries named in Dutch (and as OCR damaged them) resolve to ISO3; an unknown name is an error."""

import pytest

from ingest.common.countries import UnknownCountry, resolve
from ingest.documents.annotations import Document, check_figure


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Jordanië", "JOR"),
        ("Oeganda", "UGA"),
        ("Tsjaad", "TCD"),
        ("Ivoorkust", "CIV"),
        ("Libië", "LBY"),
        ("Libie", "LBY"),
        ("Libié", "LBY"),
        ("Ethiopié", "ETH"),
        ("Tunesié", "TUN"),
        ("Oekraine", "UKR"),
        ("Moldavië", "MDA"),
        ("Turkije", "TUR"),
    ],
)
def test_dutch_and_ocr_names_resolve(name: str, iso3: str) -> None:
    assert resolve(name) == iso3


def focus(country_name: str, iso3: str | None, ocr_flag: str | None = None) -> dict:
    return {
        "id": "focus-x",
        "table": "focus_country",
        "subject": "x",
        "country_name": country_name,
        "iso3": iso3,
        "partners": [],
        "metric": "focus_country",
        "value": None,
        "quote": f"samen met {country_name} en",
        "number": None,
        "ocr_flag": ocr_flag,
    }


def test_unresolved_name_fails_the_figure() -> None:
    document = Document("x.txt", "Wij werken samen met Atlantis en anderen.")
    with pytest.raises(UnknownCountry):
        resolve("Atlantis")
    check = check_figure(document, focus("Atlantis", "ATL"))
    assert any("resolves to no ISO3" in p for p in check.problems)


def test_lost_diacritic_must_be_flagged_not_silently_accepted() -> None:
    document = Document("x.txt", "Wij werken samen met Ethiopié en anderen.")
    assert any("ocr_flag" in p for p in check_figure(document, focus("Ethiopié", "ETH")).problems)
    assert check_figure(document, focus("Ethiopié", "ETH", "lost diacritic: 'Ethiopié'")).ok


def test_wrong_iso3_fails() -> None:
    document = Document("x.txt", "Wij werken samen met Oeganda en anderen.")
    assert any("resolves to UGA" in p for p in check_figure(document, focus("Oeganda", "KEN")).problems)
