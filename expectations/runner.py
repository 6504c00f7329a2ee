"""The only module that imports Great Expectations: run a suite against a frame.

GE's SQL datasource cannot open DuckDB, so suites run on a pandas view of the parsed polars frame, in an
ephemeral context (nothing written to disk, analytics off). Failures are mapped back to the source
through the ``_source_file``/``_source_row`` provenance columns every parsed frame carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ingest.common.settings import quiet_third_party_telemetry

quiet_third_party_telemetry()  # before Great Expectations is imported

import great_expectations as gx  # noqa: E402 (after the telemetry default, on purpose)
import polars as pl  # noqa: E402

from expectations import CheckReport, Expectation, ExpectationResult, Failure  # noqa: E402

_EXAMPLES = 20


def _expectation_class(type_name: str) -> type:
    class_name = "".join(part.capitalize() for part in type_name.split("_"))
    try:
        return getattr(gx.expectations, class_name)
    except AttributeError as exc:
        raise ValueError(f"unknown expectation type {type_name!r}") from exc


def _failures(frame: pl.DataFrame, column: str | None, result: dict[str, Any]) -> list[Failure]:
    indices = result.get("unexpected_index_list") or []
    rows = []
    for entry in indices[:_EXAMPLES]:
        index = entry if isinstance(entry, int) else entry.get("_index", entry.get("index"))
        if not isinstance(index, int):
            continue
        record = frame.row(index, named=True)
        value = record.get(column) if column and column in record else None
        rows.append(Failure(file=record.get("_source_file"), row=record.get("_source_row"), field=column, value=value))
    return rows


def _numpy_view(frame: pl.DataFrame) -> Any:
    """The frame with the dtypes GE compares in one vectorised step (int64, float64, datetime64[ns]); for any
    other dtype (nullable pandas types, decimals, millisecond dates) it calls a Python function per value.

    An integer column with NULLs becomes float64 (exact for any count below 2**53) and a decimal float64, for
    range and set checks only: failures are reported from the polars frame, with the exact value.
    """
    numeric = frame.with_columns(pl.col(pl.Decimal).cast(pl.Float64))
    pandas_frame = numeric.to_pandas()
    for name, dtype in numeric.schema.items():
        if dtype == pl.Date:
            pandas_frame[name] = pandas_frame[name].astype("datetime64[ns]")
    return pandas_frame


def validate(frame: pl.DataFrame, suite_name: str, expectations: Sequence[Expectation]) -> CheckReport:
    """Run ``expectations`` on ``frame`` and return a report that names file, row and field of failures."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas(name=f"maw_{suite_name}")
    asset = source.add_dataframe_asset(name=suite_name)
    batch_definition = asset.add_batch_definition_whole_dataframe("whole_load")
    pandas_frame = _numpy_view(frame)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": pandas_frame})
    suite = gx.ExpectationSuite(
        name=suite_name,
        expectations=[
            _expectation_class(e.type)(**e.kwargs, meta={"maw_index": i}) for i, e in enumerate(expectations)
        ],
    )
    outcome = batch.validate(suite, result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False})
    by_index = {r.expectation_config.meta["maw_index"]: r for r in outcome.results}
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
                failures=[] if validation.success else _failures(frame, column, detail),
            )
        )
    return CheckReport(suite=suite_name, rows=frame.height, results=results)


def _observed(detail: dict[str, Any]) -> Any:
    observed = detail.get("observed_value")
    return None if observed is None else str(observed)[:200]
