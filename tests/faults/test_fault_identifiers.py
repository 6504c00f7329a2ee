"""Change tracking survives any column name: reserved words, quotes and spaces in keys and values."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl

from ingest.common.columns import Column, TableSchema
from ingest.common.source import Dataset
from warehouse import WarehousePaths, meta
from warehouse.loads import record_changes

# `column`, `order` and `select` are reserved in DuckDB; the quoted one tests quote doubling.
KEY = ("column", "year")
COLUMNS = {"column": ["a", "b", "c"], "year": [2020, 2020, 2021], "order": [1, 2, 3], 'note "x"': ["p", "q", "r"]}


def _dataset() -> Dataset:
    return Dataset(
        source="odd",
        name="names",
        fetch=lambda _: [],
        parse=lambda _: pl.DataFrame(),
        schema=TableSchema(
            columns=(
                Column("column", pl.Utf8),
                Column("year", pl.Int64),
                Column("order", pl.Int64),
                Column('note "x"', pl.Utf8),
            ),
            key=KEY,
        ),
        description="columns with reserved and quoted names",
    )


def _write(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> None:
    con.execute('create schema if not exists "raw_odd"')
    con.register("incoming", frame.to_arrow())
    con.execute('create or replace table "raw_odd"."names" as select * from incoming')
    con.unregister("incoming")


def test_reserved_word_columns_are_tracked(tmp_path: Path) -> None:
    paths = WarehousePaths(tmp_path)
    with duckdb.connect(str(paths.published)) as published:
        _write(published, pl.DataFrame(COLUMNS))
        published.execute(
            "create schema meta; create table meta.loads (source varchar, dataset varchar, "
            "snapshot_id varchar, status varchar, finished_at timestamptz)"
        )
        published.execute("insert into meta.loads values ('odd', 'names', 'old-snap', 'published', now())")
    edited = (
        pl.DataFrame(COLUMNS)
        .with_columns(
            pl.when(pl.col("column") == "b").then(pl.lit("Q!")).otherwise(pl.col('note "x"')).alias('note "x"')
        )
        .filter(pl.col("column") != "c")
    )
    build = duckdb.connect(str(tmp_path / "build.duckdb"))

    meta.ensure(build)
    _write(build, edited.vstack(pl.DataFrame({"column": ["select"], "year": [2022], "order": [4], 'note "x"': ["s"]})))

    assert record_changes(build, paths, _dataset(), "new-snap", "run-1") == 3
    rows = build.execute(
        "select change, key, column_name, old_value, new_value, year, previous_snapshot_id from meta.changes "
        "order by change"
    ).fetchall()
    build.close()
    decoded = [(c, json.loads(k), col, old, new, y, prev) for c, k, col, old, new, y, prev in rows]
    assert decoded == [
        ("added", {"column": "select", "year": 2022}, None, None, None, 2022, "old-snap"),
        ("changed", {"column": "b", "year": 2020}, 'note "x"', "q", "Q!", 2020, "old-snap"),
        ("removed", {"column": "c", "year": 2021}, None, None, None, 2021, "old-snap"),
    ]
