"""The dbt worker (orchestration/dbt_runner.py) and the dbt assets read from the manifest (dbt_build.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from orchestration import dbt_build, dbt_runner
from orchestration.manifest import DBT_PROJECT_DIR, MANIFEST

REPO = Path(__file__).resolve().parent.parent


def test_a_full_selection_builds_every_node_and_a_subset_names_each_chosen_model_by_its_fqn() -> None:
    manifest = dbt_build.read_manifest(MANIFEST)
    keys = [spec.key for spec in dbt_build.asset_specs(manifest)]
    assert dbt_build.selection_args(manifest, keys) == ["--select", "fqn:*"]

    chosen = [key for key in keys if key.path[-1] in {"country_year", "stg_unhcr__population"}]
    flag, names = dbt_build.selection_args(manifest, chosen)
    assert flag == "--select"
    assert sorted(names.split()) == [
        "migration_aid_warehouse.marts.country_year",
        "migration_aid_warehouse.staging.unhcr.stg_unhcr__population",
    ]


def test_a_model_reads_its_sources_as_the_dataset_assets_and_its_models_by_schema_and_name() -> None:
    manifest = dbt_build.read_manifest(MANIFEST)
    specs = {spec.key.to_user_string(): spec for spec in dbt_build.asset_specs(manifest)}
    staging = specs["staging/stg_unhcr__population"]
    assert [dep.asset_key.to_user_string() for dep in staging.deps] == ["unhcr/population"]
    assert staging.group_name == "dbt_staging"
    assert "intermediate/int_unhcr__country_year" in {
        dep.asset_key.to_user_string() for dep in specs["marts/country_year"].deps
    }
    assert specs["reference/programmes"].group_name == "dbt"  # a seed


def test_a_failed_model_comes_back_from_the_worker_named_with_dbts_console_and_the_rest_reported_skipped(
    tmp_path: Path,
) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("logs"))  # with the parse cache
    model = project / "models" / "marts" / "dim_year.sql"
    model.write_text(model.read_text().replace("select", "select not sql at all,", 1))
    work = tmp_path / "build"
    (work / "run").mkdir(parents=True)
    duckdb.connect(str(work / "run" / "build.duckdb")).close()
    (work / "current").symlink_to("run", target_is_directory=True)
    environment = {"MAW_BUILD_DB": "current/build.duckdb", "DBT_ENV_CUSTOM_ENV_MAW_RUN_ID": "test-run"}
    command = ["build", "--select", "dim_year+", "--exclude-resource-type", "unit_test", "--no-write-json"]

    build = dbt_runner.build(dbt_runner.Project(project, work, tmp_path / "target"), command, environment)
    streamed = list(build.results())
    outcome = build.outcome

    assert outcome is not None and not outcome.success
    assert outcome.failure.startswith("model.migration_aid_warehouse.dim_year (error)"), outcome.failure
    assert "Failure in model dim_year" in outcome.console
    statuses = {result.unique_id.split(".")[-1]: result.status for result in streamed}
    assert statuses["dim_year"] == "error"
    assert {status for name, status in statuses.items() if name != "dim_year"} == {"skipped"}
    assert (tmp_path / "target" / "run_results.json").is_file()


def test_a_worker_stopped_before_its_build_exits_at_once_releasing_what_dbt_made(tmp_path: Path) -> None:
    """A refresh whose loads fail never sends a build: the worker, parsed and waiting (its adapter's
    semaphores made), is stopped, and the refresh's exit neither waits for it nor leaves semaphores behind."""
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from orchestration import dbt_runner

        if __name__ == "__main__":
            project = dbt_runner.Project(Path({str(DBT_PROJECT_DIR)!r}), Path({str(tmp_path)!r}),
                                         Path({str(tmp_path / "target")!r}))
            dbt_runner.start(project)
            log = Path({str(tmp_path / "target" / "dbt.log")!r})
            while "Command `cli parse` succeeded" not in (log.read_text() if log.exists() else ""):
                time.sleep(0.1)  # until dbt is imported and the project parsed: the worker waits for its build
            dbt_runner.stop()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "leaked" not in result.stderr and "Traceback" not in result.stderr, result.stderr
