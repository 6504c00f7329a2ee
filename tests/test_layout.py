"""A source is three things named alike: its package under ingest/, its suite expectations/<source>.py and
its staging folder dbt_project/models/staging/<source>/ (README, "Adding a source")."""

from __future__ import annotations

import importlib
from pathlib import Path

from ingest.registry import all_datasets, source_packages

REPO = Path(__file__).resolve().parent.parent


def test_every_source_has_its_package_suite_and_staging_folder() -> None:
    packages = {package.__name__.removeprefix("ingest.") for package in source_packages()}
    assert packages == {dataset.source for dataset in all_datasets()}, "a package without datasets, or the reverse"
    for source in sorted(packages):
        suite = importlib.import_module(f"expectations.{source}")
        names = {d.name for d in all_datasets() if d.source == source}
        assert names <= set(suite.SUITES), f"expectations/{source}.py has no suite for {names - set(suite.SUITES)}"
        staging = REPO / "dbt_project" / "models" / "staging" / source
        assert (staging / f"_{source}__sources.yml").is_file(), f"no {staging}/_{source}__sources.yml"
        assert list(staging.glob(f"stg_{source}__*.sql")), f"no staging model in {staging}"


def test_nothing_is_named_for_a_source_that_is_not_one() -> None:
    """A suite or staging folder left behind by a removed or renamed source is caught too."""
    packages = {package.__name__.removeprefix("ingest.") for package in source_packages()}
    suites = {p.stem for p in (REPO / "expectations").glob("*.py")} - {"__init__", "runner"}
    staging = {p.name for p in (REPO / "dbt_project" / "models" / "staging").iterdir() if p.is_dir()}
    # staging/meta reads the warehouse's own load records (meta.loads, written by warehouse/meta.py), not a source
    assert suites == packages and staging == packages | {"meta"}
