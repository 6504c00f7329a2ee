"""The dbt project's layout rules, read from its files (no build needed)."""

import re
from pathlib import Path

import pytest
import yaml

MODELS = Path(__file__).resolve().parent.parent / "dbt_project" / "models"
SQL = sorted(MODELS.rglob("*.sql"))
GRAIN_TESTS = {"unique", "unique_combination"}


def _properties(sql: Path) -> dict:
    """The model's own YAML, `<model>.yml` beside `<model>.sql`, holding that model only."""
    path = sql.with_suffix(".yml")
    assert path.is_file(), f"{sql.relative_to(MODELS)} has no {path.name} beside it"
    models = yaml.safe_load(path.read_text())["models"]
    assert [m["name"] for m in models] == [sql.stem], f"{path.name} must describe {sql.stem} only"
    return models[0]


def _test_names(tests: list) -> set[str]:
    return {t if isinstance(t, str) else next(iter(t)) for t in tests or []}


@pytest.mark.parametrize("sql", SQL, ids=lambda p: p.stem)
def test_every_model_is_documented_and_tested_on_its_grain(sql: Path) -> None:
    model = _properties(sql)
    assert model.get("description", "").strip(), f"{sql.stem} has no description"
    undocumented = [c["name"] for c in model.get("columns", []) if not str(c.get("description", "")).strip()]
    assert not undocumented, f"{sql.stem}: columns without a description: {undocumented}"
    grain = _test_names(model.get("data_tests")) | {
        name for c in model.get("columns", []) for name in _test_names(c.get("data_tests"))
    }
    assert grain & GRAIN_TESTS, f"{sql.stem} has no unique or unique_combination test on its grain"


@pytest.mark.parametrize("sql", SQL, ids=lambda p: p.stem)
def test_staging_reads_one_source_and_nothing_else_reads_sources(sql: Path) -> None:
    text = sql.read_text()
    sources = re.findall(r"\bsource\(", text)
    refs = re.findall(r"\bref\(", text)
    if "staging" in sql.relative_to(MODELS).parts:
        assert len(sources) == 1 and not refs, f"{sql.stem}: a staging model reads exactly one source, no models"
    else:
        assert not sources, f"{sql.stem} reads a source directly; only staging models do"


def test_the_layout_rules_see_every_layer() -> None:
    layers = {p.relative_to(MODELS).parts[0] for p in SQL}
    assert layers == {"staging", "intermediate", "marts"}
