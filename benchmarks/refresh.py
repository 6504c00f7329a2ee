"""Refresh benchmark: wall time of a full refresh and per-stage seconds per dataset, printed as a table,
and the seconds of the report the refresh builds after publishing.

Runs the demo mirror and, when present, the real snapshots in ../shared/data, each into a fresh temporary
warehouse, in a separate process (as the scheduler would). Prints figures; asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
SHARED = (REPO / ".." / "shared" / "data").resolve()


def refresh(label: str, *args: str) -> None:
    with tempfile.TemporaryDirectory(prefix="maw-bench-") as folder:
        env = {**os.environ, "MAW_WAREHOUSE_DIR": folder, "GX_ANALYTICS_ENABLED": "false"}
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "orchestration.cli", "refresh", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        if result.returncode != 0:
            print(f"{label}: refresh failed\n{result.stderr[-2000:]}")
            return
        database = Path(folder) / "migration.duckdb"
        with duckdb.connect(str(database), read_only=True) as con:
            rows = con.execute(
                """select source || '/' || dataset, rows, bytes, fetch_seconds, parse_seconds, load_seconds,
                          validate_seconds from meta.loads order by 1"""
            ).fetchall()
        size = database.stat().st_size
        report = json.loads((Path(folder) / "report" / "manifest.json").read_text())
    charts = sum(1 for view in report["views"] if view["svg"])
    print(f"\n{label}: wall {wall:.1f} s, published file {size / 1e6:.1f} MB")
    pages, seconds = len(report["pages"]), report["build_seconds"]
    print(f"report (asset after publish): {pages} pages, {charts} charts in {seconds:.1f} s")
    print(
        f"{'dataset':40} {'rows':>10} {'raw MB':>8} {'fetch':>7} {'parse':>7} {'load':>7} {'check':>7} {'rows/s':>10}"
    )
    for name, count, raw_bytes, fetch, parse, load, check in rows:
        work = (parse or 0) + (load or 0) + (check or 0)
        rate = f"{count / work:,.0f}" if work else "-"
        print(
            f"{name:40} {count:>10,} {raw_bytes / 1e6:>8.2f} {fetch or 0:>7.2f} {parse or 0:>7.2f} "
            f"{load or 0:>7.2f} {check or 0:>7.2f} {rate:>10}"
        )
    staged = sum((f or 0) + (p or 0) + (lo or 0) + (c or 0) for _, _, _, f, p, lo, c in rows)
    print(f"{'sources (fetch+parse+load+check)':40} {staged:>45.1f} s; dbt + Dagster + publish: {wall - staged:.1f} s")


def main() -> None:
    refresh("demo mirror")
    if (SHARED / "unhcr").is_dir():
        refresh("../shared/data mirror", "--mirror", str(SHARED))
    else:
        print(f"\n../shared/data not found at {SHARED}: real-snapshot benchmark skipped")


if __name__ == "__main__":
    main()
