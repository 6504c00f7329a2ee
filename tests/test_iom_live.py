"""IOM live paths against a fake server on 127.0.0.1: DTM with a key, without a key (HDX), a refused key,
and the Missing Migrants per-year JSON. The bodies are written here (invented values, real shapes)."""

from __future__ import annotations

import json
import logging

import pytest
from conftest import Reply

from ingest.common.http import HttpClient
from ingest.common.settings import load_settings
from ingest.common.source import FetchError, land
from ingest.iom import dtm, mmp

KEY = "s3cret-subscription-key"


def _envelope(records: list[dict]) -> bytes:
    body = {
        "result": records,
        "statusCode": 200,
        "isSuccess": True,
        "errorMessages": [],
        "totalRecordsCount": len(records),
    }
    return json.dumps(body).encode()


def _record(level: int, idps: int, reason: str) -> dict:
    record = {
        "operation": "Armed Clashes in Sudan (Overview)",
        "admin0Name": "Sudan",
        "admin0Pcode": "SDN",
        "numPresentIdpInd": idps,
        "reportingDate": "2024-07-31T00:00:00",
        "yearReportingDate": 2024,
        "monthReportingDate": 7,
        "roundNumber": 8,
        "displacementReason": reason,
        "numberMales": None,
        "numberFemales": None,
        "idpOriginAdmin1Name": "Not available",
        "idpOriginAdmin1Pcode": "Not available",
        "assessmentType": "BA",
    }
    if level >= 1:
        record |= {"id": 7000 + idps % 97, "admin1Name": "Khartoum", "admin1Pcode": "SD01"}
    if level == 2:
        record |= {"admin2Name": "Bahri", "admin2Pcode": "SD0101"}
    return record


@pytest.fixture
def fast(monkeypatch) -> HttpClient:
    return HttpClient(timeout=2, attempts=3, backoff=0.01, rate_limit_cooldown=0.01)


def _dtm_routes(server, key_seen: list[str]) -> None:
    def guarded(records_for):
        def handler(path, params, headers):
            key_seen.append(headers.get(dtm.KEY_HEADER.lower(), ""))
            if headers.get(dtm.KEY_HEADER.lower()) != KEY:
                return Reply(401, b'{"statusCode": 401, "message": "Access denied due to invalid subscription key."}')
            return Reply(200, _envelope(records_for(params)))

        return handler

    server.routes["/v3/displacement/country-list"] = guarded(lambda p: [{"admin0Name": "Sudan", "admin0Pcode": "SDN"}])
    server.routes["/v3/displacement/operation-list"] = guarded(
        lambda p: [
            {
                "operation": "Armed Clashes in Sudan (Overview)",
                "operationStatus": "Active",
                "admin0Name": "Sudan",
                "admin0Pcode": "SDN",
            }
        ]
    )
    for level in (0, 1, 2):
        server.routes[f"/v3/displacement/admin{level}"] = guarded(
            lambda p, level=level: (
                [_record(level, 600, "Conflict"), _record(level, 400, "Natural disaster")]
                if p.get("Admin0Pcode") == ["SDN"]
                else []
            )
        )


