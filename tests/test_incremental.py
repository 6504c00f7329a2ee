"""Fingerprints decide what a refresh redoes: nothing when nothing changed, only what is downstream of a
changed dataset otherwise, and that partial rebuild publishes exactly what a full rebuild does."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import pytest

from ingest.registry import all_datasets
from tests.conftest import DEMO_MIRROR, REPO, query, run_maw
from tests.maw_helpers import copy_warehouse, sha256_of
from tests.watched_refresh import WatchedRefresh
from warehouse import WarehousePaths, fingerprints, incremental, refresh_log

# A full rebuild records a new retrieval (time and place) for every file; a carried-over row keeps the
# retrieval of the identical bytes it was parsed from. Rows are compared on everything else, including the
# sha256 of the raw file each row comes from.
RETRIEVAL_COLUMNS = {"_source_file", "_retrieved_at"}


def _latest_run(database: Path) -> str:
    return query(database, "select run_id from meta.publish order by published_at desc limit 1")[0][0]


def _models_run(warehouse: Path) -> set[str]:
    """The models dbt built in the warehouse's last refresh, from that build's run_results.json."""
    run_results = json.loads((warehouse / "dbt" / "run_results.json").read_text())
    assert run_results["metadata"]["env"]["MAW_RUN_ID"] == _latest_run(warehouse / "migration.duckdb")
    return {r["unique_id"] for r in run_results["results"] if r["unique_id"].startswith("model.")}


def _downstream_models(source: str) -> set[str]:
    """Every model downstream of a dbt source, from the child map of the project's manifest."""
    manifest = json.loads((REPO / "dbt_project" / "target" / "manifest.json").read_text())
    children = manifest["child_map"]
    start = next(k for k in manifest["sources"] if k.endswith(f".{source}"))
    seen, stack = set(), [start]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return {k for k in seen if k.startswith("model.")}


@pytest.mark.slow
def test_a_refresh_with_nothing_changed_publishes_nothing_and_leaves_the_file_byte_identical(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(demo_warehouse, tmp_path / "warehouse")
    database = warehouse / "migration.duckdb"
    before = sha256_of(database)
    publishes = query(database, "select count(*) from meta.publish")

    result = run_maw("refresh", warehouse=warehouse)

    assert result.returncode == 0, result.stdout + result.stderr
    said = [line for line in result.stderr.splitlines() if "Nothing changed" in line]
    assert len(said) == 1 and "nothing validated, built or published" in said[0], result.stderr
    assert "dbt build" not in result.stderr and "landed" not in result.stderr
    assert sha256_of(database) == before
    assert query(database, "select count(*) from meta.publish") == publishes
    assert not list((warehouse / "build").glob("*"))
    check = refresh_log.read(WarehousePaths(warehouse))[-1]
    published_id = query(database, "select publish_id from meta.publish order by published_at desc limit 1")[0][0]
    assert check["outcome"] == "unchanged" and check["publish_id"] == published_id
    assert check["datasets"] == len(all_datasets())


@pytest.mark.slow
def test_one_changed_dataset_rebuilds_only_its_downstream_models_and_equals_a_full_rebuild(
    demo_warehouse: Path, watched_refresh: WatchedRefresh, tmp_path: Path
) -> None:
    """The watched refresh raised one figure of unhcr/population, rebuilding only what is downstream of it; a
    copy of that warehouse refreshed from the demo mirror changes the figure back the same way. Its marts must
    then equal the demo warehouse's, which a full rebuild of the demo mirror made (so no second full build)."""
    assert watched_refresh.returncode == 0, watched_refresh.stdout + watched_refresh.stderr
    carried = len(all_datasets()) - 1
    plan = f"changed: unhcr/population; models downstream of them; carried over: {carried}"
    assert plan in watched_refresh.stderr
    raised = query(watched_refresh.warehouse / "migration.duckdb", "select sum(refugees) from marts.world_year")
    assert (
        raised[0][0]
        == query(demo_warehouse / "migration.duckdb", "select sum(refugees) from marts.world_year")[0][0] + 1
    )
    partial = copy_warehouse(watched_refresh.warehouse, tmp_path / "partial")
    result = run_maw("refresh", "--mirror", str(DEMO_MIRROR), warehouse=partial)
    assert result.returncode == 0, result.stdout + result.stderr
    assert plan in result.stderr
    full = demo_warehouse

    partial_run = _latest_run(partial / "migration.duckdb")
    built = _models_run(partial)
    assert built == _downstream_models("unhcr.population") | _downstream_models("meta.loads")
    everything = _models_run(full)
    assert built < everything and "model.migration_aid_warehouse.oda_transactions" not in built

    loads = query(
        partial / "migration.duckdb",
        "select source, dataset, unchanged from meta.loads where run_id = ?",
        [partial_run],
    )
    assert len(loads) == len(all_datasets())
    assert [(s, d) for s, d, unchanged in loads if not unchanged] == [("unhcr", "population")]

    with duckdb.connect(str(partial / "migration.duckdb"), read_only=True) as con:
        con.execute(f"attach '{full / 'migration.duckdb'}' as full_build (read_only)")
        marts = con.execute(
            "select table_name from duckdb_tables() where database_name = 'migration' and schema_name = 'marts'"
        ).fetchall()
        full_marts = con.execute(
            "select table_name from duckdb_tables() where database_name = 'full_build' and schema_name = 'marts'"
        ).fetchall()
        assert sorted(marts) == sorted(full_marts) and len(marts) > 10
        for (table,) in marts:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where database_name = 'migration' "
                    "and schema_name = 'marts' and table_name = ? order by column_index",
                    [table],
                ).fetchall()
                if c not in RETRIEVAL_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            for left, right in (("migration", "full_build"), ("full_build", "migration")):
                extra = con.execute(
                    f"select count(*) from (select {select} from {left}.marts.{table} "
                    f"except all select {select} from {right}.marts.{table})"
                ).fetchone()[0]
                assert extra == 0, f"marts.{table}: {extra} row(s) in {left} but not in {right}"


