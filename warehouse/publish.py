"""Publishing: the build file becomes ``migration.duckdb`` in one atomic rename, or not at all.

Readers (BI tools, ``maw sql``) open the published file read-only. A rename does not disturb them: they
keep reading the inode they opened, and the next connection sees the new file. The build file is
checkpointed and closed first, so the published file never needs a WAL.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.common.source import utc_now
from warehouse import WarehousePaths, meta, storage
from warehouse.exports import point_latest, write_exports

log = logging.getLogger("maw.publish")


class RefreshBusy(Exception):
    """Another refresh holds the warehouse."""


@contextmanager
def refresh_lock(paths: WarehousePaths, wait: float = 0.0) -> Iterator[None]:
    """One refresh per warehouse at a time. The lock is a ``flock``: a killed run cannot leave it behind
    (the kernel drops it with the process), so a stale lock never blocks the next refresh."""
    paths.root.mkdir(parents=True, exist_ok=True)
    handle = open(paths.root / ".refresh.lock", "a+")  # noqa: SIM115 - held for the whole refresh
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise RefreshBusy(
                        f"another refresh is running on {paths.root} ({holder}); nothing was changed. "
                        "Try again when it has finished, or wait for it: maw refresh --wait SECONDS"
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {utc_now()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def recover(paths: WarehousePaths) -> list[str]:
    """Repair what a killed run can leave behind; call with the refresh lock held. Returns what was done.

    * build files of runs that never published (the lock guarantees no run is using them) are removed;
    * an unreadable published file is set aside under ``damaged/``: this refresh rebuilds it from the raw
      store and the sources;
    * ``exports/latest`` is pointed at the exports of the publish recorded in ``meta.publish`` (a kill
      between the rename and the switch left it one publish behind) and exports of publishes that never
      happened are removed.
    """
    notes: list[str] = []
    if paths.build.is_dir():
        for stale in sorted(paths.build.iterdir()):
            if stale.is_symlink() or stale.is_file():
                stale.unlink()
            elif stale.is_dir():
                shutil.rmtree(stale)
            notes.append(f"removed build/{stale.name}, left by a run that did not finish")
    if not paths.published.exists():
        return notes
    publish_ids, problem = _published_ids(paths.published)
    if problem is not None:
        damaged = paths.root / "damaged"
        damaged.mkdir(exist_ok=True)
        target = damaged / f"migration-{time.strftime('%Y%m%dT%H%M%S')}.duckdb"
        os.replace(paths.published, target)
        wal = paths.published.with_name(paths.published.name + ".wal")
        if wal.exists():
            os.replace(wal, target.with_name(target.name + ".wal"))
        notes.append(
            f"the published file could not be read ({problem}); set aside as {target}. "
            "This refresh rebuilds it from the raw store and the sources (earlier publish history stays in that file)"
        )
        return notes
    if publish_ids and paths.exports.is_dir():
        latest = publish_ids[-1]
        link = paths.exports / "latest"
        current = os.readlink(link) if link.is_symlink() else None
        if current != latest and (paths.exports / latest / "manifest.json").exists():
            point_latest(paths.exports, latest)
            notes.append(f"exports/latest pointed at {current}, the published file at {latest}: repointed")
        for folder in paths.exports.iterdir():
            if folder.is_dir() and not folder.is_symlink() and folder.name not in publish_ids:
                shutil.rmtree(folder, ignore_errors=True)
                notes.append(f"removed exports/{folder.name}: written by a run that was stopped before publishing")
    return notes


_READ_PUBLISH_IDS = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
rows = con.execute("select publish_id from meta.publish order by published_at").fetchall()
print(json.dumps([r[0] for r in rows]))
"""


def _published_ids(path: Path) -> tuple[list[str], str | None]:
    """The publish ids recorded in the published file, read in a separate process (a damaged file must not
    take this one down, and DuckDB caches one instance per path and process)."""
    result = subprocess.run(
        [sys.executable, "-c", _READ_PUBLISH_IDS, str(path)], capture_output=True, text=True, check=False, timeout=300
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        return [], (lines[-1] if lines else f"exit code {result.returncode}")[:300]
    return json.loads(result.stdout), None


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
    storage.release(build)  # held open by the loads of this process: closed, so the rename below is the last write
    with publish_lock(paths):
        con = storage.connect_writer(build)
        try:
            meta.ensure(con)
            failed = con.execute(
                "select source || '/' || dataset from meta.loads where run_id = ? and status <> 'validated'",
                [run_id],
            ).fetchall()
            if failed:
                raise RuntimeError(f"refusing to publish: loads not validated: {', '.join(f[0] for f in failed)}")
            meta.merge_history(con, paths.published)  # publishes that happened while this run was building
            con.execute("update meta.loads set status = 'published' where run_id = ?", [run_id])
            snapshots = con.execute(
                """select source, dataset, snapshot_id, rows, stale_since::varchar from meta.loads where run_id = ?
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
                "snapshots": [
                    {"source": s, "dataset": d, "snapshot_id": i, "rows": r, **({"stale_since": t} if t else {})}
                    for s, d, i, r, t in snapshots
                ],
                "stale": sorted({s for s, *_, t in snapshots if t}),
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
        shutil.rmtree(build.parent, ignore_errors=True)  # the run's folder, with any DuckDB spill files
        point_latest(paths.exports, publish_id)
    return record


def discard_build(paths: WarehousePaths, run_id: str) -> Path | None:
    """Move a failed run's build database into its quarantine folder for inspection."""
    build = paths.build_db(run_id)
    storage.release(build)
    if not build.exists():
        return None
    target = paths.quarantine / run_id / build.name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build, target)
    wal = build.with_name(build.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    shutil.rmtree(build.parent, ignore_errors=True)
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
