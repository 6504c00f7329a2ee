"""UNHCR Refugee Population Statistics (the Global Trends data): every dataset of the database.

Two ways in, one parser per dataset:

* live: ``https://api.unhcr.org/population/v1/<endpoint>/`` with ``coo_all``/``coa_all``,
  ``cf_type=ISO`` and both year bounds, paged with ``limit`` to ``maxPages``. Every page is landed as
  its own raw file, because the JSON pages are the audit trail.
* mirror: the bulk CSV files of UNHCR's ``refugees`` data package (``unhcr/<dataset>.csv.gz``).

Datasets: ``population``, ``asylum-applications``, ``asylum-decisions``, ``solutions``, ``demographics``
(two bulk files: the 2025-only ``demographics.csv.gz`` and ``demographics_2001_2024.csv.gz``; live with
``ptype_show`` and the three location flags), ``idmc``, ``unrwa``, ``countries`` (live: ``countries/``
plus ``regions/`` and one ``countries/?unhcr_region=<id>`` listing per bureau) and ``flows``.

``flows`` has no API endpoint: UNHCR builds it from a spreadsheet, so it exists only in the bulk mirror.
In live mode its fetch logs a warning and returns no files, and ``warehouse.loads`` keeps the published
flows table (see ``ingest_dataset``); a live refresh never invents or empties it.

Live settings: ``UnhcrSettings`` in ``ingest/common/settings.py`` (base URL, year window, page size,
timeout, attempts, backoff, 429 cool-down), reached as ``context.settings.unhcr``. The API needs no key.

Quirks handled on purpose (see ``../shared/data/unhcr/README.md``): the API's ``"-"`` and the CSV's
empty cell both become NULL (not 0); ``"0"`` strings become 0; every column is typed explicitly (``oip``
is empty in the first ~100k rows, so sniffing would guess text); names are trimmed; the literal code
``NA`` in code columns is a code, never a null; UNHCR codes (``coo``/``coa``) and ISO codes
(``coo_iso``/``coa_iso``) are kept side by side and never mixed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from ingest.common.columns import WORLD_POPULATION, Column, TableSchema
from ingest.common.countries import known_iso3
from ingest.common.http import HttpClient
from ingest.common.settings import UnhcrSettings
from ingest.common.source import (
    Dataset,
    FetchError,
    LandedFile,
    ParseError,
    RawFile,
    SourceContext,
    read_mirror_file,
)
from ingest.common.tabular import Schema, cast_checked, read_csv_text

log = logging.getLogger("maw.unhcr")

SOURCE = "unhcr"

IDENTITY_KEY = ("year", "coo", "coa")
# flows names its pseudo-codes UKN (unknown) and STA (stateless) where the other tables use UNK and XXA.
FLOWS_PSEUDO_ISO = frozenset({"UKN", "STA"})


def identity_columns(
    first_year: int = 1951,
    *,
    iso: frozenset[str] | None = None,
    origin_iso: frozenset[str] | None = None,
    origin_named: bool = True,
) -> tuple[Column, ...]:
    """Year, origin and asylum country (UNHCR code, ISO3 and name) that start every table but ``countries``."""
    iso = iso or known_iso3()
    return (
        Column("year", pl.Int32, nullable=False, min_value=first_year, max_value=date.today().year),
        Column("coo_name", pl.Utf8, nullable=not origin_named),
        Column("coo", pl.Utf8, nullable=False),
        Column("coo_iso", pl.Utf8, nullable=False, values=origin_iso or iso),
        Column("coa_name", pl.Utf8, nullable=False),
        Column("coa", pl.Utf8, nullable=False),
        Column("coa_iso", pl.Utf8, nullable=False, values=iso),
    )


def counts(*names: str, nullable: bool = False) -> tuple[Column, ...]:
    """Counts of people: never negative and never more people than there are in the world."""
    return tuple(Column(name, pl.Int64, nullable=nullable, min_value=0, max_value=WORLD_POPULATION) for name in names)


def codes(values: dict[str, frozenset[str]]) -> tuple[Column, ...]:
    """Code columns of UNHCR's published code lists: a new code is a change a person must look at first."""
    return tuple(Column(name, pl.Utf8, nullable=False, values=allowed) for name, allowed in values.items())


