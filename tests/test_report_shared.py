"""The report of the real snapshots (../shared/data; skipped when absent): the pages the issue asks to
see (Jordan, Sudan, PROSPECTS, COMPASS, budget article 4.2), numbers equal to the marts, and the pages in
headless Chromium. Screenshots are kept in tests/output/report/shared/."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.report_helpers import (
    SCREENSHOTS,
    broken_links,
    check_pages_in_browser,
    countries_with_figures,
    manifest,
    mismatches_with_marts,
    pages,
    remote_references,
)

pytestmark = [pytest.mark.shared, pytest.mark.slow]

MUST_SHOW = [
    "countries/JOR.html",
    "countries/SDN.html",
    "programmes/prospects.html",
    "programmes/compass.html",
    "budget/4.2.html",
]


def test_the_real_snapshot_report_has_every_page_with_the_marts_numbers(shared_warehouse: Path) -> None:
    site, database = shared_warehouse / "report", shared_warehouse / "migration.duckdb"
    built = manifest(site)
    assert built["mode"] == "mirror"
    print(f"\nreport: {len(built['pages'])} pages, {built['build_seconds']:.1f} s")
    for page in MUST_SHOW:
        assert (site / page).is_file(), page
    with duckdb.connect(str(database), read_only=True) as con:
        countries = countries_with_figures(con)
    assert {p.stem for p in (site / "countries").glob("*.html")} == countries
    compared, problems = mismatches_with_marts(site, database, {"index.html", *MUST_SHOW})
    assert problems == [] and compared > 1000
    assert broken_links(site) == [] and remote_references(site) == []
    assert not any('class="demo-banner"' in p.read_text() for p in pages(site))


def test_the_real_snapshot_pages_render_in_chromium(shared_warehouse: Path, tmp_path: Path) -> None:
    site = tmp_path / "report"
    shutil.copytree(shared_warehouse / "report", site)
    checked = check_pages_in_browser(site, ["index.html", *MUST_SHOW], SCREENSHOTS / "shared", tmp_path / "profile")
    assert checked["countries/JOR.html"] >= 4 and checked["countries/SDN.html"] >= 4, checked
    assert checked["programmes/prospects.html"] >= 1 and checked["budget/4.2.html"] == 1, checked
