"""The one source interface every dataset follows: fetch -> land raw -> parse -> validate -> load.

A dataset module (``ingest/unhcr.py``, ``ingest/iati.py`` ...) declares :class:`Dataset` objects. Each
knows how to *fetch* its raw bytes for a :class:`SourceContext` (demo mirror, a mirror directory or the
live API) and how to *parse* the landed files into a typed polars frame. Landing, validation and loading
are the same for every dataset and live here and in ``warehouse/``.

Every parsed frame carries four provenance columns, so any row can be traced to its bytes:
``_source_file`` (URL or path), ``_source_row`` (1-based record number within that file),
``_snapshot_sha256`` (sha256 of that raw file) and ``_retrieved_at``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import polars as pl

if TYPE_CHECKING:
    from ingest.common.columns import TableSchema
    from ingest.common.http import HttpClient
    from ingest.common.settings import HttpSettings, Settings

Mode = Literal["demo", "mirror", "live"]
# The one home of reviewed CSVs; these are the ones Python reads (the rest are dbt seeds beside them).
REVIEWED_CSV_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "read_by_ingest"
PROVENANCE_COLUMNS = ("_source_file", "_source_row", "_snapshot_sha256", "_retrieved_at")
_SECRET_QUERY = re.compile(r"(?i)([?&](?:api[_-]?key|key|token|subscription[_-]?key)=)[^&]+")


class IngestError(Exception):
    """A load that cannot go on, with the place in the source that caused it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"file {self.file}" if self.file else "",
                f"row {self.row}" if self.row is not None else "",
                f"field {self.field!r}" if self.field else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class FetchError(IngestError):
    """The source could not be reached or answered with something that is not the data."""


class ParseError(IngestError):
    """The raw bytes are not in the shape the parser expects."""


def redact(url: str) -> str:
    """Strip keys and tokens from a URL before it is stored anywhere."""
    return _SECRET_QUERY.sub(r"\1REDACTED", url)


@dataclass(frozen=True)
class SourceContext:
    """Where a refresh reads its sources from, and the settings its live clients are built from.

    Dagster passes the settings of its resource as ``config``; without it, :attr:`settings` is the
    environment as it is when a fetch runs (what tests pointing a variable at a fake server want).
    """

    mode: Mode
    mirror_dir: Path | None = None
    config: Settings | None = None
    http_factory: Callable[[HttpSettings, Mapping[str, str] | None], HttpClient] | None = None

    @property
    def settings(self) -> Settings:
        from ingest.common.settings import load_settings  # settings -> http -> this module: import when used

        return self.config if self.config is not None else load_settings()

    def client(self, policy: HttpSettings, headers: Mapping[str, str] | None = None) -> HttpClient:
        """An HTTP client with ``policy``; a test passes ``http_factory`` to hand out its own."""
        return (
            self.http_factory(policy, headers)
            if self.http_factory
            else policy.client(headers, self.settings.http_limits)
        )

    def mirror_path(self, relative: str) -> Path:
        if self.mirror_dir is None:
            raise FetchError(f"mode {self.mode!r} has no mirror directory")
        return self.mirror_dir / relative


@dataclass(frozen=True)
class RawFile:
    """Bytes as fetched, before anything has read them."""

    content: bytes
    origin: str  # URL (redacted) or file path
    extension: str  # e.g. "csv.gz", "json", "xml"
    http_status: int | None = None
    retrieved_at: str = field(default_factory=lambda: utc_now())
    name: str | None = None  # a stable logical name within the dataset, e.g. "page-0003" or the file name

    def named(self, name: str, extension: str | None = None) -> RawFile:
        """The same bytes and provenance under a logical name (and, if given, another extension)."""
        return replace(self, name=name, extension=extension or self.extension)


@dataclass(frozen=True)
class LandedFile:
    """A raw file stored immutably under ``raw/<source>/<dataset>/<sha256>.<ext>``."""

    path: Path
    sha256: str
    origin: str
    bytes: int
    retrieved_at: str
    http_status: int | None
    name: str | None

    def metadata(self) -> dict[str, object]:
        record = asdict(self)
        record["path"] = str(self.path)
        return record


