"""One strict refresh of a copy of the demo warehouse from a mirror with a fault in each of six datasets.

Each dataset is its own step with its own blocking check, so one refresh finds every fault: a missing file,
an implausibly short file, a duplicated key, a negative count, a count no source could have and an unknown
currency. The tests of each fault (tests/test_refresh.py, test_unhcr_revisions.py, test_iati_expectations.py,
faults/test_fault_refresh.py) read what this one refresh said and left behind, instead of running a refresh
each: that one fault is named says nothing of the others, and the published file must stay as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.maw_helpers import SharedRefresh, copy_warehouse, run_maw, sha256_of
from tests.unhcr_helpers import raw_rows, write_rows

IATI_FILE = "iati/partners/XM-DAC-47066_iom_demo.xml"
MISSING_FILE = "unhcr/countries.csv.gz"
NEGATIVE_LINE = 42  # unhcr/population: the refugees of the data row on this line of the file turn negative
DUPLICATED_ROW = 4  # unhcr/asylum-decisions: this row is appended again at the end of the file
HUGE_ROW = 7  # unhcr/asylum-applications: this row applies 9e18 times
SHRUNK_FILE = "unhcr/solutions.csv.gz"  # a valid file that keeps only a tenth of its rows


def _negative_refugees(rows: list[dict]) -> list[dict]:
    row = rows[NEGATIVE_LINE - 2]  # the header is line 1
    row["refugees"] = f"-{row['refugees']}" if row["refugees"] not in {"", "0"} else "-5"
    return rows


def _duplicated_decision(rows: list[dict]) -> list[dict]:
    return [*rows, dict(rows[DUPLICATED_ROW])]


def _huge_application(rows: list[dict]) -> list[dict]:
    rows[HUGE_ROW]["applied"] = "9000000000000000000"
    return rows


def _shrunk(rows: list[dict]) -> list[dict]:
    return rows[: len(rows) // 10]  # an upstream partial export


# UNHCR files rewritten row by row: mirror path -> what is done to its rows.
ROW_FAULTS: dict[str, Callable[[list[dict]], list[dict]]] = {
    "unhcr/population.csv.gz": _negative_refugees,
    "unhcr/asylum_decisions.csv.gz": _duplicated_decision,
    "unhcr/asylum_applications.csv.gz": _huge_application,
    SHRUNK_FILE: _shrunk,
}


@dataclass(frozen=True)
class RefusedRefresh(SharedRefresh):
    """What the refresh printed and where it left its warehouse."""

    mirror: Path
    published_sha256: str  # of the published file before the refresh

    @property
    def output(self) -> str:
        """Everything it printed on one line: the console wraps long paths."""
        return " ".join((self.stdout + self.stderr).split())

    def published_unchanged(self) -> bool:
        return sha256_of(self.warehouse / "migration.duckdb") == self.published_sha256

    def quarantine_reports(self, asset_name: str) -> list[Path]:
        return list((self.warehouse / "quarantine").glob(f"*/{asset_name}/report.md"))


def _write_faulty_mirror(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    for relative, fault in ROW_FAULTS.items():
        write_rows(target / relative, fault(raw_rows(target / relative)))
    iati = target / IATI_FILE
    iati.write_text(iati.read_text().replace('currency="USD"', 'currency="XXY"', 1))
    (target / MISSING_FILE).unlink()
    return target


def run_refused_refresh(demo_warehouse: Path, demo_mirror: Path, work: Path) -> RefusedRefresh:
    """Copy the demo warehouse into ``work`` and refresh it, strictly, from the faulty mirror."""
    mirror = _write_faulty_mirror(demo_mirror, work / "faulty-mirror")
    warehouse = work / "warehouse"
    copy_warehouse(demo_warehouse, warehouse)
    before = sha256_of(warehouse / "migration.duckdb")
    result = run_maw("refresh", "--strict", "--mirror", str(mirror), warehouse=warehouse)
    return RefusedRefresh.of(warehouse, result, mirror=mirror, published_sha256=before)
