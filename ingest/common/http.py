"""One HTTP client for every live source: timeouts and retries with backoff (keys come from the settings).

Retries cover what real APIs do to a nightly job: 429 (with a longer cool-down, honouring
``Retry-After`` up to a cap), 5xx, connection resets, read timeouts and bodies cut off mid-transfer. A 4xx
other than 429 is final and raised at once with a message that says what to fix.

What a hostile or broken server cannot do: hold a request past its overall deadline (a body dripped one
byte at a time), make the job sleep for a day (``Retry-After`` above the cap is an error), send a body
larger than the size limit, read our keys (key headers are dropped on a redirect to another host), or get
a key into an error message (an echoed key in a body or URL is redacted before it reaches any text).
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
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


class DeadlineExceeded(Exception):
    """The whole request (connect, headers and body) took longer than the client's deadline."""


# ChunkedEncodingError / ProtocolError: the connection closed before Content-Length bytes arrived (a body
# cut off); ReadTimeoutError: a read of the body stalled past the timeout.
_RETRYABLE = (
    RetryableHTTPError,
    DeadlineExceeded,
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    urllib3.exceptions.ProtocolError,
    urllib3.exceptions.ReadTimeoutError,
)
# Headers that carry no secret; every other header (API keys, Authorization) stays with its host.
_PLAIN_HEADERS = frozenset({"user-agent", "accept", "accept-encoding", "accept-language", "connection"})
_SECRET_NAME = re.compile(r"(?i)key|token|secret|auth|password|signature")


