"""Expectation suites in a second process, so the two cores are both at work during a refresh.

Great Expectations takes seconds to import and validates slowly. ``maw refresh`` starts one worker
process before it imports Dagster; the worker imports GE meanwhile. Each dataset's load hands its loaded
table (as a Parquet file) to the worker as soon as it is in the build database and goes on with the next
dataset; the dataset's blocking check then waits for that report. The gate is the same: nothing downstream
runs until the check has the report, and a failed report quarantines the load. Without a started worker (tests,
``dagster dev``) checks validate in the calling process, as before.
"""

from __future__ import annotations

import atexit
import gc
import time
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from expectations import CheckReport, Expectation
from warehouse.process import exit_when_stopped, exit_without_teardown, how_it_ended, spawn_worker, stop_worker

Key = tuple[str, str, str]  # run id, source, dataset
Validated = tuple[CheckReport, float]  # the report and the seconds it took

_worker: tuple[BaseProcess, Connection] | None = None
_submitted: set[Key] = set()  # handed over, report not yet taken
_received: dict[Key, Validated | str] = {}  # reports (or the worker's traceback) read before they were taken


class CheckWorkerFailed(RuntimeError):
    """The worker could not validate a table (its traceback is the message), or it ended without a report."""


def _warm() -> None:
    import expectations.runner  # noqa: F401  (the slow import, done while the parent starts Dagster)

    # The imports' objects live as long as the worker: frozen, the collection after each check (below)
    # scans only what checks made, 0.02 s instead of 0.2 s. Unfrozen at exit, so that DuckDB's
    # bindings find their objects freed and print no leak report.
    gc.freeze()
    atexit.register(gc.unfreeze)


def _serve(connection: Connection) -> None:
    """In the worker: import GE, then validate each table handed over, in order, sending back its report."""
    exit_when_stopped()
    _warm()
    while True:
        try:
            key, table, suite_name, suite = connection.recv()
        except EOFError:  # the refresh let go of the worker
            exit_without_teardown()
        try:
            outcome: Validated | str = _validate(table, suite_name, suite)
        except Exception as exc:  # said in the dataset's check, which fails
            outcome = "".join(traceback.format_exception(exc))
        connection.send((key, outcome))


def _validate(table: Path, suite_name: str, expectations: Sequence[Expectation]) -> Validated:
    """Validate a loaded table handed over as Parquet (removed afterwards: the build database has it)."""
    from expectations.runner import validate_parquet

    clock = time.perf_counter()
    try:
        report = validate_parquet(table, suite_name, expectations)
    finally:
        table.unlink()
    # GE leaves a validated frame in reference cycles, which only Python's cycle collector frees, and that
    # seldom runs: collected here, the worker does not hold the table it checked (about 160 MB less at the
    # UNHCR demographics check) while the next dataset loads.
    gc.collect()
    return report, time.perf_counter() - clock


def start() -> None:
    """Start the worker, which imports Great Expectations and waits for tables."""
    global _worker
    if _worker is None:
        _worker = spawn_worker(_serve, name="check-worker")


def started() -> bool:
    return _worker is not None


def submit(key: Key, table: Path, suite_name: str, suite: Sequence[Expectation]) -> None:
    if _worker is not None:
        _worker[1].send((key, table, suite_name, suite))
        _submitted.add(key)


def take(key: Key) -> Validated | None:
    """The worker's report (and its seconds) for a load submitted earlier, waiting for it; None when none
    was submitted."""
    if key not in _submitted:
        return None
    _submitted.discard(key)
    assert _worker is not None
    process, connection = _worker
    while key not in _received:
        try:
            done, outcome = connection.recv()
        except (EOFError, OSError):
            raise CheckWorkerFailed(f"the check worker ended ({how_it_ended(process)}) without a report") from None
        _received[done] = outcome
    outcome = _received.pop(key)
    if isinstance(outcome, str):
        raise CheckWorkerFailed(outcome)
    return outcome


def stop_if_idle() -> None:
    """Stop the worker when no load waits for its report (every check has taken its own), so its memory is
    free for what runs next; a worker still owed a report keeps running."""
    if not _submitted:
        stop()


def stop() -> None:
    """Stop the worker (SIGTERM: it exits at once, without the teardown of Great Expectations' objects)."""
    global _worker
    if _worker is not None:
        stop_worker(*_worker)
        _worker = None
    _submitted.clear()
    _received.clear()
