"""Write the illustrative IATI and ECB files of the demo mirror (``demo_mirror/iati/``, ``demo_mirror/fx/``).

Everything is invented: identifiers end in ``DEMO-nnnn``, titles say "Demo", values and rates are made up
(deterministic). The formats are exactly the real ones: IATI activity XML 2.03 (``iati-activities`` root,
default currency, narratives with ``xml:lang``, percentages, negative de-commitments on 31 December,
partner files whose incoming funds point back to the Dutch activity through ``provider-activity-id``) and
the ECB's ``eurofxref-hist.csv`` (newest first, trailing comma, ``N/A``). Run:
``python -m demo_mirror.generators.iati``.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

from ingest.common.source import REVIEWED_CSV_DIR

ROOT = Path(__file__).resolve().parent.parent
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NL_MFA = "XM-DAC-7"
NL_NAME = "Ministry of Foreign Affairs of the Netherlands"
ECB_COLUMNS = (  # the ECB file's columns after Date, in its order
    "USD",
    "JPY",
    "BGN",
    "CYP",
    "CZK",
    "DKK",
    "EEK",
    "GBP",
    "HUF",
    "LTL",
    "LVL",
    "MTL",
    "PLN",
    "ROL",
    "RON",
    "SEK",
    "SIT",
    "SKK",
    "CHF",
    "ISK",
    "NOK",
    "HRK",
    "RUB",
    "TRL",
    "TRY",
    "AUD",
    "BRL",
    "CAD",
    "CNY",
    "HKD",
    "IDR",
    "ILS",
    "INR",
    "KRW",
    "MXN",
    "MYR",
    "NZD",
    "PHP",
    "SGD",
    "THB",
    "ZAR",
)
# Invented starting rates (units per EUR) of the currencies the demo uses; all others are N/A.
DEMO_RATES = {"USD": 1.12, "GBP": 0.87, "CHF": 1.09, "JPY": 125.0, "SEK": 10.5}


@dataclass
class Transaction:
    type_code: str
    day: str
    value: str
    currency: str | None = None
    value_date: str | None = None
    provider: tuple[str | None, str, str | None] | None = None  # ref, name, provider-activity-id
    receiver: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass
class Activity:
    identifier: str
    titles: dict[str, str]
    description: dict[str, str]
    countries: list[tuple[str, str | None]] = field(default_factory=list)
    regions: list[tuple[str, str | None]] = field(default_factory=list)
    sectors: list[tuple[str, str | None]] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    implementer: str = "Demo implementing partner"
    reporting: tuple[str, str, str] = (NL_MFA, "10", NL_NAME)
    currency: str = "EUR"
    lang: str = "EN"
    humanitarian: bool = False
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # vocabulary, code, narrative


def _nl(type_code: str, day: str, value: str, receiver: str, **extra) -> Transaction:
    return Transaction(type_code, day, value, "EUR", day, (NL_MFA, NL_NAME, None), receiver, **extra)


DUTCH = [
    Activity(
        "XM-DAC-7-PPR-DEMO-0001",
        {
            "EN": "Demo: protection and jobs for refugees and host communities, Jordan and Lebanon",
            "NL": "Demo: bescherming en werk voor vluchtelingen en gastgemeenschappen, Jordanië en Libanon",
        },
        {"EN": "Illustrative activity: legal aid, schooling and work permits for refugees."},
        countries=[("JO", "60"), ("LB", "40")],
        sectors=[("15190", "50"), ("72010", "30"), ("11220", "20")],
        transactions=[
            _nl("2", "2021-03-15", "30000000", "Demo UN agency"),
            _nl("3", "2021-04-01", "10000000", "Demo UN agency"),
            _nl("3", "2022-04-01", "10000000.01", "Demo UN agency"),
            _nl("4", "2023-02-01", "333333.33", "Demo UN agency"),
            _nl("2", "2023-12-31", "-2500000", "Demo UN agency"),
        ],
        humanitarian=True,
    ),
    Activity(
        "XM-DAC-7-PPR-DEMO-0002",
        {"EN": "Demo: safe and regular migration pathways (COMPASS-style programme)"},
        {"EN": "Illustrative activity: information on safe migration and return counselling, via IOM."},
        regions=[("998", "100")],
        sectors=[("15190", "100")],
        tags=[("3", "10.7", "Facilitate orderly, safe, regular and responsible migration")],
        transactions=[
            _nl("2", "2022-01-10", "12000000", "Demo IOM"),
            _nl("3", "2022-02-01", "4000000", "Demo IOM"),
            _nl("3", "2023-02-01", "4000000", "Demo IOM"),
        ],
    ),
    Activity(
        "XM-DAC-7-PPR-DEMO-0003",
        {"EN": "Demo: drinking water and sanitation in rural Ethiopia"},
        {"EN": "Illustrative activity: wells and latrines."},
        countries=[("ET", "100")],
        sectors=[("14030", "100")],
        transactions=[
            _nl("2", "2021-06-01", "9000000", "Demo water NGO"),
            _nl("3", "2021-07-01", "3000000", "Demo water NGO"),
            _nl("3", "2022-07-01", "3000000", "Demo water NGO"),
        ],
    ),
    Activity(
        "XM-DAC-7-PPR-DEMO-0004",
        {"NL": "Demo: opvang van vluchtelingen in de regio, Oeganda"},
        {"NL": "Illustratieve activiteit: noodhulp en onderdak in vluchtelingennederzettingen."},
        countries=[("UG", "100")],
        sectors=[("72010", "100")],
        lang="NL",
        transactions=[
            _nl("2", "2022-05-01", "5000000", "Demo NGO"),
            _nl("3", "2022-05-15", "2500000", "Demo NGO"),
            _nl("3", "2023-05-15", "2500000", "Demo NGO"),
        ],
        humanitarian=True,
    ),
    Activity(
        "XM-DAC-7-PPR-DEMO-0005",
        {"EN": "Demo: first-year reception costs of asylum seekers in the Netherlands"},
        {"EN": "Illustrative activity: in-donor refugee costs counted as ODA."},
        regions=[("998", "100")],
        sectors=[("93010", "100")],
        transactions=[
            _nl("3", "2022-12-31", "75000000", "Demo reception agency"),
            _nl("3", "2023-12-31", "90000000", "Demo reception agency"),
        ],
    ),
    Activity(
        "XM-DAC-7-PPR-DEMO-0006",
        {"EN": "Demo: health and food support along the Sudan - South Sudan border"},
        {"EN": "Illustrative activity paid in US dollars; recipients and sectors without percentages."},
        countries=[("SD", None), ("SS", None)],
        sectors=[("12220", None), ("72040", None), ("16010", None)],
        currency="USD",
        transactions=[
            Transaction("2", "2022-03-01", "3000000", None, "2022-03-01", (NL_MFA, NL_NAME, None), "Demo NGO"),
            Transaction("3", "2022-03-05", "1000000.00", None, "2022-03-05", (NL_MFA, NL_NAME, None), "Demo NGO"),
            Transaction("3", "2023-01-07", "1000000.00", None, "2023-01-06", (NL_MFA, NL_NAME, None), "Demo NGO"),
        ],
    ),
    Activity(
        "XM-DAC-7-PPR-DEMO-0007",
        {"EN": "Demo: regional fund for Syria crisis response, per-payment countries"},
        {"EN": "Illustrative activity that reports recipient country and sector on each transaction."},
        transactions=[
            _nl("2", "2023-01-15", "6000000", "Demo fund"),
            _nl("3", "2023-02-15", "2000000", "Demo fund", country="SY", sector="72010"),
            _nl("3", "2023-03-15", "1500000", "Demo fund", country="TR", sector="15190"),
            _nl("3", "2024-03-15", "1000000", "Demo fund", country="LB", sector="72050"),
        ],
    ),
    Activity(
        "XM-DAC-7-PPR-DEMO-0008",
        {"EN": "Demo: tax return administration support, Nigeria"},
        {"EN": "Illustrative activity: helping the revenue service process tax returns."},
        countries=[("NG", "100")],
        sectors=[("16010", "100")],
        transactions=[
            _nl("2", "2022-06-01", "2000000", "Demo revenue service"),
            _nl("3", "2022-07-01", "1000000", "Demo revenue service"),
        ],
    ),
]

PARTNERS = {
    "iati/partners/XM-DAC-41121_unhcr_demo.xml": [
        Activity(
            "XM-DAC-41121-DEMO-2022",
            {"EN": "Demo: UNHCR operations 2022 (illustrative)"},
            {"EN": "Illustrative overall activity with incoming contributions."},
            countries=[("JO", "50"), ("LB", "50")],
            sectors=[("72010", "100")],
            reporting=("XM-DAC-41121", "40", "United Nations High Commissioner for Refugees (UNHCR)"),
            currency="USD",
            transactions=[
                Transaction(
                    "11", "2021-04-02", "11200000", "USD", "2021-04-02", (NL_MFA, NL_NAME, "XM-DAC-7-PPR-DEMO-0001")
                ),
                Transaction(
                    "11", "2022-04-05", "10500000", "USD", "2022-04-05", (NL_MFA, NL_NAME, "XM-DAC-7-PPR-DEMO-0001")
                ),
                Transaction("11", "2022-06-30", "2500000", "GBP", "2022-06-30", ("GB-GOV-1", "Demo UK donor", None)),
            ],
            humanitarian=True,
        )
    ],
    "iati/partners/XM-DAC-47066_iom_demo.xml": [
        Activity(
            "XM-DAC-47066-DEMO-0001",
            {"EN": "Demo: migration information centres (illustrative)"},
            {"EN": "Illustrative IOM activity funded by the Netherlands."},
            regions=[("998", "100")],
            sectors=[("15190", "100")],
            reporting=("XM-DAC-47066", "40", "International Organization for Migration (IOM)"),
            currency="USD",
            transactions=[
                Transaction(
                    "11", "2022-02-02", "4480000", "USD", "2022-02-02", (NL_MFA, NL_NAME, "XM-DAC-7-PPR-DEMO-0002")
                ),
            ],
        )
    ],
}


def _narratives(parent: etree._Element, texts: dict[str, str]) -> None:
    for lang, value in texts.items():
        etree.SubElement(parent, "narrative", {XML_LANG: lang}).text = value


def _activity(root: etree._Element, activity: Activity) -> None:
    attributes = {
        "default-currency": activity.currency,
        "hierarchy": "1",
        "last-updated-datetime": "2025-01-31T00:00:00",
        XML_LANG: activity.lang,
    }
    if activity.humanitarian:
        attributes["humanitarian"] = "1"
    node = etree.SubElement(root, "iati-activity", attributes)
    etree.SubElement(node, "iati-identifier").text = activity.identifier
    ref, org_type, name = activity.reporting
    _narratives(etree.SubElement(node, "reporting-org", {"ref": ref, "type": org_type}), {"EN": name})
    _narratives(etree.SubElement(node, "title"), activity.titles)
    _narratives(etree.SubElement(node, "description", {"type": "1"}), activity.description)
    _narratives(etree.SubElement(node, "participating-org", {"role": "4", "type": "21"}), {"EN": activity.implementer})
    for role in ("1", "2", "3"):
        _narratives(
            etree.SubElement(node, "participating-org", {"ref": ref, "role": role, "type": org_type}), {"EN": name}
        )
    etree.SubElement(node, "activity-status", {"code": "2"})
    etree.SubElement(node, "activity-date", {"iso-date": "2021-01-01", "type": "1"})
    etree.SubElement(node, "activity-date", {"iso-date": "2025-12-31", "type": "3"})
    for tag, items in (("recipient-country", activity.countries), ("recipient-region", activity.regions)):
        for code, percentage in items:
            attributes = {"code": code}
            if tag == "recipient-region":
                attributes["vocabulary"] = "1"
            if percentage is not None:
                attributes["percentage"] = percentage
            etree.SubElement(node, tag, attributes)
    for code, percentage in activity.sectors:
        attributes = {"code": code, "vocabulary": "1"}
        if percentage is not None:
            attributes["percentage"] = percentage
        etree.SubElement(node, "sector", attributes)
    for vocabulary, code, text in activity.tags:
        _narratives(etree.SubElement(node, "tag", {"vocabulary": vocabulary, "code": code}), {"EN": text})
    etree.SubElement(node, "policy-marker", {"code": "1", "significance": "1", "vocabulary": "1"})
    etree.SubElement(node, "default-flow-type", {"code": "10"})
    etree.SubElement(node, "default-finance-type", {"code": "110"})
    for t in activity.transactions:
        tx = etree.SubElement(node, "transaction")
        etree.SubElement(tx, "transaction-type", {"code": t.type_code})
        etree.SubElement(tx, "transaction-date", {"iso-date": t.day})
        value_attributes = {"value-date": t.value_date or t.day}
        if t.currency:
            value_attributes["currency"] = t.currency
        etree.SubElement(tx, "value", value_attributes).text = t.value
        if t.provider:
            provider_ref, provider_name, provider_activity = t.provider
            attributes = {"ref": provider_ref} if provider_ref else {}
            if provider_activity:
                attributes["provider-activity-id"] = provider_activity
            _narratives(etree.SubElement(tx, "provider-org", attributes), {"EN": provider_name})
        if t.receiver:
            _narratives(etree.SubElement(tx, "receiver-org"), {"EN": t.receiver})
        if t.sector:
            etree.SubElement(tx, "sector", {"code": t.sector, "vocabulary": "1"})
        if t.country:
            etree.SubElement(tx, "recipient-country", {"code": t.country})


def write_activities(path: Path, activities: list[Activity]) -> None:
    root = etree.Element("iati-activities", {"version": "2.03", "generated-datetime": "2025-01-31T00:00:00"})
    for activity in activities:
        _activity(root, activity)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8"))


def _target_business_days(first: date, last: date) -> list[date]:
    """Weekdays without the fixed TARGET holidays (Easter is left in: the demo is illustrative)."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and (day.month, day.day) not in {(1, 1), (5, 1), (12, 25), (12, 26)}:
            days.append(day)
        day += timedelta(days=1)
    return days


