"""The Dagster definitions: one job over every asset, its nightly schedule, a blocking check per dataset."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.registry import all_datasets


@pytest.fixture(scope="module")
def defs() -> Any:
    """Imported when a test here runs, not when pytest collects every module (Dagster and dbt: 3 s a worker)."""
    from orchestration.definitions import defs

    return defs


def test_nightly_job_and_schedule(defs) -> None:
    schedule = defs.resolve_schedule_def("nightly_refresh_0200_amsterdam")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Amsterdam"
    assert schedule.job_name == "nightly_refresh"
    job = defs.resolve_job_def("nightly_refresh")
    assert job.executor_def.name == "in_process"


def test_every_dataset_is_an_asset_with_a_blocking_expectation_check(defs) -> None:
    from dagster import AssetKey

    from orchestration.assets import DATASET_CHECKS

    graph = defs.resolve_asset_graph()
    for dataset in all_datasets():
        key = AssetKey([dataset.source, dataset.asset_name])
        assert graph.has(key), key
        check_keys = [k for k in graph.asset_check_keys if k.asset_key == key]
        assert [k.name for k in check_keys] == ["expectations"], key
    specs = [spec for check in DATASET_CHECKS for spec in check.check_specs]
    assert len(specs) == len(all_datasets()) and all(spec.blocking for spec in specs)


def test_dbt_sources_hang_off_the_dataset_assets_and_publish_comes_last(defs) -> None:
    from dagster import AssetKey

    graph = defs.resolve_asset_graph()
    published = AssetKey("published_warehouse")
    country_year = next(k for k in graph.get_all_asset_keys() if k.path[-1] == "country_year")
    assert _upstream(graph, country_year, AssetKey(["unhcr", "population"]))
    assert _upstream(graph, country_year, AssetKey(["iati", "transactions"]))
    assert _upstream(graph, published, country_year)


def _upstream(graph, node: Any, target: Any) -> bool:
    seen, stack = set(), [node]
    while stack:
        key = stack.pop()
        if key == target:
            return True
        if key in seen:
            continue
        seen.add(key)
        stack.extend(graph.get(key).parent_keys)
    return False


def test_definitions_match_the_checked_in_snapshot() -> None:
    """Assets, checks, jobs and schedules change only on purpose: rewrite the snapshot with
    ``python -m tests.definitions_snapshot --write`` and review its diff."""
    from tests.definitions_snapshot import SNAPSHOT, current

    expected, actual = SNAPSHOT.read_text().splitlines(), current().splitlines()
    assert sorted(set(expected) - set(actual)) == [], "gone from the definitions"
    assert sorted(set(actual) - set(expected)) == [], "new in the definitions"
    assert actual == expected


def test_the_largest_sources_load_first_and_every_load_comes_before_every_check(defs) -> None:
    """Dagster runs the executable step of highest ``dagster/priority`` first: UNHCR's, IOM's and the ECB's
    loads, so the check worker validates the largest tables while the small ones load."""
    from orchestration.assets import LARGEST_FIRST

    job = defs.resolve_job_def("nightly_refresh")
    priority = {node.name: int(node.definition.tags.get("dagster/priority", 0)) for node in job.graph.nodes}
    loads = {f"{d.source}__{d.asset_name}": d.source for d in all_datasets()}
    checks = [name for name in priority if name.endswith("_expectations")]
    first = [priority[step] for step, source in loads.items() if source in LARGEST_FIRST]
    rest = [priority[step] for step, source in loads.items() if source not in LARGEST_FIRST]
    assert len(checks) == len(loads) and "unhcr__demographics" in loads
    assert min(first) > max(rest) > max(priority[check] for check in checks)
