"""Checks of a built report shared by the demo and real-snapshot tests: pages and links, remote references,
CSVs against the marts, and screenshots in headless Chromium."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "tests" / "output" / "report"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
WINDOW_WIDTH = 1200
WINDOW_HEIGHT = 8000  # taller than any page: each is laid out and photographed in one Chromium run


class Links(HTMLParser):
    """Every src/href of a page with its tag, and the cell texts of the table in each figure."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.tables: dict[str, list[list[str]]] = {}  # figure id -> rows of cell texts
        self._figure: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name) is not None:
                self.refs.append((tag, name, values[name] or ""))
        if tag == "figure":
            self._figure = values.get("id")
            self.tables.setdefault(self._figure or "", [])
        elif tag == "tr" and self._figure:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._figure:
            self.tables[self._figure].append(self._row)
            self._row = None
        elif tag == "figure":
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text())
    return links


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def manifest(site: Path) -> dict:
    return json.loads((site / "manifest.json").read_text())


def broken_links(site: Path) -> list[str]:
    """Relative src/href that do not resolve to a file of the site (anchors checked against ids)."""
    broken = []
    for page in pages(site):
        for tag, attribute, value in parse(page).refs:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                continue  # remote references are checked separately
            target = (page.parent / parts.path).resolve() if parts.path else page
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: <{tag} {attribute}={value!r}>")
            elif parts.fragment and f'id="{parts.fragment}"' not in target.read_text():
                broken.append(f"{page.relative_to(site)}: <{tag} {attribute}={value!r}> (no such anchor)")
    return broken


def remote_references(site: Path) -> list[str]:
    """src/href of scripts, stylesheets and images (and any reference in the SVGs) that leave the site."""
    found = []
    for page in pages(site):
        for tag, attribute, value in parse(page).refs:
            remote = value.lower().startswith(("http:", "https:", "//"))
            if remote and (tag in {"script", "img", "image", "source", "iframe"} or tag == "link"):
                found.append(f"{page.relative_to(site)}: <{tag} {attribute}={value}>")
    for svg in site.rglob("*.svg"):
        for marker in ('href="http', "href='http", "url(http", "@import"):
            if marker in svg.read_text():
                found.append(f"{svg.relative_to(site)}: {marker}")
    for css in site.rglob("*.css"):
        if "url(http" in css.read_text() or "@import" in css.read_text():
            found.append(f"{css.relative_to(site)}: remote url")
    return found


COUNTRY_IDENTITY = {"iso3", "year", "country_name", "country_name_nl", "is_pseudo_country"}


