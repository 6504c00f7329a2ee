"""The published file opens in DuckDB 1.4 LTS, the DuckDB that BI drivers and older CLIs bundle.

The test builds its own environment with ``duckdb==1.4.*`` from the package index (skipped, saying why,
when no index is reachable) and reads every table of the published demo warehouse with it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import query
from warehouse import STORAGE_VERSION

OLDEST = "1.4"
READ_ALL = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
counts = {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
print(json.dumps({"version": duckdb.__version__, "counts": counts}))
"""


@pytest.fixture(scope="session")
def oldest_duckdb(tmp_path_factory) -> Path:
    """A Python with DuckDB 1.4.x, in a virtual environment of its own."""
    target = tmp_path_factory.mktemp("duckdb-oldest") / "venv"
    uv = shutil.which("uv")
    if uv:
        create = [uv, "venv", "-q", "-p", sys.executable, str(target)]
        install = [uv, "pip", "install", "-q", "--python", str(target / "bin" / "python"), f"duckdb=={OLDEST}.*"]
    else:
        create = [sys.executable, "-m", "venv", str(target)]
        install = [str(target / "bin" / "python"), "-m", "pip", "install", "-q", f"duckdb=={OLDEST}.*"]
    subprocess.run(create, check=True, capture_output=True, timeout=300)
    installed = subprocess.run(install, capture_output=True, text=True, timeout=600, check=False)
    if installed.returncode != 0:
        pytest.skip(f"could not install duckdb=={OLDEST}.* (no package index reachable?): {installed.stderr[-300:]}")
    return target / "bin" / "python"


def test_storage_floor_is_the_lts_line() -> None:
    assert STORAGE_VERSION.startswith(f"v{OLDEST}.")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert f"DuckDB {OLDEST}" in readme, "the README states the oldest DuckDB that opens the published file"


def test_duckdb_1_4_reads_every_table_of_the_published_file(demo_warehouse: Path, oldest_duckdb: Path) -> None:
    database = demo_warehouse / "migration.duckdb"
    result = subprocess.run(
        [str(oldest_duckdb), "-c", READ_ALL, str(database)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout)
    assert seen["version"].startswith(f"{OLDEST}.")
    expected = {
        f"{s}.{t}": n
        for s, t, n in query(
            database,
            "select schema_name, table_name, estimated_size from duckdb_tables() order by 1, 2",
        )
    }
    assert set(seen["counts"]) == set(expected) and any(k.startswith("marts.") for k in expected)
    (mart_rows,) = query(database, "select count(*) from marts.country_year")[0]
    assert seen["counts"]["marts.country_year"] == mart_rows > 0
