"""Write the illustrative UNHCR files of the demo mirror (``demo_mirror/unhcr/``).

The values are invented, deterministic and of a plausible order of magnitude; the file formats
(columns, codes, NA as an empty cell, gzip) are exactly those of UNHCR's bulk files, one file per dataset
(demographics split over two files, as in the real mirror). The quirks the pipeline must handle are
present on purpose: the literal code ``NA``, case-counted asylum rows beside person rows, NA vs 0 in
solutions and flows, flows' own pseudo-codes ``UKN``/``STA``, IDMC's ``AB9`` and ``UNK`` rows, and a
countries list that says ``XXX`` for unknown. The code list's other countries come from pycountry with the
ISO code standing in for UNHCR's (illustrative). Run: ``python -m demo_mirror.generators.unhcr``.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "unhcr"
YEARS = range(2018, 2025)

# (ISO3, UNHCR code, UNHCR name, UNHCR bureau, UN M49 region, UN M49 sub-region)
COUNTRIES = [
    ("AFG", "AFG", "Afghanistan", "Asia and the Pacific", "Asia", "Southern Asia"),
    ("BGD", "BGD", "Bangladesh", "Asia and the Pacific", "Asia", "Southern Asia"),
    ("COL", "COL", "Colombia", "The Americas", "Americas", "Latin America and the Caribbean"),
    ("DEU", "GFR", "Germany", "Europe", "Europe", "Western Europe"),
    ("ETH", "ETH", "Ethiopia", "East and Horn of Africa, and Great Lakes", "Africa", "Sub-Saharan Africa"),
    ("IRN", "IRN", "Iran (Islamic Rep. of)", "Asia and the Pacific", "Asia", "Southern Asia"),
    ("IRQ", "IRQ", "Iraq", "Middle East and North Africa", "Asia", "Western Asia"),
    ("JOR", "JOR", "Jordan", "Middle East and North Africa", "Asia", "Western Asia"),
    ("KEN", "KEN", "Kenya", "East and Horn of Africa, and Great Lakes", "Africa", "Sub-Saharan Africa"),
    ("LBN", "LEB", "Lebanon", "Middle East and North Africa", "Asia", "Western Asia"),
    ("LBY", "LBY", "Libya", "Middle East and North Africa", "Africa", "Northern Africa"),
    ("MMR", "MYA", "Myanmar", "Asia and the Pacific", "Asia", "South-eastern Asia"),
    ("NLD", "NET", "Netherlands (Kingdom of the)", "Europe", "Europe", "Western Europe"),
    ("PAK", "PAK", "Pakistan", "Asia and the Pacific", "Asia", "Southern Asia"),
    ("SDN", "SUD", "Sudan", "East and Horn of Africa, and Great Lakes", "Africa", "Northern Africa"),
    ("SSD", "SSD", "South Sudan", "East and Horn of Africa, and Great Lakes", "Africa", "Sub-Saharan Africa"),
    ("SYR", "SYR", "Syrian Arab Rep.", "Middle East and North Africa", "Asia", "Western Asia"),
    ("TCD", "CHD", "Chad", "West and Central Africa", "Africa", "Sub-Saharan Africa"),
    ("TUR", "TUR", "Türkiye", "Europe", "Asia", "Western Asia"),
    ("UGA", "UGA", "Uganda", "East and Horn of Africa, and Great Lakes", "Africa", "Sub-Saharan Africa"),
    ("UKR", "UKR", "Ukraine", "Europe", "Europe", "Eastern Europe"),
    (
        "VEN",
        "VEN",
        "Venezuela (Bolivarian Republic of)",
        "The Americas",
        "Americas",
        "Latin America and the Caribbean",
    ),
    ("USA", "USA", "United States of America", "The Americas", "Americas", "Northern America"),
    ("PSE", "GAZ", "State of Palestine", "Middle East and North Africa", "Asia", "Western Asia"),
    ("XXA", "STA", "Stateless", None, None, None),
    ("UNK", "UKN", "Unknown", None, None, None),
    ("TIB", "TIB", "Tibetan", "Asia and the Pacific", None, None),
]
BY_ISO = {c[0]: c for c in COUNTRIES}

# Corridors (origin -> asylum) with an illustrative refugee stock in 2018.
CORRIDORS = {
    ("SYR", "TUR"): 3_600_000,
    ("SYR", "LBN"): 950_000,
    ("SYR", "JOR"): 670_000,
    ("SYR", "DEU"): 530_000,
    ("SYR", "IRQ"): 250_000,
    ("SYR", "NLD"): 90_000,
    ("AFG", "IRN"): 950_000,
    ("AFG", "PAK"): 1_400_000,
    ("AFG", "DEU"): 190_000,
    ("AFG", "TUR"): 130_000,
    ("AFG", "NLD"): 25_000,
    ("SSD", "UGA"): 790_000,
    ("SSD", "SDN"): 850_000,
    ("SSD", "ETH"): 420_000,
    ("SSD", "KEN"): 115_000,
    ("SDN", "TCD"): 340_000,
    ("SDN", "SSD"): 280_000,
    ("SDN", "ETH"): 45_000,
    ("MMR", "BGD"): 900_000,
    ("VEN", "COL"): 20_000,
    ("UKR", "DEU"): 5_000,
    ("UKR", "NLD"): 2_000,
    ("IRQ", "DEU"): 135_000,
    ("IRQ", "JOR"): 67_000,
    ("IRQ", "TUR"): 140_000,
    ("LBY", "TUR"): 10_000,
    ("UNK", "JOR"): 5_000,
    ("XXA", "SYR"): 0,
    ("ETH", "KEN"): 28_000,
    ("SYR", "SYR"): 0,
    ("AFG", "AFG"): 0,
    ("SDN", "SDN"): 0,
    ("UKR", "UKR"): 0,
}
IDPS_2018 = {"SYR": 6_100_000, "AFG": 2_100_000, "SDN": 1_900_000, "UKR": 800_000}


def _round_small(value: int) -> int:
    """UNHCR rounds cells below 5; the demo does the same so its files look like the real ones."""
    return 0 if value < 3 else 5 if value < 5 else value


def population_rows(rng: random.Random) -> list[dict]:
    rows = []
    for year in YEARS:
        growth = 1 + 0.06 * (year - 2018)
        for (origin, asylum), base in sorted(CORRIDORS.items()):
            o, a = BY_ISO[origin], BY_ISO[asylum]
            same = origin == asylum
            refugees = 0 if same else _round_small(int(base * growth * rng.uniform(0.9, 1.1)))
            if origin == "UKR" and year >= 2022 and not same:
                refugees *= 150
            oip = ""
            if origin == "VEN" and not same:
                oip = str(int(1_200_000 * growth * rng.uniform(0.95, 1.05)))
            rows.append(
                {
                    "year": year,
                    "coo_name": o[2],
                    "coo": o[1],
                    "coo_iso": o[0],
                    "coa_name": a[2],
                    "coa": a[1],
                    "coa_iso": a[0],
                    "refugees": refugees,
                    "asylum_seekers": 0 if same else _round_small(int(refugees * rng.uniform(0.0, 0.12))),
                    "returned_refugees": 0 if same else _round_small(int(refugees * rng.uniform(0, 0.01))),
                    "idps": int(IDPS_2018.get(origin, 0) * rng.uniform(0.9, 1.2)) if same else 0,
                    "returned_idps": int(IDPS_2018.get(origin, 0) * rng.uniform(0, 0.05)) if same else 0,
                    "stateless": 160_000 if origin == "XXA" else 0,
                    "ooc": 0,
                    "oip": oip,
                    "hst": 0,
                }
            )
    return rows


def _identity(year: int, origin: str, asylum: str) -> dict:
    o, a = BY_ISO[origin], BY_ISO[asylum]
    return {
        "year": year,
        "coo_name": o[2],
        "coo": o[1],
        "coo_iso": o[0],
        "coa_name": a[2],
        "coa": a[1],
        "coa_iso": a[0],
    }


ASYLUM_COUNTRIES = ("DEU", "NLD", "TUR", "USA")
ASYLUM_ORIGINS = ("AFG", "SYR", "IRQ", "VEN", "UKR", "XXA")


def application_rows(rng: random.Random) -> list[dict]:
    """New (N), repeat (R) and appeal (A) claims in persons; 'NA' codes; USA USCIS rows in cases (C)."""
    rows = []
    for year in YEARS:
        for asylum in ASYLUM_COUNTRIES:
            for origin in ASYLUM_ORIGINS:
                stages = [("N", "FI", "P"), ("A", "AR", "P"), ("NA", "NA", "P")]
                if asylum == "USA":
                    stages = [("N", "EO", "P"), ("N", "IN", "C")]
                for app_type, dec_level, unit in stages:
                    applied = _round_small(int(rng.lognormvariate(7.5, 1.2)))
                    rows.append(
                        {
                            **_identity(year, origin, asylum),
                            "procedure_type": "G",
                            "app_type": app_type,
                            "dec_level": dec_level,
                            "app_pc": unit,
                            "applied": applied,
                        }
                    )
    return rows


def decision_rows(rng: random.Random) -> list[dict]:
    """Decisions by outcome; USA rows also in cases (C), with rates very unlike the person rows."""
    rows = []
    for year in YEARS:
        for asylum in ASYLUM_COUNTRIES:
            for origin in ASYLUM_ORIGINS:
                levels = [("FI", "P"), ("AR", "P")] + ([("IN", "C")] if asylum == "USA" else [])
                for dec_level, unit in levels:
                    outcomes = [int(rng.lognormvariate(6.5, 1.3)) for _ in range(4)]
                    if unit == "C":
                        outcomes[0] *= 20
                    outcomes = [0 if v < 10 else v - v % 5 if v < 100 else v for v in outcomes]
                    total = sum(outcomes) + (5 if rng.random() < 0.1 else 0)  # rounding: total may differ
                    rows.append(
                        {
                            **_identity(year, origin, asylum),
                            "procedure_type": "G",
                            "dec_level": dec_level,
                            "dec_pc": unit,
                            "dec_recognized": outcomes[0],
                            "dec_other": outcomes[1],
                            "dec_rejected": outcomes[2],
                            "dec_closed": outcomes[3],
                            "dec_total": total,
                        }
                    )
    return rows


def solution_rows(rng: random.Random) -> list[dict]:
    """Returns (against the country returned from), resettlement, naturalisation; NA = not applicable."""
    rows = []
    for year in YEARS:
        for (origin, asylum), base in sorted(CORRIDORS.items()):
            if origin == asylum:
                rows.append({**_identity(year, origin, asylum), "returned_idps": int(base + rng.uniform(1e4, 9e4))})
                continue
            resettles = asylum in ("DEU", "NLD")
            rows.append(
                {
                    **_identity(year, origin, asylum),
                    "returned_refugees": _round_small(int(base * rng.uniform(0, 0.01))) if base else None,
                    "resettlement": _round_small(int(rng.uniform(0, 3000))) if resettles else None,
                    "naturalisation": _round_small(int(rng.uniform(0, 500))) if resettles else None,
                }
            )
    return rows


def demographic_rows(rng: random.Random) -> list[dict]:
    """Refugee and asylum-seeker stocks by sex and age, some rows with a total only (not disaggregated)."""
    rows = []
    locations = [("Dispersed in the country / territory", "V", "U"), ("Capital [Admin 1]", "U", "I")]
    for year in YEARS:
        for (origin, asylum), base in sorted(CORRIDORS.items()):
            if origin == asylum or base == 0:
                continue
            for pop_type in ("REF", "ASY"):
                for location, loc_type, acc_type in locations:
                    total = _round_small(int(base * rng.uniform(0.05, 0.5) / (1 if pop_type == "REF" else 10)))
                    row = {
                        **_identity(year, origin, asylum),
                        "pop_type": pop_type,
                        "location": location,
                        "loc_type": loc_type,
                        "acc_type": acc_type,
                    }
                    bands = dict.fromkeys(DEMOGRAPHIC_BANDS, 0)
                    if rng.random() < 0.8:
                        shares = [rng.uniform(0.5, 2) for _ in range(12)]
                        values = [int(total * share / sum(shares)) for share in shares]
                        for sex, part in (("f", values[:6]), ("m", values[6:])):
                            for band, value in zip(AGE_BANDS, part, strict=True):
                                bands[f"{sex}_{band}"] = value
                            bands[f"{sex}_total"] = sum(part)
                        total = bands["f_total"] + bands["m_total"]
                    rows.append({**row, **bands, "total": total})
    return rows


def idmc_rows(rng: random.Random) -> list[dict]:
    """IDMC conflict IDPs per country; a small Unknown residual and an Abyei (AB9) row, as in the source."""
    rows = []
    for year in YEARS:
        for iso in ("AFG", "SDN", "SYR", "UKR", "COL"):
            rows.append(
                {
                    **_identity(year, iso, iso),
                    "total": int(IDPS_2018.get(iso, 4_000_000) * rng.uniform(1.0, 1.4)),
                }
            )
        rows.append(
            {
                "year": year,
                "coo_name": "Abyei Area",
                "coo": "AB9",
                "coo_iso": "AB9",
                "coa_name": "Abyei Area",
                "coa": "AB9",
                "coa_iso": "AB9",
                "total": int(rng.uniform(2e4, 9e4)),
            }
        )
        if year == 2021:
            rows.append({**_identity(year, "UNK", "UNK"), "total": 5})
    return rows


def unrwa_rows(rng: random.Random) -> list[dict]:
    return [
        {**_identity(year, "PSE", host), "total": int(base * rng.uniform(0.98, 1.04))}
        for year in YEARS
        for host, base in (("PSE", 2_400_000), ("JOR", 2_300_000), ("LBN", 480_000), ("SYR", 570_000))
    ]


def flow_rows(rng: random.Random) -> list[dict]:
    """New arrivals; the flows spreadsheet has its own names, pseudo-codes (UKN, STA) and NAs."""
    rows = []
    for year in YEARS:
        for (origin, asylum), base in sorted(CORRIDORS.items()):
            if origin == asylum:
                continue
            row = _identity(year, origin, asylum)
            for side in ("coo", "coa"):
                if row[f"{side}_iso"] == "UNK":
                    row |= {f"{side}_iso": "UKN", f"{side}_name": "Unknown/other"}
                elif row[f"{side}_iso"] == "XXA":
                    row |= {f"{side}_iso": "STA"}
            rows.append(
                {
                    **row,
                    "refugees": int(base * rng.uniform(0.01, 0.08)) if base > 100_000 else None,
                    "asylum_seekers": _round_small(int(base * rng.uniform(0.0, 0.05))),
                    "refugee_like": None,
                    "oip": int(rng.uniform(1e4, 9e4)) if origin == "VEN" else None,
                }
            )
    return rows


def country_rows() -> list[dict]:
    """The demo list, then every other ISO country, its ISO code standing in for UNHCR's (illustrative)."""
    listed = {iso for iso, *_ in COUNTRIES}
    rows = [
        {
            "iso_code": "XXX" if iso == "UNK" else None if iso == "TIB" else iso,
            "unhcr_code": code,
            "name": name,
            "unhcr_region": bureau,
            "unsd_region": region,
            "unsd_subregion": sub,
            "unsd_imregion": "",
        }
        for iso, code, name, bureau, region, sub in COUNTRIES
    ]
    rows += [
        {
            "iso_code": c.alpha_3,
            "unhcr_code": c.alpha_3,
            "name": UNHCR_LABELS.get(c.alpha_3, getattr(c, "common_name", c.name)),
            "unhcr_region": None,
            "unsd_region": None,
            "unsd_subregion": None,
            "unsd_imregion": None,
        }
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_3)
        if c.alpha_3 not in listed
    ]
    return rows


