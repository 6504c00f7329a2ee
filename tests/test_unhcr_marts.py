"""UNHCR marts against the raw files: loads, world totals, seed figures, rates from persons only.

Expected figures are computed here from the raw gzip CSV files with the standard library, independently
of the parser and of the dbt models.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import DEMO_MIRROR, query
from unhcr_helpers import raw_rows

from ingest import unhcr

SEED_002 = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "002_03f947c30766b98f.txt"


def published(warehouse: Path) -> Path:
    return warehouse / "migration.duckdb"


def column_sum(rows: list[dict], column: str, **where: str) -> int:
    """Sum of a count column over rows matching ``where``; an empty cell (NA) adds nothing."""
    return sum(int(r[column]) for r in rows if r[column] != "" and all(r[k] == v for k, v in where.items()))


def rates_from_raw(rows: list[dict], asylum_iso3: str, year: str, units: set[str]) -> tuple[float, float] | None:
    picked = [r for r in rows if r["coa_iso"] == asylum_iso3 and r["year"] == year and r["dec_pc"] in units]
    recognized, other, rejected = (
        sum(int(r[c]) for r in picked) for c in ("dec_recognized", "dec_other", "dec_rejected")
    )
    substantive = recognized + other + rejected
    if not substantive:
        return None
    return recognized / substantive, (recognized + other) / substantive


# --- real snapshot (Must show 1-3) --------------------------------------------------------------------


@pytest.mark.shared
def test_meta_loads_rows_equal_the_rows_of_every_unhcr_source_file(shared_warehouse, shared_data):
    loaded = dict(
        query(
            published(shared_warehouse),
            "select dataset, rows from meta.loads where source = 'unhcr' and status = 'published'",
        )
    )
    for spec in unhcr.ENDPOINTS:
        expected = sum(len(raw_rows(shared_data / "unhcr" / f)) for f in spec.mirror_files)
        assert loaded[spec.name] == expected, spec.name
    assert set(loaded) == {spec.name for spec in unhcr.ENDPOINTS}


@pytest.mark.shared
def test_world_year_2023_equals_the_source_files_to_the_person(shared_warehouse, shared_data):
    population = [r for r in raw_rows(shared_data / "unhcr" / "population.csv.gz") if r["year"] == "2023"]
    idmc = column_sum(raw_rows(shared_data / "unhcr" / "idmc.csv.gz"), "total", year="2023")
    unrwa = column_sum(raw_rows(shared_data / "unhcr" / "unrwa.csv.gz"), "total", year="2023")
    expected = {c: column_sum(population, c) for c in ("refugees", "asylum_seekers", "oip", "stateless")}
    expected |= {
        "idps": idmc,
        "unrwa_refugees": unrwa,
        "idps_unhcr_assisted": column_sum(population, "idps"),
        "forcibly_displaced": expected["refugees"] + expected["asylum_seekers"] + expected["oip"] + unrwa + idmc,
    }
    columns = list(expected)
    row = query(published(shared_warehouse), f"select {', '.join(columns)} from marts.world_year where year = 2023")
    assert dict(zip(columns, row[0], strict=True)) == expected


@pytest.mark.shared
def test_seed_002_figures_are_reproduced(shared_warehouse):
    """Seed 002 (BZ migratierapportage): "Eind 2023 waren wereldwijd circa 117 miljoen mensen ontheemd [...]
    In diezelfde periode waren er 6,9 miljoen asielzoekers en 5,8 miljoen anderen die bescherming behoeven."
    and "Afghanistan (6,4 miljoen), Syrié (6,4 miljoen), Venezuela (6,1 miljoen), Oekraine (6 miljoen),
    Soedan (1,5 miljoen)"."""
    if SEED_002.exists():
        text = " ".join(SEED_002.read_text(encoding="utf-8").split())
        assert "6,9 miljoen asielzoekers en 5,8 miljoen anderen" in text
        assert "Afghanistan (6,4 miljoen), Syrié (6,4 miljoen), Venezuela (6,1 miljoen)" in text
    world = query(
        published(shared_warehouse),
        "select asylum_seekers, oip, forcibly_displaced from marts.world_year where year = 2023",
    )[0]
    assert round(world[0] / 1e6, 1) == 6.9
    assert round(world[1] / 1e6, 1) == 5.8
    assert 117e6 <= world[2] < 118e6  # "circa 117 miljoen" (IDMC 2023 has since been revised down)
    origins = dict(
        query(
            published(shared_warehouse),
            """select iso3, refugees_originating + oip_originating from marts.country_year
               where year = 2023 and iso3 in ('AFG', 'SYR', 'VEN', 'UKR', 'SDN')""",
        )
    )
    assert {iso: round(value / 1e6, 1) for iso, value in origins.items()} == {
        "AFG": 6.4,
        "SYR": 6.4,
        "VEN": 6.1,
        "UKR": 6.0,
        "SDN": 1.5,
    }


