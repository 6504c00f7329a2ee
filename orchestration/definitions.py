"""All Dagster definitions in one place: assets, checks, the nightly job and its schedule, resources."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, ScheduleDefinition, define_asset_job, in_process_executor

from ingest.common.settings import load_settings
from orchestration.assets import (
    DATASET_ASSETS,
    DATASET_CHECKS,
    dbt_models,
    published_warehouse,
    static_report,
)
from orchestration.resources import SourcesResource, WarehouseResource

# One writer per build database: every step of a run executes in one process, in order.
nightly_refresh = define_asset_job(
    "nightly_refresh",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Fetch every source, check it, build the marts with dbt, publish migration.duckdb, build the report.",
)

nightly_schedule = ScheduleDefinition(
    job=nightly_refresh,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Amsterdam",
    name="nightly_refresh_0200_amsterdam",
)

SETTINGS = load_settings()

defs = Definitions(
    assets=[*DATASET_ASSETS, dbt_models, published_warehouse, static_report],
    asset_checks=DATASET_CHECKS,
    jobs=[nightly_refresh],
    schedules=[nightly_schedule],
    resources={
        "settings": SETTINGS,
        "sources": SourcesResource(mode=SETTINGS.source_mode, mirror_dir=SETTINGS.mirror_dir),
        "warehouse": WarehouseResource(root=SETTINGS.warehouse_dir),
    },
)
