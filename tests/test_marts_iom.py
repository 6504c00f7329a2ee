"""The IOM marts region_year, route_country_year, dtm_rounds and dtm_admin1 against sums computed here straight
from the source files (the real snapshots in ../shared/data, and the demo mirror), independently of the
ingest code and the dbt models."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest
from conftest import DEMO_MIRROR, query

EXPORT = "missing_migrants/download_2025-05-05/Missing_Migrants_Global_Figures_allData.xlsx"


def _db(warehouse: Path) -> Path:
    return warehouse / "migration.duckdb"


def _export_rows(iom: Path) -> pl.DataFrame:
    export = pl.read_excel(iom / EXPORT, engine="calamine", infer_schema_length=0)
    year = (
        pl.col("Incident Year")
        .cast(pl.Int32, strict=False)
        .fill_null(pl.col("Main ID").str.replace_all("\ufeff", "").str.slice(0, 4).cast(pl.Int32))
    )
    return export.with_columns(
        year.alias("year"),
        pl.col("Total Number of Dead and Missing").cast(pl.Float64).cast(pl.Int64).alias("total"),
    )


def _csv_export(iom: Path) -> list[dict[str, str]]:
    with next((iom / "missing_migrants").glob("download_2026-*/*.csv")).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _csv_totals_by_route(rows: list[dict[str, str]]) -> dict[str | None, int]:
    totals: dict[str | None, int] = defaultdict(int)
    for row in rows:
        route = row["Migration route"] or None
        totals[route] += int(row["Number Dead"] or 0) + int(row["Minimum Estimated Number of Missing"] or 0)
    return dict(totals)


def _dtm_sums(path: Path, key_fields: tuple[str, ...]) -> dict[tuple, int]:
    """numPresentIdpInd summed over the v3 split rows (reason, origin) of one snapshot and unit."""
    sums: dict[tuple, int] = defaultdict(int)
    for record in json.loads(path.read_text())["result"]:
        key = tuple(record[f][:10] if f == "reportingDate" else record[f] for f in key_fields)
        sums[key] += record["numPresentIdpInd"]
    return dict(sums)


def _mart_dtm_admin1(warehouse: Path, iso3: str) -> dict[tuple, int]:
    rows = query(
        _db(warehouse),
        "select operation, reporting_date::varchar, round_number, assessment_type, admin1_pcode, idps "
        "from marts.dtm_admin1 where iso3 = ?",
        [iso3],
    )
    return {tuple(r[:5]): r[5] for r in rows}


def _mart_route_totals(warehouse: Path, source_format: str) -> dict[str | None, int]:
    rows = query(
        _db(warehouse),
        "select route, sum(dead_missing)::bigint from marts.route_country_year where source_format = ? group by route",
        [source_format],
    )
    return dict(rows)


ADMIN1_KEY = ("operation", "reportingDate", "roundNumber", "assessmentType", "admin1Pcode")


# --- real snapshots ------------------------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.slow
def test_region_year_equals_sums_over_the_all_data_export(shared_warehouse, shared_data):
    sums = (
        _export_rows(shared_data / "iom")
        .filter(pl.col("year") <= 2024)
        .group_by(pl.col("Region of Incident").alias("region"), "year")
        .agg(pl.col("total").sum())
    )
    expected = {(r["region"], r["year"]): r["total"] for r in sums.iter_rows(named=True)}
    actual = {
        (r[0], r[1]): r[2]
        for r in query(
            _db(shared_warehouse), "select region, year, dead_missing from marts.region_year where year <= 2024"
        )
    }
    assert actual == expected
    assert actual[("Mediterranean", 2023)] > 3000


@pytest.mark.shared
@pytest.mark.slow
def test_central_mediterranean_by_country_equals_the_export(shared_warehouse, shared_data):
    export = _export_rows(shared_data / "iom").filter(
        pl.col("year") == 2023, pl.col("Migration Route") == "Central Mediterranean"
    )
    by_country = export.group_by("Country of Incident").agg(pl.col("total").sum())
    expected = sorted(by_country["total"].to_list())
    rows = query(
        _db(shared_warehouse),
        "select iso3, dead_missing from marts.route_country_year "
        "where route = 'Central Mediterranean' and year = 2023 order by dead_missing",
    )
    assert sorted(r[1] for r in rows) == expected
    assert dict(rows)["TUN"] == int(export.filter(pl.col("Country of Incident") == "Tunisia")["total"].sum())


@pytest.mark.shared
@pytest.mark.slow
def test_2026_countries_plus_unattributed_equal_the_route_totals_of_the_csv_export(shared_warehouse, shared_data):
    rows = _csv_export(shared_data / "iom")
    assert _mart_route_totals(shared_warehouse, "mmp_csv_export") == _csv_totals_by_route(rows)
    attributed, unattributed, yearly = query(
        _db(shared_warehouse),
        """select (select sum(migrants_dead_missing) from marts.country_year where year = 2026),
                  (select sum(dead_missing) from marts.route_country_year where year = 2026 and iso3 is null),
                  (select sum(dead_missing) from marts.route_year where year = 2026)""",
    )[0]
    assert attributed + unattributed == yearly == sum(_csv_totals_by_route(rows).values()) == 1900
    assert attributed > unattributed > 0


@pytest.mark.shared
@pytest.mark.slow
def test_country_year_plus_unattributed_equals_route_year_every_year(shared_warehouse):
    rows = query(
        _db(shared_warehouse),
        """select r.year, r.total, coalesce(c.total, 0) + coalesce(u.total, 0)
           from (select year, sum(dead_missing) as total from marts.route_year group by year) as r
           left join (select year, sum(migrants_dead_missing) as total from marts.country_year group by year) as c
               on r.year = c.year
           left join (select year, sum(dead_missing) as total from marts.route_country_year
                      where iso3 is null group by year) as u on r.year = u.year
           order by r.year""",
    )
    assert len(rows) >= 13 and all(total == parts for _, total, parts in rows)


@pytest.mark.shared
@pytest.mark.slow
def test_dtm_admin1_equals_the_v3_admin1_response(shared_warehouse, shared_data):
    path = shared_data / "iom" / "dtm" / "api_v3" / "displacement-admin1-admin0pcode-afg.json"
    assert _mart_dtm_admin1(shared_warehouse, "AFG") == _dtm_sums(path, ADMIN1_KEY)


@pytest.mark.shared
@pytest.mark.slow
def test_dtm_rounds_admin0_equals_the_v3_admin0_response_and_marks_the_current_snapshot(shared_warehouse, shared_data):
    path = shared_data / "iom" / "dtm" / "api_v3" / "displacement-admin0-admin0pcode-hti.json"
    expected = _dtm_sums(path, ("operation", "reportingDate", "roundNumber", "assessmentType"))
    rows = query(
        _db(shared_warehouse),
        "select operation, reporting_date::varchar, round_number, assessment_type, idps, is_current "
        "from marts.dtm_rounds where iso3 = 'HTI' and admin_level = 0",
    )
    assert {tuple(r[:4]): r[4] for r in rows} == expected
    current = [r for r in rows if r[5]]
    assert [(r[1], r[4]) for r in current] == [("2025-06-30", 1_287_593)]


# --- demo mirror (core suite) --------------------------------------------------------------------------


def test_demo_dtm_admin1_equals_the_demo_response(demo_warehouse):
    path = DEMO_MIRROR / "iom" / "dtm" / "api_v3" / "displacement-admin1-admin0pcode-hti.json"
    expected = _dtm_sums(path, ADMIN1_KEY)
    assert expected and _mart_dtm_admin1(demo_warehouse, "HTI") == expected


def test_demo_route_country_year_adds_up_to_the_demo_csv_export(demo_warehouse):
    expected = _csv_totals_by_route(_csv_export(DEMO_MIRROR / "iom"))
    assert expected and _mart_route_totals(demo_warehouse, "mmp_csv_export") == expected