def countries_with_figures(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every country with any figure in any mart that is by country: a value in any column of
    country_year, a policy document naming it, a programme linked to it, a document figure or check."""
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = 'marts' and table_name = 'country_year'"
    ).fetchall()
    figure = " or ".join(
        f"coalesce({c}, false)"
        if t == "BOOLEAN"
        else f"coalesce(len({c}), 0) > 0"
        if t.endswith("[]")
        else f"{c} is not null"
        for c, t in columns
        if c not in COUNTRY_IDENTITY
    )
    return {
        row[0]
        for row in con.execute(
            f"""select iso3 from marts.country_year where {figure}
                union select iso3 from marts.policy_focus_countries where iso3 is not null
                union select iso3 from marts.programme_country_year
                union select iso3 from marts.document_figures where iso3 is not null
                union select iso3 from marts.document_checks where iso3 is not null"""
        ).fetchall()
    }


def canonical(value: object) -> str | None:
    """One spelling for a value from SQL or from a CSV cell: numbers by value, dates ISO, lists joined."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(canonical(v) or "" for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, int | float | Decimal):
        return str(Decimal(str(value)).normalize())
    text = str(value)
    try:
        return str(Decimal(text).normalize())
    except InvalidOperation:
        return text


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def mismatches_with_marts(site: Path, database: Path, only_pages: set[str] | None = None) -> tuple[int, list[str]]:
    """Compare every CSV of a mart's rows (not aggregated) with the mart itself, by key; returns the number
    of values compared and the differences. Also checks each chart's CSV has every row of its entity that
    has a figure in the chart's columns, and no other."""
    compared, problems = 0, []
    con = duckdb.connect(str(database), read_only=True)
    marts: dict[tuple[str, tuple[str, ...]], tuple[list[str], dict]] = {}
    try:
        for view in manifest(site)["views"]:
            if view["aggregated"] or (only_pages and view["page"] not in only_pages):
                continue
            mart, key = view["mart"], tuple(view["key"])
            assert mart.startswith("marts."), view
            rows = read_csv(site / view["csv"])
            if (mart, key) not in marts:
                names = [c[0] for c in con.execute(f"select * from {mart} limit 0").description]
                index = {}
                for record in con.execute(f"select * from {mart}").fetchall():
                    row = dict(zip(names, record, strict=True))
                    index[tuple(canonical(row[k]) for k in key)] = row
                marts[mart, key] = (names, index)
            names, index = marts[mart, key]
            for row in rows:
                source = index.get(tuple(canonical(row[k]) for k in key))
                if source is None:
                    problems.append(f"{view['csv']}: no {mart} row for {[row[k] for k in key]}")
                    continue
                for column, cell in row.items():
                    if column not in names:
                        problems.append(f"{view['csv']}: column {column} is not in {mart}")
                        continue
                    compared += 1
                    if canonical(cell) != canonical(source[column]):
                        problems.append(f"{view['csv']} {[row[k] for k in key]} {column}: {cell} != {source[column]}")
            if view["value_columns"] and rows:
                entity = [k for k in key if k != "year"]
                where = " and ".join(f"{k} is not distinct from ?" for k in entity) or "true"
                has = " or ".join(f"{c} is not null" for c in view["value_columns"])
                expected = con.execute(
                    f"select count(*) from {mart} where {where} and ({has})", [rows[0][k] or None for k in entity]
                ).fetchone()[0]
                if expected != len(rows):
                    problems.append(f"{view['csv']}: {len(rows)} rows, {mart} has {expected} with a figure")
    finally:
        con.close()
    return compared, problems


# --- headless Chromium --------------------------------------------------------------------------------

PROBE = """<script>
addEventListener("load", () => {
  const charts = [...document.querySelectorAll("img.chart-image")].map(img => {
    const r = img.getBoundingClientRect();
    return {src: img.getAttribute("src"), x: r.left + scrollX, y: r.top + scrollY, width: r.width,
            height: r.height, loaded: img.complete && img.naturalWidth > 0};
  });
  const out = document.createElement("pre");
  out.id = "probe";
  const height = Math.ceil(document.body.getBoundingClientRect().bottom + scrollY);  // the page, not the window
  out.textContent = JSON.stringify({height, charts});
  document.body.appendChild(out);
});
</script>"""


def chromium() -> str:
    """Debian's chromium (installed by .ci/run); the test skips, saying why, where it is missing."""
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    pytest.skip("headless Chromium not installed (.ci/run installs Debian's chromium with apt-get)")


def run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def render(browser: str, profile: Path, page: Path, png: Path) -> dict:
    """Lay ``page`` out, find where its charts are and screenshot it, in one Chromium run: a copy of the page
    with a probe script, its DOM dumped, in a window of ``WINDOW_HEIGHT``; the screenshot is then cut to the
    page's own height. The page itself has no script; the probe copy sits beside it so relative links resolve
    the same."""
    probe = page.with_name(f"_probe_{page.name}")
    probe.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    try:
        result = run_chromium(
            browser,
            profile,
            "--dump-dom",
            "--virtual-time-budget=5000",
            f"--screenshot={png}",
            f"--window-size={WINDOW_WIDTH},{WINDOW_HEIGHT}",
            probe.as_uri(),
        )
    finally:
        probe.unlink()
    start = result.stdout.find('<pre id="probe">')
    assert start >= 0, f"Chromium did not render {page}: {result.stderr[-2000:]}"
    text = result.stdout[start + len('<pre id="probe">') : result.stdout.index("</pre>", start)]
    boxes = json.loads(text.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert boxes["height"] + 20 <= WINDOW_HEIGHT, f"{page} is {boxes['height']} px high: raise WINDOW_HEIGHT"
    assert png.exists(), f"no screenshot of {page}: {result.stderr[-2000:]}"
    from PIL import Image

    with Image.open(png) as image:
        cut = image.crop((0, 0, WINDOW_WIDTH, boxes["height"] + 20))
    cut.save(png)
    return boxes


def blank_charts(png: Path, boxes: dict) -> list[str]:
    """Charts whose area in the screenshot is blank: no image loaded, (almost) only background, or none of
    the chart colours (the lines or bars themselves). Pixels are counted as arrays: a per-pixel Python loop
    took seconds a chart."""
    import numpy as np
    from PIL import Image

    from report.charts import PALETTE

    palette = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in PALETTE], dtype=np.int32)
    blank = []
    with Image.open(png) as image:
        rgb = np.asarray(image.convert("RGB"), dtype=np.int32)
    for chart in boxes["charts"]:
        if not chart["loaded"] or chart["width"] < 50 or chart["height"] < 50:
            blank.append(f"{chart['src']}: not loaded ({chart})")
            continue
        area = rgb[
            int(chart["y"]) : int(chart["y"] + chart["height"]), int(chart["x"]) : int(chart["x"] + chart["width"])
        ].reshape(-1, 3)
        inked = int((area.sum(axis=1) < 720).sum())
        distances = np.abs(area[:, None, :] - palette[None, :, :]).sum(axis=2)  # pixel x palette colour
        coloured = int((distances < 60).any(axis=1).sum())
        if inked < 0.002 * len(area) or coloured < 30:
            blank.append(f"{chart['src']}: {inked} inked and {coloured} chart-coloured of {len(area)} pixels")
    return blank


def check_pages_in_browser(site: Path, names: list[str], out: Path, profile: Path) -> dict[str, int]:
    """Screenshot each page (kept under ``out``) and assert its chart areas are not blank; returns the
    number of charts checked per page."""
    browser = chromium()
    checked = {}
    for name in names:
        page = site / name
        png = out / (name.replace("/", "__").removesuffix(".html") + ".png")
        boxes = render(browser, profile, page, png)
        assert not blank_charts(png, boxes), (name, blank_charts(png, boxes))
        checked[name] = len(boxes["charts"])
    return checked
