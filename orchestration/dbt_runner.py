"""``dbt build`` in a process of its own, started and made ready while the datasets load.

dbt takes about 2 s to import and 1 s more to read its parse cache into a manifest before it runs a node. In
the refresh's own process those seconds came after the last check, on the critical path, and importing
dagster-dbt (which imports most of dbt) put 2 s more on its start-up. ``maw refresh`` now starts this worker
beside the check worker, before it imports Dagster: the worker imports dbt and parses the project on the other
core while the datasets load, and the dbt step hands it the build command. The worker sends each model's
result as dbt finishes it, so the refresh turns it into Dagster's events while the build goes on. It runs one
build and is stopped, so dbt's memory (and its DuckDB database) is gone before publishing.

Without a started worker (tests, ``dagster dev``) the dbt step starts one when it needs it. This module does
not import Dagster; dbt itself is imported only where dbt runs.

dbt runs in the warehouse's build folder, where the profile's relative path (``current/build.duckdb``) names
the run's build: dbt keys its partial-parse cache on the profile's connection, and one relative path for every
warehouse keeps the cache `make manifest` writes valid in a new warehouse too, so no refresh parses it all.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import duckdb

from ingest.common.settings import set_environment
from orchestration.manifest import DBT_PROJECT_DIR
from warehouse import WarehousePaths
from warehouse.process import exit_when_stopped, exit_without_teardown, how_it_ended, spawn_worker, stop_worker

PARTIAL_PARSE = "partial_parse.msgpack"
# The kinds of dbt node the Dagster assets stand for (tests gate, they are not assets).
ASSET_TYPES = frozenset({"model", "seed", "snapshot"})


@dataclass(frozen=True)
class Project:
    """Where dbt reads the project and profile, runs (``work_dir``) and writes its artifacts."""

    project_dir: Path
    work_dir: Path
    target_path: Path

    def flags(self) -> list[str]:
        return [
            "--project-dir", str(self.project_dir),
            "--profiles-dir", str(self.project_dir),
            "--target-path", str(self.target_path),
            "--log-path", str(self.target_path),
        ]  # fmt: skip


@dataclass(frozen=True)
class NodeResult:
    """A model's or seed's result, as dbt reports it when the node is done."""

    unique_id: str
    status: str  # dbt's: success, error, skipped
    execution_time: float


@dataclass
class BuildOutcome:
    """How a build ended (its models' and seeds' results came before, one by one): whether it passed, what dbt
    wrote to its console, and (when it failed) which nodes failed and why."""

    success: bool
    console: str = ""
    failure: str = ""


def project_for(paths: WarehousePaths) -> Project:
    """The project as a refresh of the warehouse at ``paths`` runs it."""
    return Project(DBT_PROJECT_DIR, work_dir=paths.build, target_path=paths.dbt_target)


class DbtWorkerDied(RuntimeError):
    """The worker ended without sending the build's outcome."""


_worker: tuple[BaseProcess, Connection] | None = None


def start(project: Project) -> None:
    """Start the worker (spawned, as the check worker is), which imports dbt and parses ``project``, then
    waits for one build."""
    global _worker
    if _worker is None:
        _worker = spawn_worker(_serve, project, name="dbt-worker")


class Build:
    """A build the worker runs. ``results()`` yields each model's and seed's result as soon as dbt has
    finished the node, so what the caller does with it (Dagster's events for an asset: 1.4 s for the real
    snapshot's 105) overlaps the rest of the build instead of following it; ``outcome`` is set after."""

    def __init__(self, process: BaseProcess, connection: Connection, request: tuple) -> None:
        self._process, self._connection, self._request = process, connection, request
        self.outcome: BuildOutcome | None = None

    def results(self) -> Iterator[NodeResult]:
        """Send the build to the worker (once) and yield its results until the outcome comes."""
        try:
            self._connection.send(self._request)
            while not isinstance(message := self._connection.recv(), BuildOutcome):
                yield message
            self.outcome = message
        except (EOFError, OSError):  # raised alone: `maw refresh` names a step's innermost error, here an empty EOF
            died = f"the dbt worker ended ({how_it_ended(self._process)}) without the build's outcome"
            raise DbtWorkerDied(died) from None
        finally:
            self._connection.close()


def build(project: Project, command: Sequence[str], environment: Mapping[str, str]) -> Build:
    """``dbt <command>`` on ``project`` in the worker (started here if it was not) with ``environment`` set,
    run as ``Build.results()`` is read; the worker exits after it."""
    global _worker
    start(project)
    assert _worker is not None
    (process, connection), _worker = _worker, None  # one build a worker: this build owns it now
    return Build(process, connection, (list(command), dict(environment)))


def stop() -> None:
    """Stop a worker still getting ready or waiting for its build (the refresh stopped before its dbt step)."""
    global _worker
    if _worker is not None:
        stop_worker(*_worker)
        _worker = None


