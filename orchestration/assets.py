"""Software-defined assets: one per dataset (with a blocking expectation check), dbt, and publish.

Each factory below is small on purpose: the work is in ``warehouse.loads`` and ``warehouse.publish``,
which ``maw refresh`` reaches through this same job.
"""

import logging

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
    multi_asset,
)

from ingest.common.source import Dataset
from ingest.registry import all_datasets
from orchestration import dbt_build, dbt_runner
from orchestration.manifest import MANIFEST, parse_if_dev
from orchestration.resources import SettingsResource, SourcesResource, WarehouseResource
from warehouse import check_worker, loads, storage
from warehouse.publish import publish

# Models and their data tests, which gate the data. Unit tests check the models' logic, not the data: they run
# in `make test` (tests/test_dbt_unit_tests.py), once per change of the code, as dbt advises for production.
DBT_BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test", "--log-level-file", "warn"]

# Under `dagster dev` the project is parsed again when the manifest is stale, so the asset graph follows the
# models on disk; everywhere else the manifest comes from `make manifest`, and `maw refresh` refuses a stale
# one (orchestration/manifest.py).
parse_if_dev()
DBT_MANIFEST = dbt_build.read_manifest(MANIFEST)


# The sources with the largest tables load first. Dagster runs a job's loads in the order of their step keys
# (documents, fx, iati, iom, reference, unhcr) unless a priority says otherwise, which left UNHCR's suites, the
# longest, to the check worker after every load was done and the checks waiting for them. Loaded first, they
# are validated while the small tables load. Every load comes before every check (priority 0), as before.
LARGEST_FIRST = ("unhcr", "iom", "fx")


def load_priority(dataset: Dataset) -> int:
    """Dagster's ``dagster/priority`` of the dataset's load: higher runs earlier."""
    return 2 if dataset.source in LARGEST_FIRST else 1


def dataset_key(dataset: Dataset) -> AssetKey:
    """Matches dagster-dbt's key for the dbt source table, so lineage runs from raw to mart."""
    return AssetKey([dataset.source, dataset.name.replace("-", "_")])


def build_dataset_asset(dataset: Dataset) -> AssetsDefinition:
    @asset(
        key=dataset_key(dataset),
        group_name=dataset.source,
        description=dataset.description,
        kinds={"python", "duckdb"},
        op_tags={"dagster/priority": str(load_priority(dataset))},
    )
    def _ingest(
        context: AssetExecutionContext,
        settings: SettingsResource,
        sources: SourcesResource,
        warehouse: WarehouseResource,
    ) -> MaterializeResult:
        try:
            outcome = loads.ingest_dataset(
                dataset,
                sources.context(settings),
                warehouse.paths(),
                context.run_id,
                tolerance=warehouse.tolerance(),
                accepted=frozenset(warehouse.accept),
            )
        except loads.LoadFailed as exc:
            if warehouse.strict:
                raise Failure(description=str(exc)) from exc
            # Last known good: recorded here, carried over from the last publish before dbt runs.
            loads.record_failure(dataset, warehouse.paths(), context.run_id, str(exc))
            logging.getLogger("maw.load").error("%s", exc)
            return MaterializeResult(metadata={"failed": str(exc)[:4000], "table": dataset.table})
        return MaterializeResult(
            metadata={
                "rows": outcome.rows,
                "table": dataset.table,
                "snapshot_id": outcome.snapshot.snapshot_id,
                "unchanged": outcome.unchanged,
                "files": MetadataValue.json([f.metadata() for f in outcome.snapshot.files]),
                **{f"{stage}_seconds": round(s, 3) for stage, s in outcome.seconds.items()},
            }
        )

    return _ingest


def build_dataset_check(dataset: Dataset) -> AssetChecksDefinition:
    @asset_check(
        asset=dataset_key(dataset),
        name="expectations",
        blocking=True,
        description=f"Great Expectations suite expectations/{dataset.source}.py: {dataset.name}",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
        try:
            report = loads.check_dataset(dataset, warehouse.paths(), context.op_execution_context.run_id)
        except loads.LoadFailed as exc:
            # Not strict: a warning does not block dbt; the source is carried over from the last publish.
            severity = AssetCheckSeverity.ERROR if warehouse.strict else AssetCheckSeverity.WARN
            return AssetCheckResult(passed=False, severity=severity, description=str(exc)[:4000])
        return AssetCheckResult(passed=True, metadata={"rows": report.rows, "expectations": report.summary()})

    return _check


@multi_asset(name="dbt_models", specs=dbt_build.asset_specs(DBT_MANIFEST), can_subset=True)
def dbt_models(context: AssetExecutionContext, warehouse: WarehouseResource):
    """``dbt build`` against this run's build database: models and their tests, tests gating.

    dbt's debug log (every SQL statement, some 17 MB a build) is left out of its log file: writing it cost
    seconds; warnings and errors are still written there, and its console lines go to the refresh's log.
    """
    paths = warehouse.paths()
    try:
        loads.carry_over_failed_sources(paths, context.run_id, all_datasets())
    except loads.LoadFailed as exc:
        raise Failure(description=str(exc)) from exc
    storage.release(paths.build_db(context.run_id))  # the loads' and checks' connection: dbt opens the file now
    check_worker.stop_if_idle()  # dbt waits for the checks of its sources: free the worker's memory for dbt
    logging.getLogger("maw.dbt").info("dbt build: staging, intermediate and marts models with their tests")
    with paths.dbt_pointed_at(context.run_id) as build_db:
        yield from dbt_build.build(context, DBT_BUILD_ARGS, DBT_MANIFEST, dbt_runner.project_for(paths), build_db)


@asset(deps=[dbt_models, *(dataset_key(d) for d in all_datasets())], group_name="publish", kinds={"duckdb"})
def published_warehouse(
    context: AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource
) -> MaterializeResult:
    """Checkpoint the build and rename it over migration.duckdb, atomically."""
    logging.getLogger("maw.publish").info("publishing %s", warehouse.paths().published)
    record = publish(warehouse.paths(), context.run_id, sources.mode)
    return MaterializeResult(
        metadata={
            "path": record["path"],
            "publish_id": record["publish_id"],
            "checks": f"{record['checks_passed']}/{record['checks_total']}",
            "snapshots": MetadataValue.json(record["snapshots"]),
        }
    )


@asset(name="report", deps=[published_warehouse], group_name="publish", kinds={"html"})
def static_report(warehouse: WarehouseResource) -> MaterializeResult:
    """The static site under MAW_WAREHOUSE_DIR/report/, from the published file opened read-only: its own
    step, so a failed report is its own failure and the publish before it stands. The report's modules are
    imported here: a refresh that stops before its report never needs them."""
    from report.site import ReportError, build_report, report_dir

    paths = warehouse.paths()
    logging.getLogger("maw.report").info("building the report in %s", report_dir(paths.root))
    try:
        result = build_report(paths.published, report_dir(paths.root))
    except ReportError as exc:
        raise Failure(description=f"report build failed: {exc}") from exc
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(result.index)),
            "pages": result.pages,
            "charts": result.charts,
            "charts_reused": result.reused,
            "seconds": round(result.seconds, 2),
        }
    )


DATASET_ASSETS = [build_dataset_asset(d) for d in all_datasets()]
DATASET_CHECKS = [build_dataset_check(d) for d in all_datasets()]
