"""What every IATI dataset shares."""

from __future__ import annotations

import polars as pl

from ingest.common.source import LandedFile

SOURCE = "iati"


def with_file_provenance(frame: pl.DataFrame, landed: LandedFile) -> pl.DataFrame:
    """The file's provenance columns; ``_source_row`` is already there (an XML line, not a record count)."""
    return frame.with_columns(
        pl.lit(landed.origin).alias("_source_file"),
        pl.lit(landed.sha256).alias("_snapshot_sha256"),
        pl.lit(landed.retrieved_at).str.to_datetime(time_zone="UTC").alias("_retrieved_at"),
    )
