"""What keeps a refresh's memory down: freed frames go back to the system at once, and a check holds no
table once its report is out. Each runs in a new process, whose resident set is its own."""

from __future__ import annotations

import json
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
    assert measured["peak"] > 150, measured  # the check did hold the table's view: about 240 MB
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
