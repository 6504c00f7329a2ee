"""Expectation suites, one module per source, written as plain data.

Suites are lists of :class:`Expectation` (a Great Expectations expectation type and its keyword
arguments, exactly as GE serialises them). Only ``expectations.runner`` imports Great Expectations,
which takes seconds to import; everything else can read suites and reports without paying for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

from ingest.common.columns import WORLD_POPULATION, TableSchema


@dataclass(frozen=True)
class Expectation:
    type: str  # e.g. "expect_column_values_to_be_between"
    kwargs: dict[str, Any]

    @property
    def column(self) -> str | None:
        column = self.kwargs.get("column")
        return column if column is not None else ",".join(self.kwargs.get("column_list", [])) or None


@dataclass
class Failure:
    """One place where the data broke an expectation."""

    file: str | None
    row: int | None
    field: str | None
    value: Any

    def describe(self) -> str:
        return f"file {self.file}, row {self.row}, field {self.field!r}: value {self.value!r}"


@dataclass
class ExpectationResult:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int = 0
    observed: Any = None
    failures: list[Failure] = field(default_factory=list)


@dataclass
class CheckReport:
    suite: str
    rows: int
    results: list[ExpectationResult]

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    @property
    def passed(self) -> int:
        return sum(r.success for r in self.results)

    def summary(self) -> str:
        return f"{self.passed}/{len(self.results)} expectations passed"

    def describe_failures(self, limit: int = 5) -> str:
        lines = []
        for result in self.results:
            if result.success:
                continue
            detail = f" ({result.unexpected_count} rows)" if result.unexpected_count else ""
            observed = f", observed {result.observed!r}" if result.observed is not None else ""
            lines.append(f"FAILED {result.expectation} on {result.column or 'table'}{detail}{observed}")
            lines += [f"  - {f.describe()}" for f in result.failures[:limit]]
            if len(result.failures) > limit:
                lines.append(f"  - ... and {len(result.failures) - limit} more")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "rows": self.rows,
            "success": self.success,
            "results": [asdict(r) for r in self.results],
        }


# --- helpers that keep suites short and readable ------------------------------------------------------


def columns_exist(*columns: str) -> list[Expectation]:
    return [Expectation("expect_column_to_exist", {"column": c}) for c in columns]


def not_null(*columns: str) -> list[Expectation]:
    return [Expectation("expect_column_values_to_not_be_null", {"column": c}) for c in columns]


def non_negative(*columns: str) -> list[Expectation]:
    return [Expectation("expect_column_values_to_be_between", {"column": c, "min_value": 0}) for c in columns]


def people_counts(*columns: str) -> list[Expectation]:
    """Counts of people: never negative and never more people than there are in the world."""
    return [between(c, 0, WORLD_POPULATION) for c in columns]


def between(column: str, min_value: Any = None, max_value: Any = None) -> Expectation:
    return Expectation(
        "expect_column_values_to_be_between",
        {"column": column, "min_value": min_value, "max_value": max_value},
    )


def in_set(column: str, values: set[Any] | list[Any]) -> Expectation:
    return Expectation("expect_column_values_to_be_in_set", {"column": column, "value_set": sorted(values)})


def unique_key(*columns: str) -> Expectation:
    if len(columns) == 1:
        return Expectation("expect_column_values_to_be_unique", {"column": columns[0]})
    return Expectation("expect_compound_columns_to_be_unique", {"column_list": list(columns)})


def rows_between(min_value: int, max_value: int | None = None) -> Expectation:
    return Expectation("expect_table_row_count_to_be_between", {"min_value": min_value, "max_value": max_value})


def full_suite(schema: TableSchema, rules: Sequence[Expectation]) -> list[Expectation]:
    """What a load is checked against: the declaration's expectations, the provenance columns', then the
    suite's own ``rules`` (what a column declaration cannot say: row counts, patterns, sets that must
    appear); an expectation stated twice runs once."""
    suite: list[Expectation] = []
    for expectation in (*basic_expectations(schema), *PROVENANCE, *rules):
        if expectation not in suite:
            suite.append(expectation)
    return suite


def _comparable(bound: Any) -> Any:
    """A date bound as the midnight timestamp pandas compares a date column with."""
    if isinstance(bound, date) and not isinstance(bound, datetime):
        return datetime.combine(bound, time())
    return bound


def basic_expectations(schema: TableSchema) -> list[Expectation]:
    """What a column declaration says, as expectations: every column there, not-null, allowed values and
    ranges, and a unique grain (see ``ingest/common/columns.py``). They block a bad load before the build;
    the staging models test grain and not-null again after their SQL renames and casts, so a change to the
    SQL cannot break what the load guaranteed (the same note heads each dbt source YAML)."""
    return [
        *columns_exist(*(c.name for c in schema.columns)),
        *not_null(*schema.not_null()),
        *(in_set(c.name, c.values) for c in schema.columns if c.values is not None),
        *(between(c.name, _comparable(c.min_value), _comparable(c.max_value)) for c in schema.ranged()),
        unique_key(*schema.key),
    ]


PROVENANCE = [
    *columns_exist("_source_file", "_source_row", "_snapshot_sha256", "_retrieved_at"),
    *not_null("_source_file", "_source_row", "_snapshot_sha256"),
]
