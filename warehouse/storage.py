"""The storage format of every database file the warehouse writes (see ``STORAGE_VERSION``)."""

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
