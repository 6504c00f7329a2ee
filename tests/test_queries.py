"""docs/queries.sql: every example question runs and returns rows, on the demo and the real-snapshot builds."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO

QUERIES = (REPO / "docs" / "queries.sql").read_text()


def _split() -> list[str]:
    con = duckdb.connect()
    return [statement.query for statement in con.extract_statements(QUERIES)]


STATEMENTS = _split()


def test_the_file_holds_the_questions_the_issue_asks() -> None:
    assert len(STATEMENTS) >= 8
    for question in ("Jordan", "COMPASS", "focus countries"):
        assert question in QUERIES


@pytest.mark.parametrize("index", range(len(STATEMENTS)), ids=[f"Q{i + 1}" for i in range(len(STATEMENTS))])
def test_query_returns_rows_on_the_demo_build(demo_warehouse: Path, index: int) -> None:
    with duckdb.connect(str(demo_warehouse / "migration.duckdb"), read_only=True) as con:
        rows = con.execute(STATEMENTS[index]).fetchall()
    assert rows, f"Q{index + 1} returned no rows on the demo build"


@pytest.mark.parametrize("index", range(len(STATEMENTS)), ids=[f"Q{i + 1}" for i in range(len(STATEMENTS))])
def test_query_returns_rows_on_the_shared_build(shared_warehouse: Path, index: int) -> None:
    with duckdb.connect(str(shared_warehouse / "migration.duckdb"), read_only=True) as con:
        rows = con.execute(STATEMENTS[index]).fetchall()
    assert rows, f"Q{index + 1} returned no rows on the ../shared/data build"
