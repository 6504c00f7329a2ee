"""The IATI suites block bad loads: duplicate identifiers in a file, unknown transaction types and currencies,
unparseable dates. Percentage sums off 100 unless flagged fail the dbt gate that holds that rule since the sums
are derived in dbt (the value_between tests of int_iati__activity_percentages; expectations/iati.py says why)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingest import registry
from ingest.common.source import LandedFile
from ingest.iati.activities import _parse_snapshot
from tests.conftest import DEMO_MIRROR, run_dbt
from tests.refused_refresh import IATI_FILE, RefusedRefresh
from warehouse import BUILD_NAME
from warehouse.loads import suite_for

DEMO_FILES = sorted((DEMO_MIRROR / "iati").glob("minbuza_nl/*.xml")) + sorted(
    (DEMO_MIRROR / "iati").glob("partners/*.xml")
)


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    landed = tuple(
        LandedFile(
            path=p,
            sha256=p.name,
            origin=str(p),
            bytes=0,
            retrieved_at="2025-01-01T00:00:00+00:00",
            http_status=None,
            name=p.name,
        )
        for p in DEMO_FILES
    )
    return _parse_snapshot(landed)


def _validate(name: str, frame: pl.DataFrame):
    from expectations.runner import validate

    return validate(frame, f"iati.{name}", suite_for(registry.dataset("iati", name)))


def test_the_demo_tables_pass(tables) -> None:
    for name in ("activities", "transactions", "recipients", "sectors"):
        assert _validate(name, tables[name]).success, name


def _set(column: str, value, row: int = 0) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def damage(frame: pl.DataFrame) -> pl.DataFrame:
        index = pl.int_range(pl.len())
        return frame.with_columns(pl.when(index == row).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))

    return damage


CASES = [
    ("transactions", _set("transaction_type_code", "99"), "transaction_type_code"),
    ("transactions", _set("currency", "XXY"), "currency"),
    ("transactions", _set("transaction_date", None), "transaction_date"),
    ("transactions", _set("value_date", None), "value_date"),
    ("activities", lambda f: pl.concat([f, f.head(1)]), "source_dataset,iati_identifier"),
]


@pytest.mark.parametrize(("table", "damage", "column"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_damaged_table_fails_its_suite_and_names_the_row(tables, table, damage, column) -> None:
    frame = damage(tables[table])
    report = _validate(table, frame)
    failed = [r for r in report.results if not r.success]
    assert [r.column for r in failed] == [column]
    assert failed[0].failures and failed[0].failures[0].file and failed[0].failures[0].row


def test_a_report_is_the_same_whether_ge_builds_each_configuration_once_or_at_every_read(tables, monkeypatch) -> None:
    """expectations/runner.py builds each expectation's GE configuration once per suite: same results, rows
    and values named, and GE's own property back in place afterwards."""
    import contextlib

    from expectations import runner

    damaged = _set("currency", "XXY")(_set("transaction_date", None, row=1)(tables["transactions"]))
    built_once = _validate("transactions", damaged)
    expectation_class = runner.gx.expectations.Expectation
    assert isinstance(expectation_class.__dict__["configuration"], property)
    assert expectation_class.__dict__["configuration"].fget.__module__.startswith("great_expectations")
    monkeypatch.setattr(runner, "_configurations_built_once", contextlib.nullcontext)
    every_read = _validate("transactions", damaged)

    assert sum(not r.success for r in built_once.results) == 2
    assert built_once.as_dict() == every_read.as_dict()


def test_the_activities_table_holds_no_derived_percentage_sums(tables) -> None:
    assert not {c for c in tables["activities"].columns if "percentage" in c}
    suite = suite_for(registry.dataset("iati", "activities"))
    assert not {e.kwargs.get("column") for e in suite} & {"recipient_percentage_sum", "percentage_issue"}


PERCENTAGES = "int_iati__activity_percentages"
# source_dataset, iati_identifier, recipient sum, sector sum, percentage_issue
GATE_ROWS = [
    ("f", "OK", 100, 99.5, None),
    ("f", "FLAGGED", 80, 150, "recipient countries/regions: percentages sum to 80, not 100; shares normalised"),
    ("f", "RECIPIENTS_OFF", 80, None, None),
    ("f", "SECTORS_OFF", None, 150, None),
]


def test_percentage_sums_off_100_fail_the_dbt_gate_unless_flagged(tmp_path: Path) -> None:
    """The gate is dbt's: its tests of the model, run on a stand-in for it with two unflagged sums off 100 (and
    one flagged), fail exactly for the two sums, once each."""
    database = tmp_path / BUILD_NAME
    with duckdb.connect(str(database)) as con:
        con.execute("create schema intermediate")
        con.execute(
            f"""create table intermediate.{PERCENTAGES} (source_dataset varchar, iati_identifier varchar,
                recipient_percentage_sum decimal(12, 6), sector_percentage_sum decimal(12, 6),
                percentage_issue varchar)"""
        )
        con.executemany(f"insert into intermediate.{PERCENTAGES} values (?, ?, ?, ?, ?)", GATE_ROWS)
    result, results = run_dbt("test", database, tmp_path, "--select", PERCENTAGES)
    failed = {r["unique_id"].split(".")[2]: r["failures"] for r in results if r["status"] != "pass"}
    assert result.returncode != 0 and len(results) >= 3, result.stdout  # the rules test passes beside them
    assert failed == {
        f"value_between_{PERCENTAGES}_recipient_percentage_sum__100_5__99_5": 1,
        f"value_between_{PERCENTAGES}_sector_percentage_sum__100_5__99_5": 1,
    }, result.stdout


def test_an_unknown_currency_in_the_mirror_blocks_the_refresh(refused_refresh: RefusedRefresh) -> None:
    named = re.escape(f"file {(refused_refresh.mirror / IATI_FILE).resolve()}, row ")
    assert refused_refresh.returncode != 0
    assert re.search(rf"iati/activities: .* {named}\d+, field 'default_currency': value 'XXY'", refused_refresh.output)
    assert refused_refresh.published_unchanged()
