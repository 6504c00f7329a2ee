"""One declaration per column (ingest/common/columns.py): the parser's output, the suite and the dbt source
YAML all follow it. Covered so far: iom.missing_migrants."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from expectations import basic_expectations
from expectations.iom import SUITES as IOM_SUITES
from ingest.common.columns import DUCKDB_TYPES, WORLD_POPULATION, TableSchema
from ingest.common.source import PROVENANCE_COLUMNS, SourceContext, land
from ingest.iom import mmp

REPO = Path(__file__).resolve().parent.parent
DECLARED = [("iom", "missing_migrants", mmp.MISSING_MIGRANTS, mmp.DATASET)]
PROVENANCE_TYPES = ["varchar", "bigint", "varchar", "timestamp with time zone"]


def _source_columns(source: str, table: str) -> list[tuple[str, str]]:
    path = REPO / "dbt_project" / "models" / "staging" / source / f"_{source}__sources.yml"
    sources = yaml.safe_load(path.read_text())["sources"]
    entry = next(t for s in sources if s["name"] == source for t in s["tables"] if t["name"] == table)
    return [(c["name"], c.get("data_type")) for c in entry.get("columns", [])]


@pytest.mark.parametrize(("source", "table", "schema", "dataset"), DECLARED)
def test_dbt_source_yaml_lists_the_declared_columns_and_types(source, table, schema: TableSchema, dataset) -> None:
    expected = [(c.name, c.duckdb_type) for c in schema.columns] + list(
        zip(PROVENANCE_COLUMNS, PROVENANCE_TYPES, strict=True)
    )
    assert _source_columns(source, table) == expected


@pytest.mark.parametrize(("source", "table", "schema", "dataset"), DECLARED)
def test_the_parser_returns_exactly_the_declared_columns(source, table, schema: TableSchema, dataset, tmp_path):
    context = SourceContext(mode="demo", mirror_dir=REPO / "demo_mirror")
    frame = dataset.parse(land(tmp_path, source, table, dataset.fetch(context)).files)
    assert frame.columns == schema.names
    assert [DUCKDB_TYPES[type(frame.schema[c.name])] for c in schema.columns] == [c.duckdb_type for c in schema.columns]
    assert list(dataset.key) == list(schema.key)


@pytest.mark.parametrize(("source", "table", "schema", "dataset"), DECLARED)
def test_the_suite_holds_every_basic_expectation_of_the_declaration(source, table, schema, dataset) -> None:
    suite = {"iom": IOM_SUITES}[source][table]
    missing = [e for e in basic_expectations(schema) if e not in suite]
    assert missing == []
    assert any(e.kwargs.get("column") == "incident_year" and e.kwargs.get("min_value") == 2014 for e in suite)


def test_dbt_range_tests_use_the_declared_world_population() -> None:
    """Measures derived in dbt (int_iom__mmp_rows' incident totals) are range-tested there, against the same bound."""
    project = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())
    assert project["vars"]["world_population"] == WORLD_POPULATION
