"""The live IATI paths against fake servers on 127.0.0.1: Registry listing -> XML download (keyless), and
the Datastore API (key in the header, paging, 429 back-off, refused key, missing key -> Registry path)."""

from __future__ import annotations

import csv
import json
import logging
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.common.source import FetchError, SourceContext, land
from ingest.iati import activities as iati_activities
from ingest.iati import codelists
from ingest.iati.xml import frames, parse_file
from tests.conftest import DEMO_MIRROR, Reply

DUTCH_DEMO = DEMO_MIRROR / "iati" / "minbuza_nl" / "XM-DAC-7_minbuza_nl_demo.xml"
UNHCR_DEMO = DEMO_MIRROR / "iati" / "partners" / "XM-DAC-41121_unhcr_demo.xml"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    iati_activities._fetched.clear()
    iati_activities._parsed_xml.clear()
    iati_activities._datastore_tables.cache_clear()
    monkeypatch.delenv("IATI_API_KEY", raising=False)
    monkeypatch.setenv("MAW_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("MAW_IATI_RATE_LIMIT_COOLDOWN", "0.05")
    monkeypatch.setenv("MAW_IATI_DATASTORE_PAUSE", "0")


def _registry(server, files: dict[str, Path]) -> None:
    def package_search(_path, params, _headers) -> Reply:
        assert params["fq"] == ["organization:minbuza_nl"]
        start = int(params["start"][0])
        packages = [
            {
                "name": name,
                "organization": {"name": "minbuza_nl"},
                "extras": [{"key": "filetype", "value": "activity"}],
                "resources": [{"url": f"{server.url}/bz/{name}.xml"}],
            }
            for name in files
        ] + [
            {
                "name": "minbuza_nl-organisation",
                "extras": [{"key": "filetype", "value": "organisation"}],
                "resources": [{"url": f"{server.url}/bz/org.xml"}],
            }
        ]
        return Reply(
            body=json.dumps({"success": True, "result": {"count": len(packages), "results": packages[start:]}}).encode()
        )

    server.routes["/api/3/action/package_search"] = package_search
    for name, path in files.items():
        server.routes[f"/bz/{name}.xml"] = lambda *_a, p=path: Reply(
            body=p.read_bytes(), headers={"Content-Type": "application/xml"}
        )


def test_without_a_key_the_registry_lists_the_files_and_they_are_downloaded(fake_server, monkeypatch, caplog, tmp_path):
    _registry(fake_server, {"minbuza_nl-activities20222023": DUTCH_DEMO, "minbuza_nl-activities20242025": UNHCR_DEMO})
    monkeypatch.setenv("MAW_IATI_REGISTRY_URL", f"{fake_server.url}/api/3/action")
    monkeypatch.setenv("MAW_IATI_PUBLISHERS", "minbuza_nl")
    with caplog.at_level(logging.WARNING, logger="maw.iati"):
        files = iati_activities.fetch_activity_files(SourceContext(mode="live"))
    assert "IATI_API_KEY is not set" in caplog.text and "Registry" in caplog.text
    assert [f.name for f in files] == ["minbuza_nl-activities20222023", "minbuza_nl-activities20242025"]
    assert files[0].content == DUTCH_DEMO.read_bytes()
    assert not any("/bz/org.xml" in request[0] for request in fake_server.requests)
    snapshot = land(tmp_path, "iati", "transactions", files)
    transactions = iati_activities._parse_snapshot(snapshot.files)["transactions"]
    expected = sum(frames(parse_file(p, str(p)))["transactions"].height for p in (DUTCH_DEMO, UNHCR_DEMO))
    assert transactions.height == expected
    assert set(transactions["_source_file"]) == {
        f"{fake_server.url}/bz/{n}.xml" for n in ("minbuza_nl-activities20222023", "minbuza_nl-activities20242025")
    }


def test_a_registry_download_cut_off_is_retried(fake_server, monkeypatch):
    _registry(fake_server, {"minbuza_nl-activities20222023": DUTCH_DEMO})
    body = DUTCH_DEMO.read_bytes()
    calls = []

    def flaky(*_args) -> Reply:
        calls.append(1)
        return Reply(body=body, truncate_to=len(body) // 3 if len(calls) == 1 else None)

    fake_server.routes["/bz/minbuza_nl-activities20222023.xml"] = flaky
    monkeypatch.setenv("MAW_IATI_REGISTRY_URL", f"{fake_server.url}/api/3/action")
    monkeypatch.setenv("MAW_IATI_PUBLISHERS", "minbuza_nl")
    files = iati_activities.fetch_activity_files(SourceContext(mode="live"))
    assert len(calls) == 2 and files[0].content == body


def _doc(identifier: str, index: int, value: str, kind: str = "3") -> dict:
    return {
        "id": f"{identifier}-{index}",
        "iati_identifier": identifier,
        "reporting_org_ref": "XM-DAC-7",
        "default_currency": "EUR",
        "title_narrative": ["Demo fake title", "Demo nep-titel"],
        "title_narrative_xml_lang": ["en", "nl"],
        "recipient_country_code": ["JO", "LB"],
        "recipient_country_percentage": [60, 40],
        "sector_code": ["15190"],
        "sector_vocabulary": ["1"],
        "sector_percentage": [100],
        "participating_org_ref": ["XM-DAC-7"],
        "participating_org_role": ["1", "4"],
        "participating_org_narrative": ["Ministry", "Implementer"],
        "transaction_transaction_type_code": kind,
        "transaction_transaction_date_iso_date": "2022-03-01T00:00:00Z",
        "transaction_value": value,
        "transaction_value_value_date": "2022-03-01T00:00:00Z",
    }


DOCS = [
    _doc("XM-DAC-7-FAKE-1", 1, "1000.5"),
    _doc("XM-DAC-7-FAKE-1", 2, "2.0E3", "2"),
    _doc("XM-DAC-7-FAKE-2", 1, "30"),
]


def _datastore(server, docs: list[dict], *, throttle_first: bool = True) -> list[str]:
    keys: list[str] = []

    def select(_path, params, headers) -> Reply:
        keys.append(headers.get("ocp-apim-subscription-key", ""))
        if throttle_first and len(keys) == 1:
            return Reply(status=429, body=b'{"statusCode": 429}', headers={"Retry-After": "0"})
        if headers.get("ocp-apim-subscription-key") != "secret-key":
            return Reply(
                status=401, body=b'{"statusCode": 401, "message": "Access denied due to invalid subscription key."}'
            )
        assert params["sort"] == ["id asc"] and "reporting_org_ref" in params["q"][0]
        start, rows = int(params["start"][0]), int(params["rows"][0])
        page = docs[start : start + rows]
        return Reply(body=json.dumps({"response": {"numFound": len(docs), "start": start, "docs": page}}).encode())

    server.routes["/datastore/transaction/select"] = select
    return keys


def test_with_a_key_the_datastore_is_paged_with_backoff_and_replaces_the_registry(fake_server, monkeypatch, tmp_path):
    keys = _datastore(fake_server, DOCS)
    monkeypatch.setenv("IATI_API_KEY", "secret-key")
    monkeypatch.setenv("MAW_IATI_DATASTORE_URL", f"{fake_server.url}/datastore")
    monkeypatch.setenv("MAW_IATI_REGISTRY_URL", f"{fake_server.url}/never-called")
    monkeypatch.setenv("MAW_IATI_DATASTORE_ROWS", "2")
    files = iati_activities.fetch_activity_files(SourceContext(mode="live"))
    assert len(keys) == 3  # one 429, then two pages of two and one documents
    assert [f.name for f in files] == ["datastore-transaction-page-0001", "datastore-transaction-page-0002"]
    assert all(f.origin.endswith(("start=0&wt=json", "start=2&wt=json")) for f in files)
    assert all("secret-key" not in f.origin for f in files)
    assert not any(r[0].startswith("/never-called") for r in fake_server.requests)
    tables = iati_activities._parse_snapshot(land(tmp_path, "iati", "transactions", files).files)
    transactions = tables["transactions"]
    assert transactions.height == len(DOCS)
    assert transactions["value"].to_list() == [Decimal("1000.5"), Decimal("2000"), Decimal("30")]
    assert transactions["transaction_index"].to_list() == [1, 2, 1]
    # pages are one source dataset, so staging keeps an activity's transactions whatever page they are on
    assert (
        set(transactions["source_dataset"]) == {iati_activities.DATASTORE_DATASET}
        and transactions["_source_file"].n_unique() == 2
    )
    activities = tables["activities"]
    assert activities["iati_identifier"].to_list() == ["XM-DAC-7-FAKE-1", "XM-DAC-7-FAKE-2"]
    assert activities["title_nl"].to_list() == ["Demo nep-titel"] * 2
    recipients = tables["recipients"].filter(tables["recipients"]["iati_identifier"] == "XM-DAC-7-FAKE-1")
    assert recipients["percentage"].to_list() == [Decimal(60), Decimal(40)]
    orgs = tables["participating_orgs"]  # refs cannot be paired with roles: left empty, not guessed
    assert orgs["org_ref"].null_count() == orgs.height and orgs["org_name"].to_list()[:2] == ["Ministry", "Implementer"]


def test_a_refused_key_is_a_clear_error(fake_server, monkeypatch):
    _datastore(fake_server, DOCS, throttle_first=False)
    monkeypatch.setenv("IATI_API_KEY", "wrong-key")
    monkeypatch.setenv("MAW_IATI_DATASTORE_URL", f"{fake_server.url}/datastore")
    with pytest.raises(FetchError, match="refused the key"):
        iati_activities.fetch_activity_files(SourceContext(mode="live"))


def test_codelists_are_downloaded_live(fake_server, monkeypatch, shared_data):
    for name in codelists.CODELISTS:
        body = (shared_data / "iati" / "codelists" / f"{name}.xml").read_bytes()
        fake_server.routes[f"/codelists/{name}.xml"] = lambda *_a, b=body: Reply(
            body=b, headers={"Content-Type": "text/xml"}
        )
    monkeypatch.setenv("MAW_IATI_CODELIST_URL", f"{fake_server.url}/codelists/{{name}}.xml")
    files = codelists._fetch_codelists(SourceContext(mode="live"))
    assert [f.name for f in files] == [f"{n}.xml" for n in codelists.CODELISTS]


@pytest.mark.shared
def test_the_mirrors_datastore_extract_goes_through_the_datastore_path(fake_server, monkeypatch, tmp_path, shared_data):
    """The Jordan extract (real Datastore rows) served as Datastore pages: every row arrives, the Dutch
    disbursements sum as in the CSV, and RDPP III's disbursements match the XML path row for row."""
    extract = (
        shared_data / "iati" / "minbuza_nl" / "jordan_datastore_extract_2025" / "transactions_xm-dac-7_related.csv"
    )
    with extract.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    docs = [{k: v for k, v in {"id": f"{i:05d}", **r}.items() if v != ""} for i, r in enumerate(records)]
    _datastore(fake_server, docs, throttle_first=False)
    monkeypatch.setenv("IATI_API_KEY", "secret-key")
    monkeypatch.setenv("MAW_IATI_DATASTORE_URL", f"{fake_server.url}/datastore")
    monkeypatch.setenv("MAW_IATI_DATASTORE_ROWS", "50")
    files = iati_activities.fetch_activity_files(SourceContext(mode="live"))
    transactions = iati_activities._parse_snapshot(land(tmp_path, "iati", "transactions", files).files)["transactions"]
    assert transactions.height == len(records)

    def dutch_disbursed(rows) -> Decimal:
        return sum(
            (
                Decimal(r["transaction_value"])
                for r in rows
                if r["iati_identifier"].startswith("XM-DAC-7-") and r["transaction_transaction_type_code"] == "3"
            ),
            Decimal(0),
        )

    parsed = transactions.filter(
        transactions["iati_identifier"].str.starts_with("XM-DAC-7-") & (transactions["transaction_type_code"] == "3")
    )
    assert sum(parsed["value"].to_list(), Decimal(0)) == dutch_disbursed(records)
    assert set(parsed["currency"]) == {"EUR"}

    xml = shared_data / "iati" / "minbuza_nl" / "XM-DAC-7_minbuza_nl_migration-supplement_dataiati.xml"
    from_xml = frames(parse_file(xml, str(xml)))["transactions"]

    def rdpp(frame) -> list[tuple]:
        rows = frame.filter(
            (frame["iati_identifier"] == "XM-DAC-7-PPR-4000006623") & (frame["transaction_type_code"] == "3")
        )
        return sorted((str(r["transaction_date"]), r["value"]) for r in rows.iter_rows(named=True))

    datastore_rows = rdpp(transactions)
    assert datastore_rows and datastore_rows == [r for r in rdpp(from_xml) if r[0] <= datastore_rows[-1][0]]
