"""UNHCR Refugee Population Statistics (the Global Trends data).

Two ways in, one parser per dataset:

* live: ``https://api.unhcr.org/population/v1/<endpoint>/`` with ``coo_all``/``coa_all``,
  ``cf_type=ISO`` and both year bounds, paged with ``limit`` to ``maxPages``. Every page is landed as
  its own raw file, because the JSON pages are the audit trail.
* mirror: the bulk CSV files of UNHCR's ``refugees`` data package (``unhcr/<dataset>.csv.gz``).

Quirks handled on purpose (see ``../shared/data/unhcr/README.md``): the API's ``"-"`` and the CSV's
empty cell both become NULL (not 0); ``"0"`` strings become 0; ``oip`` is typed explicitly because it is
empty in the first ~100k rows; names are trimmed; the literal code ``NA`` in code columns is a code,
never a null; UNHCR codes (``coo``/``coa``) and ISO codes (``coo_iso``/``coa_iso``) are kept side by side.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from ingest.core import Dataset, FetchError, LandedFile, ParseError, RawFile, SourceContext, read_mirror_file
from ingest.http import HttpClient
from ingest.tabular import Schema, cast_checked, read_csv_text

SOURCE = "unhcr"
API_URL = "https://api.unhcr.org/population/v1/"
FIRST_YEAR = 1951
PAGE_SIZE = 10_000

IDENTITY: Schema = {
    "year": pl.Int32,
    "coo_name": pl.Utf8,
    "coo": pl.Utf8,
    "coo_iso": pl.Utf8,
    "coa_name": pl.Utf8,
    "coa": pl.Utf8,
    "coa_iso": pl.Utf8,
}
IDENTITY_KEY = ("year", "coo", "coa")


@dataclass(frozen=True)
class Endpoint:
    """How one UNHCR dataset is published: live endpoint, mirror file(s) and typed columns."""

    name: str
    endpoint: str
    mirror_files: tuple[str, ...]
    values: Schema
    key: tuple[str, ...]
    description: str
    extra_params: tuple[tuple[str, str], ...] = ()
    identity: bool = True
    # Where the API names a column differently from the bulk file: (bulk column, API field or None).
    live_fields: tuple[tuple[str, str | None], ...] = ()

    def api_field(self, column: str) -> str | None:
        return dict(self.live_fields).get(column, column)

    @property
    def schema(self) -> Schema:
        return {**IDENTITY, **self.values} if self.identity else dict(self.values)


def api_url() -> str:
    return os.environ.get("MAW_UNHCR_API_URL", API_URL).rstrip("/") + "/"


def year_bounds() -> tuple[int, int]:
    """Both bounds, always: the API silently ignores a lone bound and returns everything."""
    year_from = int(os.environ.get("MAW_UNHCR_YEAR_FROM", FIRST_YEAR))
    year_to = int(os.environ.get("MAW_UNHCR_YEAR_TO", date.today().year))
    return year_from, year_to


def fetch_pages(
    client: HttpClient, endpoint: str, params: dict[str, str], *, page_size: int = PAGE_SIZE
) -> list[RawFile]:
    """Every page of one endpoint, 1..maxPages, stopping early on an empty page."""
    url = api_url() + endpoint.strip("/") + "/"
    pages: list[RawFile] = []
    page, max_pages = 1, 1
    while page <= max_pages:
        raw = client.get(url, {**params, "limit": str(page_size), "page": str(page)}, expect_json=True)
        body = json.loads(raw.content)
        if not isinstance(body, dict) or "items" not in body:
            raise FetchError("response has no 'items' list; is this the UNHCR population API?", file=raw.origin)
        max_pages = int(body.get("maxPages") or 0)
        pages.append(
            RawFile(
                content=raw.content,
                origin=raw.origin,
                extension="json",
                http_status=raw.http_status,
                retrieved_at=raw.retrieved_at,
                name=f"{endpoint}-page-{page:04d}",
            )
        )
        if not body["items"]:
            break
        page += 1
    return pages


def _fetcher(spec: Endpoint):
    def fetch(context: SourceContext) -> list[RawFile]:
        if context.mode == "live":
            params = {"cf_type": "ISO", **dict(spec.extra_params)}
            if spec.identity:
                year_from, year_to = year_bounds()
                params |= {"coo_all": "true", "coa_all": "true", "yearFrom": str(year_from), "yearTo": str(year_to)}
            return fetch_pages(HttpClient(), spec.endpoint, params)
        return [read_mirror_file(context, f"unhcr/{name}", "csv.gz") for name in spec.mirror_files]

    return fetch


def _items_frame(landed: LandedFile, spec: Endpoint) -> pl.DataFrame:
    try:
        items = json.loads(landed.path.read_bytes())["items"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a UNHCR API page: {exc}", file=landed.origin) from exc
    rows = []
    for number, item in enumerate(items, start=1):
        row = {}
        for column in spec.schema:
            api_field = spec.api_field(column)
            if api_field is None:
                row[column] = None
                continue
            if api_field not in item:
                raise ParseError("field missing from API item", file=landed.origin, row=number, field=api_field)
            value = item[api_field]
            row[column] = None if value is None or value == "-" else str(value)
        rows.append(row)
    return pl.DataFrame(rows, schema=dict.fromkeys(spec.schema, pl.Utf8), orient="row")


def _parser(spec: Endpoint):
    def parse(files: Sequence[LandedFile]) -> pl.DataFrame:
        frames = []
        for landed in files:
            if landed.path.name.endswith(".json"):
                frames.append(cast_checked(_items_frame(landed, spec), spec.schema, landed, first_row=1))
            else:
                text = read_csv_text(landed, list(spec.schema))
                frames.append(cast_checked(text, spec.schema, landed, first_row=2))
        frame = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
        names = [c for c in ("coo_name", "coa_name", "name") if c in frame.columns]
        return frame.with_columns(pl.col(c).str.strip_chars() for c in names)

    return parse


def _population_values() -> Schema:
    return dict.fromkeys(
        (
            "refugees",
            "asylum_seekers",
            "returned_refugees",
            "idps",
            "returned_idps",
            "stateless",
            "ooc",
            "oip",
            "hst",
        ),
        pl.Int64,
    )


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        name="population",
        endpoint="population",
        mirror_files=("population.csv.gz",),
        values=_population_values(),
        key=IDENTITY_KEY,
        description="Year-end stocks by origin x asylum: refugees, asylum seekers, OIP, IDPs, stateless, others.",
    ),
    Endpoint(
        name="countries",
        endpoint="countries",
        mirror_files=("countries.csv.gz",),
        values={
            "iso_code": pl.Utf8,
            "unhcr_code": pl.Utf8,
            "name": pl.Utf8,
            "unhcr_region": pl.Utf8,
            "unsd_region": pl.Utf8,
            "unsd_subregion": pl.Utf8,
            "unsd_imregion": pl.Utf8,
        },
        key=("unhcr_code",),
        description="UNHCR's country code list: UNHCR code, ISO3, name, UNHCR bureau and UN M49 regions.",
        identity=False,
        live_fields=(
            ("iso_code", "iso"),
            ("unhcr_code", "code"),
            ("unhcr_region", None),
            ("unsd_region", "majorArea"),
            ("unsd_subregion", "region"),
            ("unsd_imregion", None),
        ),
    ),
)


def _dataset(spec: Endpoint) -> Dataset:
    return Dataset(
        source=SOURCE,
        name=spec.name,
        fetch=_fetcher(spec),
        parse=_parser(spec),
        key=spec.key,
        description=spec.description,
    )


DATASETS: tuple[Dataset, ...] = tuple(_dataset(spec) for spec in ENDPOINTS)
