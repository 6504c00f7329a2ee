"""The refresh's worker processes, and how the refresh's processes end.

A worker is spawned (a fork of a process running DuckDB and polars threads is not safe) as a daemon with a
pipe to it, so a refresh that ends early ends its workers too. Processes end with everything written and
closed, but without the interpreter's teardown, whose last cycle collection walks every object Dagster, dbt
and Great Expectations made (1.1 s of a 12 s one-changed refresh) only to free memory the exit returns anyway.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, NoReturn


def spawn_worker(serve: Callable[..., None], *args: Any, name: str) -> tuple[BaseProcess, Connection]:
    """Start ``serve(*args, connection)`` in a new daemon process; returns it and this end of the pipe."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=serve, args=(*args, theirs), name=name, daemon=True)
    process.start()
    theirs.close()
    return process, ours


def stop_worker(process: BaseProcess, connection: Connection) -> None:
    """Let go of the worker's pipe and SIGTERM it: it exits at once (``exit_when_stopped``), not waited for."""
    connection.close()
    process.terminate()


def how_it_ended(process: BaseProcess) -> str:
    """For the error of a worker whose pipe closed before it answered: its exit code, once it has one."""
    process.join(timeout=5)
    return f"exit code {process.exitcode}"


def exit_when_stopped() -> None:
    """In a worker: SIGTERM (the refresh stopped it) exits at once, after the exit functions (multiprocessing
    must release the semaphores a library made)."""
    signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum: int, frame: Any) -> NoReturn:
    exit_without_teardown()


def exit_without_teardown(code: int = 0) -> NoReturn:
    # Once only: a SIGTERM while the exit functions run (the refresh stops a worker that is ending already, and
    # multiprocessing signals a daemon again at its parent's exit) would run them again inside themselves,
    # where one waiting for a lock its first run holds (tqdm's monitor) never returns.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    atexit._run_exitfuncs()  # what an exit runs first: log handlers flushed, multiprocessing's semaphores freed
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
