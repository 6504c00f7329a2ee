"""UNHCR mirror parsing and the expectation suites: every dataset, every quirk of the snapshot README.

The real snapshots are read once per session; figures are compared with counts taken from the raw files
by the standard library (gzip + csv), independently of polars and of the parser under test.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from unhcr_helpers import dataset, raw_rows, write_rows

from ingest import unhcr
from ingest.common.source import ParseError, SourceContext, land

DEMO = SourceContext(mode="demo", mirror_dir=Path(__file__).resolve().parent.parent / "demo_mirror")


@pytest.fixture(scope="session")
def real_frames(shared_data: Path, tmp_path_factory) -> dict[str, pl.DataFrame]:
    context = SourceContext(mode="mirror", mirror_dir=shared_data)
    raw = tmp_path_factory.mktemp("raw")
    return {d.name: d.parse(land(raw, d.source, d.name, d.fetch(context)).files) for d in unhcr.DATASETS}


@pytest.fixture(scope="session")
def demo_frames(tmp_path_factory) -> dict[str, pl.DataFrame]:
    raw = tmp_path_factory.mktemp("demo-raw")
    return {d.name: d.parse(land(raw, d.source, d.name, d.fetch(DEMO)).files) for d in unhcr.DATASETS}


def test_every_dataset_has_an_endpoint_spec_a_suite_and_a_key():
    from expectations.unhcr import SUITES

    names = {d.name for d in unhcr.DATASETS}
    assert names == {
        "population", "asylum-applications", "asylum-decisions", "solutions", "demographics",
        "idmc", "unrwa", "flows", "countries",
    }  # fmt: skip
    assert names == set(SUITES)
    assert unhcr.ENDPOINTS_BY_NAME["flows"].endpoint is None  # mirror only
    assert unhcr.ENDPOINTS_BY_NAME["demographics"].mirror_files == (
        "demographics_2001_2024.csv.gz",
        "demographics.csv.gz",
    )


@pytest.mark.shared
def test_real_files_parse_to_exactly_their_rows_with_unique_keys(real_frames, shared_data):
    for spec in unhcr.ENDPOINTS:
        expected = sum(len(raw_rows(shared_data / "unhcr" / name)) for name in spec.mirror_files)
        frame = real_frames[spec.name]
        assert frame.height == expected, spec.name
        assert not frame.select(spec.key).is_duplicated().any(), f"{spec.name}: key {spec.key} not unique"
        assert frame["_source_row"].min() == 2  # line 1 is the header


@pytest.mark.shared
def test_real_na_vs_zero_and_the_code_na(real_frames, shared_data):
    rows = raw_rows(shared_data / "unhcr" / "solutions.csv.gz")
    solutions = real_frames["solutions"]
    for column in ("returned_refugees", "resettlement", "naturalisation", "returned_idps"):
        empty = sum(1 for r in rows if r[column] == "")
        zero = sum(1 for r in rows if r[column] == "0")
        assert empty > 0 and solutions[column].null_count() == empty, column
        assert (solutions[column] == 0).sum() == zero, column
    population = real_frames["population"]
    assert population["oip"].null_count() == sum(
        1 for r in raw_rows(shared_data / "unhcr" / "population.csv.gz") if r["oip"] == ""
    )
    assert population["refugees"].null_count() == 0
    applications = raw_rows(shared_data / "unhcr" / "asylum_applications.csv.gz")
    literal_na = sum(1 for r in applications if r["app_type"] == "NA")
    assert literal_na > 0
    assert (real_frames["asylum-applications"]["app_type"] == "NA").sum() == literal_na
    assert real_frames["asylum-applications"]["app_type"].null_count() == 0


@pytest.mark.shared
def test_real_codes_are_kept_as_published_both_systems(real_frames):
    population = real_frames["population"]
    austria = population.filter(pl.col("coa") == "AUS")["coa_iso"].unique().to_list()
    assert austria == ["AUT"]  # UNHCR's AUS is Austria; the ISO column says so
    assert set(population["coo_iso"]) >= {"UNK", "XXA", "TIB"}
    assert "AB9" in set(real_frames["idmc"]["coo_iso"])
    flows_iso = set(real_frames["flows"]["coo_iso"])
    assert {"UKN", "STA"} <= flows_iso and not {"UNK", "XXA"} & flows_iso  # aligned only in intermediate
    assert real_frames["countries"].filter(pl.col("unhcr_code") == "UKN")["iso_code"].to_list() == ["XXX"]


@pytest.mark.shared
def test_demographics_concatenates_both_files_without_overlap(real_frames, shared_data):
    frame = real_frames["demographics"]
    files = frame.group_by("_source_file").agg(pl.col("year").min().alias("lo"), pl.col("year").max().alias("hi"))
    spans = {Path(f).name: (lo, hi) for f, lo, hi in files.iter_rows()}
    assert spans["demographics.csv.gz"] == (2025, 2025)
    assert spans["demographics_2001_2024.csv.gz"] == (2001, 2024)


def test_demo_files_have_the_real_columns_and_parse(demo_frames):
    for spec in unhcr.ENDPOINTS:
        frame = demo_frames[spec.name]
        assert frame.height > 0, spec.name
        assert list(frame.columns[: len(spec.schema)]) == list(spec.schema), spec.name
    assert (demo_frames["asylum-applications"]["app_type"] == "NA").any()
    assert set(demo_frames["asylum-decisions"]["dec_pc"]) == {"P", "C"}
    assert demo_frames["solutions"]["resettlement"].null_count() > 0


def test_a_damaged_cell_fails_the_parse_naming_file_row_and_field(tmp_path):
    source = Path(DEMO.mirror_dir) / "unhcr" / "asylum_applications.csv.gz"
    rows = raw_rows(source)
    rows[6]["applied"] = "12a"
    damaged = tmp_path / "unhcr" / "asylum_applications.csv.gz"
    damaged.parent.mkdir()
    write_rows(damaged, rows)
    context = SourceContext(mode="mirror", mirror_dir=tmp_path)
    spec = dataset("asylum-applications")
    with pytest.raises(ParseError) as error:
        spec.parse(land(tmp_path / "raw", "unhcr", spec.name, spec.fetch(context)).files)
    assert (error.value.row, error.value.field) == (8, "applied")  # header is line 1, rows[0] line 2
    assert error.value.file.endswith("asylum_applications.csv.gz")


# --- the suites block bad loads -----------------------------------------------------------------------


def set_cell(column: str, value: object):
    """A breakage: row 3 of the load gets ``value`` in ``column``."""
    return lambda f: f.with_columns(
        pl.when(pl.int_range(f.height) == 3).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )


def duplicate_row(f: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([f, f.slice(3, 1)])


BREAKAGES = {
    "population": set_cell("refugees", -5),  # a negative count
    "asylum-applications": set_cell("app_pc", "X"),  # a unit that is neither persons nor cases
    "asylum-decisions": duplicate_row,  # the key is no longer unique
    "solutions": set_cell("coa_iso", "ZZZ"),  # not an ISO code nor a labelled pseudo-code
    "demographics": set_cell("pop_type", "XYZ"),  # an unknown population type
    "idmc": set_cell("total", None),  # a missing stock
    "unrwa": set_cell("coo_iso", "SYR"),  # UNRWA refugees are Palestinian by definition
    "flows": duplicate_row,
    "countries": lambda f: f.head(20),  # a code list cut short
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_the_suite_passes_the_demo_load_and_blocks_a_broken_one(name, demo_frames):
    from expectations.runner import validate
    from ingest import registry
    from warehouse.loads import suite_for

    frame = demo_frames[name]
    assert validate(frame, name, suite_for(registry.dataset("unhcr", name))).success, name
    report = validate(BREAKAGES[name](frame), name, suite_for(registry.dataset("unhcr", name)))
    assert not report.success
    failed = [r for r in report.results if not r.success]
    if name != "countries":  # a short table has no row to point at
        assert any(f.row == frame["_source_row"][3] for r in failed for f in r.failures), report.describe_failures()
