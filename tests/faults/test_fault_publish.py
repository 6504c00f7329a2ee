"""Publishing under process faults, on copies of one demo build: a kill at any point of publish leaves the
manifest, ``exports/latest`` and ``meta.publish`` agreeing (after the next refresh's recovery), stale build
files are cleaned, and an unreadable published file is set aside."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, query
from tests.maw_helpers import copy_warehouse
from warehouse import WarehousePaths
from warehouse.publish import recover

# Publish a prepared build in a child process that is killed (SIGKILL) at the given point.
KILLED_PUBLISH = """
import os, signal, sys
from pathlib import Path
import warehouse.publish as publish
from warehouse import WarehousePaths
point = sys.argv[3]
die = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
if point == "before-rename":
    publish._fsync = die  # the exports are written, the build is not renamed yet
elif point == "after-rename":
    publish.point_latest = die  # migration.duckdb is the new build, exports/latest still the old one
publish.publish(WarehousePaths(Path(sys.argv[1])), sys.argv[2], "demo")
"""


def _copy(demo_warehouse: Path, target: Path) -> WarehousePaths:
    return WarehousePaths(copy_warehouse(demo_warehouse, target))


def _prepare_build(paths: WarehousePaths, run_id: str) -> None:
    """A build database ready to publish: the published file with its last run's loads as this run's."""
    paths.build_db(run_id).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.published, paths.build_db(run_id))
    with duckdb.connect(str(paths.build_db(run_id))) as con:
        con.execute(
            "insert into meta.loads select * replace (? as run_id, 'validated' as status) from meta.loads "
            "where run_id = (select run_id from meta.publish order by published_at desc limit 1)",
            [run_id],
        )


def _agreement(paths: WarehousePaths) -> tuple[str, str, str]:
    """(last publish in meta.publish, what exports/latest points at, publish id in its manifest)."""
    (last,) = query(paths.published, "select publish_id from meta.publish order by published_at desc limit 1")[0]
    link = paths.exports / "latest"
    manifest = json.loads((link / "manifest.json").read_text())
    return last, os.readlink(link), manifest["publish_id"]


@pytest.mark.parametrize("point", ["before-rename", "after-rename", "never"])
def test_a_kill_at_any_point_of_publish_leaves_manifest_latest_and_meta_agreeing(
    demo_warehouse: Path, tmp_path: Path, point: str
) -> None:
    paths = _copy(demo_warehouse, tmp_path / "warehouse")
    (publishes_before,) = query(paths.published, "select count(*) from meta.publish")[0]
    _prepare_build(paths, "killedrun")
    child = subprocess.run(
        [sys.executable, "-c", KILLED_PUBLISH, str(paths.root), "killedrun", point],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == (0 if point == "never" else -9), child.stderr[-1000:]

    notes = recover(paths)

    last, latest, manifest_id = _agreement(paths)
    assert last == latest == manifest_id, notes
    (publishes,) = query(paths.published, "select count(*) from meta.publish")[0]
    assert publishes == publishes_before + (0 if point == "before-rename" else 1)
    assert not list(paths.build.glob("*")), "no build file survives recovery"
    exported = {p.name for p in paths.exports.iterdir() if p.is_dir() and not p.is_symlink()}
    recorded = {r[0] for r in query(paths.published, "select publish_id from meta.publish")}
    assert exported <= recorded, "no exports of a publish that never happened"


def test_stale_build_files_of_killed_runs_are_removed(demo_warehouse: Path, tmp_path: Path) -> None:
    paths = _copy(demo_warehouse, tmp_path / "warehouse")
    paths.build.mkdir(exist_ok=True)
    for name in ("deadrun.duckdb", "deadrun.duckdb.wal"):
        (paths.build / name).write_bytes(b"half-built")
    notes = recover(paths)
    assert not list(paths.build.iterdir())
    assert any("deadrun.duckdb" in note for note in notes)


def test_an_unreadable_published_file_is_set_aside_saying_so(demo_warehouse: Path, tmp_path: Path) -> None:
    paths = _copy(demo_warehouse, tmp_path / "warehouse")
    content = paths.published.read_bytes()
    paths.published.write_bytes(content[: len(content) // 3])  # truncated
    notes = recover(paths)
    assert not paths.published.exists()
    (damaged,) = (paths.root / "damaged").iterdir()
    assert damaged.stat().st_size == len(content) // 3
    assert any("could not be read" in note and "rebuilds it from the raw store" in note for note in notes)
