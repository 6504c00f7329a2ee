"""The ``meta`` schema: what was loaded, from which bytes, with which checks, and what was published.

History tables are carried from the published file into every new build, so the published warehouse
always holds the complete record of loads, revisions and publishes.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ingest.common.source import Snapshot
from warehouse import sql, storage

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
    started_at timestamptz, finished_at timestamptz,
    -- set when the load failed and the last published table was carried over (last known good)
    stale_since timestamptz, carried_from_run varchar
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
    with storage.published_attached(con, published):
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


def merge_history(con: duckdb.DuckDBPyConnection, published: Path) -> int:
    """Add history rows the published file holds and this build does not (a publish that happened after
    this build carried the history over), so no history row is ever lost. Returns the rows added."""
    if not published.exists():
        return 0
    added = 0
    with storage.published_attached(con, published):
        for table in HISTORY_TABLES:
            theirs = {
                r[0]
                for r in con.execute(
                    "select column_name from duckdb_columns() where database_name = 'previous' "
                    "and schema_name = 'meta' and table_name = ?",
                    [table],
                ).fetchall()
            }
            ours = [r[0] for r in con.execute(f"describe meta.{sql.ident(table)}").fetchall()]
            columns = ", ".join(sql.ident(c) for c in ours if c in theirs)
            if not columns:
                continue
            name = sql.ident(table)
            before = con.execute(f"select count(*) from meta.{name}").fetchone()[0]
            con.execute(
                f"insert into meta.{name} ({columns}) select {columns} from previous.meta.{name} "
                f"except select {columns} from meta.{name}"
            )
            added += con.execute(f"select count(*) from meta.{name}").fetchone()[0] - before
    return added


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
