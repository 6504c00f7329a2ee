"""ECB euro foreign exchange reference rates (daily history since 1999): what IATI values are converted with.

One file, in every mode the ECB's own format: ``eurofxref-hist.csv`` (``Date`` then one column per
currency, units of that currency per 1 EUR, newest first, a trailing comma on every line, ``N/A`` where the
ECB publishes no rate). Live: the keyless zip ``eurofxref-hist.zip`` (landed as downloaded, unzipped when
parsed). Mirror: ``fx/eurofxref-hist.csv``. The table is long: one row per (date, currency) with a rate;
``N/A`` cells are not rows (no rate is not a rate of 0).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import polars as pl

from ingest.common import rawio
from ingest.common.columns import Column, TableSchema
from ingest.common.source import (
    Dataset,
    LandedFile,
    ParseError,
    RawFile,
    SourceContext,
    read_mirror_file,
    with_provenance,
)

SOURCE = "fx"
MEMBER = "eurofxref-hist.csv"
RATE = pl.Decimal(precision=18, scale=6)


# The loaded table. The parser refuses a cell that is neither a positive number nor N/A, naming its line;
# the suite checks the declaration again on the loaded table (and that USD is there).
ECB_REFERENCE_RATES = TableSchema(
    columns=(
        Column("rate_date", pl.Date, nullable=False, min_value=date(1999, 1, 4)),
        Column("currency", pl.Utf8, nullable=False),
        Column("units_per_eur", RATE, nullable=False, min_value=0.000001),
    ),
    key=("rate_date", "currency"),
)


def _fetch(context: SourceContext) -> list[RawFile]:
    if context.mode == "live":
        settings = context.settings
        return [context.client(settings.fx_http).get(settings.fx.ecb_url).named("eurofxref-hist.zip", "zip")]
    return [read_mirror_file(context, f"fx/{MEMBER}", "csv")]


def _csv_bytes(landed: LandedFile) -> bytes:
    if not landed.path.name.endswith(".zip"):
        return landed.path.read_bytes()
    return rawio.read_zip_member(landed, MEMBER)  # within the decompression limits


def parse_rates(landed: LandedFile) -> pl.DataFrame:
    """Long table (rate_date, currency, units_per_eur); a cell that is neither a number nor N/A is an error."""
    try:
        wide = pl.read_csv(io.BytesIO(_csv_bytes(landed)), infer_schema=False, raise_if_empty=True)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"not a readable CSV: {exc}", file=landed.origin) from exc
    if wide.columns[0] != "Date" or "USD" not in wide.columns:
        raise ParseError(
            f"header does not start with Date and has no USD column: {wide.columns[:5]}", file=landed.origin, row=1
        )
    currencies = [c for c in wide.columns[1:] if c.strip() and not c.startswith("_duplicated")]
    long = (
        wide.select("Date", *currencies)
        .with_row_index("line", offset=2)
        .unpivot(index=["line", "Date"], variable_name="currency", value_name="text")
        .with_columns(pl.col("text").str.strip_chars())
        .filter(pl.col("text").is_not_null() & (pl.col("text") != "") & (pl.col("text") != "N/A"))
        .with_columns(
            pl.col("Date").str.to_date("%Y-%m-%d", strict=False).alias("rate_date"),
            pl.col("text").cast(pl.Float64, strict=False).alias("number"),
        )
    )
    for column, field in (("rate_date", "Date"), ("number", None)):
        bad = long.filter(pl.col(column).is_null() | ((pl.col("number") <= 0) if column == "number" else pl.lit(False)))
        if bad.height:
            first = bad.row(0, named=True)
            raise ParseError(
                f"value {first['Date' if field else 'text']!r} is not a {'date' if field else 'positive rate'}",
                file=landed.origin,
                row=int(first["line"]),
                field=field or first["currency"],
            )
    frame = long.select(
        "rate_date", "currency", pl.col("text").cast(RATE).alias("units_per_eur"), pl.col("line").cast(pl.Int64)
    ).sort("line", "currency")
    return with_provenance(frame.drop("line"), landed).with_columns(frame["line"].alias("_source_row"))


def _parse(files: Sequence[LandedFile]) -> pl.DataFrame:
    return pl.concat(parse_rates(landed) for landed in files)


DATASETS = (
    Dataset(
        source=SOURCE,
        name="ecb_reference_rates",
        fetch=_fetch,
        parse=_parse,
        schema=ECB_REFERENCE_RATES,
        description="ECB euro reference rates: units of each currency per 1 EUR, per TARGET business day since 1999.",
        track_changes=False,
    ),
)
