"""Bad input names its place, and no input can take unbounded memory: decode errors, empty and header-only
files, ragged rows, a gzip bomb, a zip bomb inside an xlsx, an XML file above the size limit."""

from __future__ import annotations

import gzip
import json
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from ingest.common.source import IngestError, ParseError, RawFile, SourceContext, land
from ingest.registry import all_datasets
from tests.conftest import DEMO_MIRROR, REPO

CONTEXT = SourceContext(mode="demo", mirror_dir=DEMO_MIRROR)


def _dataset(source: str, name: str):
    return next(d for d in all_datasets() if (d.source, d.name) == (source, name))


def _parse_with(tmp_path: Path, source: str, name: str, pick, content: bytes):
    """Parse the dataset's demo files with the one chosen by ``pick(raw)`` replaced by ``content``."""
    dataset = _dataset(source, name)
    raws = [RawFile(content, r.origin, r.extension, name=r.name) if pick(r) else r for r in dataset.fetch(CONTEXT)]
    return dataset.parse(land(tmp_path, source, name, raws).files)


def _mm_csv(raw: RawFile) -> bool:
    return raw.extension == "csv" and "MissingMigrants" in raw.origin


def _mm_csv_bytes() -> bytes:
    (path,) = DEMO_MIRROR.glob("iom/missing_migrants/download_*/MissingMigrants-*.csv")
    return path.read_bytes()


def test_a_latin1_byte_names_file_line_and_field(tmp_path: Path) -> None:
    lines = _mm_csv_bytes().split(b"\n")
    header = lines[0].decode().split(",")
    fields = lines[3].split(b",")
    fields[2] = fields[2] + b"\xe9"  # a Windows-1252 e-acute in the third field of the third record
    lines[3] = b",".join(fields)
    with pytest.raises(ParseError, match="byte 0xe9") as error:
        _parse_with(tmp_path, "iom", "missing_migrants", _mm_csv, b"\n".join(lines))
    assert "MissingMigrants-Global" in error.value.file and error.value.row == 4
    assert error.value.field == header[2].strip('"')
    assert "latin-1" in str(error.value)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda data: b"", "file is empty"),
        (lambda data: data.split(b"\n")[0] + b"\n", "header but no data rows"),
    ],
    ids=["empty", "header-only"],
)
def test_empty_and_header_only_files_are_named(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(ParseError, match=message) as error:
        _parse_with(tmp_path, "iom", "missing_migrants", _mm_csv, make(_mm_csv_bytes()))
    assert "MissingMigrants-Global" in (error.value.file or "")


def test_a_row_with_more_fields_than_the_header_is_named(tmp_path: Path) -> None:
    (raw,) = _dataset("unhcr", "population").fetch(CONTEXT)
    lines = gzip.decompress(raw.content).split(b"\n")
    lines[9] += b",1234"
    with pytest.raises(ParseError, match="extra value '1234'") as error:
        _parse_with(tmp_path, "unhcr", "population", lambda r: True, gzip.compress(b"\n".join(lines)))
    assert error.value.row == 10 and error.value.file.endswith("population.csv.gz")


def _gzip_bomb(path: Path, gib: float) -> None:
    """``gib`` GiB of zeros as a gzip file of about 1 MB per GiB. A full flush leaves the compressor as it
    started, so each 16 MiB block of zeros compresses to the same bytes: compressed once, written many times."""
    header, block, blocks = b"year,coo_name\n", b"0" * (16 << 20), int(gib * 64)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: the gzip header and trailer are written here
    first = deflate.compress(header) + deflate.flush(zlib.Z_FULL_FLUSH)
    compressed = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH) == compressed, "blocks compress alike"
    crc = zlib.crc32(header)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    with path.open("wb") as handle:
        handle.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")  # deflate, no name, no time, best
        handle.write(first)
        for _ in range(blocks):
            handle.write(compressed)
        handle.write(deflate.flush())
        handle.write(struct.pack("<II", crc, (len(header) + blocks * len(block)) & 0xFFFFFFFF))


# Its peak is the process's own high-water mark (VmHWM): ru_maxrss would also count the pytest worker's
# resident memory, which a fork before the exec hands on to the child's figure (1,048 MiB seen, 487 its own).
BOMB_PARSE = """
import json, sys
from pathlib import Path
from ingest.common.source import IngestError, RawFile, land
from ingest.registry import all_datasets
dataset = next(d for d in all_datasets() if (d.source, d.name) == ("unhcr", "population"))
bomb = Path(sys.argv[1])
landed = land(bomb.parent / "raw", "unhcr", "population", [RawFile(bomb.read_bytes(), str(bomb), "csv.gz")])
try:
    dataset.parse(landed.files)
    outcome = "parsed"
except IngestError as error:
    outcome = str(error)
peak_kib = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1])
print(json.dumps({"outcome": outcome, "peak_mib": peak_kib / 1024}))
"""


def test_a_gzip_bomb_is_refused_naming_the_file_with_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "population.csv.gz"
    _gzip_bomb(bomb, gib=2)
    assert bomb.stat().st_size < 10 << 20
    result = subprocess.run(
        [sys.executable, "-c", BOMB_PARSE, str(bomb)], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert str(bomb) in seen["outcome"] and "decompression bomb" in seen["outcome"]
    assert "MAW_MAX_COMPRESSION_RATIO" in seen["outcome"]
    print(f"gzip bomb: {bomb.stat().st_size:,} bytes -> 2 GiB refused; peak RSS {seen['peak_mib']:.0f} MiB")
    assert seen["peak_mib"] < 1024, "memory stays far below what the bomb expands to"


def test_the_absolute_decompressed_size_limit_applies_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MAW_MAX_DECOMPRESSED_BYTES", str(1 << 20))
    (raw,) = _dataset("unhcr", "population").fetch(CONTEXT)
    big = gzip.compress(gzip.decompress(raw.content) * 200)
    with pytest.raises(ParseError, match="more than 1,048,576 bytes") as error:
        _parse_with(tmp_path, "unhcr", "population", lambda r: True, big)
    assert error.value.file.endswith("population.csv.gz")


def test_an_xlsx_whose_members_claim_gigabytes_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MAW_MAX_DECOMPRESSED_BYTES", str(64 << 20))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (128 << 20))
    with pytest.raises(IngestError, match="decompression bomb") as error:
        _parse_with(tmp_path / "p", "iom", "missing_migrants", lambda r: r.extension == "xlsx", bomb.read_bytes())
    assert error.value.file.endswith(".xlsx")


def test_an_xml_file_above_the_size_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MAW_MAX_XML_BYTES", "10000")
    with pytest.raises(ParseError, match="larger than the limit of 10,000 bytes") as error:
        _dataset("iati", "activities").parse(
            land(tmp_path, "iati", "activities", _dataset("iati", "activities").fetch(CONTEXT)).files
        )
    assert "XM-DAC-7_minbuza_nl_demo.xml" in error.value.file
