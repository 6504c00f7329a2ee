"""Every mart as Parquet and gzipped CSV beside the published file, with a manifest, for tools that read files.

Exports are written from the build database before it is published, into ``exports/<publish_id>/``;
``exports/latest`` is a symlink swapped atomically after the database rename, so it always points at files
that match the published ``migration.duckdb``. The last few publishes are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
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
    files = []
    for table in tables:
        rows = con.execute(f"select count(*) from marts.{sql.ident(table)}").fetchone()[0]
        for fmt, suffix, options in (
            ("parquet", "parquet", "format parquet, compression zstd"),
            ("csv", "csv.gz", "format csv, header true, compression gzip"),
        ):
            path = folder / f"{table}.{suffix}"
            con.execute(f"copy (select * from marts.{sql.ident(table)}) to {sql.literal(path)} ({options})")
            files.append(
                {
                    "table": f"marts.{table}",
                    "format": fmt,
                    "file": path.name,
                    "rows": rows,
                    "bytes": path.stat().st_size,
                    "sha256": _sha256(path),
                }
            )
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
