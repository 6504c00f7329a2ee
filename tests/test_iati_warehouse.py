"""IATI end to end: every activity and transaction of the mirror reaches the warehouse, allocations add up to
the cent, Dutch disbursements match an independent sum over the XML, and a broken file publishes nothing.

Expected figures are computed here from the XML with plain lxml XPath and from a mirror's Datastore extract
with the csv module, never with the project's parser. An activity in both keeps its XML rows."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import DEMO_MIRROR, query, run_maw
from tests.maw_helpers import copy_warehouse, sha256_of

NL = "XM-DAC-7"
CENT = Decimal("0.01")


def _activity_files(mirror: Path) -> list[Path]:
    return sorted((mirror / "iati").glob("minbuza_nl/*.xml")) + sorted((mirror / "iati").glob("partners/*.xml"))


def _extract_transactions(mirror: Path, in_xml: set[str]) -> list[dict]:
    """Transactions of the mirror's Datastore extracts whose activity no XML file has (the XML wins); the
    reporter is the Ministry where the extract's reporting-org name says so."""
    found = []
    for path in sorted((mirror / "iati").glob("minbuza_nl/*/transactions_*.csv")):
        names = {}
        with path.with_name(path.name.replace("transactions_", "activities_", 1)).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                names[row["iati_identifier"]] = row["reporting_org_narrative"]
        counters: dict[str, int] = defaultdict(int)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                identifier = row["iati_identifier"]
                counters[identifier] += 1
                if identifier in in_xml:
                    continue
                ministry = "Ministry of Foreign Affairs of the Netherlands" in names[identifier]
                dated = row["transaction_transaction_date_iso_date"]
                found.append(
                    {
                        "key": f"{identifier}#{counters[identifier]}",
                        "reporting": NL if ministry or identifier.startswith(NL + "-") else "partner",
                        "type": row["transaction_transaction_type_code"],
                        "year": int(dated[:4]),
                        "value": Decimal(row["transaction_value"]),
                        "currency": row["transaction_value_currency"] or row["default_currency"],
                        "fx_date": row["transaction_value_value_date"] or dated,
                        "provider": row["transaction_provider_org_ref"],
                    }
                )
    return found


def _transactions(mirror: Path) -> list[dict]:
    """Every transaction the marts count: the mirror's activity files (XPath), then its extracts."""
    return _xml_transactions(mirror) + _extract_transactions(mirror, _xml_identifiers(mirror))


def _xml_identifiers(mirror: Path) -> set[str]:
    return {
        identifier.strip()
        for path in _activity_files(mirror)
        for identifier in etree.parse(str(path)).xpath("/iati-activities/iati-activity/iati-identifier/text()")
    }


