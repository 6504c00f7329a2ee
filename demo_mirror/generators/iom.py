"""Write the illustrative IOM files of the demo mirror (``demo_mirror/iom/``).

Invented values in IOM's real formats: DTM API v3 responses (envelope, field names, the reason split,
admin 0/1/2 that add up), and Missing Migrants downloads (the all-data xlsx export with text cells, a
per-year JSON with every value as text and the misspelt ``location_coodinates``, a CSV export with its
``Thu, 01/01/2026 - 12:00`` dates). The shapes that matter for the marts are built in on purpose: Sudan
has two overlapping operations whose highest round is not the latest; Chad reports a BA and an SA
figure for the same round; one incident is split and one carries a negative correction. Run:
``python -m demo_mirror.generators.iom``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent.parent / "iom"
V3_RECORDED = "2025-09-18"

# ISO3 -> (DTM name, ISO2 p-code prefix, {admin1 name: [admin2 names]})
COUNTRIES = {
    "SDN": ("Sudan", "SD", {"Khartoum": ["Bahri", "Omdurman"], "South Darfur": ["Nyala", "Kas"]}),
    "TCD": ("Chad", "TD", {"Lac": ["Fouli", "Mamdi"], "Ouaddai": ["Abeche", "Adre"]}),
    "HTI": ("Haiti", "HT", {"Ouest": ["Port-au-Prince", "Croix-des-Bouquets"], "Artibonite": ["Saint-Marc"]}),
}
# (ISO3, operation, status, [(reporting date, round, assessment type, country total)])
SNAPSHOTS = [
    (
        "SDN",
        "Darfur conflict",
        "Inactive",
        [("2022-06-30", 68, "BA", 2_400_000), ("2023-06-30", 70, "BA", 2_600_000)],
    ),
    (
        "SDN",
        "Armed Clashes in Sudan (Overview)",
        "Active",
        [
            ("2023-12-31", 6, "BA", 6_900_000),
            ("2024-03-31", 7, "BA", 8_100_000),
            ("2024-07-31", 8, "BA", 9_200_000),
        ],
    ),
    (
        "TCD",
        "Lake Chad Basin Crisis",
        "Active",
        [
            ("2023-06-30", 22, "BA", 210_000),
            ("2024-06-30", 23, "BA", 215_000),
            ("2024-06-30", 23, "SA", 180_000),
        ],
    ),
    (
        "HTI",
        "Countrywide monitoring",
        "Active",
        [("2023-11-30", 5, "BA", 300_000), ("2024-12-31", 9, "BA", 950_000)],
    ),
]
REASONS = ("Conflict", "Natural disaster")


def _pcodes(iso3: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Admin units with COD-style p-codes: (admin1 name, admin1 p-code, [(admin2 name, admin2 p-code)])."""
    _name, prefix, units = COUNTRIES[iso3]
    out = []
    for i, (admin1, admin2s) in enumerate(units.items(), start=1):
        code1 = f"{prefix}{i:02d}"
        out.append((admin1, code1, [(a2, f"{code1}{j:02d}") for j, a2 in enumerate(admin2s, start=1)]))
    return out


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split a total into positive parts that add up exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[-1] += total - sum(shares)
    return shares


def dtm_records(rng: random.Random) -> dict[tuple[str, int], list[dict]]:
    """v3 records per (ISO3, admin level); admin 2 adds up to admin 1 and admin 1 to admin 0."""
    records: dict[tuple[str, int], list[dict]] = {}
    next_id = 90_001
    for iso3, operation, _status, rounds in SNAPSHOTS:
        name = COUNTRIES[iso3][0]
        units = _pcodes(iso3)
        for reporting_date, round_number, assessment, total in rounds:
            common = {
                "operation": operation,
                "admin0Name": name,
                "admin0Pcode": iso3,
                "reportingDate": f"{reporting_date}T00:00:00",
                "yearReportingDate": int(reporting_date[:4]),
                "monthReportingDate": int(reporting_date[5:7]),
                "roundNumber": round_number,
            }
            for reason, by_reason in zip(REASONS, _split(total, len(REASONS), rng), strict=True):
                tail = {
                    "displacementReason": reason,
                    "numberMales": None,
                    "numberFemales": None,
                    "idpOriginAdmin1Name": "Not available",
                    "idpOriginAdmin1Pcode": "Not available",
                    "assessmentType": assessment,
                }
                records.setdefault((iso3, 0), []).append({**common, "numPresentIdpInd": by_reason, **tail})
                for (admin1, code1, admin2s), in_admin1 in zip(units, _split(by_reason, len(units), rng), strict=True):
                    unit1 = {"admin1Name": admin1, "admin1Pcode": code1}
                    records.setdefault((iso3, 1), []).append(
                        {"id": next_id, **common, **unit1, "numPresentIdpInd": in_admin1, **tail}
                    )
                    next_id += 1
                    for (admin2, code2), in_admin2 in zip(admin2s, _split(in_admin1, len(admin2s), rng), strict=True):
                        unit2 = {**unit1, "admin2Name": admin2, "admin2Pcode": code2}
                        records.setdefault((iso3, 2), []).append(
                            {"id": next_id, **common, **unit2, "numPresentIdpInd": in_admin2, **tail}
                        )
                        next_id += 1
    return records