def test_a_new_warehouses_first_dbt_build_parses_nothing(demo_warehouse: Path) -> None:
    """dbt rewrites its partial-parse cache whenever it parses a file; the demo warehouse was new, so a cache
    byte-identical to the one `make manifest` wrote means its build reused that parse (the profile's
    connection, part of the cache's key, is the same relative path in every warehouse)."""
    seed = REPO / "dbt_project" / "target" / "partial_parse.msgpack"
    used = demo_warehouse / "dbt" / "partial_parse.msgpack"
    assert used.read_bytes() == seed.read_bytes()


def test_changed_code_or_dbt_project_changes_the_plan(demo_warehouse: Path, tmp_path: Path, monkeypatch) -> None:
    """A dataset whose parser or suite changed is rebuilt although its bytes did not; a changed dbt
    project rebuilds every model in a new build file."""
    paths = WarehousePaths(copy_warehouse(demo_warehouse, tmp_path / "warehouse"))
    context = incremental.source_context("demo")
    datasets = [d for d in all_datasets() if d.source in {"fx", "unhcr"}]
    same = incremental.make_plan(paths, context, datasets, "plan-test", full=False)
    assert same.nothing_to_do and not same.changed

    real_code_hash = fingerprints.code_hash
    monkeypatch.setattr(fingerprints, "code_hash", lambda s: "edited" if s == "fx" else real_code_hash(s))
    plan = incremental.make_plan(paths, context, datasets, "plan-test", full=False)
    assert [(d.source, d.name) for d in plan.changed] == [("fx", "ecb_reference_rates")]
    assert not plan.dbt_changed and not plan.fresh_build

    monkeypatch.setattr(fingerprints, "dbt_hash", lambda: "edited")
    plan = incremental.make_plan(paths, context, datasets, "plan-test", full=False)
    assert plan.dbt_changed and plan.fresh_build and not plan.full
    assert incremental.make_plan(paths, context, datasets, "plan-test", full=True).full


def test_a_dataset_with_no_files_in_this_mode_keeps_its_published_snapshot_planned_or_not(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    """Flows has no live endpoint: a live refresh lands no file for it and keeps the published table. The
    plan reads the published snapshots once and hands them to the load; an unplanned load (dagster dev)
    reads the published file itself, and both name the snapshot of the published flows load."""
    paths = WarehousePaths(copy_warehouse(demo_warehouse, tmp_path / "warehouse"))
    flows = next(d for d in all_datasets() if (d.source, d.name) == ("unhcr", "flows"))
    no_files = dataclasses.replace(flows, fetch=lambda _context: [])
    (published,) = query(
        paths.published,
        "select snapshot_id from meta.loads where source = 'unhcr' and dataset = 'flows' and run_id = "
        "(select run_id from meta.publish order by published_at desc limit 1)",
    )[0]

    assert incremental.published_snapshot(paths, "not-planned", flows) == published
    plan = incremental.make_plan(paths, incremental.source_context("demo"), [no_files], "planned", full=False)
    assert plan.carried == [no_files] and not plan.changed, "same snapshot and code: nothing to reload"
    incremental.start_build(paths, plan)
    paths.published.rename(paths.published.with_name("moved.duckdb"))  # the plan alone must answer
    assert incremental.published_snapshot(paths, "planned", flows) == published


@pytest.mark.parametrize("dbt_changed", [True, False], ids=["dbt project changed", "one dataset changed"])
def test_a_partial_selection_holds_only_assets_the_job_can_materialise(dbt_changed: bool) -> None:
    from orchestration.cli import _selection
    from orchestration.definitions import defs

    datasets = all_datasets()
    plan = incremental.Plan(run_id="r", full=False, published_id="p", changed=[datasets[0]], carried=datasets[1:])
    plan.dbt_changed = dbt_changed
    selected = set(_selection(defs, plan))
    graph = defs.resolve_asset_graph()
    assert selected <= graph.materializable_asset_keys, "meta/loads is read by dbt, never materialised"
    lineage = next(k for k in graph.materializable_asset_keys if k.path[-1] == "mart_lineage")
    assert lineage in selected, "mart_lineage names every load, so it is rebuilt with any"
