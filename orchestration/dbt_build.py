"""The dbt models and seeds as Dagster assets, read from dbt's manifest, and the step that builds them.

dagster-dbt does the same, but importing it imports most of dbt: 2.2 of the 3.3 s ``orchestration.definitions``
took to import, on the critical path of every refresh, although dbt runs in a worker of its own
(``orchestration/dbt_runner.py``). The asset graph needs only what the manifest says, read here as JSON, with
dagster-dbt's keys (a source's ``[source, table]``, a model's or seed's ``[schema, name]``), so a dbt source is
the dataset asset that loads it.

dbt tests are not Dagster asset checks: ``dbt build`` runs every test of the models it builds and a failing one
fails the step (so nothing is published).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    TableColumn,
    TableSchema,
)

from ingest.common.settings import dbt_environment
from orchestration import dbt_runner


def read_manifest(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def asset_key(node: Mapping[str, Any]) -> AssetKey:
    """dagster-dbt's default key: a source's name and table; a model's or seed's schema (as configured) and
    name."""
    if node["resource_type"] == "source":
        return AssetKey([node["source_name"], node["name"]])
    schema = node["config"].get("schema")
    return AssetKey([schema, node["name"]] if schema else [node["name"]])


def group_name(node: Mapping[str, Any]) -> str:
    """The layer the model's folder names (``dbt_staging``, ``dbt_intermediate``, ``dbt_marts``); seeds ``dbt``."""
    fqn = node["fqn"]
    return "dbt_" + fqn[1] if len(fqn) > 2 else "dbt"


def asset_nodes(manifest: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The models and seeds (what the assets stand for), in the manifest's order."""
    return [node for node in manifest["nodes"].values() if node["resource_type"] in dbt_runner.ASSET_TYPES]


def asset_specs(manifest: Mapping[str, Any]) -> list[AssetSpec]:
    """One spec per model and seed, depending on the models, seeds and sources it reads."""
    upstream = {**manifest["nodes"], **manifest["sources"]}
    return [
        AssetSpec(
            key=asset_key(node),
            deps=list(
                dict.fromkeys(
                    asset_key(upstream[uid]) for uid in node.get("depends_on", {}).get("nodes", []) if uid in upstream
                )
            ),
            description=node.get("description") or f"dbt {node['resource_type']} {node['name']}",
            group_name=group_name(node),
            code_version=node["checksum"]["checksum"],
            skippable=True,  # a subset builds some; a failed node's step fails after the others' results
            kinds={"dbt", "duckdb"},
            metadata={
                "dbt/unique_id": node["unique_id"],
                "dagster/table_name": f"{node['database']}.{node['schema']}.{node['alias']}",
                "dagster/column_schema": TableSchema(
                    columns=[
                        TableColumn(name, column.get("data_type") or "?", description=column.get("description"))
                        for name, column in node.get("columns", {}).items()
                    ]
                ),
            },
        )
        for node in asset_nodes(manifest)
    ]


def selection_args(manifest: Mapping[str, Any], selected: Collection[AssetKey]) -> list[str]:
    """dbt's ``--select`` for the run's selection, as dagster-dbt wrote it: every node, or the selected models
    and seeds by their fully qualified names. dbt adds the tests of what it selects (eager indirect selection)."""
    nodes = asset_nodes(manifest)
    chosen = [node for node in nodes if asset_key(node) in selected]
    if len(chosen) == len(nodes):
        return ["--select", "fqn:*"]
    return ["--select", " ".join(".".join(node["fqn"]) for node in chosen)]


def build(
    context: AssetExecutionContext,
    args: Sequence[str],
    manifest: Mapping[str, Any],
    project: dbt_runner.Project,
    build_db: Path,
) -> Iterator[MaterializeResult]:
    """Run ``dbt <args>`` on the run's selection in the dbt worker and yield a materialization for each model
    and seed as soon as dbt has built it; a failed node or a dbt error raises ``Failure`` at the end, naming
    what failed. dbt's console output goes to this process's standard output, which ``maw refresh`` writes
    to the refresh's log file."""
    command = [
        *args,
        *selection_args(manifest, context.selected_asset_keys),
        "--no-use-colors",  # its console lines go to the refresh's log file
        # No manifest.json, written twice a build (2 s; the asset graph reads `make manifest`'s), nor
        # graph.gpickle; run_results.json is written by the worker.
        "--no-write-json",
    ]
    build = dbt_runner.build(project, command, dbt_environment(str(build_db), context.run_id))
    keys = {node["unique_id"]: asset_key(node) for node in asset_nodes(manifest)}
    for result in build.results():  # as dbt finishes each node: Dagster's events overlap the build
        key = keys.get(result.unique_id)
        if result.status == "success" and key in context.selected_asset_keys:
            yield MaterializeResult(
                asset_key=key,
                metadata={"unique_id": result.unique_id, "execution_seconds": round(result.execution_time, 3)},
            )
    outcome = build.outcome
    assert outcome is not None
    sys.stdout.write(outcome.console)
    if not outcome.success:
        raise Failure(description=f"dbt {args[0]} failed: {outcome.failure}")
