"""Paging ends where the source says it ends, or fails naming the page (servers on 127.0.0.1)."""

from __future__ import annotations

import json

import pytest

from ingest import unhcr
from ingest.common.http import HttpClient
from ingest.common.source import FetchError, RawFile
from ingest.iati import datastore
from ingest.iom import dtm
from tests.conftest import Reply


def _client() -> HttpClient:
    return HttpClient(timeout=2, attempts=2, backoff=0.01, max_wait=0.02)


def test_unhcr_early_empty_page_fails_naming_it(fake_server) -> None:
    def pages(_path, params, _headers):
        page = int(params["page"][0])
        items = [{"year": 2020, "n": i} for i in range(10)] if page < 3 else []
        return Reply(200, json.dumps({"page": page, "maxPages": 8, "items": items}).encode())

    fake_server.routes["/population/v1/population/"] = pages
    with pytest.raises(FetchError, match="page 3 of 8 is empty") as error:
        unhcr.fetch_pages(_client(), fake_server.url + "/population/v1/", "population", {}, page_size=10)
    assert "page=3" in (error.value.file or "")


def test_iati_datastore_early_empty_page_fails_with_the_numbers(fake_server) -> None:
    # 185 rows promised, 50 delivered, then an empty page: the measured failure
    def select(_path, params, _headers):
        start = int(params["start"][0])
        docs = [{"id": f"t{i}"} for i in range(start, start + 25)] if start < 50 else []
        return Reply(200, json.dumps({"response": {"numFound": 185, "start": start, "docs": docs}}).encode())

    fake_server.routes["/transaction/select"] = select
    with pytest.raises(FetchError, match="empty but numFound is 185: only 50 of 185 rows") as error:
        datastore.fetch_pages(_client(), fake_server.url, "*:*", page_size=25, pause=0)
    assert "start=50" in (error.value.file or "")


def test_iati_datastore_complete_paging_still_works(fake_server) -> None:
    def select(_path, params, _headers):
        start = int(params["start"][0])
        docs = [{"id": f"t{i}"} for i in range(start, min(start + 25, 60))]
        return Reply(200, json.dumps({"response": {"numFound": 60, "start": start, "docs": docs}}).encode())

    fake_server.routes["/transaction/select"] = select
    assert len(datastore.fetch_pages(_client(), fake_server.url, "*:*", page_size=25, pause=0)) == 3


def test_dtm_answer_below_total_records_count_fails() -> None:
    body = {"result": [{"admin0Pcode": "SDN"}] * 44, "isSuccess": True, "totalRecordsCount": 133}
    raw = RawFile(content=json.dumps(body).encode(), origin="http://dtm.test/displacement/admin1", extension="json")
    with pytest.raises(FetchError, match="totalRecordsCount is 133 but the answer holds 44 records") as error:
        dtm._dtm_envelope(raw, "SDN")
    assert error.value.file == "http://dtm.test/displacement/admin1"
