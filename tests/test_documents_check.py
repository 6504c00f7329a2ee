"""The checker on the shipped documents, and on damaged copies (Must show 3): one changed digit in a value or
one changed character in a quote fails the check, naming the document and the figure."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ingest.documents import DOCUMENTS_DIR, REPO, run_check

STEMS = sorted(p.stem for p in (DOCUMENTS_DIR / "texts").glob("*.txt"))


def check(root: Path, *stems: str, report: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(list(stems), report=report, root=root, out=out)
    return code, out.getvalue()


@pytest.fixture
def documents_copy(tmp_path: Path) -> Path:
    target = tmp_path / "documents"
    shutil.copytree(DOCUMENTS_DIR, target)
    return target


def edit_figure(root: Path, stem: str, figure_id: str, **changes) -> None:
    path = root / "annotations" / f"{stem}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    figure = next(f for f in data["figures"] if f["id"] == figure_id)
    figure.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_shipped_texts_are_the_seed_documents() -> None:
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds not present")
    for stem in STEMS:
        assert (DOCUMENTS_DIR / "texts" / f"{stem}.txt").read_bytes() == (seeds / f"{stem}.txt").read_bytes()


def test_every_document_passes_and_every_number_is_accounted_for() -> None:
    code, out = check(DOCUMENTS_DIR, report=True)
    assert code == 0, out
    assert len(STEMS) == 5
    for stem in STEMS:
        assert f"{stem}.txt: " in out
    assert " 0 unaccounted" in out and "UNACCOUNTED" not in out
    # The report lists each number with what accounts for it, e.g. the article 4.2 cells of 000.
    assert "figure art-4-2-migratie-2026" in out
    assert "ignored: " in out and "rule: year" in out


def test_one_digit_changed_in_a_value_fails_naming_document_and_figure(documents_copy: Path) -> None:
    edit_figure(documents_copy, "000_954fb70bc37eb58d", "art-4-2-migratie-2026", value=318000000)
    code, out = check(documents_copy, "000_954fb70bc37eb58d")
    assert code == 1
    assert "000_954fb70bc37eb58d.txt figure art-4-2-migratie-2026: value 318000000 does not match the quote" in out
    # The parsed table disagrees with the annotation as well.
    assert "figure art-4-2-migratie-2026 has value 318000000, the parser reads 319000000" in out


def test_one_character_changed_in_a_quote_fails_naming_document_and_figure(documents_copy: Path) -> None:
    edit_figure(
        documents_copy,
        "003_da5416ec7b718712",
        "mo-budget-per-year",
        quote="en ontwikkeling (9 miljoen Eur0 per jaar)",
    )
    code, out = check(documents_copy, "003_da5416ec7b718712")
    assert code == 1
    assert "003_da5416ec7b718712.txt figure mo-budget-per-year: quote" in out
    assert "does not occur verbatim in the document" in out
    # Its number is no longer accounted for either, with its line number.
    assert "003_da5416ec7b718712.txt line 28: number '9' is unaccounted for" in out


def test_a_digit_changed_in_the_document_fails_figure_and_table(documents_copy: Path) -> None:
    text = documents_copy / "texts" / "000_954fb70bc37eb58d.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("\t371\n", "\t372\n"), encoding="utf-8")
    code, out = check(documents_copy, "000_954fb70bc37eb58d")
    assert code == 1
    assert "figure art-4-2-migratie-2028: quote" in out
    assert "table budget_article_year 'Artikelonderdeel Migratie' 2028: no annotated figure points at this cell" in out


def test_unit_must_be_stated_in_the_quote(documents_copy: Path) -> None:
    edit_figure(documents_copy, "003_da5416ec7b718712", "migrants-world-2014", unit="EUR")
    code, out = check(documents_copy, "003_da5416ec7b718712")
    assert code == 1
    assert "figure migrants-world-2014: unit 'EUR' is not stated in the quote" in out


def test_removed_ignore_entry_leaves_a_number_unaccounted(documents_copy: Path) -> None:
    path = documents_copy / "annotations" / "000_954fb70bc37eb58d.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["ignore"] = [i for i in data["ignore"] if i["quote"] != "evaluatie (CW 3.1)"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, out = check(documents_copy, "000_954fb70bc37eb58d")
    assert code == 1
    assert "000_954fb70bc37eb58d.txt line 2: number '3.1' is unaccounted for: " in out


def test_a_new_document_without_annotations_fails(documents_copy: Path) -> None:
    (documents_copy / "annotations" / "004_55d96375dd9ef642.yml").unlink()
    code, out = check(documents_copy)
    assert code == 1
    assert "004_55d96375dd9ef642.txt: FAILED: no annotation file" in out


def test_cli_exits_non_zero_and_names_document_and_figure(documents_copy: Path) -> None:
    edit_figure(documents_copy, "004_55d96375dd9ef642", "taskforce-budget-2029", value=119000000)
    result = subprocess.run(
        [sys.executable, "-m", "ingest.documents", "check", "--root", str(documents_copy)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "004_55d96375dd9ef642.txt figure taskforce-budget-2029: value 119000000 does not match" in result.stdout
    ok = subprocess.run(
        [sys.executable, "-m", "ingest.documents", "check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout
