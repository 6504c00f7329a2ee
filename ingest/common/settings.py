"""Every setting of the warehouse, declared once, typed, and read from the environment in one function.

Each field names its environment variable and says what it is for (the README's settings table lists
the same variables; ``tests/test_settings.py`` fails when one is missing there). :func:`load_settings` is
the only reader of ``os.environ`` in the project (and the two writers below hand values to dbt and Great
Expectations): Dagster gets the result as resources (``orchestration/definitions.py``) and fetchers read
it from ``SourceContext.settings``. Keys are kept out of ``repr`` so a logged settings object never shows
them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where a client is made: importing settings must not import polars
    from ingest.common.http import HttpClient


def _text_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _secret(value: str) -> str | None:
    """Empty counts as unset, so ``KEY=`` in a shell behaves like no key."""
    return value.strip() or None


def _setting(env: str, doc: str, default: Any = None, *, parse: Callable[[str], Any] = str, secret: bool = False):
    """A field read from ``env`` (parsed with ``parse``); ``default`` may be a callable for a value of today."""
    metadata = {"env": env, "doc": doc, "parse": parse}
    if callable(default):
        return field(default_factory=default, metadata=metadata, repr=not secret)
    return field(default=default, metadata=metadata, repr=not secret)


def _this_year() -> int:
    return date.today().year


@dataclass(frozen=True)
class HttpLimits:
    """What no server may make a live client do, whatever the source (see ``ingest/common/http.py``)."""

    max_retry_after: float = _setting(
        "MAW_HTTP_MAX_RETRY_AFTER",
        "longest Retry-After (s) a client waits; a longer ask fails the fetch",
        900.0,
        parse=float,
    )
    deadline: float = _setting(
        "MAW_HTTP_DEADLINE", "longest one request may take with its retries, body included (s)", 1800.0, parse=float
    )
    max_bytes: int = _setting("MAW_HTTP_MAX_BYTES", "largest response body (bytes)", 4 << 30, parse=int)


@dataclass(frozen=True)
class RawLimits:
    """What no raw file may make a parser do (see ``ingest/common/rawio.py``)."""

    max_decompressed_bytes: int = _setting(
        "MAW_MAX_DECOMPRESSED_BYTES", "largest size a gzip or zip member may expand to (bytes)", 4 << 30, parse=int
    )
    max_compression_ratio: float = _setting(
        "MAW_MAX_COMPRESSION_RATIO", "largest expansion ratio once a file has grown past 64 MiB", 200.0, parse=float
    )
    max_xml_bytes: int = _setting("MAW_MAX_XML_BYTES", "largest XML file parsed (bytes)", 2 << 30, parse=int)


@dataclass(frozen=True)
class HttpSettings:
    """One HTTP client's policy (see ``ingest/common/http.py``)."""

    timeout: float = 60.0
    attempts: int = 5
    backoff: float = 1.0
    rate_limit_cooldown: float = 10.0

    def client(self, headers: Mapping[str, str] | None = None, limits: HttpLimits | None = None) -> HttpClient:
        from ingest.common.http import HttpClient

        limits = limits or HttpLimits()
        return HttpClient(
            timeout=self.timeout,
            attempts=self.attempts,
            backoff=self.backoff,
            rate_limit_cooldown=self.rate_limit_cooldown,
            max_retry_after=limits.max_retry_after,
            deadline=limits.deadline,
            max_bytes=limits.max_bytes,
            headers=dict(headers or {}),
        )


@dataclass(frozen=True)
class UnhcrSettings:
    api_url: str = _setting("MAW_UNHCR_API_URL", "UNHCR population API base", "https://api.unhcr.org/population/v1/")
    year_from: int = _setting("MAW_UNHCR_YEAR_FROM", "first year sent to UNHCR", 1951, parse=int)
    year_to: int = _setting("MAW_UNHCR_YEAR_TO", "last year sent to UNHCR (default: this year)", _this_year, parse=int)
    page_size: int = _setting("MAW_UNHCR_PAGE_SIZE", "records per UNHCR API page", 10_000, parse=int)
    timeout: float = _setting("MAW_UNHCR_TIMEOUT", "UNHCR request timeout (s)", 120.0, parse=float)
    attempts: int = _setting("MAW_UNHCR_ATTEMPTS", "UNHCR attempts per request", 5, parse=int)
    backoff: float = _setting("MAW_UNHCR_BACKOFF", "UNHCR first retry wait (s), doubled each try", 2.0, parse=float)
    rate_limit_cooldown: float = _setting(
        "MAW_UNHCR_RATE_LIMIT_COOLDOWN", "UNHCR wait after a 429 (s, at least)", 60.0, parse=float
    )

    @property
    def http(self) -> HttpSettings:
        return HttpSettings(self.timeout, self.attempts, self.backoff, self.rate_limit_cooldown)


@dataclass(frozen=True)
class IomSettings:
    dtm_api_key: str | None = _setting(
        "DTM_API_KEY", "IOM DTM API v3 key; without it the keyless HDX path is used", parse=_secret, secret=True
    )
    dtm_api_url: str = _setting("MAW_DTM_API_URL", "IOM DTM API v3 base", "https://dtmapi.iom.int/v3/")
    hdx_url: str = _setting("MAW_HDX_URL", "HDX (CKAN) base for the keyless DTM path", "https://data.humdata.org/")
    mmp_url: str = _setting("MAW_MMP_URL", "Missing Migrants site base", "https://missingmigrants.iom.int/")
    dtm_countries: tuple[str, ...] = _setting(
        "MAW_DTM_COUNTRIES", "DTM countries to fetch (ISO3, comma-separated; default: all)", (), parse=_text_list
    )
    mmp_year_from: int = _setting("MAW_MMP_YEAR_FROM", "first Missing Migrants year fetched", 2014, parse=int)
    mmp_year_to: int = _setting(
        "MAW_MMP_YEAR_TO", "last Missing Migrants year (default: this year)", _this_year, parse=int
    )
    dtm_timeout: float = _setting("MAW_DTM_TIMEOUT", "DTM API request timeout (s)", 60.0, parse=float)
    dtm_attempts: int = _setting("MAW_DTM_ATTEMPTS", "DTM API attempts per request", 4, parse=int)
    hdx_timeout: float = _setting("MAW_HDX_TIMEOUT", "HDX request timeout (s)", 120.0, parse=float)
    mmp_timeout: float = _setting("MAW_MMP_TIMEOUT", "Missing Migrants request timeout (s)", 120.0, parse=float)
    mmp_attempts: int = _setting("MAW_MMP_ATTEMPTS", "Missing Migrants attempts per request", 4, parse=int)

    @property
    def dtm_http(self) -> HttpSettings:
        return HttpSettings(timeout=self.dtm_timeout, attempts=self.dtm_attempts)

    @property
    def hdx_http(self) -> HttpSettings:
        return HttpSettings(timeout=self.hdx_timeout)

    @property
    def mmp_http(self) -> HttpSettings:
        return HttpSettings(timeout=self.mmp_timeout, attempts=self.mmp_attempts)


DUTCH_MFA = "XM-DAC-7"  # the Dutch Ministry of Foreign Affairs as IATI reporting org


@dataclass(frozen=True)
class IatiSettings:
    api_key: str | None = _setting(
        "IATI_API_KEY",
        "IATI Datastore v3 key; without it the keyless Registry XML path is used",
        parse=_secret,
        secret=True,
    )
    registry_url: str = _setting(
        "MAW_IATI_REGISTRY_URL", "IATI Registry (CKAN) API base", "https://iatiregistry.org/api/3/action"
    )
    datastore_url: str = _setting(
        "MAW_IATI_DATASTORE_URL", "IATI Datastore base", "https://api.iatistandard.org/datastore"
    )
    codelist_url: str = _setting(
        "MAW_IATI_CODELIST_URL",
        "IATI codelist URL with {name}",
        "https://iatistandard.org/reference_downloads/203/codelists/downloads/clv3/xml/{name}.xml",
    )
    publishers: tuple[str, ...] = _setting(
        "MAW_IATI_PUBLISHERS",
        "Registry publishers whose activity files are loaded",
        ("minbuza_nl", "unhcr", "iom"),
        parse=_text_list,
    )
    datastore_query: str = _setting(
        "MAW_IATI_DATASTORE_QUERY",
        "Datastore query (default: XM-DAC-7's own and partners' funds from XM-DAC-7)",
        f'reporting_org_ref:"{DUTCH_MFA}" OR transaction_provider_org_ref:"{DUTCH_MFA}"',
    )
    datastore_rows: int = _setting("MAW_IATI_DATASTORE_ROWS", "Datastore page size", 1000, parse=int)
    datastore_pause: float = _setting("MAW_IATI_DATASTORE_PAUSE", "pause between Datastore pages (s)", 1.0, parse=float)
    rate_limit_cooldown: float = _setting(
        "MAW_IATI_RATE_LIMIT_COOLDOWN",
        "IATI clients (Datastore, Registry, codelists): wait after a 429 (s, at least)",
        10.0,
        parse=float,
    )


@dataclass(frozen=True)
class FxSettings:
    ecb_url: str = _setting(
        "MAW_ECB_URL", "ECB euro reference rates zip", "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
    )


