"""Reading raw bytes safely: bounded decompression, strict UTF-8 with the place of a bad byte, size limits.

Every parser reads its landed files through here, so a gzip bomb (25 MB expanding to 8 GiB), a zip whose
members claim gigabytes, an XML file beyond the size limit or a latin-1 byte fails with an error naming
the file (and line and field where there is one) instead of exhausting memory or escaping as a bare
``UnicodeDecodeError``.

Limits (``RawLimits`` in the settings, read on every call so tests can lower them):
``MAW_MAX_DECOMPRESSED_BYTES`` (default 4 GiB) per decompressed file, ``MAW_MAX_COMPRESSION_RATIO`` (default
200) once a file has expanded past 64 MiB, ``MAW_MAX_XML_BYTES`` (default 2 GiB).
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.common.source import LandedFile, ParseError

if TYPE_CHECKING:
    from ingest.common.settings import RawLimits

GZIP_MAGIC = b"\x1f\x8b"
_RATIO_FLOOR = 64 << 20  # small files may compress as well as they like
_BOM = b"\xef\xbb\xbf"
_CHUNK = 4 << 20


def _limits() -> RawLimits:
    from ingest.common.settings import load_settings  # settings -> http -> source: import when used

    return load_settings().raw_limits


def max_decompressed() -> int:
    return _limits().max_decompressed_bytes


def max_ratio() -> float:
    return _limits().max_compression_ratio


def max_xml_bytes() -> int:
    return _limits().max_xml_bytes


def _check_expansion(size: int, compressed: int, origin: str) -> None:
    if size > max_decompressed():
        raise ParseError(
            f"decompresses to more than {max_decompressed():,} bytes (MAW_MAX_DECOMPRESSED_BYTES): "
            "refused as a decompression bomb",
            file=origin,
        )
    if size > _RATIO_FLOOR and size > max_ratio() * max(compressed, 1):
        raise ParseError(
            f"expands more than {max_ratio():g}:1 ({compressed:,} bytes to over {size:,}; "
            "MAW_MAX_COMPRESSION_RATIO): refused as a decompression bomb",
            file=origin,
        )


def gunzip(content: bytes, origin: str) -> bytes:
    """Decompress (every member of) a gzip stream, at most 4 MiB at a time, stopping at the limits rather
    than after them."""
    out = bytearray()
    data = content
    while data:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out += inflater.decompress(data, _CHUNK)
            _check_expansion(len(out), len(content), origin)
            while not inflater.eof:
                piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                if not piece and not inflater.unconsumed_tail:
                    break
                out += piece
                _check_expansion(len(out), len(content), origin)
        except zlib.error as exc:
            raise ParseError(f"not a valid gzip file: {exc}", file=origin) from None
        if not inflater.eof:
            raise ParseError("gzip stream ends before its end marker: the file is cut off", file=origin)
        data = inflater.unused_data.lstrip(b"\x00")  # zero padding after the last member is allowed
        if data and not data.startswith(GZIP_MAGIC):
            raise ParseError("bytes after the end of the gzip stream", file=origin)
    return bytes(out)


def read_raw(landed: LandedFile) -> bytes:
    """The file's bytes, gunzipped (within the limits) when they are gzip."""
    content = landed.path.read_bytes()
    return gunzip(content, landed.origin) if content.startswith(GZIP_MAGIC) else content


def decode_utf8(content: bytes, origin: str, header: list[str] | None = None) -> str:
    """Strict UTF-8 (a BOM is dropped); a bad byte is reported with its line, column and, for a CSV whose
    header is known, its field."""
    if content.startswith(_BOM):
        content = content[len(_BOM) :]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = content.rfind(b"\n", 0, exc.start) + 1
        line = content.count(b"\n", 0, exc.start) + 1
        prefix = content[line_start : exc.start].decode("utf-8", "replace")
        field = None
        if header:
            try:
                index = len(next(csv.reader([prefix]), [""])) - 1
            except csv.Error:
                index = -1
            field = header[index] if 0 <= index < len(header) else None
        byte = content[exc.start : exc.start + 1].hex()
        raise ParseError(
            f"byte 0x{byte} at column {exc.start - line_start + 1} is not UTF-8 ({exc.reason}); "
            "the file must be UTF-8 (was it saved as latin-1 / Windows-1252?)",
            file=origin,
            row=line,
            field=field,
        ) from None


def read_zip_member(landed: LandedFile, member: str) -> bytes:
    """One member of a zip archive, refused when its declared or actual size passes the limits."""
    check_zip(landed)
    try:
        with zipfile.ZipFile(landed.path) as archive, archive.open(member) as handle:
            out = bytearray()
            while chunk := handle.read(_CHUNK):
                out += chunk
                _check_expansion(len(out), landed.bytes, landed.origin)
            return bytes(out)
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, OSError) as exc:
        raise ParseError(f"not a zip archive with {member}: {exc}", file=landed.origin) from None


def check_zip(landed: LandedFile) -> None:
    """A zip archive (also xlsx) whose members together declare more than the limits is refused unread."""
    try:
        with zipfile.ZipFile(landed.path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ParseError(f"not a valid zip archive: {exc}", file=landed.origin) from None
    _check_expansion(declared, landed.bytes, landed.origin)


def check_size(path: Path, origin: str, limit: int, kind: str) -> None:
    size = path.stat().st_size
    if size > limit:
        raise ParseError(f"{kind} file of {size:,} bytes is larger than the limit of {limit:,} bytes", file=origin)


def check_fields(text: str, origin: str, delimiter: str = ",") -> None:
    """Every record has as many fields as the header; the first that does not is named by line and field."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _check_records(reader, origin)
    except csv.Error as exc:
        raise ParseError(f"not a readable CSV: {exc}", file=origin, row=reader.line_num) from None


def _check_records(reader, origin: str) -> None:
    header = next(reader, None)
    if header is None:
        return
    width = len(header)
    for record in reader:
        if not record or len(record) == width:
            continue
        if len(record) < width:
            missing = header[len(record)]
            message = f"{len(record)} fields where the header has {width}: {missing!r} and after are missing"
            raise ParseError(message + " (a row cut short?)", file=origin, row=reader.line_num, field=missing)
        raise ParseError(
            f"{len(record)} fields where the header has {width}: extra value {record[width]!r}",
            file=origin,
            row=reader.line_num,
            field=f"(field {width + 1}, beyond the header)",
        )
