"""The static report on the demo build: a page for everything in the marts, links that resolve, nothing
remote, CSVs equal to the marts, and a failed build that touches neither the warehouse nor the old site."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import duckdb
import polars as pl
import pytest

from report.data import PROGRAMME_MONEY
from report.pages import budget_slug
from report.site import ReportError, build_report, cell
from tests.maw_helpers import MAW, REPO
from tests.report_helpers import (
    broken_links,
    canonical,
    countries_with_figures,
    manifest,
    mismatches_with_marts,
    pages,
    parse,
    read_csv,
    remote_references,
)


@pytest.fixture(scope="module")
def site(demo_warehouse: Path) -> Path:
    """The report the demo refresh wrote (the `report` asset runs after every publish)."""
    path = demo_warehouse / "report"
    assert (path / "index.html").exists(), "the refresh wrote no report"
    return path


@pytest.fixture(scope="module")
def con(demo_warehouse: Path):
    with duckdb.connect(str(demo_warehouse / "migration.duckdb"), read_only=True) as connection:
        yield connection


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_country_programme_and_budget_article_has_a_page(site: Path, con) -> None:
    countries = countries_with_figures(con)
    assert len(countries) > 10
    assert {p.stem for p in (site / "countries").glob("*.html")} == countries
    programmes = {r[0] for r in con.execute("select programme_id from marts.dim_programme").fetchall()}
    assert {p.stem for p in (site / "programmes").glob("*.html")} == programmes
    articles = con.execute("select distinct article, article_name from marts.budget_article_year").fetchall()
    assert {p.name for p in (site / "budget").glob("*.html")} == {f"{budget_slug(a, n)}.html" for a, n in articles}
    assert (site / "budget" / "4.2.html").exists()
    index = (site / "index.html").read_text()
    for code in countries:
        assert f'href="countries/{code}.html"' in index, code


def test_links_between_pages_resolve(site: Path) -> None:
    assert len(pages(site)) > 40
    assert broken_links(site) == []


def test_links_to_a_missing_page_are_found(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "programmes" / "compass.html").unlink()
    assert any("programmes/compass.html" in b for b in broken_links(copy))


def test_no_script_stylesheet_or_image_is_fetched_from_the_network(site: Path, tmp_path: Path) -> None:
    assert remote_references(site) == []
    assert not any("<script" in p.read_text() for p in pages(site)), "pages need no JavaScript"
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    index = copy / "index.html"
    index.write_text(index.read_text().replace("</head>", '<script src="https://cdn.example/x.js"></script></head>'))
    assert remote_references(copy) == ["index.html: <script src=https://cdn.example/x.js>"]


def test_every_chart_csv_equals_its_mart(site: Path, demo_warehouse: Path) -> None:
    compared, problems = mismatches_with_marts(site, demo_warehouse / "migration.duckdb")
    assert problems == []
    assert compared > 1000


def test_programme_money_is_on_the_page_of_its_programme_and_of_each_country_with_all_its_rows(site: Path, con) -> None:
    """A table is never left off a page while its mart has rows for it (each page takes its rows from a frame
    split once per build; a split filed under another frame's name would lose them without a CSV to compare)."""
    money = " or ".join(f"{column} is not null" for column in (*PROGRAMME_MONEY, "document_results"))
    with_pages = countries_with_figures(con)
    expected = {
        **{
            (f"programmes/{pid}.html", "money-by-country"): rows
            for pid, rows in con.execute(
                f"select programme_id, count(*) from marts.programme_country_year where {money} group by all"
            ).fetchall()
        },
        **{
            (f"countries/{iso3}.html", "programme-money"): rows
            for iso3, rows in con.execute(
                f"select iso3, count(*) from marts.programme_country_year where {money} group by all"
            ).fetchall()
            if iso3 in with_pages
        },
    }
    shown = {(view["page"], view["slug"]): view["rows"] for view in manifest(site)["views"]}
    assert len(expected) > 10
    assert {key: shown.get(key) for key in expected} == expected
    assert {key for key in shown if key[1] in {"money-by-country", "programme-money"}} == set(expected)


def test_a_changed_csv_value_is_caught(site: Path, demo_warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    csv = copy / "countries" / "JOR" / "displaced-hosted.csv"
    lines = csv.read_text().splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    column = header.index("refugees_hosted")
    first[column] = str(int(first[column] or 0) + 1)
    csv.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n")
    _, problems = mismatches_with_marts(copy, demo_warehouse / "migration.duckdb", {"countries/JOR.html"})
    assert len(problems) == 1 and "refugees_hosted" in problems[0]


def test_aggregated_charts_equal_their_sql(site: Path, con) -> None:
    views = {v["slug"]: v for v in manifest(site)["views"] if v["page"] == "index.html"}
    by_year = {
        r["year"]: r["nl_oda_migration_disbursed_eur"] for r in read_csv(site / views["oda-migration-by-year"]["csv"])
    }
    expected = con.execute(
        """select year, sum(value_eur) from marts.oda_transactions
           where is_nl_mfa_reported and is_migration_related and transaction_type_code in ('3', '4')
             and not is_in_donor_refugee_cost and value_eur is not null group by year"""
    ).fetchall()
    assert {str(y): canonical(v) for y, v in expected} == {y: canonical(v) for y, v in by_year.items()}
    # The same total as marts.budget_article_year, which computes it on its own, wherever both have a year.
    budget = con.execute(
        "select distinct year, iati_migration_disbursed_eur from marts.budget_article_year "
        "where iati_migration_disbursed_eur is not null"
    ).fetchall()
    for year, disbursed in budget:
        assert canonical(by_year[str(year)]) == canonical(disbursed)
    by_country = read_csv(site / views["oda-migration-by-country"]["csv"])
    totals = dict(
        con.execute(
            "select iso3, sum(nl_oda_migration_disbursed_eur) from marts.country_year group by iso3 "
            "having count(nl_oda_migration_disbursed_eur) > 0"
        ).fetchall()
    )
    assert [canonical(r["nl_oda_migration_disbursed_eur"]) for r in by_country] == [
        canonical(totals[r["iso3"]]) for r in by_country
    ]
    assert [r["iso3"] for r in by_country] == sorted(totals, key=lambda c: (-totals[c], c))[: len(by_country)]
    hosts = read_csv(site / views["top-hosts"]["csv"])
    latest = con.execute("select max(year) from marts.country_year where refugees_hosted is not null").fetchone()[0]
    top = con.execute(
        "select iso3 from marts.country_year where year = ? and not is_pseudo_country and refugees_hosted is not null "
        "order by refugees_hosted desc, iso3 limit 10",
        [latest],
    ).fetchall()
    assert [r["iso3"] for r in hosts] == [t[0] for t in top]


def test_tables_print_the_csv_values(site: Path) -> None:
    """What a page prints in a chart's table is the CSV beside it, formatted."""
    checked = 0
    for view in manifest(site)["views"]:
        tables = parse(site / view["page"]).tables
        table = tables[view["slug"]]
        rows = pl.read_csv(site / view["csv"], infer_schema_length=0).to_dicts()
        assert len(table) == len(rows) + 1, view["csv"]
        for printed, row in zip(table[1:], rows, strict=True):
            for text, column in zip(printed, view["table_columns"], strict=True):
                value = row[column]
                if value is not None and value.lstrip("-").replace(".", "", 1).isdigit():
                    number = float(value) if "." in value else int(value)
                    assert text == cell(number, column), (view["csv"], column, text, value)
                    checked += 1
    assert checked > 500


def test_every_demo_page_says_its_data_is_illustrative(site: Path) -> None:
    for page in pages(site):
        assert 'class="demo-banner"' in page.read_text(), page
    assert manifest(site)["mode"] == "demo"


def test_country_pages_show_dutch_names_sources_and_quotes(site: Path, con) -> None:
    name_en, name_nl = con.execute("select name_en, name_nl from marts.dim_country where iso3 = 'JOR'").fetchone()
    jordan = (site / "countries" / "JOR.html").read_text()
    assert name_en in jordan and name_nl in jordan and name_en != name_nl
    snapshot = con.execute(
        "select snapshot_id from meta.loads where source = 'unhcr' and dataset = 'population' "
        "and run_id = (select run_id from meta.publish order by published_at desc limit 1)"
    ).fetchone()[0]
    assert snapshot[:8] in jordan and "CC BY 4.0" in jordan and "retrieved" in jordan
    for (quote,) in con.execute("select quote from marts.policy_focus_countries where iso3 = 'JOR'").fetchall():
        assert quote.split("\n")[0].replace("&", "&amp;") in jordan


def test_unchanged_charts_and_csv_files_are_linked_from_the_last_report_and_changed_ones_written_anew(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    database = demo_warehouse / "migration.duckdb"
    assert build_report(database, tmp_path / "a").reused == 0
    first = {p.relative_to(tmp_path / "a"): p.stat().st_ino for p in (tmp_path / "a").rglob("*.[cs][sv][vg]")}
    warm = build_report(database, tmp_path / "a")
    assert warm.reused == warm.charts > 20
    again = {p.relative_to(tmp_path / "a"): p.stat().st_ino for p in (tmp_path / "a").rglob("*.[cs][sv][vg]")}
    assert again.keys() == first.keys() and set(again.values()) <= set(first.values())  # linked, not written
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["files_linked"] == len(first)
    build_report(database, tmp_path / "b")

    def files(site: Path) -> dict[str, bytes]:
        built = re.compile(rb"Built \S+ from")
        return {
            str(p.relative_to(site)): built.sub(b"Built - from", p.read_bytes())
            for p in site.rglob("*")
            if p.is_file() and p.name != "manifest.json"
        }

    assert files(tmp_path / "a") == files(tmp_path / "b")
    changed = tmp_path / "changed.duckdb"
    shutil.copyfile(database, changed)
    with duckdb.connect(str(changed)) as writable:
        writable.execute(
            "update marts.country_year set refugees_hosted = refugees_hosted + 1000 "
            "where iso3 = 'JOR' and refugees_hosted is not null"
        )
    before = (tmp_path / "a" / "countries" / "JOR" / "displaced-hosted.svg").read_bytes()
    partly = build_report(changed, tmp_path / "a")
    assert 0 < partly.charts - partly.reused <= 3  # JOR's chart, and the top hosts if JOR is among them
    assert (tmp_path / "a" / "countries" / "JOR" / "displaced-hosted.svg").read_bytes() != before
    written = {str(path) for path in first if (tmp_path / "a" / path).stat().st_ino not in first.values()}
    assert {"countries/JOR/displaced-hosted.svg", "countries/JOR/displaced-hosted.csv"} <= written
    assert len(written) <= 6  # the rest linked from the site before


def test_the_index_shows_what_changed_and_how_fresh_each_source_is(demo_warehouse: Path, tmp_path: Path) -> None:
    database = tmp_path / "migration.duckdb"
    shutil.copyfile(demo_warehouse / "migration.duckdb", database)
    with duckdb.connect(str(database)) as writable:
        run_id = writable.execute("select run_id from meta.publish order by published_at desc limit 1").fetchone()[0]
        writable.executemany(
            "insert into meta.changes values (?, ?, ?, 'old', 'new', ?, ?, ?, ?, ?, ?, now())",
            [
                (run_id, "unhcr", "population", 2021, "changed", '{"iso3": "JOR"}', "refugees", "7", "8"),
                (run_id, "unhcr", "population", 2019, "changed", '{"iso3": "SDN"}', "refugees", "1", "2"),
                ("an-earlier-run", "iom", "dtm_idps", 2020, "removed", "{}", None, None, None),
            ],
        )
        loads = writable.execute(
            "select source, dataset, left(snapshot_id, 12) from meta.loads where run_id = ?", [run_id]
        ).fetchall()
    build_report(database, tmp_path / "report")
    changes = parse(tmp_path / "report" / "index.html")
    index = (tmp_path / "report" / "index.html").read_text()
    section = index[index.index('id="changes"') : index.index('id="freshness"')]
    assert "<td>unhcr</td><td>population</td><td>changed</td><td>2</td><td>2019</td><td>2021</td>" in section
    assert "dtm_idps" not in section  # an earlier refresh's changes are not this publish's
    freshness = index[index.index('id="freshness"') : index.index('id="pages"')]
    for source, dataset, snapshot in loads:
        assert f"<td>{source}</td><td>{dataset}</td>" in freshness and snapshot in freshness
    assert changes.refs  # the page parsed


def test_a_missing_mart_fails_the_build_and_touches_nothing(demo_warehouse: Path, tmp_path: Path) -> None:
    database = tmp_path / "migration.duckdb"
    shutil.copyfile(demo_warehouse / "migration.duckdb", database)
    with duckdb.connect(str(database)) as writable:
        writable.execute("drop table marts.route_year")
        writable.execute("alter table marts.country_year drop column idps_dtm")
    site = tmp_path / "report"
    build_report(demo_warehouse / "migration.duckdb", site)
    before_site = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    before = sha256(database)
    with pytest.raises(ReportError) as failure:
        build_report(database, site)
    message = str(failure.value)
    assert "marts.route_year is missing" in message and "marts.country_year lacks column(s) idps_dtm" in message
    assert sha256(database) == before
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before_site
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_the_build_only_reads_the_published_file(demo_warehouse: Path, tmp_path: Path) -> None:
    database = tmp_path / "migration.duckdb"
    shutil.copyfile(demo_warehouse / "migration.duckdb", database)
    database.chmod(0o444)
    before = sha256(database)
    result = build_report(database, tmp_path / "report")
    assert sha256(database) == before
    assert result.pages == len(pages(tmp_path / "report")) and result.charts > 20


def test_a_failed_report_asset_is_its_own_failure(demo_warehouse: Path, tmp_path: Path) -> None:
    from dagster import DagsterEventType, materialize  # here, not at collection: Dagster takes seconds

    from orchestration.assets import static_report
    from orchestration.resources import WarehouseResource

    root = tmp_path / "warehouse"
    root.mkdir()
    database = root / "migration.duckdb"
    shutil.copyfile(demo_warehouse / "migration.duckdb", database)
    with duckdb.connect(str(database)) as writable:
        writable.execute("drop table marts.budget_article_year")
    before = sha256(database)
    result = materialize(
        [static_report], resources={"warehouse": WarehouseResource(root=str(root))}, raise_on_error=False
    )
    assert not result.success
    failures = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE]
    assert [e.step_key for e in failures] == ["report"]
    assert "report build failed" in failures[0].step_failure_data.error.message
    assert "marts.budget_article_year is missing" in failures[0].step_failure_data.user_failure_data.description
    assert sha256(database) == before
    assert not (root / "report").exists()


def test_maw_report_prints_the_path_and_serves_it_on_localhost(site: Path, demo_warehouse: Path) -> None:
    env = {"MAW_WAREHOUSE_DIR": str(demo_warehouse), "PATH": str(Path(sys.executable).parent)}
    printed = subprocess.run([*MAW, "report"], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert printed.stdout.strip() == str(site / "index.html")
    server = subprocess.Popen([*MAW, "report", "--serve", "0"], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == str(site / "index.html")
        url = server.stdout.readline().split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "countries/JOR.html", timeout=10) as response:
            assert response.status == 200 and b"Jordan" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_maw_report_without_a_report_says_how_to_make_one(tmp_path: Path) -> None:
    env = {"MAW_WAREHOUSE_DIR": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run([*MAW, "report"], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "maw refresh" in result.stderr
