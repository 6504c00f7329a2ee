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
import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from expectations import CheckReport, Expectation

_executor: ProcessPoolExecutor | None = None
_pending: dict[tuple[str, str, str], Future] = {}


def _warm() -> None:
    import expectations.runner  # noqa: F401  (the slow import, done while the parent starts Dagster)

    # The imports' objects live as long as the worker: frozen, the collection after each check (below)
    # scans only what checks made, 0.02 s instead of 0.2 s. Unfrozen at exit, so that DuckDB's
    # bindings find their objects freed and print no leak report.
    gc.freeze()
    atexit.register(gc.unfreeze)


def _validate(table: Path, suite_name: str, expectations: Sequence[Expectation]) -> tuple[CheckReport, float]:
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
    """Start the worker (spawned: a fork of a process running DuckDB and polars threads is not safe)."""
    global _executor
    if _executor is None:
        _executor = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
        )
        _executor.submit(int)  # spawn now, not at the first dataset


def started() -> bool:
    return _executor is not None


def submit(key: tuple[str, str, str], table: Path, suite_name: str, suite: Sequence[Expectation]) -> None:
    if _executor is not None:
        _pending[key] = _executor.submit(_validate, table, suite_name, suite)


def take(key: tuple[str, str, str]) -> tuple[CheckReport, float] | None:
    """The worker's report (and its seconds) for a load submitted earlier, waiting for it; None when none
    was submitted."""
    future = _pending.pop(key, None)
    return None if future is None else future.result()


def stop_if_idle() -> None:
    """Stop the worker when no load waits for its report (every check has taken its own), so its memory is
    free for what runs next; a worker still owed a report keeps running. Its exit is not waited for: the
    interpreter's teardown with Great Expectations loaded takes most of a second, which the worker spends on
    the other core while dbt starts here."""
    if not _pending:
        stop(wait=False)


def stop(wait: bool = True) -> None:
    global _executor
    if _executor is not None:
        _executor.shutdown(wait=wait, cancel_futures=True)
        _executor = None
    _pending.clear()
