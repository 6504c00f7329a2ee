"""Great Expectations is imported lean (expectations/runner.py): without its SQL backend and with the statistics
and chart libraries deferred. What a new Python process sees is read once, in one process, since this one may
have imported them all already; each test asserts one part of it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from expectations import Failure
from tests.conftest import REPO

LEAN_PROCESS = """
import json, sys
import polars as pl
import expectations.runner as runner
from expectations import Expectation

seen = {"sqlalchemy_imported": "sqlalchemy" in sys.modules,
        "deferred": [type(sys.modules[name]).__name__ for name in runner.DEFERRED]}

frame = pl.DataFrame({"count": [1, 2, -3], "_source_file": ["f.csv"] * 3, "_source_row": [2, 3, 4]})
report = runner.validate(frame, "lean", [
    Expectation("expect_column_values_to_be_between", {"column": "count", "min_value": 0}),
    Expectation("expect_column_values_to_not_be_null", {"column": "count"}),
])
seen["results"] = [result.success for result in report.results]
seen["failure"] = report.results[0].failures[0].describe()

import sqlalchemy, scipy.stats
from altair import Chart
seen["used_afterwards"] = [sqlalchemy.text("select 1").text, round(float(scipy.stats.norm.cdf(0)), 2), Chart.__name__]
seen["after_use"] = [type(sys.modules[name]).__name__ for name in runner.DEFERRED]
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", LEAN_PROCESS], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_importing_the_runner_leaves_sqlalchemy_unimported_and_the_deferred_modules_unloaded(seen) -> None:
    assert (seen["sqlalchemy_imported"], seen["deferred"]) == (False, ["_Deferred", "_Deferred"])


def test_a_suite_validates_a_frame_and_names_the_failing_row_after_the_lean_import(seen) -> None:
    assert seen["results"] == [False, True]
    assert seen["failure"] == Failure(file="f.csv", row=4, field="count", value=-3).describe()


def test_sqlalchemy_and_the_deferred_modules_import_whole_when_used_afterwards(seen) -> None:
    assert seen["used_afterwards"] == ["select 1", 0.5, "Chart"]
    assert seen["after_use"] == ["module", "module"]
