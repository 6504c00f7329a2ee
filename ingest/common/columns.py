"""One declaration per column: name, type, nullability, allowed range or values, and the table's grain.

A :class:`TableSchema` drives three things, so they cannot drift apart:

* the parser's casting (:meth:`TableSchema.cast_schema`: the columns read from the file, as
  ``tabular.cast_checked`` wants them; dates are cast by the source's own date reader),
* the basic expectations of the suite (``expectations.basic_expectations``: columns exist, not null,
  between, in set, unique grain), which block a bad load before it reaches the build database,
* the dbt source YAML (``dbt_project/models/staging/<source>/_<source>__sources.yml``), whose column
  names and ``data_type`` ``tests/test_columns.py`` compares with this declaration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from ingest.common.source import PROVENANCE_COLUMNS
from ingest.common.tabular import Schema

# polars type -> the DuckDB type the loaded column has (and the dbt source YAML declares)
DUCKDB_TYPES: dict[type[pl.DataType] | pl.DataType, str] = {
    pl.Utf8: "varchar",
    pl.Int8: "tinyint",
    pl.Int32: "integer",
    pl.Int64: "bigint",
    pl.Float64: "double",
    pl.Boolean: "boolean",
    pl.Date: "date",
}


# No count of people can exceed the world's population (about 8.2e9 in 2025, with headroom).
WORLD_POPULATION = 8_300_000_000


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    nullable: bool = True
    min_value: float | None = None
    max_value: float | None = None
    values: frozenset[str] | None = None
    read: bool = True  # read from the file (and cast) rather than added by the parser

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.dtype]


@dataclass(frozen=True)
class TableSchema:
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    def __post_init__(self) -> None:
        names = self.names
        unknown = [k for k in self.key if k not in names]
        if unknown or len(set(names)) != len(names):
            raise ValueError(f"grain {unknown} not among the columns, or a column declared twice")

    @property
    def names(self) -> list[str]:
        """Every column of the loaded table, in order, provenance last."""
        return [c.name for c in self.columns] + list(PROVENANCE_COLUMNS)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def cast_schema(self) -> Schema:
        """The columns read from the file, typed for ``cast_checked`` (dates stay text for the date reader)."""
        return {c.name: (pl.Utf8 if c.dtype == pl.Date else c.dtype) for c in self.columns if c.read}

    def date_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.read and c.dtype == pl.Date]

    def not_null(self) -> list[str]:
        return [c.name for c in self.columns if not c.nullable]

    def ranged(self) -> Iterable[Column]:
        return (c for c in self.columns if c.min_value is not None or c.max_value is not None)
