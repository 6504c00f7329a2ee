"""Structured tables read by code from the layout, cross-checked with the annotations (Must show 1, 2)."""

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.common.source import ParseError
from ingest.documents import DOCUMENTS_DIR, collect, corpus, parse_year_columns, table_rows
from ingest.documents.annotations import Document


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    return {entry.document.stem[:3]: table_rows(entry) for entry in corpus(collect())}


def test_article_4_2_amounts_2026_2030(rows) -> None:
    cells = {r["year"]: r for r in rows["000"]}
    assert {y: cells[y]["value"] for y in cells} == {
        2026: Decimal(319_000_000),
        2027: Decimal(323_000_000),
        2028: Decimal(371_000_000),
        2029: Decimal(408_000_000),
        2030: Decimal(408_000_000),
    }
    assert {(r["article"], r["article_name"], r["unit"]) for r in rows["000"]} == {("4.2", "Migratie", "EUR")}
    assert all(r["check"] == "ok" and r["annotation_figure_id"] for r in rows["000"])


def test_2010_spend_per_priority_adds_up_to_the_stated_total(rows) -> None:
    spend = rows["001"]
    parts = [r for r in spend if not r["is_total"]]
    (total,) = [r for r in spend if r["is_total"]]
    assert [r["cell_text"] for r in parts] == ["1", "0,2", "0,7", "0,6", "--", "3,3"]
    assert sum(r["value"] for r in parts) == total["value"] == Decimal(5_800_000)
    assert total["row_label"] == "Totaal" and total["check"] == "ok"


def test_a_total_that_does_not_add_up_is_reported(tmp_path: Path) -> None:
    source = (DOCUMENTS_DIR / "texts" / "001_e858bd869bc85741.txt").read_text(encoding="utf-8")
    damaged = Document("001_e858bd869bc85741.txt", source.replace("\t0,7\n", "\t0,8\n"))
    (entry,) = corpus(collect(), ["001_e858bd869bc85741"])
    entry.document = damaged
    problems = [r["check"] for r in table_rows(entry) if r["check"] != "ok"]
    assert any("parts add up to 5900000" in p and "stated total is 5800000" in p for p in problems)


def test_a_table_missing_a_cell_is_a_parse_error() -> None:
    source = (DOCUMENTS_DIR / "texts" / "000_954fb70bc37eb58d.txt").read_text(encoding="utf-8")
    damaged = Document("000.txt", source.replace("\t371\n", "", 1))
    with pytest.raises(ParseError, match="one value per year"):
        parse_year_columns(damaged, {"header": "Bedrag in EUR miljoen."})
