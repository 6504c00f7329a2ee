"""The warehouse on disk: raw snapshots, per-run build databases, quarantine and the published file.

``MAW_WAREHOUSE_DIR`` (default ``./warehouse``) holds::

    raw/<source>/<dataset>/<sha256>.<ext>   immutable raw downloads (+ .meta.json)
    build/<run_id>.duckdb                   the database a refresh builds into
    quarantine/<run_id>/<source>__<dataset>/ failed loads: raw files and a readable report
    exports/                                marts as Parquet and CSV, with a manifest
    migration.duckdb                        the published warehouse (replaced atomically)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PUBLISHED_NAME = "migration.duckdb"
# The oldest DuckDB that must open the published file: the 1.4 LTS line, which BI drivers (JDBC, ODBC),
# older CLIs and R bundle. A file keeps the storage version it was created with, whoever writes to it later.
STORAGE_VERSION = "v1.4.0"


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @classmethod
    def from_env(cls) -> WarehousePaths:
        """``MAW_WAREHOUSE_DIR`` as the settings read it (default ``./warehouse``)."""
        from ingest.common.settings import load_settings

        return cls(Path(load_settings().warehouse_dir).resolve())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def published(self) -> Path:
        return self.root / PUBLISHED_NAME

    def build_db(self, run_id: str) -> Path:
        return self.build / f"{run_id}.duckdb"

    def quarantine_dir(self, run_id: str, source: str, dataset: str) -> Path:
        return self.quarantine / run_id / f"{source}__{dataset}"
