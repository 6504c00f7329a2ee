"""Resources injected into every asset: the settings, where sources are read from, and where the warehouse
lives. All three are built from ``ingest.common.settings.load_settings`` in ``definitions.py``."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource, ResourceParam
from pydantic import Field

from ingest.common.settings import Settings
from ingest.common.source import SourceContext
from warehouse import WarehousePaths
from warehouse.gates import RowTolerance
from warehouse.incremental import source_context

# Every typed setting (URLs, keys, page sizes, timeouts, year windows, ...), as one resource.
SettingsResource = ResourceParam[Settings]


class SourcesResource(ConfigurableResource):
    """``demo`` reads the mirror shipped in the repo, ``mirror`` a directory laid out like ../shared/data,
    ``live`` the APIs (keys and URLs come from the settings resource, see README)."""

    mode: str = "demo"
    mirror_dir: str = ""

    def context(self, settings: Settings) -> SourceContext:
        return source_context(self.mode, self.mirror_dir, settings)


class WarehouseResource(ConfigurableResource):
    """The warehouse directory (``MAW_WAREHOUSE_DIR``): raw/, build/, quarantine/, migration.duckdb; the
    row-count tolerance against the last publish, and the datasets whose out-of-tolerance change this run
    accepts (``source/dataset``)."""

    root: str = "warehouse"
    row_shrink_tolerance: float = 0.10
    row_growth_tolerance: float = 0.50
    accept: list[str] = Field(default_factory=list)
    # all-or-nothing: a failed source fails the refresh instead of being carried over from the last publish
    strict: bool = False

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.root).resolve())

    def tolerance(self) -> RowTolerance:
        return RowTolerance(shrink=self.row_shrink_tolerance, grow=self.row_growth_tolerance)
