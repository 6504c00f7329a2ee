"""What BI tools see: the published file through SQLAlchemy (duckdb-engine, the Superset/Metabase driver)
while a refresh runs (tests/watched_refresh.py), and the Parquet/CSV exports that must match the DuckDB
tables row for row."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from tests.watched_refresh import WatchedRefresh


def test_sqlalchemy_client_reads_every_mart_during_a_refresh(watched_refresh: WatchedRefresh) -> None:
    assert watched_refresh.returncode == 0, watched_refresh.stderr
    assert "Published" in watched_refresh.stdout, "the refresh replaced the file the client reads"
    first, last = (line.split() for line in watched_refresh.bi_client)
    assert first[0] == "marts" and int(first[1]) >= 3
    assert last[0] == "reads" and int(last[1]) >= int(first[1]) and last[3] == "0", watched_refresh.bi_client


def test_exports_match_the_published_tables_row_for_row(demo_warehouse: Path) -> None:
    latest = demo_warehouse / "exports" / "latest"
    manifest = json.loads((latest / "manifest.json").read_text())
    with duckdb.connect(str(demo_warehouse / "migration.duckdb"), read_only=True) as con:
        marts = {
            r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        }
        (publish_id,) = con.execute("select publish_id from meta.publish order by published_at desc limit 1").fetchone()
        assert manifest["publish_id"] == publish_id
        assert {f["table"] for f in manifest["files"]} == {f"marts.{m}" for m in marts}
        for entry in manifest["files"]:
            path = latest / entry["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
            reader = "read_parquet" if entry["format"] == "parquet" else "read_csv_auto"
            exported = con.execute(f"select count(*) from {reader}('{path}')").fetchone()[0]
            table = con.execute(f"select count(*) from {entry['table']}").fetchone()[0]
            assert exported == table == entry["rows"], entry["file"]
            if entry["format"] == "parquet":
                query = f"select * from {entry['table']} except all select * from read_parquet('{path}')"
                differing = con.execute(f"select count(*) from ({query})").fetchone()[0]
                assert differing == 0, f"{entry['file']} differs from {entry['table']}"
