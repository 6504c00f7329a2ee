"""The loads and checks of a run write its build database through one connection this process holds open;
it is closed before anything else writes the file or renames it (warehouse/storage.py)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from conftest import DEMO_MIRROR

from ingest.common.source import SourceContext
from ingest.registry import dataset
from warehouse import WarehousePaths, loads, storage
from warehouse.publish import publish

OPEN_FOR_WRITING = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"


def _another_process_can_write(database: Path) -> bool:
    """DuckDB lets one process write a file: a second process that can open it finds it free."""
    opened = subprocess.run([sys.executable, "-c", OPEN_FOR_WRITING, str(database)], capture_output=True, check=False)
    assert opened.returncode == 0 or b"lock" in opened.stderr.lower(), opened.stderr.decode()
    return opened.returncode == 0


def test_the_build_database_stays_open_from_the_first_load_and_is_closed_before_it_is_published(
    tmp_path: Path,
) -> None:
    paths = WarehousePaths(tmp_path / "warehouse")
    demo = SourceContext(mode="demo", mirror_dir=DEMO_MIRROR)
    run = "run-held"
    try:
        for name in ("flows", "solutions"):
            loads.ingest_dataset(dataset("unhcr", name), demo, paths, run)
            loads.check_dataset(dataset("unhcr", name), paths, run)
            assert not _another_process_can_write(paths.build_db(run)), "held open between the steps"

        publish(paths, run, "demo")

        published = paths.published.read_bytes()
        assert _another_process_can_write(paths.published), "publishing closed it first"
        storage.release()  # what the end of the process does: nothing is left to write into the published file
        assert hashlib.sha256(paths.published.read_bytes()).digest() == hashlib.sha256(published).digest()
    finally:
        storage.release()