def test_dtm_with_key_uses_v3_sends_header_and_never_stores_the_key(fake_server, fast, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("DTM_API_KEY", KEY)
    monkeypatch.setenv("MAW_DTM_API_URL", f"{fake_server.url}/v3/")
    seen: list[str] = []
    _dtm_routes(fake_server, seen)
    with caplog.at_level(logging.INFO, logger="maw.iom"):
        files = dtm.fetch_dtm_live(load_settings().iom, fast)
    assert "DTM API v3" in caplog.text
    assert seen and set(seen) == {KEY}
    assert [f.name for f in files][2:] == [f"dtm/api_v3/displacement-admin{n}-admin0pcode-sdn.json" for n in (0, 1, 2)]
    snapshot = land(tmp_path / "raw", "iom", "dtm_idps", files)
    frame = dtm.parse_dtm(snapshot.files)
    assert frame.group_by("admin_level").agg(idps=frame["idps"].sum()).height == 3
    assert frame.filter(frame["admin_level"] == 0)["idps"].sum() == 1000
    assert set(frame["operation_status"]) == {"Active"}
    stored = " ".join(f.origin for f in snapshot.files) + " ".join(
        p.read_text() for p in (tmp_path / "raw").rglob("*.meta.json")
    )
    assert KEY not in stored and KEY not in caplog.text


def test_dtm_wrong_key_gives_a_clear_401_message(fake_server, fast, monkeypatch):
    monkeypatch.setenv("DTM_API_KEY", "wrong-key")
    monkeypatch.setenv("MAW_DTM_API_URL", f"{fake_server.url}/v3/")
    _dtm_routes(fake_server, [])
    with pytest.raises(FetchError) as error:
        dtm.fetch_dtm_live(load_settings().iom, fast)
    message = error.value.describe()
    assert "401" in message and "environment variable" in message
    assert "wrong-key" not in message
    assert len(fake_server.requests) == 1  # a 401 is final: no retries


def test_dtm_unsuccessful_envelope_is_an_error(fake_server, fast, monkeypatch):
    monkeypatch.setenv("DTM_API_KEY", KEY)
    monkeypatch.setenv("MAW_DTM_API_URL", f"{fake_server.url}/v3/")
    body = json.dumps(
        {
            "result": [],
            "statusCode": 400,
            "isSuccess": False,
            "errorMessages": ["Please provide either the Country Name, Admin0 Pcode or Operation"],
        }
    )
    fake_server.routes["/v3/displacement/country-list"] = lambda p, q, h: Reply(200, body.encode())
    with pytest.raises(FetchError, match="Please provide either"):
        dtm.fetch_dtm_live(load_settings().iom, fast)


HDX_CSV = (
    "id,operation,admin0Name,admin0Pcode,admin1Name,admin1Pcode,admin2Name,admin2Pcode,adminLevel,numPresentIdpInd,"
    "reportingDate,yearReportingDate,monthReportingDate,roundNumber,displacementReason,numberMales,numberFemales,"
    "idpOriginAdmin1Name,idpOriginAdmin1Pcode,assessmentType,operationStatus\r\n"
    "#id+code,#operation+name,#country+name,#country+code,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#adm+level,"
    "#affected+idps,#date+reported,#date+year+reported,#date+month+reported,#round+code,#cause+type,#affected+idps+m,"
    "#affected+idps+f,#adm1+name+origin,#adm1+code+origin,#assessment+type,#operation+status\r\n"
    ",Lake Chad Basin Crisis,Chad,TCD,,,,,0,1500,2024-06-30T00:00:00,2024,6,23,Conflict,,,"
    "Lac,TD07,BA,Active\r\n"
    "11,Lake Chad Basin Crisis,Chad,TCD,Lac,TD07,,,1,1500,2024-06-30T00:00:00,2024,6,23,Conflict,,,"
    "Lac,TD07,BA,Active\r\n"
)


def test_dtm_without_key_falls_back_to_hdx_and_says_so(fake_server, fast, monkeypatch, tmp_path, caplog):
    monkeypatch.delenv("DTM_API_KEY", raising=False)
    monkeypatch.setenv("MAW_HDX_URL", fake_server.url)
    csv_path = "/dataset/demo/resource/demo/download/global-iom-dtm-from-api-admin-0-to-2.csv"
    package = {
        "success": True,
        "result": {
            "name": "global-iom-dtm-from-api",
            "resources": [
                {
                    "name": "Data for QuickCharts",
                    "download_url": f"{fake_server.url}/x/data_for_quickcharts.csv",
                },
                {
                    "name": "Global IOM DTM data for admin levels 0-2",
                    "download_url": f"{fake_server.url}{csv_path}",
                },
            ],
        },
    }
    fake_server.routes["/api/3/action/package_show"] = lambda p, q, h: Reply(200, json.dumps(package).encode())
    fake_server.routes[csv_path] = lambda p, q, h: Reply(200, HDX_CSV.encode(), {"Content-Type": "text/csv"})
    with caplog.at_level(logging.INFO, logger="maw.iom"):
        files = dtm.fetch_dtm_live(load_settings().iom, fast)
    assert "DTM_API_KEY is not set" in caplog.text and "HDX" in caplog.text
    assert fake_server.requests[0][1] == {"id": ["global-iom-dtm-from-api"]}
    frame = dtm.parse_dtm(land(tmp_path / "raw", "iom", "dtm_idps", files).files)
    assert frame["source_format"].to_list() == ["hdx_global_csv", "hdx_global_csv"]
    assert frame["admin_level"].to_list() == [0, 1]
    assert frame["_source_row"].to_list() == [3, 4]  # header and HXL row come first


def test_mmp_json_per_year_with_retry_quirks_and_optional_export(fake_server, fast, monkeypatch, tmp_path):
    monkeypatch.setenv("MAW_MMP_URL", fake_server.url)
    monkeypatch.setenv("MAW_MMP_YEAR_FROM", "2015")
    monkeypatch.setenv("MAW_MMP_YEAR_TO", "2016")
    incident = {
        "web_id": "2015.MMP00001",
        "region": "Mediterranean",
        "reported_date": "2015-04-18",
        "number_dead": "1,022",
        "number_missing": "-2",
        "total_dead_and_missing": "1020",
        "number_of_survivors": "",
        "number_of_female": "",
        "number_of_male": "",
        "number_of_children": "",
        "cause_death": "Drowning",
        "country_of_incident": "C&#244;te d&#039;Ivoire",
        "location_description": "Off the coast\n",
        "unsd_geographic_grouping": "Uncategorized",
        "location_coodinates": "35.5, 12.6",
        "migration_route": "Central Mediterranean",
        "information_source": "IOM",
        "url": "",
        "source_quality": "4",
    }
    calls = {"2015": 0}

    def year(path, params, headers):
        number = path.split("/")[2]
        if number == "2015":
            calls["2015"] += 1
            if calls["2015"] == 1:
                return Reply(503, b"busy")
            return Reply(
                200,
                json.dumps(
                    [
                        incident,
                        {**incident, "number_dead": "3", "number_missing": "", "total_dead_and_missing": "3"},
                    ]
                ).encode(),
            )
        return Reply(200, b"[]")

    fake_server.routes["/global-figures/2015/json"] = year
    fake_server.routes["/global-figures/2016/json"] = year
    # the export answers 404 here: a warning, the JSON still loads
    files = mmp.fetch_mmp_live(load_settings().iom, fast)
    assert [f.name for f in files] == [
        "missing_migrants/api_json/2015-json.json",
        "missing_migrants/api_json/2016-json.json",
    ]
    frame = mmp.parse_mmp(land(tmp_path / "raw", "iom", "missing_migrants", files).files)
    assert frame["dead"].to_list() == [1022, 3]
    assert frame["split_number"].to_list() == [1, 2]
    assert frame["country_of_incident_iso3"].to_list() == ["CIV", "CIV"]
    assert frame["coordinates"][0] == "35.5, 12.6" and frame["latitude"][0] == 35.5
    # counts as published, the correction (-2 missing) kept; the measures over them (dead_missing, is_correction,
    # the incident's total) are derived and tested in dbt: the unit test of int_iom__mmp_rows takes these rows
    assert frame["missing"].to_list() == [-2, None]
    assert frame["dead_missing_published"].to_list() == [1020, 3]
