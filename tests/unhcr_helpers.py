"""Helpers shared by the tests/test_unhcr_*.py modules: raw rows read with the standard library only."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from ingest import unhcr
from ingest.common.source import Dataset


def raw_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a gzipped CSV as strings, exactly as in the file (empty string for NA)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows back in the mirror's format (header line, gzip, no timestamp)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(gzip.compress(buffer.getvalue().encode(), mtime=0))


def dataset(name: str) -> Dataset:
    return next(d for d in unhcr.DATASETS if d.name == name)