@pytest.mark.shared
def test_recognition_rates_use_persons_only(shared_warehouse, shared_data):
    """Where a country reports both persons and cases in one year, the mart's rates equal the persons-only
    rates computed from the raw file, and differ from what adding the case rows would give."""
    decisions = raw_rows(shared_data / "unhcr" / "asylum_decisions.csv.gz")
    by_country_year = defaultdict(list)
    for r in decisions:
        by_country_year[(r["coa_iso"], r["year"])].append(r)
    mixed = sorted(key for key, rows in by_country_year.items() if {r["dec_pc"] for r in rows} == {"P", "C"})
    mart = {
        (iso3, str(year)): (recognition, protection)
        for iso3, year, recognition, protection in query(
            published(shared_warehouse),
            "select iso3, year, refugee_recognition_rate, total_protection_rate from marts.country_year",
        )
    }
    checked = 0
    for iso3, year in mixed:
        rows = by_country_year[(iso3, year)]
        persons = rates_from_raw(rows, iso3, year, {"P"})
        mixed_units = rates_from_raw(rows, iso3, year, {"P", "C"})
        if persons is None or mixed_units is None or abs(persons[0] - mixed_units[0]) < 1e-6:
            continue
        assert mart[(iso3, year)] == pytest.approx(persons, abs=1e-12), (iso3, year)
        checked += 1
    assert checked >= 5


@pytest.mark.shared
def _marts_yaml_text() -> str:
    """Every model and column description of the marts' YAMLs (one per model), whitespace folded as YAML reads it."""
    marts = Path(__file__).resolve().parent.parent / "dbt_project/models/marts"
    models = [m for path in sorted(marts.glob("*.yml")) for m in yaml.safe_load(path.read_text())["models"]]
    texts = [m.get("description", "") for m in models]
    texts += [c.get("description", "") for m in models for c in m.get("columns", [])]
    return " ".join(" ".join(texts).split())


def test_the_rate_definitions_are_documented_in_the_model_yaml():
    yaml_text = _marts_yaml_text()
    assert "decisions_recognized / (decisions_recognized + decisions_complementary + decisions_rejected)" in yaml_text
    assert "PERSONS only (dec_pc = 'P'; rows counted in cases never enter)" in yaml_text


@pytest.mark.shared
def test_pseudo_countries_are_kept_and_labelled(shared_warehouse):
    rows = query(
        published(shared_warehouse),
        """select iso3, unhcr_code, country_kind from marts.dim_country
           where iso3 in ('UNK', 'XXA', 'TIB', 'AB9', 'PSE') order by iso3""",
    )
    assert rows == [
        ("AB9", None, "territory or group without ISO code"),
        ("PSE", "GAZ", "country"),
        ("TIB", "TIB", "territory or group without ISO code"),
        ("UNK", "UKN", "unknown"),
        ("XXA", "STA", "stateless"),
    ]
    present = dict(
        query(
            published(shared_warehouse),
            """select iso3, sum(coalesce(refugees_originating, 0) + coalesce(idmc_conflict_idps, 0))::bigint
               from marts.country_year where iso3 in ('UNK', 'XXA', 'TIB', 'AB9') group by iso3""",
        )
    )
    assert set(present) == {"UNK", "XXA", "TIB", "AB9"} and all(v > 0 for v in present.values())


