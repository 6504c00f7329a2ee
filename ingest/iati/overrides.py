"""Reviewed overrides of the migration-relevance rules: a person's decision on one activity, with a reason."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ingest.common.columns import Column, TableSchema
from ingest.common.source import REVIEWED_CSV_DIR, Dataset, LandedFile, RawFile, SourceContext
from ingest.common.tabular import cast_checked, read_csv_text
from ingest.iati.shared import SOURCE

OVERRIDES_FILE = REVIEWED_CSV_DIR / "iati_migration_overrides.csv"

MIGRATION_OVERRIDES = TableSchema(
    columns=(
        Column("iati_identifier", pl.Utf8, nullable=False),
        Column("is_migration_related", pl.Boolean, nullable=False),
        Column("reason", pl.Utf8, nullable=False),
        Column("reviewed_by", pl.Utf8, nullable=False),
    ),
    key=("iati_identifier",),
)
OVERRIDE_SCHEMA = MIGRATION_OVERRIDES.cast_schema()


def _fetch_overrides(_context: SourceContext) -> list[RawFile]:
    return [
        RawFile(
            content=OVERRIDES_FILE.read_bytes(), origin=str(OVERRIDES_FILE), extension="csv", name=OVERRIDES_FILE.name
        )
    ]


def _parse_overrides(files: Sequence[LandedFile]) -> pl.DataFrame:
    return pl.concat(
        cast_checked(read_csv_text(landed, list(OVERRIDE_SCHEMA)), OVERRIDE_SCHEMA, landed, first_row=2)
        for landed in files
    )


DATASET = Dataset(
    source=SOURCE,
    name="migration_overrides",
    fetch=_fetch_overrides,
    parse=_parse_overrides,
    schema=MIGRATION_OVERRIDES,
    description="Reviewed overrides of the migration-relevance rules.",
    track_changes=False,
)
