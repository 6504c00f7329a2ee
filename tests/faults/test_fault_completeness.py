"""Completeness and plausibility: a shrunk load is stopped against the last publish (unless accepted, which
is recorded), and no count exceeds the world's population."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingest.common.source import RawFile, land
from ingest.unhcr import DATASETS
from tests.conftest import DEMO_MIRROR
from warehouse import meta
from warehouse.gates import RowTolerance, check_row_count

POPULATION = next(d for d in DATASETS if d.name == "population")


@pytest.fixture
def published_history() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    meta.ensure(con)
    con.execute(
        "insert into meta.loads (run_id, source, dataset, rows, status, finished_at) values "
        "('old', 'unhcr', 'population', 100000, 'published', now() - interval 2 day), "
        "('last', 'unhcr', 'population', 138893, 'published', now() - interval 1 day), "
        "('failed', 'unhcr', 'population', 5, 'quarantined', now())"
    )
    return con


@pytest.mark.parametrize(
    ("rows", "blocked"),
    [(138893, False), (125004, False), (125003, True), (1000, True), (208339, False), (208340, True)],
)
def test_row_count_beyond_the_tolerance_is_blocked_with_the_numbers(published_history, rows, blocked) -> None:
    problem = check_row_count(published_history, POPULATION, rows, "run", RowTolerance(0.10, 0.50))
    assert (problem is not None) == blocked
    if blocked:
        assert f"{rows:,} rows where the last publish had 138,893" in problem
        assert "-10% / +50%" in problem and "maw refresh --accept unhcr/population" in problem


def test_an_accepted_drop_passes_and_is_recorded(published_history) -> None:
    tolerance = RowTolerance()
    accepted = frozenset({"unhcr/population"})
    assert check_row_count(published_history, POPULATION, 1000, "run-9", tolerance, accepted) is None
    recorded = published_history.execute(
        "select run_id, source, dataset, gate, previous_rows, rows from meta.acceptances"
    ).fetchall()
    assert recorded == [("run-9", "unhcr", "population", "row_count", 138893, 1000)]
    other = check_row_count(published_history, POPULATION, 1000, "run-9", tolerance, frozenset({"unhcr/flows"}))
    assert other is not None, "accepting one dataset accepts no other"


def test_a_first_load_has_nothing_to_compare_with() -> None:
    con = duckdb.connect()
    meta.ensure(con)
    assert check_row_count(con, POPULATION, 3, "run", RowTolerance()) is None


def test_a_count_above_the_world_population_is_refused_naming_row_and_field(tmp_path: Path) -> None:
    from expectations.runner import validate
    from warehouse.loads import suite_for

    mirror = tmp_path / "population.csv.gz"
    shutil.copy(DEMO_MIRROR / "unhcr" / "population.csv.gz", mirror)
    lines = gzip.decompress(mirror.read_bytes()).decode().splitlines()
    header = lines[0].split(",")
    fields = lines[5].split(",")
    fields[header.index("refugees")] = "9000000000000000000"  # 9e18: fits int64, is not a number of people
    lines[5] = ",".join(fields)
    mirror.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    landed = land(tmp_path / "raw", "unhcr", "population", [RawFile(mirror.read_bytes(), str(mirror), "csv.gz")])
    frame = POPULATION.parse(landed.files)
    assert frame.filter(pl.col("refugees") == 9 * 10**18).height == 1
    report = validate(frame, "unhcr.population", suite_for(POPULATION))
    assert not report.success
    failures = report.describe_failures()
    assert "row 6" in failures and "'refugees'" in failures and "9000000000000000000" in failures