# Where UNHCR's code list names a code otherwise than ISO does (it reports Kosovo inside Serbia).
UNHCR_LABELS = {"SRB": "Serbia and Kosovo: S/RES/1244 (1999)"}


def write_csv_gz(path: Path, rows: list[dict], columns: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in columns})
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes (and so the sha256) identical from run to run.
    path.write_bytes(gzip.compress(buffer.getvalue().encode(), mtime=0))


IDENTITY = ["year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso"]
AGE_BANDS = ("0_4", "5_11", "12_17", "18_59", "60", "other")
DEMOGRAPHIC_BANDS = [f"{sex}_{band}" for sex in ("f", "m") for band in (*AGE_BANDS, "total")]


def main() -> None:
    rng = random.Random(20250620)
    columns = [
        "year",
        "coo_name",
        "coo",
        "coo_iso",
        "coa_name",
        "coa",
        "coa_iso",
        "refugees",
        "asylum_seekers",
        "returned_refugees",
        "idps",
        "returned_idps",
        "stateless",
        "ooc",
        "oip",
        "hst",
    ]
    write_csv_gz(OUT / "population.csv.gz", population_rows(rng), columns)
    write_csv_gz(
        OUT / "countries.csv.gz",
        country_rows(),
        ["iso_code", "unhcr_code", "name", "unhcr_region", "unsd_region", "unsd_subregion", "unsd_imregion"],
    )
    write_csv_gz(
        OUT / "asylum_applications.csv.gz",
        application_rows(random.Random(1)),
        [*IDENTITY, "procedure_type", "app_type", "dec_level", "app_pc", "applied"],
    )
    write_csv_gz(
        OUT / "asylum_decisions.csv.gz",
        decision_rows(random.Random(2)),
        [
            *IDENTITY,
            "procedure_type",
            "dec_level",
            "dec_pc",
            "dec_recognized",
            "dec_other",
            "dec_rejected",
            "dec_closed",
            "dec_total",
        ],
    )
    write_csv_gz(
        OUT / "solutions.csv.gz",
        solution_rows(random.Random(3)),
        [*IDENTITY, "returned_refugees", "resettlement", "naturalisation", "returned_idps"],
    )
    demographics = demographic_rows(random.Random(4))
    demographic_columns = [
        *IDENTITY,
        "pop_type",
        "location",
        "loc_type",
        "acc_type",
        *DEMOGRAPHIC_BANDS,
        "total",
    ]
    last_year = max(YEARS)
    write_csv_gz(
        OUT / "demographics_2001_2024.csv.gz",
        [r for r in demographics if r["year"] < last_year],
        demographic_columns,
    )
    write_csv_gz(OUT / "demographics.csv.gz", [r for r in demographics if r["year"] == last_year], demographic_columns)
    write_csv_gz(OUT / "idmc.csv.gz", idmc_rows(random.Random(5)), [*IDENTITY, "total"])
    write_csv_gz(OUT / "unrwa.csv.gz", unrwa_rows(random.Random(6)), [*IDENTITY, "total"])
    write_csv_gz(
        OUT / "flows.csv.gz",
        flow_rows(random.Random(7)),
        [*IDENTITY, "refugees", "asylum_seekers", "refugee_like", "oip"],
    )


if __name__ == "__main__":
    main()
