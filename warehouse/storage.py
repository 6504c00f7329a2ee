"""How the warehouse opens the database files it writes: their storage format (see ``STORAGE_VERSION``) and
the memory DuckDB may hold for them."""

from __future__ import annotations

import atexit
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse import STORAGE_VERSION, sql


def create_database(path: Path) -> None:
    """An empty database file in the storage format of ``STORAGE_VERSION``, which every later writer (this
    process, dbt) keeps: DuckDB 2.0 would otherwise write a format DuckDB 1.x cannot read."""
    with duckdb.connect() as con:
        con.execute(f"attach {sql.literal(path)} as created (storage_version {sql.literal(STORAGE_VERSION)})")
        con.execute("detach created")


@contextmanager
def published_attached(con: duckdb.DuckDBPyConnection, published: Path) -> Iterator[None]:
    """``published`` attached read-only as ``previous`` for the statements inside, and detached after them
    whatever happens: a held build database outlives the step that attached it."""
    con.execute(f"attach {sql.literal(published)} as previous (read_only)")
    try:
        yield
    finally:
        con.execute("detach previous")


# DuckDB's default is 80% of the machine. This process's writes (loads, the copy of marts to Parquet and CSV)
# stay within this and spill the rest to disk: the publish step peaked at 1.2 GB without it, 0.7 GB with it.
WRITER_MEMORY_LIMIT = "384MB"


def connect_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a build database, its memory bounded by ``WRITER_MEMORY_LIMIT``."""
    return duckdb.connect(str(path), config={"memory_limit": WRITER_MEMORY_LIMIT})


# Build databases this process holds open between the steps that write them (the loads and checks of a run);
# closed at exit too, as a run of only some loads under `dagster dev` ends without a dbt step.
_held: dict[Path, duckdb.DuckDBPyConnection] = {}
# A held database keeps the blocks of the tables loaded so far in memory, up to its limit: at
# WRITER_MEMORY_LIMIT the real snapshot's refresh peaked at 930-970 MB PSS summed over its processes, at this
# limit at 830-860 MB (as with a database opened per step), its loads as fast.
HELD_MEMORY_LIMIT = "192MB"


def connect_held(path: Path) -> duckdb.DuckDBPyConnection:
    """A cursor on the build database ``path``, which stays open when the cursor is closed, until ``release``.
    A refresh's 30 loads and 30 checks each opened and closed the file: an open reads the catalog and a close
    checkpoints, some 35 ms a step on the real snapshot's build."""
    key = path.resolve()
    if key not in _held:
        _held[key] = duckdb.connect(str(path), config={"memory_limit": HELD_MEMORY_LIMIT})
    return _held[key].cursor()


def release(path: Path | None = None) -> None:
    """Close the held build database ``path`` (every one when None): checkpointed, its memory freed, the file
    free for another writer (dbt, publishing) or to be renamed. Closing a database not held does nothing."""
    for key in [path.resolve()] if path is not None else list(_held):
        con = _held.pop(key, None)
        if con is not None:
            con.close()


atexit.register(release)
