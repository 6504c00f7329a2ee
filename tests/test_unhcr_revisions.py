"""Revisions: a second refresh from a different snapshot records what changed in ``meta.changes``, and a
dataset whose raw bytes did not change is neither parsed nor loaded again.

The demo test reads the one revised refresh (tests/revised_refresh.py: a cell of every keyed dataset edited,
as UNHCR does to back years at every release); the real-snapshot test copies the shared real warehouse and
refreshes it once more with one refugee figure revised.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import query, run_maw
from unhcr_helpers import raw_rows

from tests.maw_helpers import copy_warehouse
from tests.refused_refresh import RefusedRefresh
from tests.revised_refresh import RevisedRefresh, linked_mirror


def changes(warehouse: Path, run_id: str) -> list[dict]:
    rows = query(
        warehouse / "migration.duckdb",
        """select dataset, change, key::varchar, column_name, old_value, new_value, year, previous_snapshot_id
           from meta.changes where run_id = ? order by all""",
        [run_id],
    )
    names = ("dataset", "change", "key", "column", "old", "new", "year", "previous")
    return [dict(zip(names, row, strict=True)) | {"key": json.loads(row[2])} for row in rows]


def last_run(warehouse: Path) -> str:
    return query(warehouse / "migration.duckdb", "select run_id from meta.publish order by published_at desc limit 1")[
        0
    ][0]


def test_demo_revisions_are_recorded_for_every_keyed_dataset(revised_refresh: RevisedRefresh, demo_warehouse):
    """Published with IOM stale (its folder was missing: faults/test_fault_refresh.py reads that part)."""
    warehouse, edits = revised_refresh.warehouse, revised_refresh.edits
    assert revised_refresh.returncode == 3, revised_refresh.stdout + revised_refresh.stderr
    rate_before = query(
        demo_warehouse / "migration.duckdb",
        "select refugee_recognition_rate from marts.country_year where iso3 = 'USA' and year = 2020",
    )
    run_id = last_run(warehouse)
    recorded = changes(warehouse, run_id)
    for dataset, (key, column, old, new) in edits.items():
        match = [c for c in recorded if c["dataset"] == dataset and c["change"] == "changed" and c["key"] == key]
        assert [(c["column"], c["old"], c["new"]) for c in match] == [(column, old, new)], dataset
        assert match[0]["previous"] is not None
    gone = revised_refresh.removed
    assert [c["change"] for c in recorded if c["dataset"] == "population" and c["key"] == gone] == ["removed"]
    new_key = revised_refresh.added
    assert [c["change"] for c in recorded if c["dataset"] == "idmc" and c["key"] == new_key] == ["added"]
    assert {c["dataset"] for c in recorded} == set(edits)  # nothing else reported as revised
    loads = dict(
        query(
            warehouse / "migration.duckdb",
            "select dataset, unchanged from meta.loads where run_id = ? and source = 'unhcr'",
            [run_id],
        )
    )
    assert loads["unrwa"] is True  # same bytes: not parsed, not loaded again
    assert not any(loads[d] for d in edits)
    rate_after = query(
        warehouse / "migration.duckdb",
        "select refugee_recognition_rate from marts.country_year where iso3 = 'USA' and year = 2020",
    )
    assert rate_after == rate_before  # the revised case row never entered the rate

    status = run_maw("status", warehouse=warehouse)
    assert status.returncode == 0, status.stderr
    assert "unhcr/population" in status.stdout and "changed" in status.stdout and "removed" in status.stdout


@pytest.mark.shared
@pytest.mark.slow
def test_a_changed_value_in_the_real_snapshot_is_named_with_key_old_and_new(shared_warehouse, shared_data, tmp_path):
    """Must show 4: the real files, then the same files with one refugee figure revised."""
    population = raw_rows(shared_data / "unhcr" / "population.csv.gz")
    target = next(r for r in population if r["year"] == "2023" and r["coo_iso"] == "SYR" and r["coa_iso"] == "DEU")
    old = target["refugees"]
    target["refugees"] = str(int(old) + 1)
    mirror = linked_mirror(shared_data, tmp_path / "mirror", {"unhcr/population.csv.gz": population})
    warehouse = copy_warehouse(shared_warehouse, tmp_path / "warehouse")

    result = run_maw("refresh", "--mirror", str(mirror), warehouse=warehouse)

    assert result.returncode == 0, result.stdout + result.stderr
    run_id = last_run(warehouse)
    assert changes(warehouse, run_id) == [
        {
            "dataset": "population",
            "change": "changed",
            "key": {"year": 2023, "coo": "SYR", "coa": "GFR"},
            "column": "refugees",
            "old": old,
            "new": str(int(old) + 1),
            "year": 2023,
            "previous": changes_previous(warehouse, run_id),
        }
    ]
    unchanged = dict(
        query(
            warehouse / "migration.duckdb",
            "select dataset, unchanged from meta.loads where run_id = ? and source = 'unhcr'",
            [run_id],
        )
    )
    assert unchanged.pop("population") is False
    assert all(unchanged.values()), unchanged  # every other UNHCR file: same bytes, parse and load skipped
    world = query(warehouse / "migration.duckdb", "select refugees from marts.world_year where year = 2023")[0][0]
    before = query(shared_warehouse / "migration.duckdb", "select refugees from marts.world_year where year = 2023")
    assert world == before[0][0] + 1


def changes_previous(warehouse: Path, run_id: str) -> str:
    """The snapshot the change is measured against: the population load of the previous publish."""
    return query(
        warehouse / "migration.duckdb",
        """select snapshot_id from meta.loads where dataset = 'population' and run_id <> ?
           order by finished_at desc limit 1""",
        [run_id],
    )[0][0]


def test_a_load_that_breaks_its_suite_is_quarantined_and_nothing_is_published(refused_refresh: RefusedRefresh):
    """A duplicated decision row (the key is not unique): the refresh stops, says where, publishes nothing."""
    decisions = (refused_refresh.mirror / "unhcr" / "asylum_decisions.csv.gz").resolve()
    assert refused_refresh.returncode == 1
    output = refused_refresh.output
    assert "unhcr/asylum-decisions" in output and "expect_compound_columns_to_be_unique" in output
    assert f"file {decisions}, row {len(raw_rows(decisions)) + 1}," in output  # the appended line (header: line 1)
    assert refused_refresh.published_unchanged()
    assert len(refused_refresh.quarantine_reports("unhcr__asylum-decisions")) == 1
