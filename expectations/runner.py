"""The only module that imports Great Expectations: run a suite against a frame or a Parquet file.

GE's SQL datasource cannot open DuckDB, so suites run on a pandas view of the parsed polars frame, in an
ephemeral context (nothing written to disk, analytics off). Failures are mapped back to the source
through the ``_source_file``/``_source_row`` provenance columns every parsed frame carries.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingest.common.settings import quiet_third_party_telemetry

# What Great Expectations imports at its own import but suites of pandas frames never use: 40 % of its import
# time (1.6 of 3.9 s, in every check worker). GE's SQL backend, which GE itself treats as optional (its
# compatibility layer falls back when sqlalchemy cannot be imported), and the statistics and chart libraries
# of its KL-divergence expectation and its renderers, which it imports whole.
ABSENT_DURING_IMPORT = ("sqlalchemy",)
DEFERRED = ("scipy.stats", "altair")


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is read, then imports the module and answers from it:
    nothing breaks should GE use it after all, it only costs its import then."""

    def __getattr__(self, attribute: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


@contextmanager
def _lean_import() -> Iterator[None]:
    """Import GE with ``ABSENT_DURING_IMPORT`` missing (unless this process already has it, as Dagster's does)
    and ``DEFERRED`` standing in; afterwards the process imports sqlalchemy as before, should it want it."""
    for name in DEFERRED:
        if name not in sys.modules and (spec := importlib.util.find_spec(name)) is not None:
            placeholder = _Deferred(name)
            placeholder.__spec__, placeholder.__file__ = spec, spec.origin
            sys.modules[name] = placeholder
    absent = [name for name in ABSENT_DURING_IMPORT if name not in sys.modules]
    sys.modules.update(dict.fromkeys(absent))  # None in sys.modules: "import name" raises ImportError
    try:
        yield
    finally:
        for name in absent:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


quiet_third_party_telemetry()  # before Great Expectations is imported

with _lean_import():
    import great_expectations as gx  # (after the telemetry default, on purpose)
    from great_expectations.execution_engine import pandas_execution_engine

# GE hashes every frame under 1 GB, twice a suite, into a "pandas_data_fingerprint" batch marker that no
# report here reads: a quarter of the check of the largest tables (0.5 of 1.8 CPU-s for UNHCR demographics,
# population, the ECB rates and the DTM). Never hashed.
pandas_execution_engine.HASH_THRESHOLD = 0
import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402

from expectations import CheckReport, Expectation, ExpectationResult, Failure  # noqa: E402

_EXAMPLES = 20


def _expectation_class(type_name: str) -> type:
    class_name = "".join(part.capitalize() for part in type_name.split("_"))
    try:
        return getattr(gx.expectations, class_name)
    except AttributeError as exc:
        raise ValueError(f"unknown expectation type {type_name!r}") from exc


RowAt = Callable[[int], dict[str, Any]]


def _failures(row_at: RowAt, column: str | None, result: dict[str, Any]) -> list[Failure]:
    indices = result.get("unexpected_index_list") or []
    rows = []
    for entry in indices[:_EXAMPLES]:
        index = entry if isinstance(entry, int) else entry.get("_index", entry.get("index"))
        if not isinstance(index, int):
            continue
        record = row_at(index)
        value = record.get(column) if column and column in record else None
        rows.append(Failure(file=record.get("_source_file"), row=record.get("_source_row"), field=column, value=value))
    return rows


def _pandas_column(column: pl.Series) -> pd.Series:
    """A column with the dtypes GE compares in one vectorised step (int64, float64, datetime64[ns]); for any
    other dtype (nullable pandas types, decimals, millisecond dates) it calls a Python function per value.

    An integer column with NULLs becomes float64 (exact for any count below 2**53) and a decimal float64, for
    range and set checks only: failures are reported from the polars frame (or the Parquet file), with the
    exact value.
    """
    if isinstance(column.dtype, pl.Decimal):
        column = column.cast(pl.Float64)
    converted = column.to_pandas()
    return converted.astype("datetime64[ns]") if column.dtype == pl.Date else converted


def validate(frame: pl.DataFrame, suite_name: str, expectations: Sequence[Expectation]) -> CheckReport:
    """Run ``expectations`` on ``frame`` and return a report that names file, row and field of failures.

    The pandas view is made a column at a time: a whole-frame conversion holds a second copy of the frame
    while it runs (85 MB more at the peak of the UNHCR demographics check)."""
    view = pd.DataFrame({name: _pandas_column(column) for name, column in frame.to_dict().items()}, copy=False)
    return _validate(view, lambda index: frame.row(index, named=True), suite_name, expectations)


def validate_parquet(table: Path, suite_name: str, expectations: Sequence[Expectation]) -> CheckReport:
    """``validate`` on a table handed over as Parquet, read a column at a time into the pandas view only;
    the rows named in failures are read back from the file. So the check worker never holds the polars
    frame beside its view (80 MB of the UNHCR demographics check)."""
    names = pl.read_parquet_schema(table)
    view = pd.DataFrame(
        {name: _pandas_column(pl.read_parquet(table, columns=[name]).to_series()) for name in names}, copy=False
    )

    def row_at(index: int) -> dict[str, Any]:
        return pl.scan_parquet(table).slice(index, 1).collect().row(0, named=True)

    return _validate(view, row_at, suite_name, expectations)


_context: Any = None  # this process's ephemeral GE context (``_ephemeral_context``)


def _ephemeral_context() -> Any:
    """One ephemeral GE context per process, made at its first check, not one per suite: a new context and
    its progress-bar setting (which GE writes out as YAML) cost 7 of a small suite's 38 ms."""
    global _context
    if _context is None:
        _context = gx.get_context(mode="ephemeral")
        _context.variables.progress_bars = {"globally": False}
    return _context


def _validate(view: pd.DataFrame, row_at: RowAt, suite_name: str, expectations: Sequence[Expectation]) -> CheckReport:
    context = _ephemeral_context()
    source = context.data_sources.add_pandas(name=f"maw_{suite_name}")
    try:
        asset = source.add_dataframe_asset(name=suite_name)
        batch_definition = asset.add_batch_definition_whole_dataframe("whole_load")
        batch = batch_definition.get_batch(batch_parameters={"dataframe": view})
        by_index = _results_by_index(batch, suite_name, expectations)
    finally:
        # The context keeps this data source and with it the frame (its execution engine holds the batch): until
        # the next check, a check worker would hold the largest table it validated (120 MB for UNHCR
        # demographics), and a failed check would leave the source's name taken.
        context.data_sources.delete(source.name)
    results = []
    for index, expectation in enumerate(expectations):
        validation = by_index[index]
        detail = validation.result or {}
        column = expectation.column
        error = validation.exception_info or {}
        raised = error.get("raised_exception") if isinstance(error, dict) else False
        results.append(
            ExpectationResult(
                expectation=expectation.type,
                column=column,
                success=bool(validation.success),
                unexpected_count=int(detail.get("unexpected_count") or 0),
                observed=str(error.get("exception_message")) if raised else _observed(detail),
                failures=[] if validation.success else _failures(row_at, column, detail),
            )
        )
    return CheckReport(suite=suite_name, rows=len(view), results=results)


@contextmanager
def _configurations_built_once() -> Iterator[None]:
    """GE's ``Expectation.configuration`` builds a new ExpectationConfiguration from the expectation's pydantic
    fields at every read, and a validation reads it some sixty times an expectation (once for each of its
    domain, success and runtime keys): half the time of a suite. While a suite validates, each expectation's
    configuration is built at its first read and that one is handed out after; GE's property is back after."""
    original = gx.expectations.Expectation.configuration
    built: dict[int, tuple[Any, Any]] = {}  # id -> (expectation, configuration); the expectation kept alive

    def configuration(expectation: Any) -> Any:
        entry = built.get(id(expectation))
        if entry is None or entry[0] is not expectation:
            entry = built[id(expectation)] = (expectation, original.fget(expectation))
        return entry[1]

    gx.expectations.Expectation.configuration = property(configuration)
    try:
        yield
    finally:
        gx.expectations.Expectation.configuration = original


def _results_by_index(batch: Any, suite_name: str, expectations: Sequence[Expectation]) -> dict[int, Any]:
    """Each expectation's GE result by its place in ``expectations``: all of them in GE's BASIC format (the
    count of unexpected rows, the observed value), then only the failed ones again in COMPLETE, whose index
    list names the rows. COMPLETE for all costs half as much again (8.4 against 5.6 CPU-s for the demo's
    983 expectations) for index lists that are empty whenever an expectation passes."""

    def suite(name: str, indices: Sequence[int]) -> Any:
        return gx.ExpectationSuite(
            name=name,
            expectations=[
                _expectation_class(expectations[i].type)(**expectations[i].kwargs, meta={"maw_index": i})
                for i in indices
            ],
        )

    with _configurations_built_once():
        outcome = batch.validate(suite(suite_name, range(len(expectations))), result_format="BASIC")
        by_index = {r.expectation_config.meta["maw_index"]: r for r in outcome.results}
        failed = [index for index, result in by_index.items() if not result.success]
        if failed:
            complete = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
            outcome = batch.validate(suite(f"{suite_name}_failed", failed), result_format=complete)
            by_index |= {r.expectation_config.meta["maw_index"]: r for r in outcome.results}
    return by_index


def _observed(detail: dict[str, Any]) -> Any:
    observed = detail.get("observed_value")
    return None if observed is None else str(observed)[:200]