def _raw_extract_counts(mirror: Path) -> tuple[int, int]:
    activities, transactions = set(), 0
    for path in sorted((mirror / "iati").glob("minbuza_nl/*/transactions_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                activities.add(row["iati_identifier"])
                transactions += 1
    return len(activities), transactions


def _xml_transactions(mirror: Path) -> list[dict]:
    """Every transaction of the mirror's activity files, read with XPath."""
    found = []
    for path in _activity_files(mirror):
        for activity in etree.parse(str(path)).xpath("/iati-activities/iati-activity"):
            identifier = activity.findtext("iati-identifier").strip()
            for index, node in enumerate(activity.xpath("transaction"), start=1):
                value = node.find("value")
                found.append(
                    {
                        "key": f"{identifier}#{index}",
                        "reporting": activity.xpath("string(reporting-org/@ref)"),
                        "type": node.xpath("string(transaction-type/@code)"),
                        "year": int(node.xpath("string(transaction-date/@iso-date)")[:4]),
                        "value": Decimal(value.text.strip()),
                        "currency": value.get("currency") or activity.get("default-currency"),
                        "fx_date": value.get("value-date") or node.xpath("string(transaction-date/@iso-date)"),
                        "provider": node.xpath("string(provider-org/@ref)"),
                    }
                )
    return found


def _counts(mirror: Path) -> tuple[int, int]:
    """Raw rows: every activity and transaction of every file (an activity in two files twice)."""
    activities = sum(int(etree.parse(str(p)).xpath("count(//iati-activity)")) for p in _activity_files(mirror))
    extract_activities, extract_transactions = _raw_extract_counts(mirror)
    return activities + extract_activities, len(_xml_transactions(mirror)) + extract_transactions


@pytest.fixture(params=["demo", "shared"])
def loaded(request) -> tuple[Path, Path]:
    """(mirror, published database) for the demo mirror and, when present, the real snapshots."""
    if request.param == "demo":
        return DEMO_MIRROR, request.getfixturevalue("demo_warehouse") / "migration.duckdb"
    return request.getfixturevalue("shared_data"), request.getfixturevalue("shared_warehouse") / "migration.duckdb"


def test_every_activity_and_transaction_is_loaded(loaded) -> None:
    mirror, database = loaded
    activities, transactions = _counts(mirror)
    assert query(database, "select count(*) from raw_iati.activities") == [(activities,)]
    assert query(database, "select count(*) from raw_iati.transactions") == [(transactions,)]
    counted = len(_transactions(mirror))
    assert query(database, "select count(*) from intermediate.int_iati__transactions_of_record") == [(counted,)]
    assert query(database, "select count(distinct transaction_key) from marts.oda_transactions") == [(counted,)]


def test_allocated_parts_sum_to_each_transaction_to_the_cent(loaded) -> None:
    mirror, database = loaded
    expected = {t["key"]: t["value"].quantize(CENT, ROUND_HALF_UP) for t in _transactions(mirror)}
    rows = query(
        database,
        "select transaction_key, sum(value)::varchar, count(*) from marts.oda_transactions group by transaction_key",
    )
    allocated = {key: Decimal(total) for key, total, _parts in rows}
    assert allocated == expected
    assert any(parts > 1 for *_, parts in rows), "no transaction was split: the test would prove nothing"
    unbalanced = query(
        database,
        """select transaction_key from marts.oda_transactions group by transaction_key
           having sum(value_eur) is distinct from min(transaction_value_eur)
               or sum(value_usd) is distinct from min(transaction_value_usd)""",
    )
    assert unbalanced == []


def _eur(t: dict, rates: dict[str, dict[date, Decimal]]) -> Decimal | None:
    """The transaction in EUR at the ECB rate of its value-date (or the last day before), to the cent."""
    rate = (
        Decimal(1)
        if t["currency"] == "EUR"
        else _as_of(rates.get(t["currency"], {}), date.fromisoformat(t["fx_date"][:10]))
    )
    return None if rate is None else (t["value"] / rate).quantize(CENT, ROUND_HALF_UP)


def test_dutch_disbursements_per_year_equal_an_independent_sum_over_the_xml(loaded) -> None:
    mirror, database = loaded
    rates = _ecb(mirror)
    expected: dict[int, Decimal] = defaultdict(Decimal)
    for t in _transactions(mirror):
        if t["reporting"] == NL and t["type"] in {"3", "4"}:
            expected[t["year"]] += _eur(t, rates)
    rows = query(
        database,
        """select year, sum(value_eur)::varchar from marts.oda_transactions
           where reporting_org_ref = 'XM-DAC-7' and transaction_type_code in ('3', '4') group by year""",
    )
    assert {year: Decimal(total) for year, total in rows} == dict(expected)
    assert expected, "no Dutch disbursements in the mirror"


def test_commitments_and_partner_money_never_reach_the_dutch_country_figures(loaded) -> None:
    _mirror, database = loaded
    ((country_year, allocations),) = query(
        database,
        """select (select sum(nl_oda_disbursed_eur) from intermediate.int_iati__nl_oda_country_year),
                  (select sum(value_eur) from marts.oda_transactions
                   where is_nl_mfa_reported and transaction_type_code in ('3', '4')
                     and recipient_iso3 is not null and not is_in_donor_refugee_cost)""",
    )
    assert country_year == allocations
    ((with_commitments,),) = query(
        database,
        """select sum(value_eur) from marts.oda_transactions
           where reporting_org_ref = 'XM-DAC-7' and transaction_type_code = '2' and recipient_iso3 is not null""",
    )
    assert with_commitments != 0, "the mirror has no commitments: nothing to keep apart"


def test_partner_incoming_funds_from_the_netherlands_are_traceable_but_not_dutch(loaded) -> None:
    mirror, database = loaded
    from_nl = [t for t in _transactions(mirror) if t["provider"] == NL and t["reporting"] != NL]
    assert from_nl, "the mirror's partner files have no funds from XM-DAC-7"
    rows = query(
        database,
        """select count(distinct transaction_key), bool_or(is_nl_mfa_reported) from marts.oda_transactions
           where provider_org_ref = 'XM-DAC-7' and reporting_org_ref != 'XM-DAC-7'""",
    )
    assert rows == [(len(from_nl), False)]


def test_partner_links_resolve_to_the_dutch_activity(demo_warehouse: Path) -> None:
    rows = query(
        demo_warehouse / "migration.duckdb",
        """select t.provider_activity_id, a.reporting_org_ref from intermediate.int_iati__transactions_of_record t
           left join intermediate.int_iati__activities_of_record a on a.iati_identifier = t.provider_activity_id
           where t.provider_org_ref = 'XM-DAC-7' and t.reporting_org_ref != 'XM-DAC-7'""",
    )
    assert rows and all(reporting == NL for _, reporting in rows)


def _ecb(mirror: Path) -> dict[str, dict[date, Decimal]]:
    rates: dict[str, dict[date, Decimal]] = defaultdict(dict)
    with (mirror / "fx" / "eurofxref-hist.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            for currency, cell in row.items():
                if currency and currency != "Date" and cell not in ("N/A", "", None):
                    rates[currency][date.fromisoformat(row["Date"])] = Decimal(cell)
    return rates


def _as_of(series: dict[date, Decimal], day: date) -> Decimal | None:
    for back in range(8):
        if day - timedelta(days=back) in series:
            return series[day - timedelta(days=back)]
    return None


def test_values_are_converted_at_the_ecb_rate_of_their_value_date(loaded) -> None:
    mirror, database = loaded
    rates = _ecb(mirror)
    expected = {t["key"]: _eur(t, rates) for t in _transactions(mirror)}
    expected = {key: value for key, value in expected.items() if value is not None}
    rows = query(
        database, "select transaction_key, value_eur::varchar from intermediate.int_iati__transactions_converted"
    )
    converted = {key: Decimal(value) for key, value in rows if value is not None}
    assert converted.keys() == expected.keys()
    assert all(abs(converted[k] - v) <= CENT for k, v in expected.items())
    assert any(t["currency"] != "EUR" for t in _transactions(mirror))


def test_migration_relevance_has_a_reason_and_overrides_win(demo_warehouse: Path) -> None:
    rows = dict(
        (
            (identifier, (related, reason))
            for identifier, related, reason in query(
                demo_warehouse / "migration.duckdb",
                "select iati_identifier, is_migration_related, migration_reason "
                "from intermediate.int_iati__activity_migration_relevance",
            )
        )
    )
    assert all(reason for related, reason in rows.values() if related)
    assert rows["XM-DAC-7-PPR-DEMO-0003"] == (False, "")  # water and sanitation
    assert rows["XM-DAC-7-PPR-DEMO-0005"][0] and "93010" in rows["XM-DAC-7-PPR-DEMO-0005"][1]
    assert rows["XM-DAC-7-PPR-DEMO-0004"][0] and "vluchtelingen" in rows["XM-DAC-7-PPR-DEMO-0004"][1]
    assert rows["XM-DAC-7-PPR-DEMO-0006"][0] and "override" in rows["XM-DAC-7-PPR-DEMO-0006"][1]
    assert not rows["XM-DAC-7-PPR-DEMO-0008"][0] and "return" in rows["XM-DAC-7-PPR-DEMO-0008"][1]


@pytest.mark.shared
def test_every_activity_with_a_migration_sector_is_migration_related(shared_warehouse: Path, shared_data: Path) -> None:
    expected = set()
    for path in _activity_files(shared_data):
        for activity in etree.parse(str(path)).xpath("//iati-activity"):
            codes = activity.xpath(".//sector[not(@vocabulary) or @vocabulary='' or @vocabulary='1']/@code")
            if {"15190", "15136", "93010"} & set(codes):
                expected.add(activity.findtext("iati-identifier").strip())
    rows = query(
        shared_warehouse / "migration.duckdb",
        "select iati_identifier from intermediate.int_iati__activity_migration_relevance where by_sector",
    )
    assert {r[0] for r in rows} == expected and expected


def test_in_donor_refugee_costs_are_kept_apart(demo_warehouse: Path) -> None:
    database = demo_warehouse / "migration.duckdb"
    rows = query(
        database,
        "select distinct sector_code, recipient_iso3 from marts.oda_transactions where is_in_donor_refugee_cost",
    )
    assert rows == [("93010", None)]
    ((in_country,),) = query(
        database,
        "select count(*) from intermediate.int_iati__nl_oda_country_year c join marts.oda_transactions t "
        "on t.recipient_iso3 = c.iso3 and t.year = c.year where t.is_in_donor_refugee_cost",
    )
    assert in_country == 0


def test_a_truncated_xml_file_fails_the_load_names_file_and_line_and_publishes_nothing(
    demo_warehouse: Path, mirror_copy, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(demo_warehouse, tmp_path / "warehouse")
    published = warehouse / "migration.duckdb"
    before = sha256_of(published)
    mirror = mirror_copy(DEMO_MIRROR)
    broken = mirror / "iati" / "partners" / "XM-DAC-47066_iom_demo.xml"
    content = broken.read_bytes()
    broken.write_bytes(content[: len(content) // 2])
    result = run_maw("refresh", "--strict", "--mirror", str(mirror), warehouse=warehouse)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "XM-DAC-47066_iom_demo.xml" in output and "malformed XML at line" in output
    assert "nothing was published" in output
    assert sha256_of(published) == before
