"""What BI tools see: the published file through SQLAlchemy (duckdb-engine, the Superset/Metabase driver)
while a refresh runs, and the Parquet/CSV exports that must match the DuckDB tables row for row."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_maw

BI_CLIENT = """
import sys, time
import sqlalchemy as sa
engine = sa.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
deadline = time.time() + float(sys.argv[2])
reads = errors = 0
with engine.connect() as con:
    marts = [r[0] for r in con.execute(sa.text(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"))]
    print("marts", len(marts), flush=True)
    while time.time() < deadline:
        for mart in marts:
            try:
                con.execute(sa.text(f'select * from marts."{mart}"')).fetchall()
                reads += 1
            except Exception as exc:
                errors += 1
                print("error", mart, exc, flush=True)
        time.sleep(0.1)
print("reads", reads, "errors", errors, flush=True)
"""


@pytest.fixture
def warehouse_copy(demo_warehouse: Path, tmp_path: Path) -> Path:
    target = tmp_path / "warehouse"
    shutil.copytree(demo_warehouse, target, symlinks=True)
    return target


def test_sqlalchemy_client_reads_every_mart_during_a_refresh(warehouse_copy: Path, changed_mirror: Path) -> None:
    database = warehouse_copy / "migration.duckdb"
    client = subprocess.Popen(
        [sys.executable, "-c", BI_CLIENT, str(database), "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = client.stdout.readline().split()
    assert first[0] == "marts" and int(first[1]) >= 3
    result = run_maw("refresh", "--mirror", str(changed_mirror), warehouse=warehouse_copy)
    assert result.returncode == 0, result.stderr
    assert "Published" in result.stdout, "the refresh replaced the file the client reads"
    out, err = client.communicate(timeout=120)
    assert client.returncode == 0, err
    last = out.strip().splitlines()[-1].split()
    assert last[0] == "reads" and int(last[1]) >= int(first[1]) and last[3] == "0", out


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