PROCEDURE_TYPES = frozenset({"G", "U", "J"})
APP_TYPES = frozenset({"N", "R", "A", "NA", "NR", "FA", "J", "SP", "RA", "V"})
DEC_LEVELS = frozenset({"FI", "AR", "RA", "JR", "FA", "NA", "EO", "IN", "TA", "SP", "CA", "BL", "TP", "TR"})
UNITS = frozenset({"P", "C"})
POP_TYPES = frozenset({"REF", "ASY", "OIP", "IDP", "STA", "OOC", "HST", "RET", "RDP"})
LOC_TYPES = frozenset({"U", "R", "V", "C"})
ACC_TYPES = frozenset({"I", "P", "S", "C", "R", "U"})
COUNTRY_COLUMNS = (
    Column("iso_code", pl.Utf8),
    Column("unhcr_code", pl.Utf8, nullable=False),
    Column("name", pl.Utf8, nullable=False),
    Column("unhcr_region", pl.Utf8),
    Column("unsd_region", pl.Utf8),
    Column("unsd_subregion", pl.Utf8),
    Column("unsd_imregion", pl.Utf8),
)


@dataclass(frozen=True)
class Endpoint:
    """How one UNHCR dataset is published: live endpoint (or none), mirror file(s) and its declared columns
    (``identity`` then ``values``) with the grain ``key``."""

    name: str
    endpoint: str | None
    mirror_files: tuple[str, ...]
    values: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    extra_params: tuple[tuple[str, str], ...] = ()
    identity: tuple[Column, ...] = identity_columns()
    # Where the API names a column differently from the bulk file: (bulk column, API field or None).
    live_fields: tuple[tuple[str, str | None], ...] = ()

    def api_field(self, column: str) -> str | None:
        return dict(self.live_fields).get(column, column)

    @property
    def table_schema(self) -> TableSchema:
        return TableSchema(columns=(*self.identity, *self.values), key=self.key)

    @property
    def schema(self) -> Schema:
        """The columns as ``cast_checked`` wants them."""
        return self.table_schema.cast_schema()


def fetch_pages(
    client: HttpClient,
    base_url: str,
    endpoint: str,
    params: dict[str, str],
    *,
    page_size: int,
    label: str | None = None,
) -> list[RawFile]:
    """Every page of one endpoint, 1..maxPages.

    A page longer than ``limit``, a page shorter than ``limit`` before the last one, or an empty page
    before ``maxPages`` means the API did not honour the paging parameters; that is an error naming the
    page, not a partial load.
    """
    url = base_url.rstrip("/") + "/" + endpoint.strip("/") + "/"
    pages: list[RawFile] = []
    page, max_pages = 1, 1
    while page <= max_pages:
        raw = client.get(url, {**params, "limit": str(page_size), "page": str(page)}, expect_json=True)
        body = json.loads(raw.content)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise FetchError("response has no 'items' list; is this the UNHCR population API?", file=raw.origin)
        try:
            max_pages = int(body.get("maxPages") or 0)
        except (TypeError, ValueError) as exc:
            raise FetchError(f"maxPages is not a number: {body.get('maxPages')!r}", file=raw.origin) from exc
        items = body["items"]
        if len(items) > page_size or (items and page < max_pages and len(items) < page_size):
            raise FetchError(
                f"page {page} of {max_pages} has {len(items)} items for limit={page_size}: paging not kept",
                file=raw.origin,
            )
        pages.append(raw.named(f"{label or endpoint}-page-{page:04d}", "json"))
        if not items:
            if page < max_pages:  # an early empty page is a partial answer, not the end of the data
                raise FetchError(
                    f"page {page} of {max_pages} is empty: the API promised {max_pages} pages", file=raw.origin
                )
            break
        page += 1
    return pages


