"""The IATI activity parser: every activity and transaction kept, bad XML named by file and line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from ingest.common.source import LandedFile, ParseError
from ingest.iati.xml import frames, parse_file
from tests.conftest import DEMO_MIRROR

DEMO_FILES = sorted((DEMO_MIRROR / "iati").glob("minbuza_nl/*.xml")) + sorted(
    (DEMO_MIRROR / "iati").glob("partners/*.xml")
)


def _xpath_counts(path: Path) -> tuple[int, int]:
    """Activities and transactions counted by plain XPath on the whole tree, independently of the parser."""
    tree = etree.parse(str(path))
    return int(tree.xpath("count(/iati-activities/iati-activity)")), int(
        tree.xpath("count(/iati-activities/iati-activity/transaction)")
    )


def _write(tmp_path: Path, body: str, version: str = "2.03") -> Path:
    path = tmp_path / "activities.xml"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">\n{body}\n</iati-activities>\n'
    )
    return path


ACTIVITY = """<iati-activity default-currency="EUR" xml:lang="nl">
  <iati-identifier>XM-DAC-7-TEST-1</iati-identifier>
  <reporting-org ref="XM-DAC-7" type="10"><narrative>Ministerie</narrative></reporting-org>
  <title><narrative>Testtitel</narrative><narrative xml:lang="en">Test title</narrative></title>
  <recipient-country code="JO" percentage="{pct}"/>
  <recipient-country code="LB" percentage="30"/>
  <sector code="15190" vocabulary="1"/>
  <transaction>
    <transaction-type code="3"/>
    <transaction-date iso-date="{date}"/>
    <value value-date="2021-01-05">{value}</value>
  </transaction>
</iati-activity>"""


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_every_activity_and_transaction_of_the_demo_files_is_parsed(path: Path) -> None:
    tables = frames(parse_file(path, str(path)))
    activities, transactions = _xpath_counts(path)
    assert tables["activities"].height == activities > 0
    assert tables["transactions"].height == transactions


def test_values_titles_and_defaults_are_read_as_published(tmp_path: Path) -> None:
    path = _write(tmp_path, ACTIVITY.format(pct="70", date="2021-01-04", value="-1234.565"))
    tables = frames(parse_file(path, "test.xml"))
    activity = tables["activities"].row(0, named=True)
    transaction = tables["transactions"].row(0, named=True)
    assert (activity["title"], activity["title_nl"], activity["title_en"]) == ("Testtitel", "Testtitel", "Test title")
    assert tables["recipients"]["percentage"].to_list() == [Decimal(70), Decimal(30)]
    assert transaction["value"] == Decimal("-1234.565")
    assert (transaction["currency"], transaction["currency_is_default"]) == ("EUR", True)
    assert str(transaction["value_date"]) == "2021-01-05"
    assert transaction["_source_row"] == 10  # the line of <transaction>


def test_percentages_that_do_not_sum_to_100_are_kept_as_published_and_not_added_up(tmp_path: Path) -> None:
    """The parser reads and casts: the sums and the issue are derived in dbt (int_iati__activity_percentages,
    whose unit test asserts "percentages sum to 80, not 100; shares normalised" for 50 + 30)."""
    path = _write(tmp_path, ACTIVITY.format(pct="50", date="2021-01-04", value="10"))
    tables = frames(parse_file(path, "test.xml"))
    recipients = tables["recipients"]
    assert recipients["percentage"].to_list() == [Decimal(50), Decimal(30)]
    assert recipients["transaction_index"].to_list() == [None, None]
    assert not {c for c in tables["activities"].columns if "percentage" in c}


def test_truncated_xml_fails_with_file_and_line(tmp_path: Path) -> None:
    source = DEMO_FILES[0].read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(source[: len(source) // 2])
    with pytest.raises(ParseError) as raised:
        parse_file(path, "mirror/iati/cut.xml")
    lines = source[: len(source) // 2].count(b"\n") + 1
    assert raised.value.file == "mirror/iati/cut.xml"
    assert raised.value.row is not None and abs(raised.value.row - lines) <= 1
    assert f"line {raised.value.row}" in raised.value.describe()


def test_a_value_that_is_not_a_number_names_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, ACTIVITY.format(pct="70", date="2021-01-04", value="12,5 mln"))
    with pytest.raises(ParseError) as raised:
        parse_file(path, "test.xml")
    assert (raised.value.row, raised.value.field) == (13, "transaction/value")


def test_version_1_files_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, ACTIVITY.format(pct="70", date="2021-01-04", value="1"), version="1.05")
    with pytest.raises(ParseError, match=r"version 1\.05 is not supported"):
        parse_file(path, "test.xml")


def test_an_unparseable_date_is_kept_as_text_for_the_suite_to_report(tmp_path: Path) -> None:
    path = _write(tmp_path, ACTIVITY.format(pct="70", date="2021-13-45", value="1"))
    transaction = frames(parse_file(path, "test.xml"))["transactions"].row(0, named=True)
    assert transaction["transaction_date"] is None and transaction["transaction_date_text"] == "2021-13-45"


def test_memory_stays_bounded_by_one_activity(tmp_path: Path) -> None:
    """After each activity the parser clears what it read: the tree never holds two activities."""
    from ingest.iati import xml as iati_xml

    body = "\n".join(
        ACTIVITY.format(pct="70", date="2021-01-04", value=str(i)).replace("TEST-1", f"TEST-{i}") for i in range(50)
    )
    path = _write(tmp_path, body)
    sizes = []
    for rows in iati_xml.iter_activities(path, "test.xml"):
        sizes.append(len(rows.tables["activities"]))
    assert sizes == [1] * 50


def test_iati_dataset_parse_adds_provenance(tmp_path: Path) -> None:
    from ingest.iati.activities import _table_parser

    path = DEMO_FILES[0]
    landed = LandedFile(
        path=path,
        sha256="abc",
        origin="demo.xml",
        bytes=1,
        retrieved_at="2025-01-01T00:00:00+00:00",
        http_status=None,
        name=None,
    )
    frame = _table_parser("transactions")([landed])
    assert frame.select("_source_file", "_snapshot_sha256").unique().rows() == [("demo.xml", "abc")]
    assert frame["_source_row"].null_count() == 0
