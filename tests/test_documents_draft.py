"""The draft tool: proposals for a new text, and its recall and precision against the reviewed files."""

from __future__ import annotations

import io
from pathlib import Path

import yaml

from ingest.documents import DOCUMENTS_DIR, collect, corpus, main, run_evaluation
from ingest.documents.annotations import Document, read_regions
from ingest.documents.draft import draft, evaluate

TEXT = (
    "In 2023 heeft Nederland EUR 10 mln. bijgedragen. Circa 117 miljoen mensen zijn ontheemd.\n"
    "COMPASS is actief in 3 landen: Mali, Niger en Tunesië. Tienduizenden vluchtelingen kregen werk.\n"
    "De EU sluit partnerschappen (bijv. Egypte, Libanon).\n"
)


def test_the_draft_proposes_figures_with_readings_units_and_periods() -> None:
    proposal = draft(Document("x.txt", TEXT), read_regions())
    by_number = {f["number"]: f for f in proposal["figures"]}
    assert by_number["10"]["value"] == 10_000_000 and by_number["10"]["unit"] == "EUR"
    assert by_number["10"]["period_start"] == "2023-01-01"
    assert by_number["117"]["qualifier"] == "approximate" and by_number["117"]["unit"] == "persons"
    assert (by_number["Tienduizenden"]["value_low"], by_number["Tienduizenden"]["value_high"]) == (20_000, 100_000)
    assert "2023" not in by_number  # a year is explained by a rule, not a figure
    for figure in proposal["figures"]:
        assert TEXT.count(figure["quote"]) == 1


def test_the_draft_finds_lists_with_a_role_guess_and_their_count() -> None:
    lists = draft(Document("x.txt", TEXT), read_regions())["lists"]
    members = {tuple(m["iso3"] for m in entry["members"]): entry for entry in lists}
    assert members[("MLI", "NER", "TUN")]["number"] == "3"
    assert members[("EGY", "LBN")]["role"] == "example"


def test_a_reviewed_file_scores_its_own_draft_between_zero_and_one() -> None:
    files = collect()
    regions = read_regions(next(f for f in files if f.name == "regions.csv").content.decode())
    entry = corpus(files, ["004_55d96375dd9ef642"])[0]
    scores = evaluate(entry.document, entry.check, regions)
    money = scores["figures: money"]
    assert money.reviewed == sum(f.figure.get("unit") in ("EUR", "USD") for f in entry.check.figures)
    assert 0 <= money.recall <= 1 and 0 <= money.precision <= 1


def test_the_evaluation_prints_recall_and_precision_per_kind() -> None:
    out = io.StringIO()
    assert run_evaluation(DOCUMENTS_DIR, out) == 0
    text = out.getvalue()
    assert "figures: money" in text and "lists: members and role" in text


def test_the_cli_writes_a_draft_file(tmp_path: Path) -> None:
    text = tmp_path / "new.txt"
    text.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "new.yml"
    assert main(["draft", str(text), "--out", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["document"] == "new.txt" and data["reviewed_by"] is None and data["figures"]
