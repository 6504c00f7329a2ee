"""Write the illustrative UNHCR files of the demo mirror (``demo_mirror/unhcr/``).

The values are invented, deterministic and of a plausible order of magnitude; the file formats
(columns, codes, NA as an empty cell, gzip) are exactly those of UNHCR's bulk files. Run:
``python -m demo_mirror.generators.unhcr``.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
from pathlib import Path

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
    ("XXA", "STA", "Stateless", None, None, None),
    ("UNK", "UKN", "Unknown", None, None, None),
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


def write_csv_gz(path: Path, rows: list[dict], columns: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in columns})
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes (and so the sha256) identical from run to run.
    path.write_bytes(gzip.compress(buffer.getvalue().encode(), mtime=0))


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
        [
            {
                "iso_code": iso,
                "unhcr_code": code,
                "name": name,
                "unhcr_region": bureau,
                "unsd_region": region,
                "unsd_subregion": sub,
                "unsd_imregion": "",
            }
            for iso, code, name, bureau, region, sub in COUNTRIES
        ],
        ["iso_code", "unhcr_code", "name", "unhcr_region", "unsd_region", "unsd_subregion", "unsd_imregion"],
    )


if __name__ == "__main__":
    main()
