"""The documents as a source: landed with sha256, parsed with provenance; a bad annotation blocks the load."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from ingest import documents, registry
from ingest.common.source import SourceContext, land
from warehouse.loads import suite_for


@pytest.fixture(scope="module")
def landed(tmp_path_factory) -> dict:
    raw = tmp_path_factory.mktemp("raw")
    frames = {}
    for dataset in documents.DATASETS:
        snapshot = land(raw, dataset.source, dataset.name, dataset.fetch(SourceContext(mode="demo")))
        frames[dataset.name] = (snapshot, dataset.parse(snapshot.files))
    return frames


def test_every_file_is_landed_content_addressed(landed) -> None:
    snapshot, _ = landed["texts"]
    names = {f.name for f in snapshot.files}
    assert "catalog.yml" in names
    assert {n for n in names if n.startswith("texts/")} == {
        f"texts/{p.name}" for p in (documents.DOCUMENTS_DIR / "texts").glob("*.txt")
    }
    assert {n for n in names if n.startswith("annotations/")} == {
        f"annotations/{p.name}" for p in (documents.DOCUMENTS_DIR / "annotations").glob("*.yml")
    }
    for landed_file in snapshot.files:
        assert landed_file.path.name.startswith(hashlib.sha256(landed_file.path.read_bytes()).hexdigest())


def test_texts_carry_metadata_and_hash(landed) -> None:
    _, texts = landed["texts"]
    assert texts.height == 5
    row = texts.filter(texts["document"] == "003_da5416ec7b718712.txt").row(0, named=True)
    path = documents.DOCUMENTS_DIR / "texts" / row["document"]
    assert row["text_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() == row["_snapshot_sha256"]
    assert row["text"] == path.read_text(encoding="utf-8")
    assert str(row["published_date"]) == "2014-11-28" and row["kind"] == "letter_to_parliament"
    assert row["annotation_sha256"] and row["reviewed_by"]


def test_figures_point_at_the_line_of_their_quote(landed) -> None:
    _, figures = landed["figures"]
    assert figures["verification"].unique().to_list() == ["ok"]
    for row in figures.filter(figures["document"] == "000_954fb70bc37eb58d.txt").iter_rows(named=True):
        lines = (documents.DOCUMENTS_DIR / "texts" / row["document"]).read_text(encoding="utf-8").split("\n")
        first_line_of_quote = row["quote"].split("\n")[0]
        assert first_line_of_quote in lines[row["_source_row"] - 1] + "\n"
        assert row["_source_file"] == f"documents/texts/{row['document']}"


def test_suites_pass_on_the_shipped_documents(landed) -> None:
    from expectations.runner import validate

    for name, (_, frame) in landed.items():
        report = validate(frame, f"documents.{name}", suite_for(registry.dataset("documents", name)))
        assert report.success, report.describe_failures()


def test_a_bad_annotation_fails_the_suite_naming_document_and_figure(tmp_path: Path, monkeypatch) -> None:
    from expectations.runner import validate

    root = tmp_path / "documents"
    shutil.copytree(documents.DOCUMENTS_DIR, root)
    path = root / "annotations" / "003_da5416ec7b718712.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(f for f in data["figures"] if f["id"] == "iom-morocco-returns-2013-2014")["value"] = 1019
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(documents, "DOCUMENTS_DIR", root)
    files = land(tmp_path / "raw", "documents", "figures", documents.collect(root)).files
    report = validate(
        documents.DATASETS[1].parse(files), "documents.figures", suite_for(registry.dataset("documents", "figures"))
    )
    assert not report.success
    failures = report.describe_failures()
    assert "003_da5416ec7b718712.txt figure iom-morocco-returns-2013-2014: value 1019 does not match" in failures
    assert "documents/texts/003_da5416ec7b718712.txt, row 221" in failures