@pytest.mark.shared
def test_flows_pseudo_codes_are_aligned_in_intermediate_with_originals_kept(shared_warehouse):
    rows = query(
        published(shared_warehouse),
        """select origin_iso3_source, origin_iso3, count(*) from intermediate.int_unhcr__flows
           where origin_iso3_source in ('UKN', 'STA') group by all order by 1""",
    )
    assert [(a, b) for a, b, _ in rows] == [("STA", "XXA"), ("UKN", "UNK")]
    staged = query(
        published(shared_warehouse),
        "select distinct origin_iso3_source from staging.stg_unhcr__flows where origin_iso3_source in ('UKN', 'STA')",
    )
    assert sorted(staged) == [("STA",), ("UKN",)]  # staging keeps the published codes


@pytest.mark.shared
def test_displacement_pairs_add_up_to_world_year(shared_warehouse):
    pairs, world = query(
        published(shared_warehouse),
        """select (select sum(refugees + asylum_seekers + coalesce(oip, 0))::bigint
                   from marts.displacement_pairs where year = 2024),
                  (select refugees + asylum_seekers + oip from marts.world_year where year = 2024)""",
    )[0]
    assert pairs == world


# --- demo warehouse (core suite, no ../shared needed) --------------------------------------------------


def test_demo_world_year_equals_the_demo_files(demo_warehouse):
    population = raw_rows(DEMO_MIRROR / "unhcr" / "population.csv.gz")
    applications = raw_rows(DEMO_MIRROR / "unhcr" / "asylum_applications.csv.gz")
    for year in ("2018", "2024"):
        got = query(
            published(demo_warehouse),
            "select refugees, oip, asylum_applications_new from marts.world_year where year = ?",
            [int(year)],
        )[0]
        assert got == (
            column_sum(population, "refugees", year=year),
            column_sum(population, "oip", year=year),
            column_sum(applications, "applied", year=year, app_type="N", app_pc="P"),
        )


def test_demo_case_rows_stay_out_of_applications_and_rates(demo_warehouse):
    decisions = raw_rows(DEMO_MIRROR / "unhcr" / "asylum_decisions.csv.gz")
    applications = raw_rows(DEMO_MIRROR / "unhcr" / "asylum_applications.csv.gz")
    persons = rates_from_raw(decisions, "USA", "2020", {"P"})
    assert persons != pytest.approx(rates_from_raw(decisions, "USA", "2020", {"P", "C"}))
    got = query(
        published(demo_warehouse),
        """select refugee_recognition_rate, total_protection_rate, asylum_applications_new
           from marts.country_year where iso3 = 'USA' and year = 2020""",
    )[0]
    assert got[:2] == pytest.approx(persons, abs=1e-12)
    assert got[2] == column_sum(applications, "applied", year="2020", coa_iso="USA", app_type="N", app_pc="P")


def test_demo_demographics_long_form_keeps_disaggregated_rows_only(demo_warehouse):
    rows = raw_rows(DEMO_MIRROR / "unhcr" / "demographics_2001_2024.csv.gz") + raw_rows(
        DEMO_MIRROR / "unhcr" / "demographics.csv.gz"
    )
    broken_down = [r for r in rows if int(r["f_total"]) + int(r["m_total"]) > 0]
    assert 0 < len(broken_down) < len(rows)
    expected_females = sum(int(r["f_total"]) for r in broken_down)
    count, females = query(
        published(demo_warehouse),
        """select count(*), sum(persons) filter (where sex = 'female')::bigint
           from marts.fct_demographics_sex_age""",
    )[0]
    assert count == 12 * len(broken_down)
    assert females == expected_females


