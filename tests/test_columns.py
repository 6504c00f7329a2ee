"""One declaration per column (ingest/common/columns.py): every dataset's parser output, its suite and its
dbt source YAML follow its ``schema``, so the three cannot drift apart."""

from __future__ import annotations

import importlib
from pathlib import Path

import polars as pl
import pytest
import yaml

from expectations import basic_expectations
from ingest.common.columns import WORLD_POPULATION, Column, TableSchema, duckdb_type
from ingest.common.source import Dataset, ParseError, SourceContext, land
from ingest.registry import all_datasets
from scripts import sync_source_columns
from warehouse.loads import suite_for

REPO = Path(__file__).resolve().parent.parent
DATASETS = {f"{d.source}/{d.name}": d for d in all_datasets()}


def _source_columns(dataset: Dataset) -> list[tuple[str, str]]:
    sources = yaml.safe_load(sync_source_columns.source_yaml(dataset.source).read_text())["sources"]
    entry = next(t for s in sources for t in s["tables"] if t["name"] == dataset.asset_name)
    return [(c["name"], c.get("data_type")) for c in entry.get("columns", [])]


@pytest.fixture(scope="module")
def demo_frames(tmp_path_factory) -> dict[str, pl.DataFrame]:
    """Every dataset parsed from the demo mirror, once."""
    context = SourceContext(mode="demo", mirror_dir=REPO / "demo_mirror")
    raw = tmp_path_factory.mktemp("raw")
    return {
        label: dataset.parse(land(raw, dataset.source, dataset.name, dataset.fetch(context)).files)
        for label, dataset in DATASETS.items()
    }


@pytest.mark.parametrize("label", DATASETS)
def test_the_dbt_source_yaml_lists_the_declared_columns_and_types_in_order(label) -> None:
    dataset = DATASETS[label]
    assert _source_columns(dataset) == dataset.schema.duckdb_columns()


def test_the_sync_script_finds_nothing_to_rewrite() -> None:
    assert sync_source_columns.main(["--check"]) == 0


@pytest.mark.parametrize("label", DATASETS)
def test_the_parser_returns_exactly_the_declared_columns_and_types(label, demo_frames) -> None:
    dataset, frame = DATASETS[label], demo_frames[label]
    assert frame.columns == dataset.schema.names
    assert [duckdb_type(frame.schema[c.name]) for c in dataset.schema.columns] == [
        c.duckdb_type for c in dataset.schema.columns
    ]
    assert dataset.schema.conform(frame, "demo") is frame


@pytest.mark.parametrize("label", DATASETS)
def test_the_suite_starts_with_the_declaration_and_adds_only_what_it_cannot_say(label) -> None:
    dataset = DATASETS[label]
    declared = basic_expectations(dataset.schema)
    assert suite_for(dataset)[: len(declared)] == declared
    rules = importlib.import_module(f"expectations.{dataset.source}").SUITES[dataset.name]
    assert [rule for rule in rules if rule in declared] == [], "a rule the declaration already states"


def test_a_count_declared_in_range_becomes_a_between_expectation() -> None:
    schema = TableSchema(columns=(Column("refugees", pl.Int64, nullable=False, min_value=0, max_value=10),), key=())
    kinds = {(e.type, e.kwargs.get("column")) for e in basic_expectations(schema)}
    assert ("expect_column_values_to_be_between", "refugees") in kinds
    assert ("expect_column_values_to_not_be_null", "refugees") in kinds


def _schema() -> TableSchema:
    return TableSchema(columns=(Column("year", pl.Int32, nullable=False), Column("total", pl.Int64)), key=("year",))


def _frame(**columns: pl.Series) -> pl.DataFrame:
    provenance = {
        "_source_file": ["f.csv"],
        "_source_row": [2],
        "_snapshot_sha256": ["0" * 64],
        "_retrieved_at": ["2026-01-01"],
    }
    return pl.DataFrame({**columns, **provenance})


def test_a_parser_that_drifts_from_its_declaration_fails_its_load_naming_the_field() -> None:
    good = _frame(year=pl.Series([2024], dtype=pl.Int32), total=pl.Series([3], dtype=pl.Int64))
    assert _schema().conform(good, "f.csv") is good
    with pytest.raises(ParseError, match="undeclared") as extra:
        _schema().conform(good.with_columns(pl.lit(1).alias("extra")), "f.csv")
    assert extra.value.field == "extra"
    with pytest.raises(ParseError, match="parsed as double, declared bigint") as typed:
        _schema().conform(good.with_columns(pl.col("total").cast(pl.Float64)), "f.csv")
    assert typed.value.field == "total"
    with pytest.raises(ParseError, match="missing") as missing:
        _schema().conform(good.drop("total"), "f.csv")
    assert missing.value.field == "total"


def test_a_grain_outside_the_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="grain"):
        TableSchema(columns=(Column("year", pl.Int32),), key=("country",))


def test_dbt_range_tests_use_the_declared_world_population() -> None:
    """Measures derived in dbt (int_iom__mmp_rows' incident totals) are range-tested there, against the same bound."""
    project = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())
    assert project["vars"]["world_population"] == WORLD_POPULATION
