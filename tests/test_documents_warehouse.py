"""The document marts in a published warehouse (Must show 1, 2, 4). The documents are the same in every mode;
the real UNHCR snapshot is needed for the claims check, so one shared refresh serves all of these."""

from pathlib import Path

import pytest

from tests.conftest import query

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def db(shared_warehouse: Path) -> Path:
    return shared_warehouse / "migration.duckdb"


def test_budget_lines_article_4_2_from_parser_and_annotations(db: Path) -> None:
    rows = query(
        db,
        "select source, year, amount_eur from marts.budget_lines"
        " where article = '4.2' and article_name = 'Migratie' order by source, year",
    )
    expected = [
        (2026, 319_000_000),
        (2027, 323_000_000),
        (2028, 371_000_000),
        (2029, 408_000_000),
        (2030, 408_000_000),
    ]
    assert [(y, a) for s, y, a in rows if s == "parser"] == expected
    assert [(y, a) for s, y, a in rows if s == "annotation"] == expected


def test_2010_spend_per_priority_adds_up_to_5_8_million(db: Path) -> None:
    """Parsed cells and the annotated figures they point at: parts add up to the stated total in both."""
    rows = query(
        db,
        "select t.is_total, sum(t.value), sum(f.value), count(f.figure_id)"
        " from staging.stg_documents__table_rows t join marts.document_figures f"
        " on f.document = t.document and f.figure_id = t.annotation_figure_id"
        " where t.document = '001_e858bd869bc85741.txt' and t.table_name = 'spend_per_priority'"
        " and t.year = 2010"
        " group by t.is_total order by t.is_total",
    )
    (_, parts_parsed, parts_annotated, n_parts), (_, total_parsed, total_annotated, _) = rows
    assert n_parts == 6
    assert float(parts_parsed) == float(parts_annotated) == float(total_parsed) == float(total_annotated) == 5_800_000


def test_document_checks_top_five_hosts_and_origins(db: Path) -> None:
    rows = query(
        db,
        "select metric, iso3, document_value, data_value, status, rank_status from marts.document_checks"
        " where document = '002_03f947c30766b98f.txt'"
        " and metric in ('refugees_hosted', 'refugees_originating')"
        " and year = 2023",
    )
    by_metric = {}
    for metric, iso3, document_value, data_value, status, rank_status in rows:
        by_metric.setdefault(metric, {})[iso3] = (float(document_value), data_value, status, rank_status)
    assert set(by_metric["refugees_hosted"]) == {"IRN", "TUR", "COL", "DEU", "PAK"}
    assert set(by_metric["refugees_originating"]) == {"AFG", "SYR", "VEN", "UKR", "SDN"}
    for claims in by_metric.values():
        for document_value, data_value, status, _ in claims.values():
            assert data_value is not None
            assert status in {"match", "mismatch"}
            # The status follows the documented rule, whatever the data says.
            precision = 100_000 if document_value % 1_000_000 else 1_000_000
            assert (status == "match") == (round(data_value / precision) * precision == document_value)
    assert by_metric["refugees_hosted"]["IRN"][2] == "match"
    # Shown, not hidden: each listed country is checked against the data's top five.
    assert {r for *_, r in by_metric["refugees_originating"].values()} <= {
        "in data top 5",
        "not in data top 5",
    }


def test_every_figure_in_the_mart_keeps_its_quote_and_line(db: Path) -> None:
    missing = query(db, "select count(*) from marts.document_figures where quote is null or line is null")[0][0]
    documents = query(db, "select count(distinct document) from marts.document_figures")[0][0]
    assert missing == 0 and documents == 5