def write_rates(path: Path, rng: random.Random) -> None:
    """An ECB-format history 2020-2025 with invented, slowly wandering rates for a few currencies."""
    levels = dict(DEMO_RATES)
    lines = []
    for day in _target_business_days(date(2020, 1, 2), date(2025, 12, 31)):
        for currency, level in levels.items():
            levels[currency] = level * (1 + rng.uniform(-0.003, 0.003))
        cells = [f"{levels[c]:.4f}".rstrip("0").rstrip(".") if c in levels else "N/A" for c in ECB_COLUMNS]
        lines.append(",".join([day.isoformat(), *cells, ""]))
    header = ",".join(["Date", *ECB_COLUMNS, ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *reversed(lines)]) + "\n")


def write_codelists(folder: Path) -> None:
    """The codelists the demo needs, in the official XML format, from the reviewed ``iati_codelists.csv``."""
    lists: dict[str, list[dict[str, str]]] = {}
    with (REVIEWED_CSV_DIR / "iati_codelists.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lists.setdefault(row["codelist"], []).append(row)
    for name, rows in lists.items():
        root = etree.Element("codelist", {"name": name, XML_LANG: "en", "complete": "0"})
        items = etree.SubElement(root, "codelist-items")
        for row in rows:
            item = etree.SubElement(items, "codelist-item", {"status": row["status"]})
            etree.SubElement(item, "code").text = row["code"]
            etree.SubElement(etree.SubElement(item, "name"), "narrative").text = row["name"]
            if row["category"]:
                etree.SubElement(item, "category").text = row["category"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.xml").write_bytes(
            etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        )


def main() -> None:
    write_activities(ROOT / "iati/minbuza_nl/XM-DAC-7_minbuza_nl_demo.xml", DUTCH)
    for relative, activities in PARTNERS.items():
        write_activities(ROOT / relative, activities)
    write_codelists(ROOT / "iati" / "codelists")
    write_rates(ROOT / "fx/eurofxref-hist.csv", random.Random(20250131))


if __name__ == "__main__":
    main()
