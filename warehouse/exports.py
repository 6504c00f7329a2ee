"""Every mart as Parquet and gzipped CSV beside the published file, with a manifest, for tools that read files.

Exports are written from the build database before it is published, into ``exports/<publish_id>/``;
``exports/latest`` is a symlink swapped atomically after the database rename, so it always points at files
that match the published ``migration.duckdb``. The last few publishes are kept. A mart whose columns and
rows equal those of the latest export is linked from there instead of being written again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb

from warehouse import sql

KEEP = 3


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Each mart is written as these files (format, file suffix, DuckDB COPY options, gzipped afterwards by
# ``gzip_members``).
FORMATS = (
    ("parquet", "parquet", "format parquet, compression zstd", False),
    ("csv", "csv.gz", "format csv, header true", True),
)
# Files written at once, each through its own cursor, so the demographics mart's CSV (the longest file)
# runs beside every other file.
WRITERS = 2
# gzip in blocks compressed side by side, each block a gzip member of its own: a file of several members is
# one gzip stream to every reader (RFC 1952, 2.2; gzip, Python, R, DuckDB and polars read it whole). DuckDB's
# own `compression gzip` deflates on one thread, and more slowly: the real snapshot's demographics mart (393 MB
# of CSV) took 5.1 s and 8.6 CPU-s that way, against 1.7 s for DuckDB's plain CSV plus 1.6 s here. Level 1, not
# zlib's default 6: the real snapshot's exports take 3.4-3.5 s, not 4.5-4.7, and its CSV files 18 MB, not 14.
GZIP_LEVEL = 1
GZIP_BLOCK = 8 << 20
GZIP_THREADS = 2


def write_exports(con: duckdb.DuckDBPyConnection, folder: Path, record: dict) -> dict:
    """Write marts.* as Parquet and CSV (gzip: the demographics mart alone is 0.4 GB as plain CSV) into ``folder``
    and a manifest.json describing them."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
        ).fetchall()
    ]
    previous = _previous_files(folder.parent / "latest")
    files: list[dict] = []
    to_write: list[tuple[dict, str, str, bool]] = []  # (manifest entry, mart, COPY options, gzipped)
    for table in tables:
        rows = con.execute(f"select count(*) from marts.{sql.ident(table)}").fetchone()[0]
        content = _content_key(con, table)
        for fmt, suffix, options, gzipped in FORMATS:
            path = folder / f"{table}.{suffix}"
            entry = previous.get(path.name)
            if entry is not None and entry.get("content") == content and _reuse(entry, path):
                files.append({k: v for k, v in entry.items() if k != "path"})
                continue
            written = {
                "table": f"marts.{table}",
                "format": fmt,
                "file": path.name,
                "rows": rows,
                "bytes": None,  # with sha256, once the file is written
                "sha256": None,
                "content": content,
            }
            files.append(written)
            to_write.append((written, table, options, gzipped))
    # The largest first, so the longest file is never the one left to write alone at the end.
    to_write.sort(key=lambda job: -job[0]["rows"])
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(lambda job: _write(con, folder, *job), to_write))
    manifest = {
        "publish_id": record["publish_id"],
        "run_id": record["run_id"],
        "published_at": record["published_at"],
        "database": record["path"],
        "source_snapshots": record["snapshots"],
        # sources whose refresh failed: their last published tables were carried over (see stale_since)
        "stale_sources": record.get("stale", []),
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def _write(con: duckdb.DuckDBPyConnection, folder: Path, entry: dict, table: str, options: str, gzipped: bool) -> None:
    """Copy one mart into ``entry["file"]`` through a cursor of its own, and record the file's size and hash."""
    path = folder / entry["file"]
    plain = path.with_name(f".{path.name}.plain") if gzipped else path
    with con.cursor() as cursor:
        cursor.execute(f"copy (select * from marts.{sql.ident(table)}) to {sql.literal(plain)} ({options})")
    if plain != path:
        gzip_members(plain, path)
        plain.unlink()
    entry |= {"bytes": path.stat().st_size, "sha256": _sha256(path)}


def gzip_members(plain: Path, target: Path, block: int = GZIP_BLOCK) -> None:
    """Gzip ``plain`` into ``target`` a block at a time on ``GZIP_THREADS`` threads (zlib releases the GIL),
    keeping the blocks in order and no more than two per thread in memory. No time stamp in the headers:
    the same bytes in, the same file out."""
    with plain.open("rb") as source, target.open("wb") as out, ThreadPoolExecutor(GZIP_THREADS) as pool:
        pending: deque[Future[bytes]] = deque()
        for data in iter(lambda: source.read(block), b""):
            pending.append(pool.submit(gzip.compress, data, GZIP_LEVEL, mtime=0))
            if len(pending) >= 2 * GZIP_THREADS:
                out.write(pending.popleft().result())
        while pending:
            out.write(pending.popleft().result())


def _content_key(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Columns, types, row count and an order-independent sum of row hashes: equal keys, equal table."""
    columns = con.execute(f"select column_name, column_type from (describe marts.{table})").fetchall()
    count, total = con.execute(f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from marts.{table} t").fetchone()
    return hashlib.sha256(json.dumps([columns, count, str(total)]).encode()).hexdigest()


def _previous_files(latest: Path) -> dict[str, dict]:
    """The files of the latest export by name, to carry over the ones whose mart did not change."""
    manifest = latest / "manifest.json"
    if not manifest.exists():
        return {}
    try:
        entries = json.loads(manifest.read_text())["files"]
    except (ValueError, KeyError):
        return {}
    return {e["file"]: {**e, "path": latest.resolve() / e["file"]} for e in entries if "content" in e}


def _reuse(entry: dict, target: Path) -> bool:
    """Link (or copy) an unchanged export into the new folder when its bytes are still what was recorded."""
    source = entry["path"]
    if not source.exists() or _sha256(source) != entry["sha256"]:
        return False
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return True


def point_latest(exports: Path, publish_id: str) -> None:
    """Swap ``exports/latest`` to the new publish atomically and drop all but the newest few."""
    link = exports / "latest"
    tmp = exports / f".latest-{publish_id}"
    if tmp.is_symlink():
        tmp.unlink()
    tmp.symlink_to(publish_id)
    if link.is_dir() and not link.is_symlink():  # e.g. a copied warehouse, where the link became a folder
        shutil.rmtree(link)
    os.replace(tmp, link)
    folders = sorted(
        (p for p in exports.iterdir() if p.is_dir() and not p.is_symlink()), key=lambda p: p.stat().st_mtime
    )
    for old in folders[:-KEEP]:
        if old.name != publish_id:
            shutil.rmtree(old, ignore_errors=True)
