"""What both IOM datasets share: the mirror layout with its manifest of vintages, and small cell helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from ingest.common.source import FetchError, LandedFile, ParseError, RawFile, SourceContext, read_mirror_file
from ingest.common.tabular import read_csv_text

SOURCE = "iom"
MIRROR_ROOT = "iom"


def mirror_files(context: SourceContext, folder: str, patterns: Sequence[str]) -> list[RawFile]:
    """Every file of a mirror folder matching ``patterns``, plus the mirror's manifest (the vintages)."""
    root = context.mirror_path(MIRROR_ROOT)
    found = sorted({p for pattern in patterns for p in (root / folder).glob(pattern) if p.is_file()})
    if not found:
        raise FetchError(f"no files matching {', '.join(patterns)} in the mirror", file=str(root / folder))
    files = [read_mirror_file(context, f"{MIRROR_ROOT}/{p.relative_to(root)}", _extension(p.name)) for p in found]
    files = [f.named(str(p.relative_to(root))) for f, p in zip(files, found, strict=True)]
    if (root / "manifest.csv").is_file():
        files.append(read_mirror_file(context, f"{MIRROR_ROOT}/manifest.csv", "csv").named("manifest.csv"))
    return files


def _extension(file_name: str) -> str:
    return file_name.rsplit(".", 1)[-1].lower()


def recorded_dates(files: Sequence[LandedFile]) -> dict[str, date]:
    """File name -> the date the mirror's manifest says the file was recorded."""
    vintages: dict[str, date] = {}
    for landed in files:
        if landed.name != "manifest.csv":
            continue
        for row in read_csv_text(landed, ["file", "recorded"]).iter_rows(named=True):
            try:
                vintages[row["file"]] = date.fromisoformat(row["recorded"])
            except (TypeError, ValueError) as exc:
                raise ParseError(f"manifest row has no usable recorded date: {exc}", file=landed.origin) from exc
    return vintages


def vintage_of(landed: LandedFile, vintages: dict[str, date]) -> date:
    """When the bytes were recorded: the manifest's date in a mirror, else the retrieval day."""
    return vintages.get(landed.name or "") or date.fromisoformat(landed.retrieved_at[:10])


def clean_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\ufeff", "").strip()
    return text or None


# The characters Python's str.strip() removes (str.isspace). polars' strip_chars() without arguments keeps
# four of them (\x1c-\x1f), so the column version of clean_text names them all.
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


def cleaned(column: str) -> pl.Expr:
    """``clean_text`` over a whole text column: BOMs removed, whitespace stripped, an empty cell null."""
    text = pl.col(column).str.replace_all("\ufeff", "", literal=True).str.strip_chars(PYTHON_WHITESPACE)
    return pl.when(text != "").then(text)


def with_constants(frame: pl.DataFrame, **values: object) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(v, dtype=pl.Date if isinstance(v, date) else None).alias(k) for k, v in values.items()
    )


def dates(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Cast an ISO ``YYYY-MM-DD`` text column to Date; a value that is not one raises with its row."""
    parsed = frame.get_column(column).str.to_date("%Y-%m-%d", strict=False)
    failed = parsed.is_null() & frame.get_column(column).is_not_null()
    if failed.any():
        index = int(failed.arg_true()[0])
        raise ParseError(
            f"value {frame.get_column(column)[index]!r} is not a date (YYYY-MM-DD)",
            file=frame.get_column("_source_file")[index],
            row=frame.get_column("_source_row")[index],
            field=column,
        )
    return frame.with_columns(parsed.alias(column))
