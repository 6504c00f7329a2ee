"""``dbt build`` inside the Dagster process, through dbt's programmatic runner.

dagster-dbt's ``DbtCliResource`` starts dbt as a new Python process, which imports dbt again (Dagster has
already imported most of it) and streams every event as a JSON line for Dagster to parse back: seconds of
start-up on every refresh, and a second interpreter's memory beside Dagster's. ``dbtRunner`` runs the same
command here; dagster-dbt still chooses the nodes of the run's asset selection and still turns each model's
result into its Dagster materialization, so what runs is what the CLI resource ran.

dbt runs in the warehouse's build folder, where the profile's relative path (``current/build.duckdb``) names
the run's build: dbt keys its partial-parse cache on the profile's connection, and one relative path for every
warehouse keeps the cache `make manifest` writes valid in a new warehouse too, so no refresh parses it all.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetExecutionContext, Failure
from dagster_dbt import DbtProject
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from warehouse import DBT_BUILD_DB

# The events that carry a model's or seed's result, from which dagster-dbt makes the asset's Output. Tests are
# not Dagster asset checks here (orchestration/assets.py: Translator): a failed test fails the step instead.
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult"})
PARTIAL_PARSE = "partial_parse.msgpack"


def build(
    context: AssetExecutionContext,
    args: Sequence[str],
    project: DbtProject,
    work_dir: Path,
    target_path: Path,
) -> Iterator[Any]:
    """Run ``dbt <args>`` on the nodes of the run's selection, from ``work_dir``, writing its artifacts to
    ``target_path``, and yield dagster-dbt's event for each model built; a failed node or a dbt error raises
    ``Failure`` (after the events of the models that were built) naming what failed."""
    from dbt_common.events.functions import msg_to_dict

    params = get_updated_cli_invocation_params_for_context(
        context=context,
        manifest={},
        dagster_dbt_translator=None,  # type: ignore[arg-type]
    )
    project = params.dbt_project or project  # dagster-dbt's copy of it, when the selection needs a selector
    start_from_parse_cache(Path(project.project_dir), target_path)
    results: list[dict[str, Any]] = []

    def keep_result(message) -> None:
        if message.info.name in RESULT_EVENTS:
            results.append(msg_to_dict(message))

    command = [
        *args,
        *params.selection_args,
        "--project-dir", str(project.project_dir),
        "--profiles-dir", str(project.profiles_dir),
        "--target-path", str(target_path),
        "--log-path", str(target_path),
        "--no-use-colors",  # its console lines go to the refresh's log file
        # No manifest.json, written twice a build (2 s; the asset graph reads `make manifest`'s), nor
        # graph.gpickle; run_results.json is written below.
        "--no-write-json",
    ]  # fmt: skip
    outcome = invoke(command, work_dir, target_path, callbacks=[keep_result])
    for raw_event in results:
        yield from DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={}).to_default_asset_events(
            manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator,
            context=context,
            target_path=target_path,
            project=project,
        )
    if not outcome.success:
        raise Failure(description=f"dbt {args[0]} failed: {_what_failed(outcome, work_dir / DBT_BUILD_DB)}")


def invoke(command: Sequence[str], work_dir: Path, target_path: Path, callbacks: Sequence[Callable] = ()) -> Any:
    """``dbt <command>`` in this process, from ``work_dir``, then its run_results.json into ``target_path``
    (the command's own JSON artifacts are best left off with ``--no-write-json``); returns dbt's result.
    Several invocations in one process each start clean: dbt's metadata variables are read again and the
    DuckDB database the profile keeps open is closed after each."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import reset_metadata_vars

    reset_metadata_vars()  # dbt reads DBT_ENV_CUSTOM_ENV_* once per process: this run's, not the first run's
    try:
        with contextlib.chdir(work_dir):
            outcome = dbtRunner(callbacks=list(callbacks)).invoke(list(command))
    finally:
        _close_build_database()
    if hasattr(outcome.result, "write"):
        outcome.result.write(str(target_path / "run_results.json"))
    return outcome


def start_from_parse_cache(project_dir: Path, target_path: Path) -> None:
    """A new target folder (a new warehouse's ``dbt/``) starts from the parse cache `make manifest` wrote, so
    dbt parses nothing; a folder with a cache of its own keeps it (dbt rewrites it whenever it parses)."""
    cache = project_dir / "target" / PARTIAL_PARSE
    target_path.mkdir(parents=True, exist_ok=True)
    if cache.exists() and not (target_path / PARTIAL_PARSE).exists():
        shutil.copy(cache, target_path / PARTIAL_PARSE)


def _what_failed(outcome, database: Path) -> str:
    """Each failed node with dbt's message, or dbt's own error when no node ran; a failed ``rules`` test also
    with the rules it found broken."""
    failed = []
    for result in getattr(outcome.result, "results", []):
        if str(result.status) not in {"error", "fail", "runtime error"}:
            continue
        broken = _broken_rules(result.node, database) if str(result.status) == "fail" else []
        failed.append(" ".join([f"{result.node.unique_id} ({result.status}): {result.message or ''}".strip(), *broken]))
    return "; ".join(failed[:10]) or str(outcome.exception)


def _broken_rules(node, database: Path) -> list[str]:
    """The rows of a failed ``rules`` test (tests/generic/rules.sql), read again from the failed build, as
    "[rule column: N rows, e.g. value]": dbt itself says only how many rules broke."""
    metadata = getattr(node, "test_metadata", None)
    if metadata is None or metadata.name != "rules" or not node.compiled_code:
        return []
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            rows = con.execute(node.compiled_code).fetchall()
    except duckdb.Error as exc:
        return [f"[its rows could not be read again: {exc}]"]
    return [
        f"[{rule} {column}: {count} row{'s' if count != 1 else ''}{f', e.g. {example}' if example else ''}]"
        for rule, column, count, example in rows
    ]


def _close_build_database() -> None:
    """The profile keeps dbt's one DuckDB database open (``keep_open``), in dbt-duckdb's class-level
    environment, which outlives the invocation in this process: close it, so the build file is free for the
    publish step (with its own configuration) and the database's memory is released."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()
