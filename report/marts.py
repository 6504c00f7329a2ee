"""Reading the published warehouse: read-only, ``marts.*`` and ``meta.*`` only, columns by name.

Marts may gain columns; the report names the columns it reads, so a new column changes nothing and a
missing mart or column fails the build with a message that says which one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import polars as pl


class ReportError(RuntimeError):
    """The report cannot be built from this warehouse; the message says what is missing."""


ALLOWED_SCHEMAS = ("marts", "meta")


def connect(published: Path) -> duckdb.DuckDBPyConnection:
    if not published.exists():
        raise ReportError(f"no published warehouse at {published}: run `maw refresh` first")
    return duckdb.connect(str(published), read_only=True)


def require(con: duckdb.DuckDBPyConnection, needed: Mapping[str, Iterable[str]], published: Path) -> None:
    """Fail with one clear message listing every missing table and column the report reads."""
    present: dict[str, set[str]] = {}
    for schema, table, column in con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = current_database() and schema_name in ('marts', 'meta')"
    ).fetchall():
        present.setdefault(f"{schema}.{table}", set()).add(column)
    problems = []
    for table, columns in needed.items():
        if table.split(".")[0] not in ALLOWED_SCHEMAS:
            raise ValueError(f"the report reads only marts.* and meta.*, not {table}")
        if table not in present:
            problems.append(f"{table} is missing")
            continue
        missing = [c for c in columns if c not in present[table]]
        if missing:
            problems.append(f"{table} lacks column(s) {', '.join(missing)}")
    if problems:
        raise ReportError(f"cannot build the report from {published}: " + "; ".join(problems))


def select(
    con: duckdb.DuckDBPyConnection, table: str, columns: Iterable[str], where: str = "", order: str = ""
) -> pl.DataFrame:
    """``select <columns> from <table>``, naming every column, as a polars frame."""
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f"select {names} from {table}"
    if where:
        sql += f" where {where}"
    if order:
        sql += f" order by {order}"
    return con.sql(sql).pl()


def any_figure(con: duckdb.DuckDBPyConnection, table: str, identity: Iterable[str]) -> str:
    """A condition true where a row has any figure in any column but ``identity``: a value, a true flag
    or a non-empty list. Read from the mart's columns, so a column added later counts too."""
    schema, name = table.split(".")
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name = ? and table_name = ? order by column_index",
        [schema, name],
    ).fetchall()
    tests = []
    for column, data_type in columns:
        if column in identity:
            continue
        if data_type == "BOOLEAN":
            tests.append(f'coalesce("{column}", false)')
        elif data_type.endswith("[]"):
            tests.append(f'coalesce(len("{column}"), 0) > 0')
        else:
            tests.append(f'"{column}" is not null')
    return " or ".join(tests) or "false"
