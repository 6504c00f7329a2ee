"""The ``meta`` schema: what was loaded, from which bytes, with which checks, and what was published.

History tables are carried from the published file into every new build, so the published warehouse
always holds the complete record of loads, revisions and publishes.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ingest.common.source import Snapshot
from warehouse import sql

DDL = """
create schema if not exists meta;
create table if not exists meta.snapshots (
    snapshot_id varchar, source varchar, dataset varchar, file_sha256 varchar, file_name varchar,
    origin varchar, raw_path varchar, bytes bigint, http_status integer, retrieved_at timestamptz
);
create table if not exists meta.loads (
    run_id varchar, source varchar, dataset varchar, target_table varchar, snapshot_id varchar,
    files integer, bytes bigint, rows bigint, unchanged boolean, status varchar,
    checks_passed integer, checks_total integer, check_results json, error varchar,
    fetch_seconds double, parse_seconds double, load_seconds double, validate_seconds double,
    started_at timestamptz, finished_at timestamptz
);
create table if not exists meta.changes (
    run_id varchar, source varchar, dataset varchar, previous_snapshot_id varchar, snapshot_id varchar,
    year integer, change varchar, key json, column_name varchar, old_value varchar, new_value varchar,
    detected_at timestamptz
);
create table if not exists meta.acceptances (
    run_id varchar, source varchar, dataset varchar, gate varchar, previous_rows bigint, rows bigint,
    problem varchar, accepted_at timestamptz
);
create table if not exists meta.publish (
    publish_id varchar, run_id varchar, mode varchar, published_at timestamptz, path varchar,
    snapshots json, checks_passed integer, checks_total integer, dbt_summary json
);
"""

HISTORY_TABLES = ("snapshots", "loads", "changes", "acceptances", "publish")


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def carry_history(con: duckdb.DuckDBPyConnection, published: Path) -> None:
    """Copy the history tables of the published warehouse into a new build."""
    ensure(con)
    if not published.exists():
        return
    con.execute(f"attach {sql.literal(published)} as previous (read_only)")
    try:
        previous_tables = {
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'previous' and schema_name = 'meta'"
            ).fetchall()
        }
        for table in HISTORY_TABLES:
            if table in previous_tables:
                con.execute(
                    f"insert into meta.{sql.ident(table)} by name select * from previous.meta.{sql.ident(table)}"
                )
    finally:
        con.execute("detach previous")


def record_snapshot(con: duckdb.DuckDBPyConnection, snapshot: Snapshot) -> None:
    known = con.execute("select count(*) from meta.snapshots where snapshot_id = ?", [snapshot.snapshot_id]).fetchone()[
        0
    ]
    if known:
        return
    con.executemany(
        "insert into meta.snapshots values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                snapshot.snapshot_id,
                snapshot.source,
                snapshot.dataset,
                f.sha256,
                f.name,
                f.origin,
                str(f.path),
                f.bytes,
                f.http_status,
                f.retrieved_at,
            ]
            for f in snapshot.files
        ],
    )


def as_json(value: object) -> str:
    return json.dumps(value, default=str)
