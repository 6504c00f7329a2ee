"""The refresh's worker processes end when stopped, whatever they are doing then."""

from __future__ import annotations

import atexit
import threading
import time
from multiprocessing.connection import Connection

from warehouse.process import exit_when_stopped, exit_without_teardown, spawn_worker


def _end_slowly(connection: Connection) -> None:
    """A worker ending on its own (as on the refresh letting go of its pipe), with an exit function that holds
    a lock for a second, as tqdm's monitor does."""
    exit_when_stopped()
    lock = threading.Lock()

    def slow_exit_function() -> None:
        with lock:
            connection.send("exiting")
            time.sleep(1)

    atexit.register(slow_exit_function)
    exit_without_teardown()


def test_a_worker_stopped_while_it_runs_its_exit_functions_still_exits() -> None:
    process, connection = spawn_worker(_end_slowly, name="ending-worker")
    assert connection.recv() == "exiting"
    process.terminate()  # the refresh stops it meanwhile: the exit functions must not run again inside themselves
    process.join(timeout=15)
    if process.exitcode is None:
        process.kill()
    assert process.exitcode == 0
