"""Programme marts: reviewed seeds, matching to IATI, and money that is never counted twice."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import REPO, query

SEED = REPO / "dbt_project" / "seeds" / "programmes.csv"


def test_programme_seed_quotes_occur_verbatim_in_their_documents() -> None:
    with SEED.open(encoding="utf-8") as handle:
        programmes = list(csv.DictReader(handle))
    assert len({p["programme_id"] for p in programmes}) == len(programmes)
    assert {"compass", "prospects", "gcff", "promis", "steap", "rean", "hrt", "frit", "ifc_unhcr"} <= {
        p["programme_id"] for p in programmes
    }
    for programme in programmes:
        if programme["source_document"]:
            text = (REPO / "documents" / "texts" / programme["source_document"]).read_text(encoding="utf-8")
            assert programme["source_quote"] in text, programme["programme_id"]


def _iati_money_is_the_sum_of_matched_dutch_transactions(database: Path) -> None:
    rows = query(
        database,
        """with matched as (
               select programme_id, iati_identifier from marts.programme_matching_report where match_status = 'matched'
           ),
           independent as (
               select m.programme_id, o.year,
                      sum(o.value_eur) filter (where o.transaction_type_code in ('3', '4')) as disbursed,
                      sum(o.value_eur) filter (where o.transaction_type_code = '2') as committed
               from marts.oda_transactions o join matched m using (iati_identifier)
               where o.reporting_org_ref = 'XM-DAC-7'
               group by all
           )
           select i.programme_id, i.year, i.disbursed, p.iati_disbursed_eur, i.committed, p.iati_committed_eur
           from independent i join marts.programme_year p using (programme_id, year)""",
    )
    assert rows, "no programme has IATI money"
    for programme_id, year, disbursed, mart_disbursed, committed, mart_committed in rows:
        assert float(mart_disbursed or 0) == pytest.approx(float(disbursed or 0), abs=0.01), (programme_id, year)
        assert float(mart_committed or 0) == pytest.approx(float(committed or 0), abs=0.01), (programme_id, year)


def test_programme_money_on_the_demo_build(demo_warehouse: Path) -> None:
    _iati_money_is_the_sum_of_matched_dutch_transactions(demo_warehouse / "migration.duckdb")


def test_programme_money_on_the_shared_build(shared_warehouse: Path) -> None:
    _iati_money_is_the_sum_of_matched_dutch_transactions(shared_warehouse / "migration.duckdb")


def test_document_commitments_are_spread_over_their_period_once(demo_warehouse: Path) -> None:
    (spread,) = query(
        demo_warehouse / "migration.duckdb",
        "select sum(document_commitment_eur) from marts.programme_year where programme_id = 'prospects'",
    )[0]
    assert spread == pytest.approx(800_000_000), "PROSPECTS: max. EUR 800 mln. over 2024-2027, counted once"


def test_matching_report_lists_programme_and_unmatched_activities(shared_warehouse: Path) -> None:
    rows = query(
        shared_warehouse / "migration.duckdb",
        "select match_status, programme_id, iati_identifier from marts.programme_matching_report",
    )
    matched = {(p, i) for s, p, i in rows if s == "matched"}
    assert {
        ("prospects", "XM-DAC-7-PPR-4000003085"),
        ("prospects", "XM-DAC-7-PPR-4000003086"),
        ("prospects", "XM-DAC-7-PPR-4000003087"),
        ("gcff", "XM-DAC-7-PPR-29197"),
        ("rdpp", "XM-DAC-7-PPR-4000006623"),
    } <= matched
    unmatched = {i for s, _, i in rows if s == "migration-related activity without programme"}
    assert "XM-DAC-7-PPR-4000003753" in unmatched, "the IOM border-management activity belongs to no programme"
    without = {p for s, p, _ in rows if s == "programme without IATI activity"}
    assert "compass" in without and "prospects" not in without
