"""IOM on the real snapshots (../shared/data/iom): counts, current IDPs and route figures are recomputed
here straight from the files, independently of ingest/iom.py and the dbt models, and compared."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest
from conftest import query

pytestmark = [pytest.mark.shared, pytest.mark.slow]

EXPORT = "missing_migrants/download_2025-05-05/Missing_Migrants_Global_Figures_allData.xlsx"


def _db(warehouse: Path) -> Path:
    return warehouse / "migration.duckdb"


def _dtm_json_records(folder: Path) -> dict[str, list[dict]]:
    """IDP records of every displacement response (lists excluded), by file name."""
    return {
        p.name: json.loads(p.read_text())["result"]
        for p in sorted(folder.glob("*.json"))
        if re.match(r"(displacement-admin|idpadmin)\d", p.name)
    }


def _csv_data_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return sum(1 for row in rows[1:] if row and not row[0].startswith("#"))


def _xlsx_rows(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    return len(re.findall(r"<row[ >]", sheet)) - 1


def test_meta_loads_counts_equal_independent_counts_of_every_source_record(shared_warehouse, shared_data):
    iom = shared_data / "iom"
    dtm = sum(len(r) for r in _dtm_json_records(iom / "dtm" / "api_v3").values())
    dtm += sum(len(r) for r in _dtm_json_records(iom / "dtm" / "api_v2").values())
    dtm += sum(_csv_data_rows(p) for p in (iom / "dtm" / "hdx").glob("*.csv"))
    mmp = _xlsx_rows(iom / EXPORT)
    mmp += sum(len(json.loads(p.read_text())) for p in (iom / "missing_migrants" / "api_json").glob("*.json"))
    mmp += sum(_csv_data_rows(p) for p in (iom / "missing_migrants").glob("download_*/*.csv"))
    loads = dict(query(_db(shared_warehouse), "select dataset, rows from meta.loads where source = 'iom'"))
    assert loads == {"dtm_idps": dtm, "missing_migrants": mmp}
    files = dict(query(_db(shared_warehouse), "select dataset, files from meta.loads where source = 'iom'"))
    # every DTM file (26 responses, 4 HDX files) and every MMP file (14), plus the manifest each time
    assert files == {"dtm_idps": 26 + 4 + 1, "missing_migrants": 14 + 1}


def _latest_admin0(records: list[dict]) -> tuple[str, int]:
    """The most recent admin-0 snapshot of a response, BA first: (date, summed figure)."""
    latest = max(r["reportingDate"] for r in records)
    rows = [r for r in records if r["reportingDate"] == latest]
    by_snapshot: dict[tuple, int] = defaultdict(int)
    for r in rows:
        by_snapshot[(r["operation"], r["roundNumber"], r["assessmentType"])] += r["numPresentIdpInd"]
    best = max(by_snapshot.items(), key=lambda item: (item[0][2] == "BA", item[1]))
    return latest[:10], best[1]


def test_current_idps_equal_the_latest_admin0_figure_of_the_newest_response(shared_warehouse, shared_data):
    dtm = shared_data / "iom" / "dtm"
    newest = {  # v3 where it exists (recorded 2025-09), else v2 (2024-08/09)
        "AFG": dtm / "api_v3" / "displacement-admin0-admin0pcode-afg.json",
        "HTI": dtm / "api_v3" / "displacement-admin0-admin0pcode-hti.json",
        "TCD": dtm / "api_v3" / "displacement-admin0-admin0pcode-tcd.json",
        "IRQ": dtm / "api_v2" / "idpadmin0data-getadmin0datav2-admin0pcode-irq.json",
        "SDN": dtm / "api_v2" / "idpadmin0data-getadmin0datav2-admin0pcode-sdn.json",
    }
    for iso3, path in newest.items():
        reporting_date, figure = _latest_admin0(json.loads(path.read_text())["result"])
        rows = query(
            _db(shared_warehouse),
            "select idps_dtm, idps_dtm_reporting_date::varchar from marts.country_year where iso3 = ? and year = ?",
            [iso3, int(reporting_date[:4])],
        )
        assert rows == [(figure, reporting_date)], iso3
    assert query(
        _db(shared_warehouse), "select idps from intermediate.int_iom__dtm_current_idps where iso3 = 'SDN'"
    ) == [(10_710_015,)]


def test_sudan_current_is_latest_snapshot_not_max_round_nor_sum_of_operations(shared_warehouse):
    history = query(
        _db(shared_warehouse),
        "select operation, reporting_date::varchar, round_number, idps "
        "from intermediate.int_iom__dtm_snapshots where iso3 = 'SDN' order by reporting_date",
    )
    operations = {row[0] for row in history}
    assert len(operations) >= 3  # the per-operation history is kept
    highest_round = max(history, key=lambda row: row[2])
    assert highest_round[0] == "Darfur conflict" and highest_round[1] < "2024-07-31"
    latest_date = max(row[1] for row in history)
    latest = [row for row in history if row[1] == latest_date]
    assert latest == [("Armed Clashes in Sudan (Overview)", "2024-07-31", 8, 10_710_015)]
    summed_over_operations = sum(max((r for r in history if r[0] == op), key=lambda r: r[1])[3] for op in operations)
    assert summed_over_operations > 10_710_015  # what a naive sum over operations would wrongly give


def test_admin1_and_admin2_sums_agree_with_admin0_where_the_source_is_complete(shared_warehouse):
    rows = query(
        _db(shared_warehouse),
        "select iso3, count(*), count(*) filter (where idps_admin1 != idps), "
        "count(*) filter (where idps_admin2 is not null and idps_admin2 != idps) "
        "from intermediate.int_iom__dtm_snapshots where idps_admin1 is not null group by all order by 1",
    )
    assert [r[0] for r in rows] == ["AFG", "HTI", "IRQ", "SDN", "TCD"]
    assert all(r[1] > 0 and r[2] == 0 and r[3] == 0 for r in rows), rows


def test_ba_and_sa_of_one_round_stay_apart(shared_warehouse):
    """v2 Chad 2019-09-30 round 9 reports 169,003 as BA and again as SA: one measurement, twice."""
    rows = query(
        _db(shared_warehouse),
        "select assessment_type, idps from intermediate.int_iom__dtm_snapshots "
        "where iso3 = 'TCD' and reporting_date = '2019-09-30' order by 1",
    )
    assert [r[0] for r in rows] == ["BA", "SA"]


def test_route_year_equals_independent_sums_over_the_all_data_export(shared_warehouse, shared_data):
    export = pl.read_excel(shared_data / "iom" / EXPORT, engine="calamine", infer_schema_length=0)
    year = (
        pl.col("Incident Year")
        .cast(pl.Int32, strict=False)
        .fill_null(pl.col("Main ID").str.replace_all("\ufeff", "").str.slice(0, 4).cast(pl.Int32))
    )
    sums = (
        export.with_columns(
            year.alias("year"),
            pl.col("Number of Dead").cast(pl.Float64).fill_null(0).cast(pl.Int64).alias("dead"),
            pl.col("Minimum Estimated Number of Missing").cast(pl.Float64).fill_null(0).cast(pl.Int64).alias("missing"),
        )
        .group_by(pl.col("Migration Route").alias("route"), "year")
        .agg(pl.col("dead").sum(), pl.col("missing").sum(), pl.len().alias("incidents"))
    )
    expected = {
        (r["route"], r["year"]): (r["incidents"], r["dead"], r["missing"], r["dead"] + r["missing"])
        for r in sums.filter(pl.col("year") <= 2024).iter_rows(named=True)
    }
    actual = {
        (r[0], r[1]): tuple(r[2:6])
        for r in query(
            _db(shared_warehouse),
            "select route, year, incidents, dead, missing, dead_missing, source_format from marts.route_year "
            "where year <= 2024",
        )
    }
    assert actual == expected
    central_2023 = actual[("Central Mediterranean", 2023)]
    assert central_2023[3] == expected[("Central Mediterranean", 2023)][3] > 2000


def test_years_after_the_export_come_from_the_newer_downloads(shared_warehouse, shared_data):
    mmp = shared_data / "iom" / "missing_migrants"
    json_2025 = json.loads((mmp / "api_json" / "2025-json.json").read_text())
    total_2025 = sum(int(r["total_dead_and_missing"].replace(",", "")) for r in json_2025)
    with next(mmp.glob("download_2026-*/*.csv")).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total_2026 = sum(int(r["Number Dead"] or 0) + int(r["Minimum Estimated Number of Missing"] or 0) for r in rows)
    by_year = dict(
        (year, (total, formats))
        for year, total, formats in query(
            _db(shared_warehouse),
            "select year, sum(dead_missing), string_agg(distinct source_format) from marts.route_year "
            "where year >= 2025 group by year",
        )
    )
    assert by_year == {2025: (total_2025, "mmp_json_year"), 2026: (total_2026, "mmp_csv_export")}


def test_migrants_dead_missing_by_country_matches_the_export(shared_warehouse, shared_data):
    export = pl.read_excel(shared_data / "iom" / EXPORT, engine="calamine", infer_schema_length=0)
    libya = export.filter(pl.col("Country of Incident") == "Libya", pl.col("Incident Year") == "2023")
    total = int(libya["Total Number of Dead and Missing"].cast(pl.Float64).sum())
    rows = query(
        _db(shared_warehouse),
        "select migrants_dead_missing from marts.country_year where iso3 = 'LBY' and year = 2023",
    )
    assert rows == [(total,)]
