"""The shared HTTP client against a local fake server: retries, cool-downs, timeouts, truncation, keys."""

from __future__ import annotations

import json

import pytest

from ingest.common.http import HttpClient
from ingest.common.source import FetchError
from tests.conftest import Reply


def _client(**overrides) -> HttpClient:
    settings = {"timeout": 0.5, "attempts": 4, "backoff": 0.01, "max_wait": 0.05, "rate_limit_cooldown": 0.2}
    return HttpClient(**{**settings, **overrides})


def _sequence(*replies: Reply):
    queue = list(replies)
    return lambda *_: queue.pop(0) if len(queue) > 1 else queue[0]


GOOD = Reply(200, json.dumps({"items": [1, 2, 3]}).encode())


@pytest.mark.parametrize(
    "failure",
    [
        Reply(500, b"<html>oops</html>"),
        Reply(503, b""),
        Reply(200, b'{"items": [1, 2'),  # complete transfer of an incomplete JSON document
        Reply(200, json.dumps({"items": [1, 2, 3]}).encode(), truncate_to=7),  # connection cut mid-body
        Reply(200, GOOD.body, delay=1.0),  # slower than the client's timeout
    ],
    ids=["500", "503", "broken-json", "truncated-body", "timeout"],
)
def test_transient_failures_are_retried(fake_server, failure: Reply) -> None:
    fake_server.routes["/data"] = _sequence(failure, GOOD)
    raw = _client().get(fake_server.url + "/data", {"page": 1}, expect_json=True)
    assert json.loads(raw.content) == {"items": [1, 2, 3]}
    assert raw.http_status == 200
    assert len(fake_server.requests) == 2


def test_rate_limit_waits_at_least_the_cooldown_or_retry_after(fake_server, monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)
    fake_server.routes["/data"] = _sequence(Reply(429, b"", {"Retry-After": "0.3"}), Reply(429, b""), GOOD)
    _client(rate_limit_cooldown=0.2).get(fake_server.url + "/data", expect_json=True)
    assert waits == [pytest.approx(0.3), pytest.approx(0.2)]


def test_gives_up_with_the_url_after_the_last_attempt(fake_server) -> None:
    fake_server.routes["/data"] = lambda *_: Reply(500, b"down")
    with pytest.raises(FetchError, match="gave up after 3 attempt") as error:
        _client(attempts=3).get(fake_server.url + "/data", {"q": "x"})
    assert "/data?q=x" in (error.value.file or "")
    assert len(fake_server.requests) == 3


def test_refused_key_fails_at_once_without_leaking_it(fake_server) -> None:
    fake_server.routes["/data"] = lambda *_: Reply(401, b'{"message": "invalid key"}')
    with pytest.raises(FetchError, match="refused the key") as error:
        _client().get(fake_server.url + "/data", {"api_key": "SECRET"})
    assert len(fake_server.requests) == 1
    assert "SECRET" not in str(error.value)


def test_headers_carry_keys_and_never_reach_the_raw_origin(fake_server) -> None:
    fake_server.routes["/data"] = lambda *_: GOOD
    raw = _client(headers={"Ocp-Apim-Subscription-Key": "K3Y"}).get(fake_server.url + "/data")
    assert fake_server.requests[0][2]["ocp-apim-subscription-key"] == "K3Y"
    assert "K3Y" not in raw.origin
