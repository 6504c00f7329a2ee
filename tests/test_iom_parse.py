"""IOM parsing and checks on the demo mirror and on damaged copies of it: bad input is named by file,
row and field, and a bad load fails its expectation suite; a rule on a measure dbt derives (the incident's
total, the published total, a p-code's country) fails the build instead, and nothing is published."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import DEMO_MIRROR, run_dbt, run_maw

from ingest import iom, registry
from ingest.common.source import ParseError, SourceContext, land
from ingest.iom.shared import PYTHON_WHITESPACE, clean_text, cleaned
from tests.maw_helpers import copy_warehouse, sha256_of
from warehouse import BUILD_NAME
from warehouse.loads import suite_for


def _load(name: str, mirror: Path, raw: Path):
    dataset = next(d for d in iom.DATASETS if d.name == name)
    snapshot = land(raw, "iom", name, dataset.fetch(SourceContext(mode="mirror", mirror_dir=mirror)))
    return dataset.parse(snapshot.files)


@pytest.fixture(scope="module")
def validate():
    from expectations.runner import validate as run  # slow import: only for this module

    return run


def test_demo_mirror_parses_and_passes_both_suites(tmp_path, validate):
    dtm = _load("dtm_idps", DEMO_MIRROR, tmp_path)
    mmp = _load("missing_migrants", DEMO_MIRROR, tmp_path)
    assert validate(dtm, "iom.dtm_idps", suite_for(registry.dataset("iom", "dtm_idps"))).success
    assert validate(mmp, "iom.missing_migrants", suite_for(registry.dataset("iom", "missing_migrants"))).success
    assert set(mmp["source_format"]) == {"mmp_xlsx_all_data", "mmp_json_year", "mmp_csv_export"}
    assert str(mmp.filter(mmp["source_format"] == "mmp_xlsx_all_data")["vintage"][0]) == "2025-05-05"


def test_unresolved_country_fails_the_check_with_file_row_and_field(tmp_path, mirror_copy, validate):
    mirror = mirror_copy(DEMO_MIRROR)
    path = mirror / "iom" / "missing_migrants" / "api_json" / "2023-json.json"
    incidents = json.loads(path.read_text())
    incidents[2]["country_of_incident"] = "Atlantis"
    path.write_text(json.dumps(incidents))
    report = validate(
        _load("missing_migrants", mirror, tmp_path),
        "iom.missing_migrants",
        suite_for(registry.dataset("iom", "missing_migrants")),
    )
    assert not report.success
    failing = [r for r in report.results if not r.success]
    assert [r.column for r in failing] == ["unresolved_country_of_incident"]
    failure = failing[0].failures[0]
    assert (failure.file.endswith("2023-json.json"), failure.row, failure.value) == (True, 3, "Atlantis")


@pytest.fixture
def published_copy(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse, so a test can refresh over it."""
    return copy_warehouse(demo_warehouse, tmp_path / "warehouse")


def _failed_dbt_tests(warehouse: Path, mirror: Path) -> set[str]:
    """Refresh ``warehouse`` from ``mirror``; the refresh must fail and leave the published file as it was.
    Returns the dbt tests that failed, read from the refresh's log (the console wraps long names)."""
    published = warehouse / "migration.duckdb"
    before, logs = sha256_of(published), set((warehouse / "logs").glob("refresh-*.log"))
    result = run_maw("refresh", "--mirror", str(mirror), warehouse=warehouse)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "nothing was published" in result.stdout + result.stderr
    assert sha256_of(published) == before
    (log,) = set((warehouse / "logs").glob("refresh-*.log")) - logs
    return set(re.findall(r"\d+ of \d+ FAIL \d+ (\S+)", re.sub(r"\x1b\[[0-9;]*m", "", log.read_text())))


def _damage_mmp_json(mirror: Path, **fields: str) -> None:
    path = mirror / "iom" / "missing_migrants" / "api_json" / "2023-json.json"
    incidents = json.loads(path.read_text())
    incidents[0] |= fields
    path.write_text(json.dumps(incidents))


# The rules below are dbt tests (severity error) on the intermediate models that derive the measures
# (int_iom__mmp_rows, int_iom__dtm_pcode_countries): the parser only reads and casts, so the load passes its
# suite and the build refuses it.


@pytest.mark.slow
def test_negative_incident_total_fails_the_build(published_copy, mirror_copy, tmp_path, validate):
    mirror = mirror_copy(DEMO_MIRROR)
    _damage_mmp_json(mirror, number_dead="1", number_missing="-5", total_dead_and_missing="-4")
    assert validate(
        _load("missing_migrants", mirror, tmp_path / "raw"),
        "mmp",
        suite_for(registry.dataset("iom", "missing_migrants")),
    ).success
    assert _failed_dbt_tests(published_copy, mirror) == {
        "value_between_int_iom__mmp_rows_incident_dead_missing___var_world_population___0"
    }


