"""The warehouse on disk: raw snapshots, per-run build databases, quarantine and the published file.

``MAW_WAREHOUSE_DIR`` (default ``./warehouse``) holds::

    raw/<source>/<dataset>/<sha256>.<ext>   immutable raw downloads (+ .meta.json)
    build/<run_id>/build.duckdb             the database a refresh builds into
    build/current -> <run_id>               while dbt runs: its one path to the build (see dbt_build_db)
    dbt/                                    dbt's artifacts of the last build and its partial-parse cache
    quarantine/<run_id>/<source>__<dataset>/ failed loads: raw files and a readable report
    exports/                                marts as Parquet and CSV, with a manifest
    migration.duckdb                        the published warehouse (replaced atomically)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PUBLISHED_NAME = "migration.duckdb"
BUILD_NAME = "build.duckdb"
# The build as dbt opens it, relative to the build folder dbt starts in, through the link build/current: the
# same path in every run of every warehouse (see WarehousePaths.dbt_build_db).
DBT_BUILD_DB = Path("current") / BUILD_NAME
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
        """A folder per run, one file name for all: DuckDB names the database after the file, and dbt
        compiles that name into every model."""
        return self.build / run_id / BUILD_NAME

    @property
    def dbt_build_db(self) -> Path:
        """The build as dbt opens it: ``current/build.duckdb``, relative to the build folder dbt starts in,
        through the link ``build/current``. dbt parses the whole project again (seconds) whenever the
        connection in its profile changes, so every run of every warehouse has this one path."""
        return DBT_BUILD_DB

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder: the last build's manifest and run results, and the partial-parse cache."""
        return self.root / "dbt"

    @contextmanager
    def dbt_pointed_at(self, run_id: str) -> Iterator[Path]:
        """``build/current`` points at this run's folder while the block runs (set atomically: a new link
        renamed over any old one), and is gone after it; yields ``dbt_build_db``."""
        link = self.build / self.dbt_build_db.parent
        staged = link.with_name(f"current.{run_id}")
        staged.unlink(missing_ok=True)
        staged.symlink_to(run_id, target_is_directory=True)
        os.replace(staged, link)
        try:
            yield self.dbt_build_db
        finally:
            link.unlink(missing_ok=True)

    def quarantine_dir(self, run_id: str, source: str, dataset: str) -> Path:
        return self.quarantine / run_id / f"{source}__{dataset}"
