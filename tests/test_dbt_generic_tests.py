"""The project's own generic dbt tests fail on the rows they exist to catch (run by dbt on a damaged copy)."""

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

from warehouse import BUILD_NAME


@pytest.mark.slow
def test_not_null_columns_fails_once_for_each_column_holding_nulls(demo_warehouse: Path, tmp_path: Path) -> None:
    database = tmp_path / BUILD_NAME
    shutil.copy(demo_warehouse / "migration.duckdb", database)
    with duckdb.connect(str(database)) as con:
        con.execute("update raw_reference.countries set name_en = null where iso3 in ('NLD', 'JOR')")
        con.execute("update raw_reference.countries set iso3 = null where iso3 = 'SYR'")
        con.execute("update raw_reference.countries set name_nl = null")  # not a column the test lists

    result, results = run_dbt("test", database, tmp_path, "--select", "stg_reference__countries")

    assert result.returncode != 0, result.stdout
    (folded,) = [r for r in results if ".not_null_columns_" in r["unique_id"]]
    assert folded["status"] == "fail"
    assert folded["failures"] == 2, "one failing row per column with NULLs: iso3 and name_en"
