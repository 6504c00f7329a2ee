"""The report in headless Chromium (Debian's chromium; skipped where it is not installed): pages render
from file:// and no chart area is blank. Screenshots are kept in tests/output/report/demo/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.report_helpers import (
    SCREENSHOTS,
    blank_charts,
    check_pages_in_browser,
    chromium,
    manifest,
    render,
)


@pytest.fixture
def site(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the demo report, so probing it leaves the refreshed one as it was."""
    copy = tmp_path / "report"
    shutil.copytree(demo_warehouse / "report", copy)
    return copy


def busiest_country(site: Path) -> str:
    charts: dict[str, int] = {}
    for view in manifest(site)["views"]:
        if view["page"].startswith("countries/") and view["svg"]:
            charts[view["page"]] = charts.get(view["page"], 0) + 1
    return max(sorted(charts), key=charts.__getitem__)


def test_pages_render_with_every_chart_drawn(site: Path, tmp_path: Path) -> None:
    names = ["index.html", busiest_country(site), "programmes/compass.html", "budget/4.2.html"]
    checked = check_pages_in_browser(site, names, SCREENSHOTS / "demo", tmp_path / "profile")
    assert all(checked[name] >= 1 for name in names), checked
    assert checked["index.html"] >= 5 and checked[names[1]] >= 3
    for name in names:
        assert (SCREENSHOTS / "demo" / (name.replace("/", "__").removesuffix(".html") + ".png")).stat().st_size > 10_000


def test_a_blank_or_missing_chart_is_caught(site: Path, tmp_path: Path) -> None:
    browser = chromium()
    svg = next((site / "budget" / "4.2").glob("*.svg"))
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="460" height="187"></svg>')
    page = site / "budget" / "4.2.html"
    png = tmp_path / "blank.png"
    boxes = render(browser, tmp_path / "profile", page, png)
    assert len(blank_charts(png, boxes)) == 1
    svg.unlink()
    boxes = render(browser, tmp_path / "profile", page, png)
    assert [c["loaded"] for c in boxes["charts"]] == [False], json.dumps(boxes)
