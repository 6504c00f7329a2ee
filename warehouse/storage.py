"""How the warehouse opens the database files it writes: their storage format (see ``STORAGE_VERSION``) and
the memory DuckDB may hold for them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse import STORAGE_VERSION, sql


def create_database(path: Path) -> None:
    """An empty database file in the storage format of ``STORAGE_VERSION``, which every later writer (this
    process, dbt) keeps: DuckDB 2.0 would otherwise write a format DuckDB 1.x cannot read."""
    with duckdb.connect() as con:
        con.execute(f"attach {sql.literal(path)} as created (storage_version {sql.literal(STORAGE_VERSION)})")
        con.execute("detach created")


# DuckDB's default is 80% of the machine. This process's writes (loads, the copy of marts to Parquet and CSV)
# stay within this and spill the rest to disk: the publish step peaked at 1.2 GB without it, 0.7 GB with it.
WRITER_MEMORY_LIMIT = "384MB"


def connect_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a build database, its memory bounded by ``WRITER_MEMORY_LIMIT``."""
    return duckdb.connect(str(path), config={"memory_limit": WRITER_MEMORY_LIMIT})
