"""Countries named in Dutch (and as OCR damaged them) resolve to ISO3; lists of them carry a checked role."""

import pytest

from ingest.common.countries import UnknownCountry, resolve
from ingest.documents.annotations import Document, check_list

REGIONS = {"hoorn_van_afrika": "Hoorn van Afrika"}


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
        ("Georgië", "GEO"),
    ],
)
def test_dutch_and_ocr_names_resolve(name: str, iso3: str) -> None:
    assert resolve(name) == iso3


def country_list(*members: dict, **fields) -> dict:
    entry = {
        "id": "list-x",
        "role": "example",
        "subject": "x",
        "quote": "samen met " + " en ".join(m["name"] for m in members) + " en",
        "members": list(members),
    }
    return {**entry, **fields}


def test_unresolved_name_fails_the_list() -> None:
    document = Document("x.txt", "Wij werken samen met Atlantis en anderen.")
    with pytest.raises(UnknownCountry):
        resolve("Atlantis")
    check = check_list(document, country_list({"name": "Atlantis", "iso3": "ATL"}), REGIONS)
    assert any("resolves to no ISO3" in p for p in check.problems)


def test_lost_diacritic_must_be_flagged_not_silently_accepted() -> None:
    document = Document("x.txt", "Wij werken samen met Ethiopié en anderen.")
    member = {"name": "Ethiopié", "iso3": "ETH"}
    assert any("ocr_flag" in p for p in check_list(document, country_list(member), REGIONS).problems)
    assert check_list(document, country_list(member, ocr_flag="lost diacritic: 'Ethiopié'"), REGIONS).ok


def test_wrong_iso3_fails() -> None:
    document = Document("x.txt", "Wij werken samen met Oeganda en anderen.")
    check = check_list(document, country_list({"name": "Oeganda", "iso3": "KEN"}), REGIONS)
    assert any("resolves to UGA" in p for p in check.problems)


def test_a_focus_list_needs_its_track_and_period() -> None:
    document = Document("x.txt", "Wij werken samen met Kenia en anderen.")
    check = check_list(document, country_list({"name": "Kenia", "iso3": "KEN"}, role="focus"), REGIONS)
    assert any("policy_track" in p for p in check.problems)
    assert any("period_start and period_end" in p for p in check.problems)
    entry = country_list(
        {"name": "Kenia", "iso3": "KEN"},
        role="focus",
        policy_track="opvang in de regio",
        period_start="2026-01-01",
        period_end="2030-12-31",
    )
    assert check_list(document, entry, REGIONS).ok


def test_regions_resolve_through_the_region_table_only() -> None:
    document = Document("x.txt", "Wij werken samen met Hoorn van Afrika en anderen.")
    assert check_list(document, country_list({"name": "Hoorn van Afrika", "region": "hoorn_van_afrika"}), REGIONS).ok
    check = check_list(document, country_list({"name": "Hoorn van Afrika", "region": "hoorn"}), REGIONS)
    assert any("not in documents/regions.csv" in p for p in check.problems)


@pytest.mark.parametrize(("number", "ok"), [("twee", True), ("drie", False), ("2", True)])
def test_the_count_a_document_states_must_match_the_list(number: str, ok: bool) -> None:
    document = Document("x.txt", f"Actief in {number} landen: Mali en Niger.")
    entry = {
        "id": "l",
        "role": "programme_country",
        "programme": "P",
        "subject": "x",
        "quote": f"Actief in {number} landen: Mali en Niger",
        "number": number,
        "members": [{"name": "Mali", "iso3": "MLI"}, {"name": "Niger", "iso3": "NER"}],
    }
    check = check_list(document, entry, REGIONS)
    assert check.ok is ok
    assert check.number_span is not None
