"""The live UNHCR client against a fake API on 127.0.0.1 that answers like the real one (API.md §4-§6):
paged envelopes, counts as JSON numbers or numeric strings, ``"-"`` for not applicable, 429/500/timeouts
and bodies cut off mid-transfer."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import polars as pl
import pytest

from ingest import unhcr
from ingest.common.settings import load_settings
from ingest.common.source import FetchError, ParseError, SourceContext, land
from warehouse import WarehousePaths, loads
from warehouse.publish import publish

LIVE = SourceContext(mode="live")


def _fetch_population_pages() -> list:
    """The paging loop alone, with the client and base URL the settings (the fake server's env) give."""
    settings = load_settings().unhcr
    return unhcr.fetch_pages(settings.http.client(), settings.api_url, "population", {}, page_size=10)


BASE = "/population/v1/"


@pytest.fixture
def api(fake_server, monkeypatch):
    """Point the client at the fake server, with small pages and fast retries."""
    monkeypatch.setenv("MAW_UNHCR_API_URL", fake_server.url + BASE)
    monkeypatch.setenv("MAW_UNHCR_PAGE_SIZE", "10")
    monkeypatch.setenv("MAW_UNHCR_YEAR_FROM", "2020")
    monkeypatch.setenv("MAW_UNHCR_YEAR_TO", "2024")
    monkeypatch.setenv("MAW_UNHCR_TIMEOUT", "0.5")
    monkeypatch.setenv("MAW_UNHCR_ATTEMPTS", "3")
    monkeypatch.setenv("MAW_UNHCR_BACKOFF", "0.01")
    monkeypatch.setenv("MAW_UNHCR_RATE_LIMIT_COOLDOWN", "0.3")
    return fake_server


def population_item(number: int) -> dict:
    """One item as the API returns it: ids, names with trailing spaces, ints, "0" strings and "-"."""
    return {
        "year": 2020 + number % 5,
        "coo_id": 185,
        "coo_name": "Syrian Arab Rep.",
        "coo": "SYR",
        "coo_iso": "SYR",
        "coa_id": number,
        "coa_name": "Curacao ",
        "coa": f"C{number:02d}",
        "coa_iso": "CUW",
        "refugees": 1000 + number,
        "asylum_seekers": str(number * 5),
        "returned_refugees": "0",
        "idps": "0",
        "returned_idps": "0",
        "stateless": "0",
        "ooc": "0",
        "oip": "-" if number % 2 else str(number),
        "hst": "0",
    }


def paged(items: list[dict], **envelope):
    """A handler serving ``items`` in pages of ``limit`` with the API's envelope."""

    def handler(_path, params, _headers):
        from conftest import Reply

        limit = int(params["limit"][0])
        page = int(params["page"][0])
        chunk = items[(page - 1) * limit : page * limit]
        max_pages = -(-len(items) // limit)
        body = {"page": page, "short-url": "xxxxxx", "maxPages": max_pages, "total": [], "items": chunk}
        return Reply(200, json.dumps({**body, **envelope}).encode())

    return handler


def test_pages_to_max_pages_sending_iso_codes_and_both_year_bounds(api, tmp_path):
    items = [population_item(n) for n in range(1, 26)]
    api.routes[BASE + "population/"] = paged(items)
    dataset = next(d for d in unhcr.DATASETS if d.name == "population")

    raw = dataset.fetch(LIVE)

    assert [f.name for f in raw] == ["population-page-0001", "population-page-0002", "population-page-0003"]
    pages = [params for path, params, _ in api.requests]
    assert [p["page"] for p in pages] == [["1"], ["2"], ["3"]]
    for params in pages:
        assert params["cf_type"] == ["ISO"]
        assert params["yearFrom"] == ["2020"] and params["yearTo"] == ["2024"]
        assert params["coo_all"] == ["true"] and params["coa_all"] == ["true"]
        assert params["limit"] == ["10"]
    frame = dataset.parse(land(tmp_path, "unhcr", "population", raw).files)
    assert frame.height == 25
    assert frame.schema["refugees"] == pl.Int64 and frame.schema["asylum_seekers"] == pl.Int64
    first = frame.row(0, named=True)
    assert first["refugees"] == 1001 and first["asylum_seekers"] == 5 and first["idps"] == 0
    assert first["oip"] is None  # "-" is not applicable, not zero
    assert frame.row(1, named=True)["oip"] == 2
    assert first["coa_name"] == "Curacao"  # trailing space trimmed
    assert first["_source_row"] == 1 and first["_source_file"].startswith(api.url)
    assert frame.filter(pl.col("_source_file").str.contains("page=3")).height == 5


def test_an_empty_page_before_max_pages_fails_naming_the_page(api):
    def handler(_path, params, _headers):
        from conftest import Reply

        page = int(params["page"][0])
        items = [population_item(n) for n in range(10)] if page == 1 else []
        return Reply(200, json.dumps({"page": page, "maxPages": 5, "total": [], "items": items}).encode())

    api.routes[BASE + "population/"] = handler
    with pytest.raises(FetchError, match="page 2 of 5 is empty") as error:
        _fetch_population_pages()
    assert "page=2" in (error.value.file or "")
    assert len(api.requests) == 2


def test_a_page_longer_than_the_limit_is_an_error_not_a_partial_load(api):
    api.routes[BASE + "population/"] = lambda *_: __import__("conftest").Reply(
        200, json.dumps({"page": 1, "maxPages": 1, "items": [population_item(n) for n in range(12)]}).encode()
    )
    with pytest.raises(FetchError, match="paging not kept"):
        _fetch_population_pages()


def _flaky(first_replies: list, then):
    """Answer with ``first_replies`` in turn, then always with ``then``."""
    replies = list(first_replies)

    def handler(path, params, headers):
        return replies.pop(0) if replies else then(path, params, headers)

    return handler


def test_429_waits_the_rate_limit_cooldown_and_500_the_short_backoff(api, caplog):
    from conftest import Reply

    items = [population_item(n) for n in range(3)]
    api.routes[BASE + "population/"] = _flaky([Reply(429, b"slow down"), Reply(500, b"oops")], paged(items))
    with caplog.at_level(logging.WARNING, logger="maw.http"):
        raw = _fetch_population_pages()
    assert len(raw) == 1 and len(api.requests) == 3
    waits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    assert waits[0].startswith("retrying in 0.3s") and "429" in waits[0]  # the cooldown, not the backoff
    assert waits[1].startswith("retrying in 0.0s") and "500" in waits[1]


def test_persistent_500_gives_up_with_a_fetch_error(api):
    from conftest import Reply

    api.routes[BASE + "population/"] = lambda *_: Reply(500, b"down")
    with pytest.raises(FetchError, match="gave up after 3 attempts"):
        _fetch_population_pages()


def test_timeout_and_truncated_json_are_retried(api, monkeypatch):
    from conftest import Reply

    monkeypatch.setenv("MAW_UNHCR_ATTEMPTS", "4")

    items = [population_item(n) for n in range(4)]
    good = paged(items)
    body = good(None, {"limit": ["10"], "page": ["1"]}, {}).body
    api.routes[BASE + "population/"] = _flaky(
        [
            Reply(200, body, delay=1.0),  # longer than MAW_UNHCR_TIMEOUT
            Reply(200, body, truncate_to=len(body) // 2),  # Content-Length says more
            Reply(200, body[: len(body) // 2], headers={}),  # complete transfer of incomplete JSON
        ],
        good,
    )
    raw = _fetch_population_pages()
    assert json.loads(raw[0].content)["items"] == items
    assert len(api.requests) >= 4


def test_a_value_that_is_not_a_number_fails_the_parse_with_file_row_and_field(api, tmp_path):
    items = [population_item(n) for n in range(3)]
    items[2]["refugees"] = "n/a"
    api.routes[BASE + "population/"] = paged(items)
    dataset = next(d for d in unhcr.DATASETS if d.name == "population")
    landed = land(tmp_path, "unhcr", "population", dataset.fetch(LIVE)).files
    with pytest.raises(ParseError) as error:
        dataset.parse(landed)
    assert error.value.row == 3 and error.value.field == "refugees"
    assert "page=1" in error.value.file


def test_demographics_asks_for_population_types_and_locations(api, tmp_path):
    item = {
        **{k: v for k, v in population_item(1).items() if k not in unhcr.POPULATION_COUNTS},
        "pop_type": "REF",
        "location": "Dispersed in the country / territory",
        "loc_type": "V",
        "acc_type": "U",
        **dict.fromkeys(unhcr.DEMOGRAPHIC_BANDS, "0"),
        "total": 40,
    }
    api.routes[BASE + "demographics/"] = paged([item])
    dataset = next(d for d in unhcr.DATASETS if d.name == "demographics")
    frame = dataset.parse(land(tmp_path, "unhcr", "demographics", dataset.fetch(LIVE)).files)
    params = api.requests[0][1]
    for flag in ("ptype_show", "locationDescription_show", "locationUR_show", "locationAccType_show"):
        assert flag in params, flag
    assert frame.row(0, named=True)["total"] == 40 and frame.row(0, named=True)["pop_type"] == "REF"


def test_asylum_codes_named_na_stay_codes(api, tmp_path):
    item = {
        **{k: v for k, v in population_item(1).items() if k not in unhcr.POPULATION_COUNTS},
        "procedure_type": "G",
        "app_type": "NA",
        "dec_level": "NA",
        "app_pc": "P",
        "applied": "15",
    }
    api.routes[BASE + "asylum-applications/"] = paged([item])
    dataset = next(d for d in unhcr.DATASETS if d.name == "asylum-applications")
    frame = dataset.parse(land(tmp_path, "unhcr", dataset.name, dataset.fetch(LIVE)).files)
    assert frame.row(0, named=True)["app_type"] == "NA" and frame.row(0, named=True)["dec_level"] == "NA"
    assert frame.row(0, named=True)["applied"] == 15


def test_countries_take_their_bureau_from_the_regions_listings(api, tmp_path):
    countries = [
        {"id": 1, "code": "AUS", "iso": "AUT", "iso2": "AT", "name": "Austria", "majorArea": "Europe",
         "region": "Western Europe", "0": None},
        {"id": 2, "code": "ARE", "iso": "EGY", "iso2": "EG", "name": "Egypt", "majorArea": "Africa",
         "region": "Northern Africa", "0": None},
        {"id": 3, "code": "CUR", "iso": None, "iso2": None, "name": "Curacao ", "majorArea": None,
         "region": None, "0": None},
    ]  # fmt: skip
    regions = [{"id": 1, "name": "Middle East and North Africa"}, {"id": 7, "name": "Europe"}]

    def listing(_path, params, _headers):
        members = {"1": [countries[1]], "7": [countries[0]]}.get(params.get("unhcr_region", [""])[0], countries)
        return paged(members)(_path, params, _headers)

    api.routes[BASE + "countries/"] = listing
    api.routes[BASE + "regions/"] = paged(regions)
    dataset = next(d for d in unhcr.DATASETS if d.name == "countries")
    raw = dataset.fetch(LIVE)
    assert [f.name for f in raw] == [
        "countries-page-0001",
        "regions-page-0001",
        "countries-region-1-page-0001",
        "countries-region-7-page-0001",
    ]
    assert all(params["cf_type"] == ["ISO"] for _, params, _ in api.requests)
    frame = dataset.parse(land(tmp_path, "unhcr", "countries", raw).files).sort("unhcr_code")
    assert frame.height == 3
    assert frame["unhcr_code"].to_list() == ["ARE", "AUS", "CUR"]
    assert frame["iso_code"].to_list() == ["EGY", "AUT", None]
    assert frame["unhcr_region"].to_list() == ["Middle East and North Africa", "Europe", None]
    assert frame["unsd_subregion"].to_list() == ["Northern Africa", "Western Europe", None]
    assert frame["name"].to_list()[2] == "Curacao"


def test_flows_has_no_endpoint_so_live_mode_fetches_nothing_and_says_so(api, caplog):
    flows = next(d for d in unhcr.DATASETS if d.name == "flows")
    with caplog.at_level(logging.WARNING, logger="maw.unhcr"):
        assert flows.fetch(LIVE) == []
    assert api.requests == []
    assert "no API endpoint" in caplog.text
    empty = flows.parse([])
    assert empty.height == 0 and empty.schema["refugees"] == pl.Int64 and "_source_file" in empty.columns
    from expectations.runner import validate
    from ingest import registry
    from warehouse.loads import suite_for

    assert validate(
        empty, "flows", suite_for(registry.dataset("unhcr", "flows"))
    ).success  # a first live refresh can still publish


def test_a_live_refresh_keeps_the_published_flows_table(api, tmp_path: Path):
    """Mirror load published first; a live ingest of the mirror-only dataset then reuses that table."""
    from conftest import DEMO_MIRROR

    paths = WarehousePaths(tmp_path / "warehouse")
    flows = next(d for d in unhcr.DATASETS if d.name == "flows")
    first = loads.ingest_dataset(flows, SourceContext(mode="demo", mirror_dir=DEMO_MIRROR), paths, "run-mirror")
    loads.check_dataset(flows, paths, "run-mirror")
    publish(paths, "run-mirror", "demo")

    second = loads.ingest_dataset(flows, LIVE, paths, "run-live")

    assert second.rows == first.rows > 0
    assert second.unchanged
    assert api.requests == []


def api_item(row: dict[str, str], spec: unhcr.Endpoint, number: int) -> dict:
    """A bulk-file row as the API would send it: ids added, counts as numbers or "0" strings, NA as "-"."""
    item: dict = {"coo_id": number, "coa_id": number + 1}
    for column, dtype in spec.schema.items():
        value = row[column]
        if dtype == pl.Utf8 or column == "year":
            item[column] = int(value) if column == "year" else value
        elif value == "":
            item[column] = "-"
        else:
            item[column] = "0" if value == "0" else int(value)
    return item


@pytest.mark.parametrize(
    "name",
    ["population", "asylum-applications", "asylum-decisions", "solutions", "demographics", "idmc", "unrwa"],
)
def test_a_live_load_gives_the_same_table_as_the_bulk_file(name, api, tmp_path):
    """The downstream models must not care where a snapshot came from (API.md: same schema as the items)."""
    from conftest import DEMO_MIRROR
    from unhcr_helpers import dataset, raw_rows

    spec = unhcr.ENDPOINTS_BY_NAME[name]
    rows = [r for f in spec.mirror_files for r in raw_rows(DEMO_MIRROR / "unhcr" / f)]
    api.routes[BASE + spec.endpoint + "/"] = paged([api_item(r, spec, n) for n, r in enumerate(rows)])
    loader = dataset(name)
    live = loader.parse(land(tmp_path / "live", "unhcr", name, loader.fetch(LIVE)).files)
    bulk = loader.parse(
        land(tmp_path / "bulk", "unhcr", name, loader.fetch(SourceContext(mode="demo", mirror_dir=DEMO_MIRROR))).files
    )
    assert len(api.requests) == -(-len(rows) // 10)  # every page, 1..maxPages
    assert live.select(list(spec.schema)).equals(bulk.select(list(spec.schema)))
