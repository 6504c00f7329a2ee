"""Resources injected into every asset: where sources are read from, and where the warehouse lives."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from ingest.common.source import SourceContext
from warehouse import WarehousePaths
from warehouse.incremental import source_context

REPO_ROOT = Path(__file__).resolve().parent.parent


class SourcesResource(ConfigurableResource):
    """``demo`` reads the mirror shipped in the repo, ``mirror`` a directory laid out like ../shared/data,
    ``live`` the APIs (keys come from environment variables, see README)."""

    mode: str = "demo"
    mirror_dir: str = ""

    def context(self) -> SourceContext:
        return source_context(self.mode, self.mirror_dir)


class WarehouseResource(ConfigurableResource):
    """The warehouse directory (``MAW_WAREHOUSE_DIR``): raw/, build/, quarantine/, migration.duckdb."""

    root: str = "warehouse"

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.root).resolve())
