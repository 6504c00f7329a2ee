"""Resources injected into every asset: where sources are read from, and where the warehouse lives."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from ingest.common.source import Mode, SourceContext
from warehouse import WarehousePaths
from warehouse.gates import RowTolerance

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_MIRROR = REPO_ROOT / "demo_mirror"


class SourcesResource(ConfigurableResource):
    """``demo`` reads the mirror shipped in the repo, ``mirror`` a directory laid out like ../shared/data,
    ``live`` the APIs (keys come from environment variables, see README)."""

    mode: str = "demo"
    mirror_dir: str = ""

    def context(self) -> SourceContext:
        mode: Mode = self.mode  # type: ignore[assignment]
        if mode == "demo":
            return SourceContext(mode="demo", mirror_dir=DEMO_MIRROR)
        if mode == "mirror":
            if not self.mirror_dir:
                raise ValueError("mode 'mirror' needs mirror_dir")
            return SourceContext(mode="mirror", mirror_dir=Path(self.mirror_dir).resolve())
        if mode == "live":
            return SourceContext(mode="live")
        raise ValueError(f"unknown source mode {self.mode!r} (demo, mirror or live)")


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
