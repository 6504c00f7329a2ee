"""One HTTP client for every live source: timeouts and retries with backoff (keys come from the settings).

Retries cover what real APIs do to a nightly job: 429 (with a longer cool-down, honouring
``Retry-After``), 5xx, connection resets, read timeouts and bodies cut off mid-transfer. A 4xx other than
429 is final and raised at once with a message that says what to fix.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
)

from ingest.common.source import FetchError, RawFile, redact, utc_now

log = logging.getLogger("maw.http")
USER_AGENT = "migration-aid-warehouse/0.1 (+https://github.com/; open data warehouse)"


class RetryableHTTPError(Exception):
    """A response worth trying again (429, 5xx, a truncated or undecodable body)."""

    def __init__(self, message: str, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


# ChunkedEncodingError: the connection closed before Content-Length bytes arrived (a body cut off).
_RETRYABLE = (
    RetryableHTTPError,
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


@dataclass
class HttpClient:
    """A requests session with the house retry policy.

    ``backoff`` is the first wait in seconds (doubled each try, capped at ``max_wait``); a 429 waits
    ``rate_limit_cooldown`` at least, or what ``Retry-After`` asks if that is longer.
    """

    timeout: float = 60.0
    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 60.0
    rate_limit_cooldown: float = 10.0
    headers: dict[str, str] = field(default_factory=dict)
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.headers.update({"User-Agent": USER_AGENT, **self.headers})

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        wait = min(self.backoff * 2 ** (state.attempt_number - 1), self.max_wait)
        if isinstance(exc, RetryableHTTPError) and exc.status == 429:
            wait = max(wait, self.rate_limit_cooldown, exc.retry_after or 0.0)
        log.warning("retrying in %.1fs after: %s", wait, exc)
        return wait

    def get(self, url: str, params: dict[str, Any] | None = None, *, expect_json: bool = False) -> RawFile:
        """GET with retries; returns the body as a :class:`RawFile` (JSON validated if asked)."""
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_RETRYABLE),
            reraise=True,
        )
        try:
            return retrying(self._get_once, url, params, expect_json)
        except (RetryableHTTPError, requests.RequestException) as exc:
            raise FetchError(
                f"gave up after {self.attempts} attempts: {exc}", file=redact(_full_url(url, params))
            ) from exc

    def _get_once(self, url: str, params: dict[str, Any] | None, expect_json: bool) -> RawFile:
        log.info("GET %s", redact(_full_url(url, params)))
        response = self.session.get(url, params=params, timeout=self.timeout)
        shown = redact(response.url)
        if response.status_code == 429:
            raise RetryableHTTPError(
                f"429 Too Many Requests from {shown}",
                retry_after=_retry_after(response.headers.get("Retry-After")),
                status=429,
            )
        if response.status_code >= 500:
            raise RetryableHTTPError(f"{response.status_code} from {shown}", status=response.status_code)
        if response.status_code in (401, 403):
            raise FetchError(
                f"{response.status_code}: the API refused the key or token; check the environment variable "
                "that holds it (the value is never logged)",
                file=shown,
            )
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code}: {response.text[:200]!r}", file=shown)
        content = response.content
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) != len(content):
            raise RetryableHTTPError(f"truncated body from {shown}: {len(content)} of {declared} bytes")
        if expect_json:
            try:
                json.loads(content)
            except ValueError as exc:
                raise RetryableHTTPError(f"body from {shown} is not complete JSON: {exc}") from exc
        return RawFile(
            content=content,
            origin=shown,
            extension="json" if expect_json else _extension(response),
            http_status=response.status_code,
            retrieved_at=utc_now(),
        )


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _full_url(url: str, params: dict[str, Any] | None) -> str:
    return requests.Request("GET", url, params=params).prepare().url or url


def _extension(response: requests.Response) -> str:
    kind = response.headers.get("Content-Type", "")
    for needle, extension in (("json", "json"), ("xml", "xml"), ("csv", "csv"), ("zip", "zip")):
        if needle in kind:
            return extension
    return "bin"
