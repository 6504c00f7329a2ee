"""What BI tools see: the published file through SQLAlchemy (duckdb-engine, the Superset/Metabase driver)
while a refresh runs (tests/watched_refresh.py), and the Parquet/CSV exports that must match the DuckDB
tables row for row."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import duckdb

from tests.watched_refresh import WatchedRefresh
from warehouse import exports


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


def test_a_csv_gzipped_in_blocks_is_one_file_to_gzip_and_duckdb_and_the_same_bytes_every_time(tmp_path: Path) -> None:
    plain = tmp_path / "mart.csv"
    with duckdb.connect() as con:
        con.execute(f"copy (select range as id, 'row ' || range as label from range(20000)) to '{plain}' (header true)")
        block = plain.stat().st_size // 5 + 1  # five blocks, the last one short
        first, second = tmp_path / "first.csv.gz", tmp_path / "second.csv.gz"
        exports.gzip_members(plain, first, block=block)
        exports.gzip_members(plain, second, block=block)

        assert first.read_bytes().count(b"\x1f\x8b\x08") >= 5, "one gzip member per block"
        assert gzip.decompress(first.read_bytes()) == plain.read_bytes()
        assert first.read_bytes() == second.read_bytes()
        rows = con.execute(f"select count(*), sum(id), max(label) from read_csv('{first}')").fetchone()
        assert rows == (20000, sum(range(20000)), "row 9999")
