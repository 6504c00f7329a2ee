"""One JSON line per refresh in ``<warehouse>/meta/refreshes.jsonl``: what was checked, what it decided,
and seconds per stage.

It lives beside the published file rather than in it, because a refresh that finds nothing changed must
leave ``migration.duckdb`` byte-identical and still leave a record that it looked. Query it with DuckDB:
``select * from read_json('warehouse/meta/refreshes.jsonl')``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.common.source import utc_now
from warehouse import WarehousePaths


def log_path(paths: WarehousePaths) -> Path:
    return paths.root / "meta" / "refreshes.jsonl"


def append(paths: WarehousePaths, record: dict) -> Path:
    path = log_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        handle.write(json.dumps({"checked_at": utc_now(), **record}, default=str) + "\n")
    return path


def read(paths: WarehousePaths) -> list[dict]:
    path = log_path(paths)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
