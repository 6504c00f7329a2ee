"""The dbt unit tests (``unit_tests:`` in the model files) pass. They check the logic of the models, not the
data, so they run here, once per change of the code, and not in every refresh (dbt's advice for production
builds: ``--exclude-resource-type unit_test``)."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_dbt

from warehouse import BUILD_NAME


def _declared_unit_tests() -> int:
    """``unit_tests:`` entries in the model files, counted from the files (each begins with ``- name:``)."""
    count = 0
    for path in (REPO / "dbt_project" / "models").rglob("*.yml"):
        text = path.read_text()
        if "\nunit_tests:" in text:
            count += text.split("\nunit_tests:", 1)[1].count("\n  - name:")
    return count


@pytest.mark.slow
def test_every_dbt_unit_test_passes(demo_warehouse: Path, tmp_path: Path) -> None:
    database = tmp_path / BUILD_NAME  # dbt reads the column types of the models a unit test mocks from here
    shutil.copy(demo_warehouse / "migration.duckdb", database)

    result, results = run_dbt("test", database, tmp_path, "--select", "test_type:unit", unit_tests=True)

    assert result.returncode == 0, result.stdout[-3000:]
    assert {r["status"] for r in results} == {"pass"}
    assert len(results) == _declared_unit_tests() >= 6, [r["unique_id"] for r in results]


def test_a_refresh_runs_the_models_and_data_tests_but_not_the_unit_tests(demo_warehouse: Path) -> None:
    results = json.loads((demo_warehouse / "dbt" / "run_results.json").read_text())["results"]
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert {"model", "test"} <= kinds and "unit_test" not in kinds
