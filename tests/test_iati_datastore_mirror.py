"""A mirror's Datastore extract (CSV rows of Datastore documents) through the Datastore parser: rows made
here, the reporting organisation read from the activity, and bad input named by file, row and field."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.common.source import LandedFile, ParseError
from ingest.iati.datastore_mirror import extract_tables, parse_extract

FOLDER = "iati/minbuza_nl/extract"
COLUMNS = (
    "iati_identifier",
    "default_currency",
    "transaction_transaction_type_code",
    "transaction_transaction_date_iso_date",
    "transaction_value",
    "transaction_value_currency",
    "transaction_provider_org_ref",
    "transaction_provider_org_provider_activity_id",
    "transaction_receiver_org_ref",
)


def _landed(path: Path) -> LandedFile:
    return LandedFile(
        path=path,
        sha256="0" * 64,
        origin=str(path),
        bytes=path.stat().st_size,
        retrieved_at="2026-01-01T00:00:00+00:00",
        http_status=None,
        name=f"{FOLDER}/{path.name}",
    )


def _extract(tmp_path: Path, transactions: list[tuple], activities: list[tuple]) -> tuple[LandedFile, LandedFile]:
    t_path, a_path = tmp_path / "transactions_x.csv", tmp_path / "activities_x.csv"
    with t_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(transactions)
    with a_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["iati_identifier", "title_narrative", "description_narrative", "reporting_org_narrative"])
        writer.writerows(activities)
    return _landed(t_path), _landed(a_path)


ROWS = [
    ("XM-DAC-7-PPR-1", "EUR", "3", "2024-01-31T00:00:00Z", "1.0E7", "", "XM-DAC-7", "", "XM-DAC-41121"),
    ("NL-1-PPR-2", "EUR", "3", "2013-03-28T00:00:00Z", "500.5", "", "XM-DAC-7", "", ""),
    ("XM-DAC-41302-IP24-JOR1", "USD", "1", "2024-01-01T00:00:00Z", "7", "USD", "XM-DAC-7", "XM-DAC-7-PPR-1", ""),
    ("XM-DAC-41302-IP24-JOR1", "USD", "11", "2024-02-01T00:00:00Z", "8", "JOD", "XM-DAC-7", "XM-DAC-7-PPR-1", ""),
]
ACTIVITIES = [
    ("XM-DAC-7-PPR-1", "['Refugees in Jordan']", "['Jobs for refugees.']", "['Ministry of Foreign Affairs']"),
    ("NL-1-PPR-2", "['Older activity']", "", "['Ministry of Foreign Affairs of the Netherlands']"),
    ("XM-DAC-41302-IP24-JOR1", "['Decent work']", "", "['International Labour Organization']"),
]


def test_extract_rows_become_the_datastore_parsers_rows(tmp_path):
    transactions, activities = _extract(tmp_path, ROWS, ACTIVITIES)
    ((landed, tables),) = extract_tables([activities, transactions])
    assert landed == transactions
    reporting = dict(tables["activities"].select("iati_identifier", "reporting_org_ref").iter_rows())
    assert reporting == {
        "XM-DAC-7-PPR-1": "XM-DAC-7",  # the Ministry's identifier prefix
        "NL-1-PPR-2": "XM-DAC-7",  # the only organisation on its own (provider) side
        "XM-DAC-41302-IP24-JOR1": "XM-DAC-41302",  # the identifier's organisation prefix, not the funder
    }
    rows = tables["transactions"].sort("iati_identifier", "transaction_index")
    assert rows["value"].to_list()[-1] == Decimal("10000000")
    assert rows.filter(rows["iati_identifier"] == "XM-DAC-41302-IP24-JOR1")["currency"].to_list() == ["USD", "JOD"]
    assert rows["_source_row"].to_list() == [3, 4, 5, 2]  # CSV lines (header = line 1)
    assert tables["narratives"].filter(tables["narratives"]["element"] == "title").height == 3


def test_a_bad_list_cell_is_named_by_file_row_and_field(tmp_path):
    broken = [ACTIVITIES[0], ("NL-1-PPR-2", "Older activity]", "", ""), ACTIVITIES[2]]
    transactions, activities = _extract(tmp_path, ROWS, broken)
    with pytest.raises(ParseError) as error:
        parse_extract(transactions, activities)
    assert (error.value.file, error.value.row, error.value.field) == (str(activities.path), 3, "title_narrative")


def test_a_transaction_of_an_unknown_activity_is_refused(tmp_path):
    transactions, activities = _extract(tmp_path, ROWS, ACTIVITIES[:2])
    with pytest.raises(ParseError, match="missing from") as error:
        parse_extract(transactions, activities)
    assert error.value.row == 4 and error.value.field == "iati_identifier"
