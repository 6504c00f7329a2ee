"""The dbt project's layout rules, read from its files (no build needed)."""

import re
from pathlib import Path

import pytest
import yaml

MODELS = Path(__file__).resolve().parent.parent / "dbt_project" / "models"
MACROS = MODELS.parent / "macros"
SQL = sorted(MODELS.rglob("*.sql"))
MARTS = {p.stem for p in SQL if p.relative_to(MODELS).parts[0] == "marts"}
# A recode maps published values to others (UKN -> UNK, XXX -> UNK, a default for a missing value): case,
# coalesce, if/iif, replace, regexp_replace, translate. Staging renames and casts only; reading a source's own
# spelling of "no value" as null (nullif) is a cast and allowed.
RECODE = re.compile(r"\bcase\b|\b(?:coalesce|iif|if|replace|regexp_replace|translate)\s*\(", re.IGNORECASE)


def _properties(sql: Path) -> dict:
    """The model's own YAML, `<model>.yml` beside `<model>.sql`, holding that model only."""
    path = sql.with_suffix(".yml")
    assert path.is_file(), f"{sql.relative_to(MODELS)} has no {path.name} beside it"
    models = yaml.safe_load(path.read_text())["models"]
    assert [m["name"] for m in models] == [sql.stem], f"{path.name} must describe {sql.stem} only"
    return models[0]


def _grain(tests: list) -> list[str]:
    """The columns the model's ``rules`` test holds unique: its grain, or its unique columns."""
    rules = [t["rules"]["arguments"] for t in tests or [] if isinstance(t, dict) and "rules" in t]
    return [column for arguments in rules for column in arguments.get("grain", []) + arguments.get("unique", [])]


@pytest.mark.parametrize("sql", SQL, ids=lambda p: p.stem)
def test_every_model_is_documented_and_tested_on_its_grain(sql: Path) -> None:
    model = _properties(sql)
    assert model.get("description", "").strip(), f"{sql.stem} has no description"
    undocumented = [c["name"] for c in model.get("columns", []) if not str(c.get("description", "")).strip()]
    assert not undocumented, f"{sql.stem}: columns without a description: {undocumented}"
    grain = _grain(model.get("data_tests"))
    assert grain, f"{sql.stem} has no rules test with a grain or unique column"


@pytest.mark.parametrize("sql", SQL, ids=lambda p: p.stem)
def test_staging_reads_one_source_and_nothing_else_reads_sources(sql: Path) -> None:
    text = sql.read_text()
    sources = re.findall(r"\bsource\(", text)
    refs = re.findall(r"\bref\(", text)
    if "staging" in sql.relative_to(MODELS).parts:
        assert len(sources) == 1 and not refs, f"{sql.stem}: a staging model reads exactly one source, no models"
    else:
        assert not sources, f"{sql.stem} reads a source directly; only staging models do"


def _layer(sql: Path) -> str:
    return sql.relative_to(MODELS).parts[0]


def _code(text: str) -> str:
    """SQL without its comments (``--`` lines, Jinja comments), so a comment may name what the code may not do."""
    return re.sub(r"--[^\n]*", "", re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL))


def _macros() -> dict[str, str]:
    """Every macro's body by name."""
    pattern = re.compile(r"\{%-?\s*macro\s+(\w+)\(.*?%\}(.*?)\{%-?\s*endmacro", re.DOTALL)
    return {name: body for path in MACROS.glob("*.sql") for name, body in pattern.findall(path.read_text())}


@pytest.mark.parametrize("sql", [p for p in SQL if _layer(p) == "intermediate"], ids=lambda p: p.stem)
def test_intermediate_reads_no_mart(sql: Path) -> None:
    refs = set(re.findall(r"\bref\(\s*['\"](\w+)['\"]\s*\)", sql.read_text()))
    marts = sorted(refs & MARTS)
    assert not marts, f"{sql.stem} reads the marts {marts}; intermediate reads only staging and intermediate"


@pytest.mark.parametrize("sql", [p for p in SQL if _layer(p) == "staging"], ids=lambda p: p.stem)
def test_staging_only_renames_and_casts(sql: Path) -> None:
    """No recode in a staging model, nor in a macro it calls: recodes belong to intermediate."""
    macros = _macros()
    code = _code(sql.read_text())
    called = [name for name in re.findall(r"\{\{-?\s*(\w+)\(", code) if name in macros]
    for name in called:
        code += _code(macros[name])
    found = sorted({m.group(0).strip("( ").lower() for m in RECODE.finditer(code)})
    assert not found, f"{sql.stem} recodes values ({', '.join(found)}); move that to an intermediate model"


def test_the_layout_rules_catch_a_recode_and_a_mart_read() -> None:
    assert RECODE.search("select case coo_iso when 'UKN' then 'UNK' else coo_iso end as origin_iso3")
    assert RECODE.search("select coalesce (a, 'x') as a")
    assert not RECODE.search(_code("select nullif(a, '') as a, cased, coalesced -- case when\n"))
    assert {"country_year", "world_year", "programme_commitments", "dim_year"} <= MARTS


def test_the_layout_rules_see_every_layer() -> None:
    layers = {p.relative_to(MODELS).parts[0] for p in SQL}
    assert layers == {"staging", "intermediate", "marts"}
