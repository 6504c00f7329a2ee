"""What keeps a refresh's memory down: freed frames go back to the system at once, and a check holds no
table once its report is out. Each runs in a new process, whose resident set is its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl

from expectations import between, in_set, not_null, unique_key
from tests.conftest import REPO

RSS = (
    "def rss():\n    return int(open('/proc/self/statm').read().split()[1]) * 4096 >> 20\n"
    "def peak_since_reset():\n"
    "    return int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) >> 10\n"
    "def reset_peak():\n    open('/proc/self/clear_refs', 'w').write('5')\n"
)


def _run(code: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", RSS + code], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_refresh_process_gives_a_freed_polars_frame_back_to_the_system_at_once() -> None:
    measured = _run(
        "import json, orchestration, polars as pl\n"  # orchestration first, as every entry point does
        "before = rss()\n"
        "frame = pl.DataFrame({'x': pl.int_range(0, 25_000_000, eager=True)}).with_columns(y=pl.col('x') * 2)\n"
        "held = rss()\n"
        "del frame\n"
        "print(json.dumps({'held': held - before, 'kept': rss() - before}))\n"
    )
    assert measured["held"] > 300, measured  # the frame was there: 400 MB
    assert measured["kept"] < 50, f"{measured['kept']} MB of a freed 400 MB frame still held"


def test_a_check_holds_none_of_the_table_once_its_report_is_out(tmp_path: Path) -> None:
    table, small = tmp_path / "load.parquet", tmp_path / "small.parquet"
    pl.DataFrame({"code": ["a"], "count": [1], "_source_file": "demo.csv", "_source_row": [2]}).write_parquet(small)
    pl.DataFrame(
        {
            "code": [f"code-{i % 1000:04d}-with-some-width" for i in range(2_000_000)],
            "count": list(range(2_000_000)),
            "_source_file": "demo.csv",
            "_source_row": list(range(2, 2_000_002)),
        }
    ).write_parquet(table)
    measured = _run(
        "import gc, json, orchestration\n"  # the check worker inherits the refresh's allocator settings
        "from pathlib import Path\n"
        "from expectations import Expectation\n"
        "from expectations.runner import validate_parquet\n"
        "suite = [Expectation('expect_column_values_to_not_be_null', {'column': c}) for c in ('code', 'count')]\n"
        f"validate_parquet(Path({str(small)!r}), 'warm-up', suite)\n"  # GE's first context costs memory once
        "gc.collect()\n"
        "before = rss()\n"
        "reset_peak()\n"
        f"report = validate_parquet(Path({str(table)!r}), 'memory', suite)\n"
        "peak = peak_since_reset() - before\n"
        "gc.collect()\n"
        "print(json.dumps({'success': report.success, 'kept': rss() - before, 'peak': peak}))\n"
    )
    assert measured["success"]
    assert measured["peak"] > 100, measured  # the check did hold the table's view: about 140 MB
    assert measured["kept"] < 60, f"{measured['kept']} MB still held after the check of a 2-million-row table"


def test_a_check_from_parquet_reports_exactly_what_the_check_of_the_frame_reports(tmp_path: Path) -> None:
    from expectations.runner import validate, validate_parquet

    frame = pl.DataFrame(
        {
            "iso3": ["NLD", "SYR", "XXX", None, "AFG"],
            "refugees": [10, -3, 7, 8, 2**40],
            "year": [2020, 2020, 2021, 2021, 2021],
            "_source_file": "demo/population.csv",
            "_source_row": [2, 3, 4, 5, 6],
        }
    )
    frame.write_parquet(tmp_path / "load.parquet")
    suite = [
        *not_null("iso3"),
        in_set("iso3", {"NLD", "SYR", "AFG"}),
        between("refugees", 0, 10**10),
        unique_key("year", "iso3"),
    ]
    from_frame = validate(frame, "population", suite)
    from_file = validate_parquet(tmp_path / "load.parquet", "population", suite)
    assert not from_frame.success
    assert [f.describe() for r in from_frame.results for f in r.failures] == [
        "file demo/population.csv, row 5, field 'iso3': value None",
        "file demo/population.csv, row 4, field 'iso3': value 'XXX'",
        "file demo/population.csv, row 3, field 'refugees': value -3",
        "file demo/population.csv, row 6, field 'refugees': value 1099511627776",
    ]
    assert from_file.as_dict() == from_frame.as_dict()


def _worker_rss_mb() -> int:
    """Resident set of this process's check worker, the one child started by multiprocessing's spawn."""
    children = [
        int(pid)
        for task in Path("/proc/self/task").iterdir()
        for pid in (task / "children").read_text().split()
        if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()
    ]
    assert len(children) == 1, children
    return int(Path(f"/proc/{children[0]}/statm").read_text().split()[1]) * 4096 >> 20


def test_the_check_worker_holds_none_of_a_table_once_it_has_reported(tmp_path: Path, monkeypatch) -> None:
    from ingest.common.settings import return_freed_memory_promptly
    from warehouse import check_worker

    # The worker inherits the allocator settings of the process that starts it, as from `maw refresh`.
    monkeypatch.setenv("_RJEM_MALLOC_CONF", os.environ.get("_RJEM_MALLOC_CONF", ""))
    return_freed_memory_promptly()

    suite = not_null("code", "count")
    columns = {"_source_file": "demo.csv"}
    small, large = tmp_path / "small.parquet", tmp_path / "large.parquet"
    pl.DataFrame({"code": ["a"], "count": [1], **columns, "_source_row": [2]}).write_parquet(small)
    pl.DataFrame(
        {
            "code": [f"code-{i % 1000:04d}-with-some-width" for i in range(2_000_000)],
            "count": list(range(2_000_000)),
            **columns,
            "_source_row": list(range(2, 2_000_002)),
        }
    ).write_parquet(large)
    check_worker.start()
    try:
        check_worker.submit(("run", "demo", "small"), small, "small", suite)
        assert check_worker.take(("run", "demo", "small"))[0].success
        before = _worker_rss_mb()
        check_worker.submit(("run", "demo", "large"), large, "large", suite)
        report, _ = check_worker.take(("run", "demo", "large"))
        kept = _worker_rss_mb() - before
    finally:
        check_worker.stop()
    assert report.success and report.rows == 2_000_000
    assert not large.exists(), "the handed-over file is removed once checked"
    assert kept < 60, f"the worker still holds {kept} MB after checking a 2-million-row table"
