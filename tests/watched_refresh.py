"""One refresh of the demo warehouse from a mirror with one changed file, watched by two readers of the
published file: a plain DuckDB connection and a BI client through SQLAlchemy (duckdb-engine, the
Superset/Metabase driver). Several tests read what it did (what it published, what it rebuilt, what the
readers saw), so it runs once per test run instead of once per test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.maw_helpers import SharedRefresh, copy_warehouse, run_maw
from tests.unhcr_helpers import raw_rows, write_rows

# Holds the published file open from before the refresh until it has ended, counting its reads; then says
# how many publishes its (old) view of the file holds.
DUCKDB_READER = """
import duckdb, pathlib, sys, time
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
stop = pathlib.Path(sys.argv[2])
n = 0
while not stop.exists():
    n += con.execute("select count(*) from marts.country_year").fetchone()[0] > 0
    time.sleep(0.05)
print("reads", n, con.execute("select count(*) from meta.publish").fetchone()[0], flush=True)
"""

# Reads every mart over and over through one SQLAlchemy connection until the refresh has ended.
BI_CLIENT = """
import pathlib, sys, time
import sqlalchemy as sa
engine = sa.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
stop = pathlib.Path(sys.argv[2])
reads = errors = 0
with engine.connect() as con:
    marts = [r[0] for r in con.execute(sa.text(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"))]
    print("marts", len(marts), flush=True)
    while not stop.exists():
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


@dataclass(frozen=True)
class WatchedRefresh(SharedRefresh):
    """What the refresh did and what its two readers printed (their first and last lines)."""

    mirror: Path
    duckdb_reader: list[str]
    bi_client: list[str]


def _write_changed_mirror(source: Path, target: Path) -> Path:
    """A copy of ``source`` with one change: the first refugee figure of unhcr/population raised by one."""
    shutil.copytree(source, target)
    path = target / "unhcr" / "population.csv.gz"
    rows = raw_rows(path)
    rows[0]["refugees"] = str(int(rows[0]["refugees"] or 0) + 1)
    write_rows(path, rows)
    return target


def _start_reader(script: str, database: Path, stop: Path) -> tuple[subprocess.Popen, str]:
    reader = subprocess.Popen(
        [sys.executable, "-c", script, str(database), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return reader, reader.stdout.readline().strip()  # the reader has the file open once it has said so


def _finish_reader(reader: subprocess.Popen, first: str) -> list[str]:
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    lines = out.strip().splitlines()
    return [first, lines[-1] if lines else ""]


def run_watched_refresh(demo_warehouse: Path, demo_mirror: Path, work: Path) -> WatchedRefresh:
    """Copy the demo warehouse into ``work``, start both readers on its published file, refresh it from the
    changed mirror, then stop the readers."""
    mirror = _write_changed_mirror(demo_mirror, work / "changed-mirror")
    warehouse = work / "warehouse"
    copy_warehouse(demo_warehouse, warehouse)
    database, stop = warehouse / "migration.duckdb", work / "readers.stop"
    readers = [_start_reader(script, database, stop) for script in (DUCKDB_READER, BI_CLIENT)]
    try:  # the readers hold the file open until the refresh has ended, however long it takes
        result = run_maw("refresh", "--mirror", str(mirror), warehouse=warehouse)
    finally:
        stop.touch()
    duckdb_reader, bi_client = (_finish_reader(reader, first) for reader, first in readers)
    return WatchedRefresh.of(warehouse, result, mirror=mirror, duckdb_reader=duckdb_reader, bi_client=bi_client)