def envelope(records: list[dict]) -> bytes:
    body = {
        "result": records,
        "statusCode": 200,
        "isSuccess": True,
        "errorMessages": [],
        "totalRecordsCount": len(records),
    }
    return json.dumps(body, ensure_ascii=False).encode()


# --- Missing Migrants --------------------------------------------------------------------------------------

ROUTES = [
    ("Central Mediterranean", "Mediterranean", "Libya", "Uncategorized", "Drowning", (33.2, 12.5)),
    ("Central Mediterranean", "Mediterranean", "Tunisia", "Uncategorized", "Drowning", (34.9, 11.2)),
    ("Eastern Mediterranean", "Mediterranean", "Türkiye", "Western Asia", "Drowning", (37.0, 27.3)),
    (
        "Sahara Desert crossing",
        "Northern Africa",
        "Niger",
        "Western Africa",
        "Harsh environmental conditions / lack of adequate shelter, food, water",
        (18.7, 8.0),
    ),
    (
        "Afghanistan to Iran",
        "Southern Asia",
        "Iran (Islamic Republic of)",
        "Southern Asia",
        "Violence",
        (31.0, 61.5),
    ),
    (None, "Mediterranean", "Mixed/Unknown", "Uncategorized", "Drowning", (36.1, 15.0)),
]


def mmp_incidents(rng: random.Random, years: range) -> list[dict]:
    """Invented incidents; one split incident and one negative correction per year."""
    incidents = []
    for year in years:
        day = date(year, 1, 3)
        for number in range(1, 13):
            route, region, country, unsd, cause, (lat, lon) = ROUTES[number % len(ROUTES)]
            dead, missing = rng.randint(1, 30), rng.choice([None, None, rng.randint(1, 40)])
            base = {
                "main_id": f"{year}.MMP{number:05d}",
                "date": day,
                "region": region,
                "route": route,
                "country": country,
                "unsd": unsd,
                "cause": cause,
                "coordinates": f"{lat + rng.uniform(-1, 1):.5f}, {lon + rng.uniform(-1, 1):.5f}",
                "survivors": rng.choice([None, rng.randint(0, 90)]),
                "quality": str(rng.randint(1, 5)),
            }
            if number == 4:  # a split incident: two origin groups, one id
                incidents.append({**base, "dead": 6, "missing": 3, "origin": "Eritrea", "split": True})
                incidents.append({**base, "dead": 2, "missing": None, "origin": "Sudan", "split": True})
            elif number == 7:  # a correction: 2 of the missing were later found dead
                incidents.append({**base, "dead": 9, "missing": -2, "origin": "Unknown", "split": False})
            else:
                incidents.append({**base, "dead": dead, "missing": missing, "origin": "Unknown", "split": False})
            day += timedelta(days=rng.randint(10, 35))
    return incidents


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def mmp_json(incidents: list[dict]) -> bytes:
    rows = [
        {
            "web_id": i["main_id"],
            "region": i["region"],
            "reported_date": i["date"].isoformat(),
            "number_dead": _count(i["dead"]),
            "number_missing": _count(i["missing"]),
            "total_dead_and_missing": str((i["dead"] or 0) + (i["missing"] or 0)),
            "number_of_survivors": _count(i["survivors"]),
            "number_of_female": "",
            "number_of_male": "",
            "number_of_children": "",
            "cause_death": i["cause"],
            "country_of_incident": i["country"],
            "location_description": f"Illustrative location on the {i['route'] or 'sea'} route\n",
            "unsd_geographic_grouping": i["unsd"],
            "location_coodinates": i["coordinates"],
            "migration_route": i["route"] or "",
            "information_source": "Illustrative source",
            "url": "",
            "source_quality": i["quality"],
        }
        for i in incidents
    ]
    return json.dumps(rows, ensure_ascii=False).encode()


XLSX_HEADER = [
    "Main ID",
    "Incident ID",
    "Incident Type",
    "Region of Incident",
    "Incident Date",
    "Incident Year",
    "Month",
    "Number of Dead",
    "Minimum Estimated Number of Missing",
    "Total Number of Dead and Missing",
    "Number of Survivors",
    "Number of Females",
    "Number of Males",
    "Number of Children",
    "Country of Origin",
    "Region of Origin",
    "Cause of Death",
    "Country of Incident",
    "Migration Route",
    "Location of Incident",
    "Coordinates",
    "UNSD Geographical Grouping",
    "Information Source",
    "URL",
    "Source Quality",
]


