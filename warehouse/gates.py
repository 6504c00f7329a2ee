"""Completeness gates: a load whose row count moved too far from the last publish is stopped.

A valid file holding 1,000 of its usual 138,893 rows (an upstream partial export) passes every
expectation; only a comparison with what was published before catches it. An analyst who knows a change
is real accepts it for one refresh (``maw refresh --accept unhcr/population``); the acceptance is recorded
in ``meta.acceptances`` and carried with the history.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingest.common.source import Dataset, utc_now


@dataclass(frozen=True)
class RowTolerance:
    """Allowed change of a dataset's row count against its last publish, as fractions (0.10 = 10 %)."""

    shrink: float = 0.10
    grow: float = 0.50

    def describe(self) -> str:
        return f"-{self.shrink:.0%} / +{self.grow:.0%}"


DEFAULT_TOLERANCE = RowTolerance()


def last_published_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> int | None:
    row = con.execute(
        "select rows from meta.loads where source = ? and dataset = ? and status = 'published' "
        "order by finished_at desc limit 1",
        [dataset.source, dataset.name],
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def check_row_count(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    rows: int,
    run_id: str,
    tolerance: RowTolerance,
    accepted: frozenset[str] = frozenset(),
) -> str | None:
    """None when the count is within tolerance (or accepted, which is recorded); else what is wrong."""
    previous = last_published_rows(con, dataset)
    if not previous:
        return None
    change = rows / previous - 1
    if -tolerance.shrink <= change <= tolerance.grow:
        return None
    name = f"{dataset.source}/{dataset.name}"
    problem = (
        f"{rows:,} rows where the last publish had {previous:,} ({change:+.1%}), outside the tolerance "
        f"{tolerance.describe()}"
    )
    if name in accepted:
        con.execute(
            "insert into meta.acceptances values (?, ?, ?, 'row_count', ?, ?, ?, ?)",
            [run_id, dataset.source, dataset.name, previous, rows, problem, utc_now()],
        )
        return None
    return f"{problem}. If the change is real, accept it: maw refresh --accept {name}"
