"""Landing, provenance and typed parsing: the parts of the source interface every dataset shares."""

from __future__ import annotations

import gzip
import stat
from pathlib import Path

import polars as pl
import pytest

from ingest.common import countries
from ingest.common.source import ParseError, RawFile, land, redact
from ingest.common.tabular import cast_checked, read_csv_text
from ingest.unhcr import DATASETS

POPULATION = next(d for d in DATASETS if d.name == "population")
HEADER = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,"
    "refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n"
)


def _raw(text: str, name: str = "population.csv.gz") -> RawFile:
    return RawFile(
        content=gzip.compress(text.encode(), mtime=0),
        origin=f"/mirror/unhcr/{name}",
        extension="csv.gz",
        name=name,
    )


def test_land_is_content_addressed_immutable_and_deduplicated(tmp_path: Path) -> None:
    raw = _raw(HEADER)
    first = land(tmp_path, "unhcr", "population", [raw]).files[0]
    second = land(tmp_path, "unhcr", "population", [raw]).files[0]
    assert first.path == second.path == tmp_path / "unhcr" / "population" / f"{first.sha256}.csv.gz"
    assert list(first.path.parent.glob("*.csv.gz")) == [first.path]
    assert not first.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    meta = (first.path.parent / f"{first.path.name}.meta.json").read_text()
    assert '"retrievals"' in meta and meta.count('"retrieved_at"') == 2


def test_snapshot_id_changes_with_any_byte(tmp_path: Path) -> None:
    a = land(tmp_path, "unhcr", "population", [_raw(HEADER)])
    b = land(tmp_path, "unhcr", "population", [_raw(HEADER + "\n")])
    assert a.snapshot_id != b.snapshot_id


def test_keys_and_tokens_never_stored_in_origin(tmp_path: Path) -> None:
    url = "https://api.example.org/v3/data?country=SDN&subscription-key=SECRET123&api_key=abc"
    assert "SECRET123" not in redact(url) and "abc" not in redact(url)
    landed = land(tmp_path, "x", "y", [RawFile(content=b"{}", origin=url, extension="json")]).files[0]
    assert "SECRET123" not in landed.origin
    assert "SECRET123" not in (landed.path.parent / f"{landed.path.name}.meta.json").read_text()


def test_unhcr_csv_parse_types_nulls_and_provenance(tmp_path: Path) -> None:
    rows = (
        "2023,Syrian Arab Rep.,SYR,SYR,Germany,GFR,DEU,705812,72642,0,0,0,0,0,,0\n"
        "2023,Venezuela (Bolivarian Republic of),VEN,VEN,Colombia,COL,COL,2875,0,0,0,0,0,0,2849785,0\n"
    )
    snapshot = land(tmp_path, "unhcr", "population", [_raw(HEADER + rows)])
    frame = POPULATION.parse(snapshot.files)
    assert frame.schema["year"] == pl.Int32 and frame.schema["oip"] == pl.Int64
    assert frame["oip"].to_list() == [None, 2849785], "an empty oip cell is NULL (not applicable), not 0"
    assert frame["coa"].to_list() == ["GFR", "COL"] and frame["coa_iso"].to_list() == ["DEU", "COL"]
    assert frame["_source_row"].to_list() == [2, 3], "CSV rows are counted as lines, header = line 1"
    assert set(frame["_snapshot_sha256"]) == {snapshot.files[0].sha256}


def test_parse_error_names_file_row_and_field(tmp_path: Path) -> None:
    rows = "2023,Iran,IRN,IRN,Iraq,IRQ,IRQ,12,0,0,0,0,0,0,,0\n2023,Iraq,IRQ,IRQ,Iran,IRN,IRN,1x2,0,0,0,0,0,0,,0\n"
    snapshot = land(tmp_path, "unhcr", "population", [_raw(HEADER + rows)])
    with pytest.raises(ParseError) as error:
        POPULATION.parse(snapshot.files)
    assert (error.value.row, error.value.field) == (3, "refugees")
    assert error.value.file == "/mirror/unhcr/population.csv.gz"


def test_missing_column_is_reported_by_name(tmp_path: Path) -> None:
    snapshot = land(tmp_path, "unhcr", "population", [_raw(HEADER.replace(",oip", ",oipx"))])
    with pytest.raises(ParseError, match="oip"):
        POPULATION.parse(snapshot.files)


def test_literal_na_code_is_a_string_not_null(tmp_path: Path) -> None:
    landed = land(
        tmp_path, "t", "t", [RawFile(content=b"app_type,n\nNA,5\n,6\n", origin="x.csv", extension="csv")]
    ).files[0]
    frame = cast_checked(read_csv_text(landed, ["app_type", "n"]), {"app_type": pl.Utf8, "n": pl.Int64}, landed, 2)
    assert frame["app_type"].to_list() == ["NA", None]


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Jordanië", "JOR"),
        ("Jordanie", "JOR"),
        ("Oeganda", "UGA"),
        ("Tsjaad", "TCD"),
        ("Ivoorkust", "CIV"),
        ("Libië", "LBY"),
        ("Libie", "LBY"),
        ("Ethiopié", "ETH"),
        ("Türkiye", "TUR"),
        ("Syrian Arab Rep.", "SYR"),
    ],
)
def test_country_names_in_dutch_and_english_resolve(name: str, iso3: str) -> None:
    assert countries.resolve(name) == iso3


def test_unknown_country_name_fails() -> None:
    with pytest.raises(countries.UnknownCountry, match="Atlantis"):
        countries.resolve("Atlantis")