def _failed_gate_tests(warehouse: Path, tmp_path: Path, dataset: str, frame, models: list[str]) -> set[str]:
    """Build only ``models`` (and run their tests) on a copy of the published file whose raw ``dataset`` is
    ``frame``: the rule's own layer, without a whole refresh (the negative-total test above runs one)."""
    database = tmp_path / BUILD_NAME
    shutil.copy(warehouse / "migration.duckdb", database)
    with duckdb.connect(str(database)) as con:
        con.register("incoming", frame.to_arrow())
        con.execute(f"create or replace table raw_iom.{dataset} as select * from incoming")
    # cautious: a test that also reads a model outside ``models`` (a mart) is not run against a stale one
    result, results = run_dbt("build", database, tmp_path, "--select", *models, "--indirect-selection", "cautious")
    assert result.returncode != 0, result.stdout
    assert {r["unique_id"].split(".")[2] for r in results if r["unique_id"].startswith("model.")} == set(models)
    return {r["unique_id"].split(".")[2] for r in results if r["status"] not in ("pass", "success")}


def test_counts_that_disagree_with_the_published_total_fail_the_build(demo_warehouse, mirror_copy, tmp_path):
    mirror = mirror_copy(DEMO_MIRROR)
    _damage_mmp_json(mirror, number_dead="2", number_missing="1", total_dead_and_missing="4")
    frame = _load("missing_migrants", mirror, tmp_path / "raw")
    models = ["stg_iom__missing_migrants", "int_iom__mmp_rows"]
    assert _failed_gate_tests(demo_warehouse, tmp_path, "missing_migrants", frame, models) == {
        "equals_column_where_present_int_iom__mmp_rows_dead_missing__dead_missing_published"
    }


def test_pcode_of_another_country_fails_the_build(demo_warehouse, mirror_copy, tmp_path):
    mirror = mirror_copy(DEMO_MIRROR)
    path = mirror / "iom" / "dtm" / "api_v3" / "displacement-admin1-admin0pcode-tcd.json"
    body = json.loads(path.read_text())
    body["result"][0]["admin1Pcode"] = "SD01"  # Sudan's prefix on a Chad record
    path.write_text(json.dumps(body))
    frame = _load("dtm_idps", mirror, tmp_path / "raw")
    models = ["stg_iom__dtm_idps", "int_iom__dtm_pcode_countries"]
    assert _failed_gate_tests(demo_warehouse, tmp_path, "dtm_idps", frame, models) == {
        "equals_column_where_present_int_iom__dtm_pcode_countries_admin1_pcode_iso3__iso3"
    }


def test_a_value_that_is_not_a_number_is_a_parse_error_naming_file_row_field(tmp_path, mirror_copy):
    mirror = mirror_copy(DEMO_MIRROR)
    path = mirror / "iom" / "dtm" / "api_v3" / "displacement-admin0-admin0pcode-sdn.json"
    body = json.loads(path.read_text())
    body["result"][1]["numPresentIdpInd"] = "many"
    path.write_text(json.dumps(body))
    with pytest.raises(ParseError) as error:
        _load("dtm_idps", mirror, tmp_path)
    assert (error.value.row, error.value.field) == (2, "idps")
    assert error.value.file.endswith("displacement-admin0-admin0pcode-sdn.json")


def test_missing_key_in_a_dtm_record_is_named(tmp_path, mirror_copy):
    mirror = mirror_copy(DEMO_MIRROR)
    path = mirror / "iom" / "dtm" / "api_v3" / "displacement-admin0-admin0pcode-hti.json"
    body = json.loads(path.read_text())
    del body["result"][0]["reportingDate"]
    path.write_text(json.dumps(body))
    with pytest.raises(ParseError, match="field missing") as error:
        _load("dtm_idps", mirror, tmp_path)
    assert (error.value.row, error.value.field) == (1, "reportingDate")


def test_a_text_column_is_cleaned_exactly_as_a_single_value_is() -> None:
    """The parsers clean whole columns (polars) where they once cleaned value by value (Python): the same
    BOMs, the same whitespace (Python's, which polars' default strip does not quite match) and empty as null."""
    assert "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()) == PYTHON_WHITESPACE
    values = [None, "", "  ", "\ufeffMain 1", "\x1cRoute\x1f", " a  b ", "\u3000x\xa0", "\ufeff \ufeff", "0", "é\u2028"]
    column = pl.DataFrame({"v": values}, schema={"v": pl.Utf8}).select(cleaned("v")).to_series().to_list()
    assert column == [clean_text(v) for v in values]


def test_mmp_json_entities_and_thousands_separators_are_read_and_a_non_object_incident_is_named(
    tmp_path, mirror_copy
) -> None:
    mirror = mirror_copy(DEMO_MIRROR)
    _damage_mmp_json(mirror, location_description=" Ras Jdir &amp; beyond ", number_dead="1,022")
    frame = _load("missing_migrants", mirror, tmp_path / "raw")
    first = frame.filter(pl.col("_source_file").str.ends_with("2023-json.json") & (pl.col("_source_row") == 1))
    assert first.select("location", "dead").row(0) == ("Ras Jdir & beyond", 1022)

    path = mirror / "iom" / "missing_migrants" / "api_json" / "2023-json.json"
    incidents = json.loads(path.read_text())
    path.write_text(json.dumps([incidents[0], ["not", "an", "incident"]]))
    with pytest.raises(ParseError, match="not a JSON object") as error:
        _load("missing_migrants", mirror, tmp_path / "raw-again")
    assert error.value.row == 2 and error.value.file.endswith("2023-json.json")
