"""ECB reference rates: the ECB's format (trailing comma, N/A, newest first), live zip download, bad cells."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from ingest import fx
from ingest.common.source import LandedFile, ParseError, SourceContext, land
from tests.conftest import DEMO_MIRROR, Reply

DEMO_RATES = DEMO_MIRROR / "fx" / "eurofxref-hist.csv"


def _landed(path: Path, origin: str = "eurofxref-hist.csv") -> LandedFile:
    return LandedFile(
        path=path,
        sha256="x",
        origin=origin,
        bytes=0,
        retrieved_at="2026-01-01T00:00:00+00:00",
        http_status=None,
        name=None,
    )


def _cells(path: Path) -> dict[tuple[str, str], Decimal]:
    """Every numeric cell of an ECB history file, read with the csv module."""
    with path.open(newline="") as handle:
        return {
            (row["Date"], currency): Decimal(value)
            for row in csv.DictReader(handle)
            for currency, value in row.items()
            if currency not in ("Date", "") and value not in ("N/A", "")
        }


def _as_dict(frame) -> dict[tuple[str, str], Decimal]:
    return {(str(d), c): v for d, c, v in frame.select("rate_date", "currency", "units_per_eur").iter_rows()}


def test_every_published_rate_is_a_row_and_na_is_no_row() -> None:
    frame = fx.parse_rates(_landed(DEMO_RATES))
    assert _as_dict(frame) == _cells(DEMO_RATES)
    assert "" not in set(frame["currency"]) and frame["units_per_eur"].null_count() == 0
    first = frame.filter(frame["_source_row"] == 2)
    assert set(first["rate_date"].cast(str)) == {DEMO_RATES.read_text().splitlines()[1].split(",")[0]}


@pytest.mark.shared
def test_the_real_ecb_history_parses_completely(shared_data: Path) -> None:
    path = shared_data / "fx" / "eurofxref-hist.csv"
    assert _as_dict(fx.parse_rates(_landed(path))) == _cells(path)


def test_a_cell_that_is_not_a_rate_names_line_and_currency(tmp_path: Path) -> None:
    lines = DEMO_RATES.read_text().splitlines()
    cells = lines[3].split(",")
    cells[lines[0].split(",").index("GBP")] = "0.87O"
    lines[3] = ",".join(cells)
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ParseError) as raised:
        fx.parse_rates(_landed(path))
    assert (raised.value.row, raised.value.field) == (4, "GBP")


def test_live_downloads_the_keyless_zip(fake_server, monkeypatch, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", DEMO_RATES.read_bytes())
    fake_server.routes["/stats/eurofxref/eurofxref-hist.zip"] = lambda *_a: Reply(
        body=buffer.getvalue(), headers={"Content-Type": "application/zip"}
    )
    monkeypatch.setenv("MAW_ECB_URL", f"{fake_server.url}/stats/eurofxref/eurofxref-hist.zip")
    (dataset,) = fx.DATASETS
    snapshot = land(tmp_path, "fx", dataset.name, dataset.fetch(SourceContext(mode="live")))
    assert snapshot.files[0].path.name.endswith(".zip")
    assert _as_dict(dataset.parse(snapshot.files)) == _cells(DEMO_RATES)


def test_a_zip_without_the_history_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rates.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("eurofxref.csv", "Date, USD,\n13 April 2026, 1.1684,\n")
    with pytest.raises(ParseError, match=r"eurofxref-hist\.csv"):
        fx.parse_rates(_landed(path, "rates.zip"))
