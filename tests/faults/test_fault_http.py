"""What a hostile or broken server cannot do to the shared HTTP client (servers on 127.0.0.1)."""

from __future__ import annotations

import json
import socket
import time

import pytest

from ingest.common.http import HttpClient
from ingest.common.source import FetchError
from tests.conftest import Reply

GOOD = Reply(200, json.dumps({"items": [1, 2, 3]}).encode())


def _client(**overrides) -> HttpClient:
    settings = {"timeout": 0.5, "attempts": 3, "backoff": 0.01, "max_wait": 0.05, "rate_limit_cooldown": 0.01}
    return HttpClient(**{**settings, **overrides})


def test_retry_after_above_the_cap_fails_at_once_saying_so(fake_server, monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)
    fake_server.routes["/data"] = lambda *_: Reply(429, b"", {"Retry-After": "86400"})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"Retry-After 86400 s, more than the cap of 60 s") as error:
        _client(max_retry_after=60).get(fake_server.url + "/data")
    assert time.monotonic() - started < 5 and waits == []
    assert "MAW_HTTP_MAX_RETRY_AFTER" in str(error.value)
    assert len(fake_server.requests) == 1


def test_retry_after_as_http_date_within_the_cap_is_honoured(fake_server, monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    replies = [Reply(429, b"", {"Retry-After": when}), GOOD]
    fake_server.routes["/data"] = lambda *_: replies.pop(0)
    _client(max_retry_after=60, deadline=120).get(fake_server.url + "/data", expect_json=True)
    assert len(waits) == 1 and 25 < waits[0] <= 31


def test_a_drip_feed_server_cannot_hold_a_request_past_the_deadline(fake_server) -> None:
    # one byte every 0.2 s never trips the 0.5 s read timeout; 200 bytes would take 40 s
    fake_server.routes["/data"] = lambda *_: Reply(200, b"x" * 200, drip=0.2)
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline of 2 s"):
        _client(deadline=2, attempts=5).get(fake_server.url + "/data")
    elapsed = time.monotonic() - started
    assert elapsed < 2 + 0.5 + 1, f"held for {elapsed:.1f} s"


def test_a_key_echoed_in_an_error_body_never_reaches_the_message(fake_server) -> None:
    def echo(_path, params, headers):
        return Reply(400, json.dumps({"error": "bad request", "key": headers.get("x-api-key"), **params}).encode())

    fake_server.routes["/data"] = echo
    client = _client(headers={"X-Api-Key": "S3CRET-HEADER"})
    with pytest.raises(FetchError, match="HTTP 400") as error:
        client.get(fake_server.url + "/data", {"api_key": "S3CRET-PARAM", "q": "x"})
    text = str(error.value) + repr(error.value.__cause__) + repr(error.value.__context__)
    assert "S3CRET-HEADER" not in text and "S3CRET-PARAM" not in text
    assert "REDACTED" in text and "bad request" in text


def test_a_key_in_the_url_never_reaches_a_connection_error(monkeypatch) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(FetchError, match="gave up after 2 attempt") as error:
        _client(attempts=2).get(f"http://127.0.0.1:{port}/data", {"token": "T0KEN-VALUE"})
    assert "T0KEN-VALUE" not in str(error.value)


def _second_host() -> str:
    try:
        socket.getaddrinfo("localhost", 80)
    except OSError:
        pytest.skip("'localhost' does not resolve here: no second host name for the redirect test")
    return "localhost"


def test_key_headers_are_dropped_on_a_redirect_to_another_host(fake_server) -> None:
    other = fake_server.url.replace("127.0.0.1", _second_host())
    fake_server.routes["/start"] = lambda *_: Reply(302, b"", {"Location": other + "/landing"})
    fake_server.routes["/same"] = lambda *_: Reply(302, b"", {"Location": fake_server.url + "/landing"})
    fake_server.routes["/landing"] = lambda *_: GOOD
    client = _client(headers={"Ocp-Apim-Subscription-Key": "K3Y", "Authorization": "Bearer T0K"})

    client.get(fake_server.url + "/same", expect_json=True)
    client.get(fake_server.url + "/start", expect_json=True)

    (first, same_host, second, other_host) = fake_server.requests
    assert (first[0], same_host[0], other_host[0]) == ("/same", "/landing", "/landing")
    assert same_host[2]["ocp-apim-subscription-key"] == "K3Y", "same host: the key goes along"
    assert second[2]["ocp-apim-subscription-key"] == "K3Y"
    assert "ocp-apim-subscription-key" not in other_host[2] and "authorization" not in other_host[2]
    assert other_host[2]["user-agent"].startswith("migration-aid-warehouse")


def test_a_body_above_the_size_limit_is_refused(fake_server) -> None:
    fake_server.routes["/data"] = lambda *_: Reply(200, b"y" * 300_000)
    with pytest.raises(FetchError, match="larger than the limit of 100,000 bytes"):
        _client(max_bytes=100_000).get(fake_server.url + "/data")
    assert len(fake_server.requests) == 1