def xlsx_rows(incidents: list[dict]) -> list[list[str | int | None]]:
    """The export has one row per incident: split groups are merged, their split ids listed."""
    merged: dict[str, dict] = {}
    for i in incidents:
        if i["main_id"] in merged:
            row = merged[i["main_id"]]
            row["dead"] += i["dead"] or 0
            row["origin"] += f",{i['origin']}"
            row["type"] = "Split Incident"
        else:
            merged[i["main_id"]] = {**i, "dead": i["dead"] or 0, "type": "Incident"}
    rows: list[list[str | int | None]] = []
    for i in merged.values():
        incident_id = f"{i['main_id']}1,{i['main_id']}2" if i["type"] == "Split Incident" else i["main_id"]
        rows.append(
            [
                i["main_id"],
                incident_id,
                i["type"],
                i["region"],
                i["date"].isoformat(),
                str(i["date"].year),
                i["date"].strftime("%B"),
                i["dead"],
                i["missing"],
                i["dead"] + (i["missing"] or 0),
                i["survivors"],
                None,
                None,
                None,
                i["origin"],
                "Unknown",
                i["cause"],
                i["country"],
                i["route"],
                f"Illustrative location on the {i['route'] or 'sea'} route",
                i["coordinates"],
                i["unsd"],
                "Illustrative source",
                None,
                i["quality"],
            ]
        )
    return rows


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xlsx(header: list[str], rows: list[list[str | int | None]]) -> bytes:
    """A minimal one-sheet workbook ("Worksheet"), text as inline strings, counts as numbers, no dimension."""
    lines = []
    for r, values in enumerate([header, *rows], start=1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{_column(c)}{r}"
            if value is None:
                continue
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Worksheet" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{"".join(lines)}</sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


CSV_HEADER = [
    "Main ID",
    "Incident ID",
    "Region",
    "Incident Date",
    "Year",
    "Reported Month",
    "Number Dead",
    "Minimum Estimated Number of Missing",
    "Number of Survivors",
    "Number of Females",
    "Number of Males",
    "Number of Children",
    "Region of Origin",
    "Cause of Death",
    "Country of Origin",
    "Location of death",
    "Information Source",
    "Coordinates",
    "Migration route",
    "URL",
    "UNSD Geographical Grouping",
    "Source Quality",
]


def mmp_csv(incidents: list[dict]) -> bytes:
    """The downloads-page export: every field quoted, 0 for no missing, no country-of-incident column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    seen: dict[str, int] = {}
    for i in incidents:
        seen[i["main_id"]] = seen.get(i["main_id"], 0) + 1
        writer.writerow(
            [
                i["main_id"],
                f"{i['main_id']}{seen[i['main_id']]}",
                i["region"],
                i["date"].strftime("%a, %m/%d/%Y - 12:00"),
                str(i["date"].year),
                i["date"].strftime("%B"),
                str(i["dead"] or 0),
                str(i["missing"] or 0),
                _count(i["survivors"]),
                "",
                "",
                "",
                "Unknown",
                i["cause"],
                i["origin"],
                f"Illustrative location on the {i['route'] or 'sea'} route",
                "Illustrative source",
                i["coordinates"],
                i["route"] or "",
                "",
                i["unsd"],
                i["quality"],
            ]
        )
    return buffer.getvalue().encode()


def main() -> None:
    rng = random.Random(20250918)
    files: dict[str, tuple[bytes, str]] = {}
    records = dtm_records(rng)
    for (iso3, level), rows in sorted(records.items()):
        files[f"dtm/api_v3/displacement-admin{level}-admin0pcode-{iso3.lower()}.json"] = (
            envelope(rows),
            V3_RECORDED,
        )
    countries = [{"admin0Name": COUNTRIES[c][0], "admin0Pcode": c} for c in sorted(COUNTRIES)]
    files["dtm/api_v3/displacement-country-list.json"] = (envelope(countries), V3_RECORDED)
    operations = [
        {"operation": op, "operationStatus": status, "admin0Name": COUNTRIES[iso3][0], "admin0Pcode": iso3}
        for iso3, op, status, _rounds in SNAPSHOTS
    ]
    files["dtm/api_v3/displacement-operation-list.json"] = (envelope(operations), V3_RECORDED)

    incidents = mmp_incidents(rng, range(2022, 2026))
    by_year = {y: [i for i in incidents if i["date"].year == y] for y in range(2022, 2026)}
    files["missing_migrants/api_json/2023-json.json"] = (mmp_json(by_year[2023]), "2024-08-02")
    files["missing_migrants/api_json/2024-json.json"] = (mmp_json(by_year[2024][:6]), "2024-08-02")
    export = [i for y in (2022, 2023, 2024) for i in by_year[y]]
    files["missing_migrants/download_2025-05-05/Missing_Migrants_Global_Figures_allData.xlsx"] = (
        xlsx(XLSX_HEADER, xlsx_rows(export)),
        "2025-05-05",
    )
    files["missing_migrants/download_2026-05-06/MissingMigrants-Global-2026-05-06--19_42_11.csv"] = (
        mmp_csv(by_year[2025]),
        "2026-05-06",
    )

    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["file", "bytes", "sha256", "recorded", "note"])
    for name, (content, recorded) in sorted(files.items()):
        target = OUT / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        writer.writerow([name, len(content), hashlib.sha256(content).hexdigest(), recorded, "illustrative values"])
    (OUT / "manifest.csv").write_text(manifest.getvalue())


if __name__ == "__main__":
    main()