@pytest.mark.shared
def test_unhcr_codes_and_iso_codes_are_never_mixed(shared_warehouse, shared_data):
    """UNHCR's AUS is Austria (ISO AUT) and its ARE is Egypt (ISO EGY): a join on the wrong system would put
    Austria's refugees under Australia and Egypt's under the United Arab Emirates."""
    rows = [r for r in raw_rows(shared_data / "unhcr" / "population.csv.gz") if r["year"] == "2023"]
    hosted = dict(
        query(
            published(shared_warehouse),
            """select iso3, refugees_hosted from marts.country_year
               where year = 2023 and iso3 in ('AUT', 'AUS', 'EGY', 'ARE')""",
        )
    )
    assert hosted == {
        "AUT": column_sum(rows, "refugees", coa="AUS"),
        "AUS": column_sum(rows, "refugees", coa="AUL"),
        "EGY": column_sum(rows, "refugees", coa="ARE"),
        "ARE": column_sum(rows, "refugees", coa_iso="ARE"),
    }
    assert hosted["AUT"] != hosted["AUS"] and hosted["EGY"] != hosted["ARE"]


@pytest.mark.shared
def test_small_cell_rounding_is_carried_as_published_and_documented(shared_warehouse, shared_data):
    """UNHCR rounds small cells (1-4 never appear in population; decisions below 10 go to multiples of 5),
    so dec_total can differ from the sum of the outcomes. The mart keeps dec_total as published."""
    population = raw_rows(shared_data / "unhcr" / "population.csv.gz")
    counts = ("refugees", "asylum_seekers", "returned_refugees", "idps", "stateless", "ooc", "hst")
    assert not any(r[c] in {"1", "2", "3", "4"} for r in population for c in counts)
    decisions = [r for r in raw_rows(shared_data / "unhcr" / "asylum_decisions.csv.gz") if r["dec_pc"] == "P"]
    parts = ("dec_recognized", "dec_other", "dec_rejected", "dec_closed")
    uneven = next(r for r in decisions if int(r["dec_total"]) != sum(int(r[c]) for c in parts))
    iso3, year = uneven["coa_iso"], uneven["year"]
    same = [r for r in decisions if r["coa_iso"] == iso3 and r["year"] == year]
    got = query(
        published(shared_warehouse),
        """select decisions_total, decisions_recognized + decisions_complementary + decisions_rejected
                  + decisions_otherwise_closed from marts.country_year where iso3 = ? and year = ?""",
        [iso3, int(year)],
    )[0]
    assert got[0] == sum(int(r["dec_total"]) for r in same)
    assert got[1] == sum(int(r[c]) for r in same for c in parts)
    yaml_text = _marts_yaml_text()
    assert "rounds values below 10 to multiples of 5" in yaml_text and "Small cells are rounded" in yaml_text


@pytest.mark.shared
def test_forcibly_displaced_originating_adds_stocks_only(shared_warehouse, shared_data):
    """UNHCR's headline by origin: refugees + asylum seekers + OIP + UNRWA + IDMC. Flows in the same rows
    (returned_refugees, returned_idps) and the solutions table never enter it."""
    population = [r for r in raw_rows(shared_data / "unhcr" / "population.csv.gz") if r["year"] == "2023"]
    idmc = raw_rows(shared_data / "unhcr" / "idmc.csv.gz")
    unrwa = raw_rows(shared_data / "unhcr" / "unrwa.csv.gz")
    for iso3 in ("AFG", "PSE", "SDN"):
        expected = sum(column_sum(population, c, coo_iso=iso3) for c in ("refugees", "asylum_seekers", "oip"))
        expected += column_sum(idmc, "total", year="2023", coo_iso=iso3)
        expected += column_sum(unrwa, "total", year="2023", coo_iso=iso3)
        got = query(
            published(shared_warehouse),
            "select forcibly_displaced_originating from marts.country_year where iso3 = ? and year = 2023",
            [iso3],
        )[0][0]
        assert got == expected, iso3
    assert column_sum(population, "returned_refugees", coo_iso="AFG") > 0  # a flow that must stay out