class KeySafeSession(requests.Session):
    """A session that drops every key-bearing header (not just ``Authorization``) when a redirect leaves
    the host the request was sent to."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)
        if _origin(response.request.url) != _origin(prepared_request.url):
            for name in [h for h in prepared_request.headers if h.lower() not in _PLAIN_HEADERS]:
                del prepared_request.headers[name]
            log.info("redirect to another host (%s): key headers not forwarded", urlsplit(prepared_request.url).netloc)


@dataclass
class HttpClient:
    """A requests session with the house retry policy.

    ``backoff`` is the first wait in seconds (doubled each try, capped at ``max_wait``); a 429 waits
    ``rate_limit_cooldown`` at least, or what ``Retry-After`` asks if that is longer, up to
    ``max_retry_after`` (``MAW_HTTP_MAX_RETRY_AFTER``): a longer ask fails the fetch. ``timeout`` bounds each
    socket read, ``deadline`` (``MAW_HTTP_DEADLINE``) one whole attempt, ``max_bytes`` (``MAW_HTTP_MAX_BYTES``)
    the body.
    """

    timeout: float = 60.0
    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 60.0
    rate_limit_cooldown: float = 10.0
    max_retry_after: float = 900.0
    deadline: float = 1800.0
    max_bytes: int = 4 << 30
    headers: dict[str, str] = field(default_factory=dict)
    session: requests.Session = field(default_factory=KeySafeSession)

    def __post_init__(self) -> None:
        self.session.headers.update({"User-Agent": USER_AGENT, **self.headers})

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        wait = min(self.backoff * 2 ** (state.attempt_number - 1), self.max_wait)
        if isinstance(exc, RetryableHTTPError) and exc.status == 429:
            wait = max(wait, self.rate_limit_cooldown, exc.retry_after or 0.0)
        log.warning("retrying in %.1fs after: %s", wait, self._scrub(str(exc)))
        return wait

    def _secrets(self, params: dict[str, Any] | None) -> list[str]:
        """Values that must never appear in a message: key headers and key-like query parameters."""
        values = [v for k, v in self.session.headers.items() if k.lower() not in _PLAIN_HEADERS]
        values += [str(v) for k, v in (params or {}).items() if _SECRET_NAME.search(k)]
        return [v for v in values if isinstance(v, str) and len(v) >= 4]

    def _scrub(self, text: str, params: dict[str, Any] | None = None) -> str:
        for secret in self._secrets(params):
            text = text.replace(secret, "REDACTED")
        return redact(text)

    def get(self, url: str, params: dict[str, Any] | None = None, *, expect_json: bool = False) -> RawFile:
        """GET with retries; returns the body as a :class:`RawFile` (JSON validated if asked)."""
        deadline_at = time.monotonic() + self.deadline
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts) | stop_before_delay(self.deadline),
            wait=self._wait,
            retry=retry_if_exception_type(_RETRYABLE),
            reraise=True,
        )
        try:
            return retrying(self._get_once, url, params, expect_json, deadline_at)
        except (*_RETRYABLE, requests.RequestException) as exc:
            tries = retrying.statistics.get("attempt_number", 1)
            raise FetchError(
                f"gave up after {tries} attempt{'s' if tries > 1 else ''} (at most {self.attempts}, "
                f"deadline {self.deadline:g} s): "
                f"{self._scrub(str(exc), params)}",
                file=self._scrub(_full_url(url, params), params),
            ) from None

    def _get_once(self, url: str, params: dict[str, Any] | None, expect_json: bool, deadline_at: float) -> RawFile:
        log.info("GET %s", self._scrub(_full_url(url, params), params))
        with self.session.get(url, params=params, timeout=self.timeout, stream=True) as response:
            shown = self._scrub(response.url, params)
            if response.status_code == 429:
                retry_after = _retry_after(response.headers.get("Retry-After"))
                if retry_after is not None and retry_after > self.max_retry_after:
                    raise FetchError(
                        f"429 Too Many Requests with Retry-After {retry_after:.0f} s, more than the cap of "
                        f"{self.max_retry_after:.0f} s (MAW_HTTP_MAX_RETRY_AFTER); try again later",
                        file=shown,
                    )
                raise RetryableHTTPError(f"429 Too Many Requests from {shown}", retry_after=retry_after, status=429)
            content = self._read_body(response, deadline_at, shown)
        return self._checked(response, content, shown, params, expect_json)

    def _read_body(self, response: requests.Response, deadline_at: float, shown: str) -> bytes:
        """The body, read as it arrives (each read waits at most ``timeout``), within the deadline and the
        size limit."""
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline_at:
                raise DeadlineExceeded(f"{shown}: no complete answer within the deadline of {self.deadline:g} s")
            chunk = response.raw.read1(1 << 16, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(
                    f"body larger than the limit of {self.max_bytes:,} bytes (MAW_HTTP_MAX_BYTES)", file=shown
                )
            chunks.append(chunk)
        if time.monotonic() > deadline_at:
            raise DeadlineExceeded(f"{shown}: no complete answer within the deadline of {self.deadline:g} s")
        return b"".join(chunks)

    def _checked(
        self, response: requests.Response, content: bytes, shown: str, params: dict[str, Any] | None, expect_json: bool
    ) -> RawFile:
        if response.status_code >= 500:
            raise RetryableHTTPError(f"{response.status_code} from {shown}", status=response.status_code)
        if response.status_code in (401, 403):
            raise FetchError(
                f"{response.status_code}: the API refused the key or token; check the environment variable "
                "that holds it (the value is never logged)",
                file=shown,
            )
        if response.status_code >= 400:
            body = self._scrub(content[:200].decode("utf-8", "replace"), params)
            raise FetchError(f"HTTP {response.status_code}: {body!r}", file=shown)
        declared = response.headers.get("Content-Length")
        encoded = response.headers.get("Content-Encoding", "identity") != "identity"
        if not encoded and declared is not None and declared.isdigit() and int(declared) != len(content):
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
    """Seconds from ``Retry-After``, given as a number or as an HTTP date."""
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


def _origin(url: str | None) -> tuple[str, str, int | None]:
    parts = urlsplit(url or "")
    return parts.scheme, parts.hostname or "", parts.port


def _full_url(url: str, params: dict[str, Any] | None) -> str:
    return requests.Request("GET", url, params=params).prepare().url or url


def _extension(response: requests.Response) -> str:
    kind = response.headers.get("Content-Type", "")
    for needle, extension in (("json", "json"), ("xml", "xml"), ("csv", "csv"), ("zip", "zip")):
        if needle in kind:
            return extension
    return "bin"