@dataclass(frozen=True)
class Snapshot:
    """All raw files of one dataset load; its id changes whenever any byte changes."""

    source: str
    dataset: str
    files: tuple[LandedFile, ...]

    @property
    def snapshot_id(self) -> str:
        digest = hashlib.sha256()
        for sha in sorted(f.sha256 for f in self.files):
            digest.update(sha.encode())
        return digest.hexdigest()

    @property
    def total_bytes(self) -> int:
        return sum(f.bytes for f in self.files)


@dataclass(frozen=True)
class Dataset:
    """One dataset of one source, and the functions that make it a typed table.

    ``fetch`` returns raw files for a context; ``parse`` turns the landed files into one frame with the
    provenance columns; ``schema`` declares that frame column by column (``ingest/common/columns.py``)
    and its grain; the suite of the same name in ``expectations/<source>.py`` adds the rules a column
    declaration cannot state.
    """

    source: str
    name: str
    fetch: Callable[[SourceContext], Sequence[RawFile]]
    parse: Callable[[Sequence[LandedFile]], pl.DataFrame]
    schema: TableSchema
    description: str
    track_changes: bool = True

    @property
    def key(self) -> tuple[str, ...]:
        """The grain, used for uniqueness checks and revision tracking."""
        return self.schema.key

    @property
    def table(self) -> str:
        """Schema-qualified table in the build database, e.g. ``raw_unhcr.population``."""
        return f"raw_{self.source}.{self.name.replace('-', '_')}"

    @property
    def asset_name(self) -> str:
        return self.name.replace("-", "_")


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def land(raw_dir: Path, source: str, dataset: str, files: Iterable[RawFile]) -> Snapshot:
    """Store raw files content-addressed and immutable; an unchanged file is not stored twice."""
    folder = raw_dir / source / dataset
    folder.mkdir(parents=True, exist_ok=True)
    landed = []
    for raw in files:
        sha = sha256_bytes(raw.content)
        path = folder / f"{sha}.{raw.extension}"
        if not path.exists():
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            tmp.write_bytes(raw.content)
            os.chmod(tmp, 0o444)
            os.replace(tmp, path)
        landed_file = LandedFile(
            path=path,
            sha256=sha,
            origin=redact(raw.origin),
            bytes=len(raw.content),
            retrieved_at=raw.retrieved_at,
            http_status=raw.http_status,
            name=raw.name,
        )
        meta_path = folder / f"{sha}.{raw.extension}.meta.json"
        retrievals = json.loads(meta_path.read_text())["retrievals"] if meta_path.exists() else []
        retrievals.append({k: v for k, v in landed_file.metadata().items() if k not in {"path", "sha256", "bytes"}})
        meta = {"sha256": sha, "bytes": len(raw.content), "retrievals": retrievals}
        meta_path.write_text(json.dumps(meta, indent=2))
        landed.append(landed_file)
    return Snapshot(source=source, dataset=dataset, files=tuple(landed))


def with_provenance(frame: pl.DataFrame, landed: LandedFile, first_row: int = 1) -> pl.DataFrame:
    """Add the provenance columns; ``_source_row`` counts records from ``first_row``."""
    return frame.with_columns(
        pl.lit(landed.origin).alias("_source_file"),
        pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias("_source_row"),
        pl.lit(landed.sha256).alias("_snapshot_sha256"),
        pl.lit(landed.retrieved_at).str.to_datetime(time_zone="UTC").alias("_retrieved_at"),
    )


def read_mirror_file(context: SourceContext, relative: str, extension: str) -> RawFile:
    """Read one file of a mirror directory laid out like ``../shared/data``."""
    path = context.mirror_path(relative)
    if not path.is_file():
        raise FetchError("mirror file is missing", file=str(path))
    return RawFile(content=path.read_bytes(), origin=str(path.resolve()), extension=extension, name=relative)
