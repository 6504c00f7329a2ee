"""Great Expectations is imported lean (expectations/runner.py): without its SQL backend and with the statistics
and chart libraries deferred. Each test runs in a new Python process, since this one may have imported them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_importing_the_runner_leaves_sqlalchemy_unimported_and_the_deferred_modules_unloaded() -> None:
    out = _run(
        """
        import sys
        import expectations.runner as runner
        print("sqlalchemy" in sys.modules)
        print(*(type(sys.modules[name]).__name__ for name in runner.DEFERRED))
        """
    )
    assert out.split("\n")[:2] == ["False", "_Deferred _Deferred"]


def test_a_suite_validates_a_frame_and_names_the_failing_row_after_the_lean_import() -> None:
    out = _run(
        """
        import polars as pl
        from expectations import Expectation
        from expectations.runner import validate
        frame = pl.DataFrame({"count": [1, 2, -3], "_source_file": ["f.csv"] * 3, "_source_row": [2, 3, 4]})
        suite = [
            Expectation("expect_column_values_to_be_between", {"column": "count", "min_value": 0}),
            Expectation("expect_column_values_to_not_be_null", {"column": "count"}),
        ]
        report = validate(frame, "lean", suite)
        print(report.success, [r.success for r in report.results], report.results[0].failures[0].describe())
        """
    )
    assert out.strip() == "False [False, True] " + _describe_row_4()


def _describe_row_4() -> str:
    from expectations import Failure

    return Failure(file="f.csv", row=4, field="count", value=-3).describe()


def test_sqlalchemy_and_the_deferred_modules_import_whole_when_used_afterwards() -> None:
    out = _run(
        """
        import expectations.runner
        import sqlalchemy
        import scipy.stats
        from altair import Chart
        print(sqlalchemy.text("select 1").text, round(scipy.stats.norm.cdf(0), 2), Chart.__name__)
        print(type(__import__("sys").modules["scipy.stats"]).__name__)
        """
    )
    assert out.split("\n")[:2] == ["select 1 0.5 Chart", "module"]
