"""Reference: the country list behind ``dim_country`` (ISO 3166-1 with English and Dutch names).

Not fetched from anywhere: the list comes from the installed ``pycountry`` (and its iso-codes
translations), so every mode lands the same bytes. Names resolve through ``ingest.common.countries``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import polars as pl

from ingest.common.columns import Column, TableSchema
from ingest.common.countries import library_version, reference_rows
from ingest.common.source import Dataset, LandedFile, RawFile, SourceContext
from ingest.common.tabular import cast_checked, read_csv_text

SOURCE = "reference"
COUNTRIES = TableSchema(
    columns=(
        Column("iso3", pl.Utf8, nullable=False),
        Column("iso2", pl.Utf8),
        Column("numeric", pl.Utf8),
        Column("name_en", pl.Utf8, nullable=False),
        Column("name_nl", pl.Utf8),
        Column("official_name_en", pl.Utf8),
        Column("is_pseudo_country", pl.Boolean, nullable=False),
    ),
    key=("iso3",),
)
COLUMNS = tuple(c.name for c in COUNTRIES.columns)


def _fetch(_context: SourceContext) -> list[RawFile]:
    """The country list comes from the installed library, so every mode gets the same bytes."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(reference_rows())
    return [
        RawFile(
            content=buffer.getvalue().encode(),
            origin=f"python package pycountry=={library_version()} (ISO 3166-1 with iso-codes nl names)",
            extension="csv",
            name="countries.csv",
        )
    ]


def _parse(files: Sequence[LandedFile]) -> pl.DataFrame:
    schema = COUNTRIES.cast_schema()
    return pl.concat(cast_checked(read_csv_text(landed, COLUMNS), schema, landed, first_row=2) for landed in files)


DATASETS = (
    Dataset(
        source=SOURCE,
        name="countries",
        fetch=_fetch,
        parse=_parse,
        schema=COUNTRIES,
        description="ISO 3166-1 countries with English and Dutch names (pycountry), plus labelled pseudo-codes.",
        track_changes=False,
    ),
)
