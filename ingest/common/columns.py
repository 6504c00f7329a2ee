"""One declaration per column: name, type, nullability, allowed range or values, and the table's grain.

A :class:`TableSchema` drives three things, so they cannot drift apart:

* the parser's casting (:meth:`TableSchema.cast_schema`: the columns read from the file, as
  ``tabular.cast_checked`` wants them; dates are cast by the source's own date reader),
* the basic expectations of the suite (``expectations.basic_expectations``: columns exist, not null,
  between, in set, unique grain), which block a bad load before it reaches the build database,
* the dbt source YAML (``dbt_project/models/staging/<source>/_<source>__sources.yml``), whose column
  names and ``data_type`` ``tests/test_columns.py`` compares with this declaration
  (``python -m ingest.common.columns`` writes them).

Every :class:`~ingest.common.source.Dataset` carries its declaration as ``schema``; the load step
(``warehouse.loads``) refuses a parsed frame whose columns or types differ from it, naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from ingest.common.source import PROVENANCE_COLUMNS, ParseError
from ingest.common.tabular import Schema

# polars type -> the DuckDB type the loaded column has (and the dbt source YAML declares)
DUCKDB_TYPES: dict[type[pl.DataType], str] = {
    pl.Utf8: "varchar",
    pl.Int8: "tinyint",
    pl.Int32: "integer",
    pl.Int64: "bigint",
    pl.Float64: "double",
    pl.Boolean: "boolean",
    pl.Date: "date",
}
PROVENANCE_TYPES = ("varchar", "bigint", "varchar", "timestamp with time zone")


def duckdb_type(dtype: pl.DataType | type[pl.DataType]) -> str:
    """The DuckDB type a polars column is loaded as (decimals keep precision and scale, lists their items)."""
    if isinstance(dtype, pl.Decimal):
        return f"decimal({dtype.precision},{dtype.scale})"
    if isinstance(dtype, pl.List):
        return duckdb_type(dtype.inner) + "[]"
    return DUCKDB_TYPES[dtype if isinstance(dtype, type) else type(dtype)]


# No count of people can exceed the world's population (about 8.2e9 in 2025, with headroom).
WORLD_POPULATION = 8_300_000_000


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    nullable: bool = True
    min_value: Any = None  # a number, or a date for date columns
    max_value: Any = None
    values: frozenset[Any] | None = None  # the allowed values (a code list, a set of flags)
    read: bool = True  # read from the file (and cast) rather than added by the parser

    @property
    def duckdb_type(self) -> str:
        return duckdb_type(self.dtype)


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

    def dtypes(self) -> Schema:
        """Every declared column with its type, for frames built from typed Python values."""
        return {c.name: c.dtype for c in self.columns}

    def date_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.read and c.dtype == pl.Date]

    def not_null(self) -> list[str]:
        return [c.name for c in self.columns if not c.nullable]

    def ranged(self) -> Iterable[Column]:
        return (c for c in self.columns if c.min_value is not None or c.max_value is not None)

    def duckdb_columns(self) -> list[tuple[str, str]]:
        """(name, DuckDB type) of every loaded column, provenance last: what the dbt source YAML lists."""
        return [(c.name, c.duckdb_type) for c in self.columns] + list(
            zip(PROVENANCE_COLUMNS, PROVENANCE_TYPES, strict=True)
        )

    def conform(self, frame: pl.DataFrame, origin: str) -> pl.DataFrame:
        """The parsed frame, refused unless it has exactly the declared columns, in order, of the declared
        types: a parser that drifts from its declaration fails its load instead of changing the table."""
        if frame.columns != self.names:
            missing = [n for n in self.names if n not in frame.columns]
            extra = [n for n in frame.columns if n not in self.names]
            field = (missing or extra or [None])[0]
            raise ParseError(
                f"parsed columns differ from the declaration: missing {missing}, undeclared {extra}"
                + ("" if missing or extra else ", order differs"),
                file=origin,
                field=field,
            )
        for column in self.columns:
            actual = frame.schema[column.name]
            if duckdb_type(actual) != column.duckdb_type:
                raise ParseError(
                    f"parsed as {duckdb_type(actual)}, declared {column.duckdb_type}", file=origin, field=column.name
                )
        return frame