@dataclass(frozen=True)
class Settings:
    warehouse_dir: str = _setting(
        "MAW_WAREHOUSE_DIR",
        "holds raw/, build/, quarantine/, logs/, dbt/ and the published migration.duckdb",
        "warehouse",
    )
    source_mode: str = _setting("MAW_SOURCE_MODE", "where `dagster dev` reads sources: demo, mirror or live", "demo")
    mirror_dir: str = _setting("MAW_MIRROR_DIR", "the mirror directory for source mode `mirror`", "")
    http_backoff: float = _setting(
        "MAW_HTTP_BACKOFF", "first retry wait (s) of the IATI and ECB clients, doubled each try", 1.0, parse=float
    )
    http_limits: HttpLimits = field(default_factory=HttpLimits)
    raw_limits: RawLimits = field(default_factory=RawLimits)
    unhcr: UnhcrSettings = field(default_factory=UnhcrSettings)
    iom: IomSettings = field(default_factory=IomSettings)
    iati: IatiSettings = field(default_factory=IatiSettings)
    fx: FxSettings = field(default_factory=FxSettings)

    @property
    def iati_http(self) -> HttpSettings:
        return HttpSettings(backoff=self.http_backoff, rate_limit_cooldown=self.iati.rate_limit_cooldown)

    @property
    def fx_http(self) -> HttpSettings:
        return HttpSettings(backoff=self.http_backoff)


def _read(cls: type, environ: Mapping[str, str]) -> Any:
    values: dict[str, Any] = {}
    for item in fields(cls):
        if "env" in item.metadata:
            if item.metadata["env"] in environ:
                values[item.name] = item.metadata["parse"](environ[item.metadata["env"]])
        else:  # a nested group of settings
            values[item.name] = _read(item.default_factory, environ)  # type: ignore[arg-type]
    return cls(**values)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from ``environ`` (default: the process environment); unset variables keep their default."""
    return _read(Settings, os.environ if environ is None else environ)


def variables(cls: type = Settings) -> Iterator[tuple[str, str]]:
    """(environment variable, what it is for) of every setting, for the README table and its test."""
    for item in fields(cls):
        if "env" in item.metadata:
            yield item.metadata["env"], item.metadata["doc"]
        else:
            yield from variables(item.default_factory)  # type: ignore[arg-type]


def dbt_environment(database: str, run_id: str) -> dict[str, str]:
    """The environment of a refresh's dbt build. dbt finds the build database through ``profiles.yml``'s
    ``env_var('MAW_BUILD_DB')``: ``database``, relative to the build folder dbt runs in
    (``orchestration/dbt_runner.py``). The run id goes into the metadata of dbt's artifacts
    (``DBT_ENV_CUSTOM_ENV_``), naming the refresh they belong to."""
    return {"MAW_BUILD_DB": database, "DBT_ENV_CUSTOM_ENV_MAW_RUN_ID": run_id}


def set_environment(variables: Mapping[str, str]) -> None:
    """Into this process's environment, for a library that reads its settings there (dbt's ``env_var()``
    and its artifacts' metadata, in the dbt worker)."""
    os.environ.update(variables)


def under_dagster_dev() -> bool:
    """``dagster dev`` marks the processes it starts with ``DAGSTER_IS_DEV_CLI``."""
    return bool(os.environ.get("DAGSTER_IS_DEV_CLI"))


def environment_for_dbt_parse() -> dict[str, str]:
    """This environment without ``MAW_BUILD_DB``: the project is parsed with the pipeline's profile, as
    ``make manifest`` parses it, so the parse cache fits every warehouse."""
    return {name: value for name, value in os.environ.items() if name != "MAW_BUILD_DB"}


_NO_DECAY = "dirty_decay_ms:0,muzzy_decay_ms:0"


def return_freed_memory_promptly() -> None:
    """polars' allocator (jemalloc) keeps freed pages for half a second (polars' default), so a refresh's
    process holds the peak of the dataset it parsed while the next one parses and the check worker
    validates; with no decay the pages go back at once (the real snapshot's summed peak fell by about
    200 MB, at no measured cost in time). jemalloc reads this once, when polars is first imported, and
    spawned workers inherit it. Appended: in jemalloc's list the last setting wins, and a process started
    by one that imported polars inherits polars' own default."""
    current = os.environ.get("_RJEM_MALLOC_CONF", "")
    if not current.endswith(_NO_DECAY):
        os.environ["_RJEM_MALLOC_CONF"] = f"{current},{_NO_DECAY}" if current else _NO_DECAY


def quiet_third_party_telemetry() -> None:
    """Great Expectations and dbt phone home unless told not to; a default, so a user's choice wins."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
