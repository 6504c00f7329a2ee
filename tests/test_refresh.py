"""End-to-end refreshes in separate processes: publish, refuse bad data, keep readers working."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import query, run_maw
from tests.maw_helpers import sha256_of
from tests.refused_refresh import MISSING_FILE, NEGATIVE_LINE, RefusedRefresh
from tests.watched_refresh import WatchedRefresh


def test_demo_refresh_publishes_marts_and_records_provenance(demo_warehouse: Path) -> None:
    database = demo_warehouse / "migration.duckdb"
    assert not (demo_warehouse / "migration.duckdb.wal").exists()
    assert not list((demo_warehouse / "build").glob("*.duckdb")), "the build file became the published file"
    (publishes,) = query(database, "select count(*) from meta.publish")
    assert publishes == (1,)
    loads = query(database, "select source, dataset, status, rows, checks_passed = checks_total from meta.loads")
    assert {(s, d) for s, d, *_ in loads} >= {
        ("unhcr", "population"),
        ("unhcr", "countries"),
        ("reference", "countries"),
    }
    assert all(status == "published" and rows > 0 and ok for _, _, status, rows, ok in loads)
    # every staged row points at a landed raw file whose bytes hash to the recorded sha256
    rows = query(
        database,
        """select distinct p._snapshot_sha256, s.raw_path from staging.stg_unhcr__population p
           join meta.snapshots s on s.file_sha256 = p._snapshot_sha256""",
    )
    assert rows and all(sha256_of(Path(raw)) == sha for sha, raw in rows)
    assert query(database, "select count(*) from marts.country_year where refugees_hosted > 0")[0][0] > 0


def test_status_and_sql_read_the_published_file(demo_warehouse: Path) -> None:
    status = run_maw("status", warehouse=demo_warehouse)
    assert status.returncode == 0, status.stderr
    assert "unhcr/population" in status.stdout and "1 publish(es)" in status.stdout
    result = run_maw("sql", "select count(*) as n from marts.dim_country", "--format", "csv", warehouse=demo_warehouse)
    assert result.returncode == 0 and int(result.stdout.splitlines()[1]) > 200


def test_negative_count_is_refused_named_and_nothing_is_published(refused_refresh: RefusedRefresh) -> None:
    population = refused_refresh.mirror / "unhcr" / "population.csv.gz"
    assert refused_refresh.returncode != 0
    failure = f"file {population.resolve()}, row {NEGATIVE_LINE}, field 'refugees'"
    assert failure in refused_refresh.output
    assert refused_refresh.published_unchanged()
    reports = refused_refresh.quarantine_reports("unhcr__population")
    assert len(reports) == 1 and f"row {NEGATIVE_LINE}" in reports[0].read_text()
    assert any(p.name.endswith(".csv.gz") for p in reports[0].parent.iterdir()), "raw bytes kept with the report"


def test_missing_source_file_fails_cleanly(refused_refresh: RefusedRefresh) -> None:
    missing = (refused_refresh.mirror / MISSING_FILE).resolve()
    assert refused_refresh.returncode != 0
    assert f"unhcr/countries: fetch failed: file {missing}: mirror file is missing" in refused_refresh.output
    assert "Traceback" not in refused_refresh.output
    assert refused_refresh.published_unchanged()


def test_every_refused_load_of_one_refresh_is_named_and_quarantined(refused_refresh: RefusedRefresh) -> None:
    """A fault found in one dataset hides none in another: each dataset's load and check is a step of its own."""
    assert refused_refresh.returncode == 1
    said = refused_refresh.output.split("Refresh failed; nothing was published.", 1)[1]
    faulty = ["unhcr/population", "unhcr/asylum-decisions", "unhcr/asylum-applications", "unhcr/solutions"]
    for dataset in [*faulty, "unhcr/countries", "iati/activities"]:
        assert f"{dataset}: " in said, dataset
    quarantined = {p.parent.name for p in (refused_refresh.warehouse / "quarantine").glob("*/*/report.md")}
    assert quarantined == {"iati__activities", *(d.replace("/", "__") for d in faulty)}
    assert refused_refresh.published_unchanged()


def test_refresh_publishes_while_a_reader_holds_the_file_open(watched_refresh: WatchedRefresh) -> None:
    assert watched_refresh.returncode == 0, watched_refresh.stderr
    database = watched_refresh.warehouse / "migration.duckdb"
    assert query(database, "select count(*) from meta.publish") == [(2,)], "a new reader sees the new publish"
    first, last = watched_refresh.duckdb_reader
    assert first == "open"
    _, reads, publishes_seen = last.split()
    assert int(reads) > 10 and publishes_seen == "1", "the old reader kept its consistent view"


def test_unchanged_raw_bytes_skip_parsing(watched_refresh: WatchedRefresh) -> None:
    assert watched_refresh.returncode == 0, watched_refresh.stderr
    rows = query(
        watched_refresh.warehouse / "migration.duckdb",
        """select dataset, unchanged, parse_seconds from meta.loads
           where run_id = (select run_id from meta.publish order by published_at desc limit 1) and source = 'unhcr'""",
    )
    others = [(unchanged, parse_seconds) for dataset, unchanged, parse_seconds in rows if dataset != "population"]
    assert len(others) == len(rows) - 1 and all(unchanged and seconds == 0 for unchanged, seconds in others)
    assert [unchanged for dataset, unchanged, _ in rows if dataset == "population"] == [False]


def test_a_refresh_ends_with_its_whole_summary_and_no_complaint_from_skipping_teardown(
    watched_refresh: WatchedRefresh,
) -> None:
    """`maw refresh` leaves without the interpreter's teardown; what an exit must still do (flush the
    summary, free multiprocessing's semaphores) shows here as the summary's last line and a quiet stderr."""
    assert watched_refresh.returncode == 0, watched_refresh.stderr
    assert watched_refresh.stdout.strip().splitlines()[-1].startswith("Query it: maw sql")
    for complaint in ("resource_tracker", "leaked", "Exception ignored", "Traceback"):
        assert complaint not in watched_refresh.stderr, watched_refresh.stderr[-2000:]


@pytest.mark.parametrize(
    ("iso3", "millions"),
    [("IRN", 3.8), ("TUR", 3.3), ("COL", 2.9), ("DEU", 2.6), ("PAK", 2.0)],
)
def test_end_2023_host_figures_of_seed_002(shared_warehouse: Path, iso3: str, millions: float) -> None:
    """Seed 002 quotes UNHCR's end-2023 top hosts; refugees + OIP hosted must round to the same figure."""
    (hosted,) = query(
        shared_warehouse / "migration.duckdb",
        "select refugees_hosted + oip_hosted from marts.country_year where iso3 = ? and year = 2023",
        [iso3],
    )[0]
    assert round(hosted / 1e6, 1) == millions