def _fetch_countries_live(client: HttpClient, settings: UnhcrSettings) -> list[RawFile]:
    """The code list, the bureaus, and each bureau's member list (the only way the API says who is where)."""
    base, size = settings.api_url, settings.page_size
    files = fetch_pages(client, base, "countries", {"cf_type": "ISO"}, page_size=size, label="countries")
    regions = fetch_pages(client, base, "regions", {"cf_type": "ISO"}, page_size=size, label="regions")
    files += regions
    for region in _json_items(regions):
        region_id = str(region.get("id", "")).strip()
        if not region_id.isdigit():
            raise FetchError(f"regions/ returned a region without a numeric id: {region!r}", file=regions[0].origin)
        files += fetch_pages(
            client,
            base,
            "countries",
            {"cf_type": "ISO", "unhcr_region": region_id},
            page_size=size,
            label=f"countries-region-{region_id}",
        )
    return files


def _json_items(files: Sequence[RawFile]) -> list[dict]:
    return [item for raw in files for item in json.loads(raw.content)["items"]]


def _fetcher(spec: Endpoint):
    def fetch(context: SourceContext) -> list[RawFile]:
        if context.mode != "live":
            return [read_mirror_file(context, f"unhcr/{name}", "csv.gz") for name in spec.mirror_files]
        if spec.endpoint is None:
            log.warning(
                "unhcr/%s has no API endpoint (UNHCR publishes it as a spreadsheet only); a live refresh "
                "keeps the published table. Load it with: maw refresh --mirror DIR",
                spec.name,
            )
            return []
        settings = context.settings.unhcr
        client = context.client(settings.http)
        if spec.name == "countries":
            return _fetch_countries_live(client, settings)
        params = {"cf_type": "ISO", **dict(spec.extra_params)}
        if spec.identity:  # both bounds, always: the API silently ignores a lone bound and returns everything
            params |= {
                "coo_all": "true",
                "coa_all": "true",
                "yearFrom": str(settings.year_from),
                "yearTo": str(settings.year_to),
            }
        return fetch_pages(client, settings.api_url, spec.endpoint, params, page_size=settings.page_size)

    return fetch


