"""End-to-end fault scenarios, each a refresh in its own process over a copy of the one demo build: an
accepted drop during two refreshes at once, a read-only and a full disk; and read from refreshes other tests
share, a truncated published file (the demo build itself: tests/conftest.py), an unreachable source (partial
publish: tests/revised_refresh.py) and a shrunk file and a 9e18 count (strict, nothing published:
tests/refused_refresh.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_MIRROR, query, refresh_output
from tests.maw_helpers import MAW, REPO, copy_warehouse, run_maw, sha256_of
from tests.refused_refresh import HUGE_ROW, RefusedRefresh
from tests.revised_refresh import RevisedRefresh, linked_mirror
from tests.unhcr_helpers import raw_rows

pytestmark = pytest.mark.slow


@pytest.fixture
def warehouse(demo_warehouse: Path, tmp_path: Path) -> Path:
    return copy_warehouse(demo_warehouse, tmp_path / "warehouse")


def _shrunk_population() -> list[dict]:
    rows = raw_rows(DEMO_MIRROR / "unhcr" / "population.csv.gz")
    return rows[: len(rows) // 10]  # a valid file holding a tenth of the rows: an upstream partial export


def test_an_unreachable_source_is_carried_over_stale_and_the_others_published(
    revised_refresh: RevisedRefresh, demo_warehouse: Path
) -> None:
    """IOM's folder is missing from the revised refresh's mirror (tests/revised_refresh.py)."""
    warehouse = revised_refresh.warehouse
    last_good = dict(
        query(
            demo_warehouse / "migration.duckdb",
            "select dataset, max(finished_at)::varchar from meta.loads "
            "where source = 'iom' and status = 'published' group by dataset",
        )
    )
    output = revised_refresh.stdout + revised_refresh.stderr
    assert revised_refresh.returncode == 3, output[-3000:]
    assert "Published with stale sources" in output and "iom: stale since" in output
    database = warehouse / "migration.duckdb"
    loads = query(
        database,
        """select source, dataset, stale_since::varchar, status from meta.loads
           where run_id = (select run_id from meta.publish order by published_at desc limit 1)""",
    )
    stale = {(s, d) for s, d, since, _ in loads if since}
    assert stale == {("iom", "dtm_idps"), ("iom", "missing_migrants")}, "the source's datasets go together"
    assert all(status == "published" for *_, status in loads)
    assert {d: since for _, d, since, _ in loads if since} == last_good, "stale since the last good publish"
    status = run_maw("status", warehouse=warehouse)
    assert status.returncode == 0 and "STALE iom: not refreshed since" in status.stdout
    manifest = json.loads((warehouse / "exports" / "latest" / "manifest.json").read_text())
    assert manifest["stale_sources"] == ["iom"]
    assert query(database, "select count(*) from marts.route_year")[0][0] > 0, "IOM marts still served"


def test_strict_refresh_blocks_a_shrunk_file_and_a_9e18_count_naming_both(refused_refresh: RefusedRefresh) -> None:
    applications = (refused_refresh.mirror / "unhcr" / "asylum_applications.csv.gz").resolve()
    output = refused_refresh.output
    assert refused_refresh.returncode == 1
    assert "unhcr/solutions: 23 rows where the last publish had 231 (-90.0%)" in output
    assert "maw refresh --accept unhcr/solutions" in output
    huge = f"file {applications}, row {HUGE_ROW + 2}, field 'applied': value 9000000000000000000"  # header: line 1
    assert huge in output
    assert refused_refresh.published_unchanged()
    assert refused_refresh.quarantine_reports("unhcr__solutions")


def test_two_refreshes_at_once_an_accepted_drop_and_no_history_lost(warehouse: Path, tmp_path) -> None:
    shrunk = _shrunk_population()
    mirror = linked_mirror(DEMO_MIRROR, tmp_path / "mirror", {"unhcr/population.csv.gz": shrunk})
    # The waiting refresh reads the same shrunk file (published by then) and one revised flow figure, so it
    # publishes again after rebuilding only what is downstream of that one dataset.
    flows = raw_rows(DEMO_MIRROR / "unhcr" / "flows.csv.gz")
    flows[0]["asylum_seekers"] = str(int(flows[0]["asylum_seekers"] or 0) + 1)
    revised = {"unhcr/population.csv.gz": shrunk, "unhcr/flows.csv.gz": flows}
    next_mirror = linked_mirror(DEMO_MIRROR, tmp_path / "next-mirror", revised)
    database = warehouse / "migration.duckdb"
    (publishes,) = query(database, "select count(*) from meta.publish")[0]
    environment = {**os.environ, "MAW_WAREHOUSE_DIR": str(warehouse), "GX_ANALYTICS_ENABLED": "false"}

    def start(mirror: Path, *args: str) -> subprocess.Popen:
        command = [*MAW, "refresh", "--mirror", str(mirror), *args]
        return subprocess.Popen(command, cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    first = start(mirror, "--accept", "unhcr/population")
    lock = warehouse / ".refresh.lock"
    deadline = time.monotonic() + 120
    while f"pid {first.pid}" not in (lock.read_text() if lock.exists() else ""):
        assert time.monotonic() < deadline and first.poll() is None, "the first refresh never took the lock"
        time.sleep(0.2)
    waiting = start(next_mirror, "--wait", "900")  # waits its turn
    busy = run_maw("refresh", "--mirror", str(mirror), warehouse=warehouse)

    assert busy.returncode == 75, busy.stderr[-2000:]
    assert "another refresh is running" in busy.stderr and f"pid {first.pid}" in busy.stderr
    assert first.wait(timeout=900) == 0, first.stderr.read().decode()[-3000:]
    waited = waiting.wait(timeout=900), waiting.stderr.read().decode()
    assert waited[0] == 0, waited[1][-3000:]
    assert "plan: changed: unhcr/flows; models downstream" in waited[1], "planned once the first had published"
    assert query(database, "select count(*) from meta.publish") == [(publishes + 2,)], "no publish record lost"
    accepted = query(database, "select source, dataset, previous_rows, rows from meta.acceptances")
    assert accepted == [("unhcr", "population", 231, 23)]
    logs = list((warehouse / "logs").glob("refresh-*.log"))
    assert len(logs) == len(set(logs)) >= 2


def test_a_truncated_published_file_is_set_aside_and_rebuilt(demo_warehouse: Path) -> None:
    """The demo build ran over a truncated published file (tests/conftest.py: truncated_published_file)."""
    output = " ".join(refresh_output(demo_warehouse).read_text().split())
    assert "could not be read" in output and "rebuilds it from the raw store and the sources" in output
    (damaged,) = (demo_warehouse / "damaged").iterdir()
    with pytest.raises(subprocess.CalledProcessError):
        query(damaged, "select count(*) from meta.publish")  # set aside as it was: still unreadable
    published = demo_warehouse / "migration.duckdb"
    assert query(published, "select count(*) from marts.country_year")[0][0] > 0
    assert query(published, "select count(*) from meta.publish") == [(1,)]


def _tmpfs(mountpoint: Path, size: str) -> None:
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")


def test_a_read_only_warehouse_gives_a_clear_error_and_keeps_the_published_file(warehouse, tmp_path) -> None:
    mountpoint = tmp_path / "ro"
    _tmpfs(mountpoint, "64m")
    try:
        shutil.copytree(warehouse, mountpoint / "warehouse", symlinks=True)
        before = sha256_of(mountpoint / "warehouse" / "migration.duckdb")
        subprocess.run(["mount", "-o", "remount,ro", str(mountpoint)], check=True)
        result = run_maw("refresh", warehouse=mountpoint / "warehouse")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        assert "cannot write" in result.stderr and "Read-only file system" in result.stderr
        assert sha256_of(mountpoint / "warehouse" / "migration.duckdb") == before
    finally:
        subprocess.run(["umount", str(mountpoint)], check=False)


def test_a_full_disk_gives_a_clear_error_and_keeps_the_published_file(warehouse, tmp_path) -> None:
    dbt_cache = warehouse / "dbt"  # dbt's artifacts: many small files, rebuilt by any refresh
    used = sum(
        p.stat().st_size
        for p in warehouse.rglob("*")
        if p.is_file() and not p.is_symlink() and dbt_cache not in p.parents
    )
    mountpoint = tmp_path / "full"
    _tmpfs(mountpoint, str(used + (3 << 20)))  # room for the copy and a little more
    try:
        shutil.copytree(warehouse, mountpoint / "warehouse", symlinks=True, ignore=shutil.ignore_patterns("dbt"))
        before = sha256_of(mountpoint / "warehouse" / "migration.duckdb")
        result = run_maw("refresh", "--full", warehouse=mountpoint / "warehouse")  # a build that must write
        output = result.stdout + result.stderr
        assert result.returncode == 1, output[-3000:]
        assert "Traceback" not in output
        assert "No space left on device" in output or "nothing was published" in output
        assert sha256_of(mountpoint / "warehouse" / "migration.duckdb") == before
        # dbt's parse cache, copied into a new dbt folder by the dbt worker: whole or not there
        cache = mountpoint / "warehouse" / "dbt" / "partial_parse.msgpack"
        assert not cache.exists() or cache.read_bytes() == (REPO / "dbt_project/target" / cache.name).read_bytes()
        assert not cache.with_name(cache.name + ".part").exists()
    finally:
        subprocess.run(["umount", str(mountpoint)], check=False)
