"""Typed parsing of tabular raw files, shared by every source that ships CSV or JSON records.

Everything is read as text first and cast afterwards, so that a cell that does not fit its type is
reported with its file, row and column instead of a bare polars error.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence

import polars as pl

from ingest.common import rawio
from ingest.common.source import LandedFile, ParseError, with_provenance

_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
Schema = Mapping[str, pl.DataType | type[pl.DataType]]


def read_csv_records(
    landed: LandedFile,
    *,
    null_values: Sequence[str] = ("",),
    skip_hashtag_row: bool = False,
    allow_empty: bool = False,
) -> tuple[pl.DataFrame, int]:
    """A (possibly gzipped) UTF-8 CSV as all-text columns, with the line number of its first record.

    An empty file, a header without rows (unless ``allow_empty``), a byte that is not UTF-8 and a row with
    fewer or more fields than the header are errors naming file, line and field: polars would fill a short
    row (say the last row of a cut-off export) with nulls without a word. ``skip_hashtag_row`` drops an HXL
    hashtag row (``#adm1+code,...``) below the header, as HDX ships it.
    """
    content = rawio.read_raw(landed)
    if not content.strip():
        raise ParseError("file is empty: no header, no rows", file=landed.origin)
    header_line = content[: content.find(b"\n")] if b"\n" in content else content
    header_text = header_line.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r")
    try:
        header = next(csv.reader([header_text]), [])
    except csv.Error:
        header = header_text.split(",")
    rawio.decode_utf8(content, landed.origin, header)  # strict UTF-8, a bad byte named; the text is not kept
    try:
        # From the bytes (polars drops a BOM): a StringIO of the text would hold a second, wider copy of the file.
        frame = pl.read_csv(content, infer_schema=False, null_values=list(null_values), raise_if_empty=True)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        rawio.check_fields(rawio.decode_utf8(content, landed.origin), landed.origin)  # the line that does not fit
        raise ParseError(f"not a readable CSV: {str(exc).splitlines()[0]}", file=landed.origin) from None
    if frame.width and frame.get_column(frame.columns[-1]).null_count():
        rawio.check_fields(rawio.decode_utf8(content, landed.origin), landed.origin)  # a null last field: short row?
    if frame.height == 0 and not allow_empty:
        raise ParseError("the file has a header but no data rows", file=landed.origin, row=2)
    if skip_hashtag_row and frame.height and str(frame.row(0)[0] or "").startswith("#"):
        return frame.slice(1), 3
    return frame, 2


def require_columns(frame: pl.DataFrame, columns: Sequence[str], landed: LandedFile) -> None:
    """Fail on the header line, naming the first missing column and the ones found."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParseError(
            f"columns missing from header: {', '.join(missing)} (found: {', '.join(frame.columns)})",
            file=landed.origin,
            row=1,
            field=missing[0],
        )


def read_csv_text(
    landed: LandedFile,
    columns: Sequence[str] | None = None,
    *,
    null_values: Sequence[str] = ("",),
    allow_empty: bool = False,
) -> pl.DataFrame:
    """Read a CSV as all-text columns (``columns`` only, when given, checking the header before the rows)."""
    frame, _ = read_csv_records(landed, null_values=null_values, allow_empty=True)
    if columns is not None:
        require_columns(frame, columns, landed)
        frame = frame.select(columns)
    if frame.height == 0 and not allow_empty:
        raise ParseError("the file has a header but no data rows", file=landed.origin, row=2)
    return frame


def _typed(name: str, dtype: pl.DataType | type[pl.DataType]) -> pl.Expr:
    """A text column as ``dtype``, null where a value does not fit; numbers and booleans are trimmed first."""
    if dtype == pl.Utf8:
        return pl.col(name)
    text = pl.col(name).str.strip_chars()
    if dtype == pl.Boolean:
        return text.str.to_lowercase().replace_strict(_BOOLEANS, default=None, return_dtype=pl.Boolean)
    return text.cast(dtype, strict=False)


def cast_checked(frame: pl.DataFrame, schema: Schema, landed: LandedFile, first_row: int) -> pl.DataFrame:
    """Cast text columns to ``schema``; a value that does not fit raises with its row and field.

    ``first_row`` is the row number (as a person would count it in the file) of the frame's first record:
    2 for a CSV with a header line, 1 for a list of JSON records. Each column is trimmed and cast in one
    expression, so no trimmed copy of the whole text frame is held (100 MB at the peak of the UNHCR
    demographics parse).
    """
    for name, dtype in schema.items():
        if dtype == pl.Utf8:
            continue
        index = frame.select((_typed(name, dtype).is_null() & pl.col(name).is_not_null()).arg_true().first()).item()
        if index is not None:
            value = frame.get_column(name).str.strip_chars()[index]
            raise ParseError(
                f"value {value!r} is not a valid {dtype}",
                file=landed.origin,
                row=first_row + index,
                field=name,
            )
    typed = frame.select(_typed(name, dtype).alias(name) for name, dtype in schema.items())
    return with_provenance(typed, landed, first_row=first_row)