def _page_items(landed: LandedFile) -> list[dict]:
    try:
        items = json.loads(landed.path.read_bytes())["items"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a UNHCR API page: {exc}", file=landed.origin) from exc
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ParseError("'items' is not a list of records", file=landed.origin)
    return items


def _cell(value: object) -> str | None:
    """API cells: JSON numbers, numeric strings (``"0"``), ``"-"`` for not applicable, or null."""
    if value is None or value == "-":
        return None
    return str(value)


def _items_frame(landed: LandedFile, spec: Endpoint) -> pl.DataFrame:
    rows = []
    for number, item in enumerate(_page_items(landed), start=1):
        row = {}
        for column in spec.schema:
            api_field = spec.api_field(column)
            if api_field is None:
                row[column] = None
                continue
            if api_field not in item:
                raise ParseError("field missing from API item", file=landed.origin, row=number, field=api_field)
            row[column] = _cell(item[api_field])
        rows.append(row)
    return pl.DataFrame(rows, schema=dict.fromkeys(spec.schema, pl.Utf8), orient="row")


def _countries_from_api(files: Sequence[LandedFile], spec: Endpoint) -> pl.DataFrame:
    """Code list rows from ``countries/`` pages, with the bureau taken from the per-region listings."""
    region_names: dict[str, str] = {}
    members: dict[str, str] = {}
    for landed in files:
        if (landed.name or "").startswith("regions-"):
            region_names |= {str(r["id"]): str(r["name"]).strip() for r in _page_items(landed)}
    for landed in files:
        name = landed.name or ""
        if name.startswith("countries-region-"):
            region_id = name.removeprefix("countries-region-").split("-page-")[0]
            members |= dict.fromkeys((str(c.get("code")) for c in _page_items(landed)), region_names.get(region_id))
    frames = []
    for landed in files:
        if not (landed.name or "").startswith("countries-page-"):
            continue
        frame = _items_frame(landed, spec).with_columns(
            pl.col("unhcr_code").replace_strict(members, default=None, return_dtype=pl.Utf8).alias("unhcr_region")
        )
        frames.append(cast_checked(frame, spec.schema, landed, first_row=1))
    if not frames:
        raise ParseError("no countries/ page among the landed files", file=files[0].origin if files else None)
    return pl.concat(frames, how="vertical")


def empty_frame(spec: Endpoint) -> pl.DataFrame:
    """A typed table with no rows (a mirror-only dataset in a first live refresh)."""
    provenance = {
        "_source_file": pl.Utf8,
        "_source_row": pl.Int64,
        "_snapshot_sha256": pl.Utf8,
        "_retrieved_at": pl.Datetime("us", "UTC"),
    }
    return pl.DataFrame(schema={**spec.schema, **provenance})


def _parser(spec: Endpoint):
    def parse(files: Sequence[LandedFile]) -> pl.DataFrame:
        if not files:
            return empty_frame(spec)
        if spec.name == "countries" and files[0].path.name.endswith(".json"):
            frame = _countries_from_api(files, spec)
        else:
            frames = []
            for landed in files:
                if landed.path.name.endswith(".json"):
                    frames.append(cast_checked(_items_frame(landed, spec), spec.schema, landed, first_row=1))
                else:
                    text = read_csv_text(landed, list(spec.schema))
                    frames.append(cast_checked(text, spec.schema, landed, first_row=2))
            frame = pl.concat(frames, how="vertical")
        names = [c for c in ("coo_name", "coa_name", "name") if c in frame.columns]
        return frame.with_columns(pl.col(c).str.strip_chars() for c in names)

    return parse


POPULATION_COUNTS = (
    "refugees",
    "asylum_seekers",
    "returned_refugees",
    "idps",
    "returned_idps",
    "stateless",
    "ooc",
    "oip",
    "hst",
)
DEMOGRAPHIC_BANDS = tuple(
    f"{sex}_{band}" for sex in ("f", "m") for band in ("0_4", "5_11", "12_17", "18_59", "60", "other", "total")
)

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        name="population",
        endpoint="population",
        mirror_files=("population.csv.gz",),
        # oip is empty in the first ~100k rows of the bulk file: the one nullable count
        values=tuple(column for name in POPULATION_COUNTS for column in counts(name, nullable=name == "oip")),
        key=IDENTITY_KEY,
        description="Year-end stocks by origin x asylum: refugees, asylum seekers, OIP, IDPs, stateless, others.",
    ),
    Endpoint(
        name="asylum-applications",
        endpoint="asylum-applications",
        mirror_files=("asylum_applications.csv.gz",),
        values=(
            *codes({"procedure_type": PROCEDURE_TYPES, "app_type": APP_TYPES, "dec_level": DEC_LEVELS}),
            *codes({"app_pc": UNITS}),
            *counts("applied"),
        ),
        key=(*IDENTITY_KEY, "procedure_type", "app_type", "dec_level", "app_pc"),
        identity=identity_columns(2000),
        description="Asylum applications lodged during the year by origin x asylum, procedure, stage and "
        "unit (persons or cases, never added together).",
    ),
    Endpoint(
        name="asylum-decisions",
        endpoint="asylum-decisions",
        mirror_files=("asylum_decisions.csv.gz",),
        values=(
            *codes({"procedure_type": PROCEDURE_TYPES, "dec_level": DEC_LEVELS, "dec_pc": UNITS}),
            *counts("dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"),
        ),
        key=(*IDENTITY_KEY, "procedure_type", "dec_level", "dec_pc"),
        identity=identity_columns(2000),
        description="Asylum decisions taken during the year by origin x asylum, procedure, level and unit: "
        "recognised, complementary protection, rejected, otherwise closed, total.",
    ),
    Endpoint(
        name="solutions",
        endpoint="solutions",
        mirror_files=("solutions.csv.gz",),
        values=counts("returned_refugees", "resettlement", "naturalisation", "returned_idps", nullable=True),
        key=IDENTITY_KEY,
        description="Durable solutions during the year: refugee returns (by country returned from), "
        "resettlement arrivals and naturalisations (by receiving country), IDP returns; NULL = n/a.",
    ),
    Endpoint(
        name="demographics",
        endpoint="demographics",
        mirror_files=("demographics_2001_2024.csv.gz", "demographics.csv.gz"),
        values=(
            *codes({"pop_type": POP_TYPES}),
            Column("location", pl.Utf8, nullable=False),
            *codes({"loc_type": LOC_TYPES, "acc_type": ACC_TYPES}),
            *counts(*DEMOGRAPHIC_BANDS, "total"),
        ),
        key=(*IDENTITY_KEY, "pop_type", "location", "loc_type", "acc_type"),
        identity=identity_columns(2001),
        description="Year-end stocks by sex and age band, population type and sub-national location "
        "(2001-2024 and 2025 bulk files concatenated; they do not overlap).",
        extra_params=(
            ("ptype_show", "true"),
            ("locationDescription_show", "1"),
            ("locationUR_show", "1"),
            ("locationAccType_show", "1"),
        ),
    ),
    Endpoint(
        name="idmc",
        endpoint="idmc",
        mirror_files=("idmc.csv.gz",),
        values=counts("total"),
        key=IDENTITY_KEY,
        identity=identity_columns(1990),
        description="IDMC's stock of people internally displaced by conflict and violence (the IDP term of "
        "UNHCR's forcibly-displaced headline); 1990-2008 as one world row per year.",
    ),
    Endpoint(
        name="unrwa",
        endpoint="unrwa",
        mirror_files=("unrwa.csv.gz",),
        values=counts("total"),
        key=IDENTITY_KEY,
        identity=identity_columns(origin_iso=frozenset({"PSE"})),
        description="Palestine refugees registered with UNRWA, by host area.",
    ),
    Endpoint(
        name="flows",
        endpoint=None,
        mirror_files=("flows.csv.gz",),
        values=counts("refugees", "asylum_seekers", "refugee_like", "oip", nullable=True),
        key=IDENTITY_KEY,
        identity=identity_columns(iso=known_iso3() | FLOWS_PSEUDO_ISO, origin_named=False),
        description="Newly displaced across borders during the year (UNHCR's flow spreadsheet). Bulk mirror "
        "only: there is no API endpoint, a live refresh keeps the published table.",
    ),
    Endpoint(
        name="countries",
        endpoint="countries",
        mirror_files=("countries.csv.gz",),
        values=COUNTRY_COLUMNS,
        key=("unhcr_code",),
        description="UNHCR's country code list: UNHCR code, ISO3, name, UNHCR bureau and UN M49 regions.",
        identity=(),
        live_fields=(
            ("iso_code", "iso"),
            ("unhcr_code", "code"),
            ("unhcr_region", None),  # from the regions/ member listings
            ("unsd_region", "majorArea"),
            ("unsd_subregion", "region"),
            ("unsd_imregion", None),  # UN M49 intermediate region: not in the API
        ),
    ),
)


def _dataset(spec: Endpoint) -> Dataset:
    return Dataset(
        source=SOURCE,
        name=spec.name,
        fetch=_fetcher(spec),
        parse=_parser(spec),
        schema=spec.table_schema,
        description=spec.description,
    )


ENDPOINTS_BY_NAME = {spec.name: spec for spec in ENDPOINTS}
DATASETS: tuple[Dataset, ...] = tuple(_dataset(spec) for spec in ENDPOINTS)