def _serve(project: Project, connection: Connection) -> None:
    """In the worker: get ready, then run the one build the refresh sends and send back its outcome."""
    exit_when_stopped()
    _warm(project)
    try:
        command, environment = connection.recv()
    except EOFError:  # the refresh let go of the worker without a build
        exit_without_teardown()
    try:
        outcome = _build(project, command, environment, connection)
    except Exception as exc:  # dbt's own errors are in its result: this is a bug, said in the step's failure
        outcome = BuildOutcome(False, failure="".join(traceback.format_exception(exc, limit=-5)))
    connection.send(outcome)
    exit_without_teardown()


_manifest: Any = None  # in the worker: the project parsed while the datasets load


def _warm(project: Project) -> None:
    """In the worker: import dbt and parse the project (from the parse cache) while the datasets load. A
    failed parse leaves no manifest: the build then parses by itself and reports the error."""
    global _manifest
    try:
        project.work_dir.mkdir(parents=True, exist_ok=True)  # a new warehouse's, before its first build
        start_from_parse_cache(project.project_dir, project.target_path)
    except OSError:  # a full disk, a read-only warehouse: the refresh stops on it itself and says so
        return
    parse = ["parse", *project.flags(), "--no-write-json", "--quiet"]
    with contextlib.redirect_stdout(io.StringIO()):
        outcome = invoke(parse, project.work_dir, project.target_path)
    _manifest = outcome.result if outcome.success else None


def _build(project: Project, command: list[str], environment: dict[str, str], connection: Connection) -> BuildOutcome:
    """In the worker: the build, each model's and seed's result sent to the refresh as dbt finishes it, and
    dbt's console output kept for the refresh's log."""
    set_environment(environment)
    sending = threading.Lock()  # dbt reports a node from the thread that ran it

    def send_when_finished(event: Any) -> None:
        if event.info.name == "NodeFinished" and event.data.node_info.resource_type in ASSET_TYPES:
            run = event.data.run_result
            with sending:
                connection.send(NodeResult(event.data.node_info.unique_id, run.status, run.execution_time))

    console = io.StringIO()
    with contextlib.redirect_stdout(console):
        outcome = invoke(
            [*command, *project.flags()],
            project.work_dir,
            project.target_path,
            callbacks=[send_when_finished],
            manifest=_manifest,
        )
    failure = "" if outcome.success else what_failed(outcome, project.work_dir / environment["MAW_BUILD_DB"])
    return BuildOutcome(outcome.success, console.getvalue(), failure)


def invoke(
    command: Sequence[str], work_dir: Path, target_path: Path, callbacks: Sequence[Callable] = (), manifest: Any = None
) -> Any:
    """``dbt <command>`` in this process, from ``work_dir``, then its run_results.json into ``target_path``
    (the command's own JSON artifacts are best left off with ``--no-write-json``); returns dbt's result.
    ``manifest``: the project already parsed in this process, so dbt does not read its parse cache again.
    Several invocations in one process each start clean: dbt's metadata variables are read again and the
    DuckDB database the profile keeps open is closed after each."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import reset_metadata_vars

    reset_metadata_vars()  # dbt reads DBT_ENV_CUSTOM_ENV_* once per process: this run's, not the first run's
    try:
        with contextlib.chdir(work_dir):
            outcome = dbtRunner(manifest=manifest, callbacks=list(callbacks)).invoke(list(command))
    finally:
        _close_build_database()
    if hasattr(outcome.result, "results"):  # a run's results; `parse` returns the manifest
        outcome.result.write(str(target_path / "run_results.json"))
    return outcome


def start_from_parse_cache(project_dir: Path, target_path: Path) -> None:
    """A new target folder (a new warehouse's ``dbt/``) starts from the parse cache `make manifest` wrote, so
    dbt parses nothing; a folder with a cache of its own keeps it (dbt rewrites it whenever it parses)."""
    cache = project_dir / "target" / PARTIAL_PARSE
    target_path.mkdir(parents=True, exist_ok=True)
    if cache.exists() and not (target_path / PARTIAL_PARSE).exists():
        staged = target_path / f"{PARTIAL_PARSE}.part"
        try:  # whole or not at all: a copy broken off (a full disk) must not be read as the cache
            shutil.copy(cache, staged)
            os.replace(staged, target_path / PARTIAL_PARSE)
        finally:
            staged.unlink(missing_ok=True)


def what_failed(outcome: Any, database: Path) -> str:
    """Each failed node with dbt's message, or dbt's own error when no node ran; a failed ``rules`` test also
    with the rules it found broken."""
    failed = []
    for result in getattr(outcome.result, "results", []):
        if str(result.status) not in {"error", "fail", "runtime error"}:
            continue
        broken = broken_rules(result.node, database) if str(result.status) == "fail" else []
        failed.append(" ".join([f"{result.node.unique_id} ({result.status}): {result.message or ''}".strip(), *broken]))
    return "; ".join(failed[:10]) or str(outcome.exception)


def broken_rules(node: Any, database: Path) -> list[str]:
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
