"""The IATI suites block bad loads: duplicate identifiers in a file, unknown transaction types and currencies,
unparseable dates, percentages that do not sum to 100 unless flagged."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from ingest import registry
from ingest.common.source import LandedFile
from ingest.iati.activities import _parse_snapshot
from tests.conftest import DEMO_MIRROR, run_maw
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
    ("activities", _set("recipient_percentage_sum", 80.0), "recipient_percentage_sum"),
    ("activities", _set("sector_percentage_sum", 150.0), "sector_percentage_sum"),
]


@pytest.mark.parametrize(("table", "damage", "column"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_damaged_table_fails_its_suite_and_names_the_row(tables, table, damage, column) -> None:
    frame = damage(tables[table])
    if "percentage_sum" in column:
        frame = frame.with_columns(pl.col(column).cast(pl.Float64))
    report = _validate(table, frame)
    failed = [r for r in report.results if not r.success]
    assert [r.column for r in failed] == [column]
    assert failed[0].failures and failed[0].failures[0].file and failed[0].failures[0].row


def test_flagged_percentages_pass(tables) -> None:
    frame = _set("percentage_issue", "recipient countries/regions: percentages sum to 80")(tables["activities"])
    frame = _set("recipient_percentage_sum", 80.0)(
        frame.with_columns(pl.col("recipient_percentage_sum").cast(pl.Float64))
    )
    assert _validate("activities", frame).success


def test_an_unknown_currency_in_the_mirror_blocks_the_refresh(demo_warehouse: Path, mirror_copy, tmp_path) -> None:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(demo_warehouse, warehouse)
    before = hashlib.sha256((warehouse / "migration.duckdb").read_bytes()).hexdigest()
    mirror = mirror_copy(DEMO_MIRROR)
    path = mirror / "iati" / "partners" / "XM-DAC-47066_iom_demo.xml"
    path.write_text(path.read_text().replace('currency="USD"', 'currency="XXY"', 1))
    result = run_maw("refresh", "--strict", "--mirror", str(mirror), warehouse=warehouse)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "iati/transactions" in output and "XM-DAC-47066_iom_demo.xml" in output and "'XXY'" in output
    assert hashlib.sha256((warehouse / "migration.duckdb").read_bytes()).hexdigest() == before
