"""Publishing: the build file becomes ``migration.duckdb`` in one atomic rename, or not at all.

Readers (BI tools, ``maw sql``) open the published file read-only. A rename does not disturb them: they
keep reading the inode they opened, and the next connection sees the new file. The build file is
checkpointed and closed first, so the published file never needs a WAL.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ingest.common.source import utc_now
from warehouse import WarehousePaths, meta
from warehouse.exports import point_latest, write_exports


@contextmanager
def publish_lock(paths: WarehousePaths) -> Iterator[None]:
    """One publisher at a time; readers never take this lock."""
    paths.root.mkdir(parents=True, exist_ok=True)
    with open(paths.root / ".publish.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(paths: WarehousePaths, run_id: str, mode: str, dbt_summary: dict | None = None) -> dict:
    """Mark this run's loads published, checkpoint, close and rename the build over the published file."""
    build = paths.build_db(run_id)
    if not build.exists():
        raise FileNotFoundError(f"no build database for run {run_id} at {build}")
    publish_id = uuid.uuid4().hex[:12]
    published_at = utc_now()
    with publish_lock(paths):
        con = duckdb.connect(str(build))
        try:
            meta.ensure(con)
            failed = con.execute(
                "select source || '/' || dataset from meta.loads where run_id = ? and status <> 'validated'",
                [run_id],
            ).fetchall()
            if failed:
                raise RuntimeError(f"refusing to publish: loads not validated: {', '.join(f[0] for f in failed)}")
            con.execute("update meta.loads set status = 'published' where run_id = ?", [run_id])
            snapshots = con.execute(
                """select source, dataset, snapshot_id, rows from meta.loads where run_id = ?
                   order by source, dataset""",
                [run_id],
            ).fetchall()
            passed, total = con.execute(
                "select coalesce(sum(checks_passed), 0), coalesce(sum(checks_total), 0) "
                "from meta.loads where run_id = ?",
                [run_id],
            ).fetchone()
            record = {
                "publish_id": publish_id,
                "run_id": run_id,
                "mode": mode,
                "published_at": published_at,
                "path": str(paths.published),
                "snapshots": [{"source": s, "dataset": d, "snapshot_id": i, "rows": r} for s, d, i, r in snapshots],
                "checks_passed": int(passed),
                "checks_total": int(total),
                "dbt_summary": dbt_summary or {},
            }
            con.execute(
                "insert into meta.publish values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    publish_id,
                    run_id,
                    mode,
                    published_at,
                    str(paths.published),
                    json.dumps(record["snapshots"]),
                    int(passed),
                    int(total),
                    json.dumps(dbt_summary or {}),
                ],
            )
            record["exports"] = write_exports(con, paths.exports / publish_id, record)
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(build)
        os.replace(build, paths.published)
        _fsync_dir(paths.root)
        point_latest(paths.exports, publish_id)
    return record


def discard_build(paths: WarehousePaths, run_id: str) -> Path | None:
    """Move a failed run's build database into its quarantine folder for inspection."""
    build = paths.build_db(run_id)
    if not build.exists():
        return None
    target = paths.quarantine / run_id / build.name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build, target)
    wal = build.with_name(build.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    return target


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
