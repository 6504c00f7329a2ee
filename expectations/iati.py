"""Suites for the IATI datasets: a load that breaks any of these never reaches the marts.

Columns, code sets and grains are declared once in ``ingest/iati`` (``xml.TABLES``, ``codelists``,
``overrides``): codes against the IATI codelists (the small reviewed file
``dbt_project/seeds/read_by_ingest/iati_codelists.csv`` holds the complete TransactionType list),
currencies against ISO 4217, each recipient and sector percentage between 0 and 100. Here are the rules a
column declaration cannot state: conditions on other columns, patterns, sets that must appear.

The gate on an activity's percentage *sums* (100, tolerance 0.5, unless the activity's percentage_issue says
why not) is not here: the sums are derived measures, added up in dbt from the recipient and sector rows
(``int_iati__activity_percentages``), and a suite checks each raw table on its own, as the parser wrote it.
The rule lives beside its derivation, as that model's ``value_between`` tests. A failure there fails
the whole refresh (a failed dbt test publishes nothing) rather than quarantining IATI alone: the flag is
derived in the same model as the sums, so the rule breaks only when the derivation does, a fault of the
code, not of a source.
"""

from expectations import Expectation, not_null, rows_between
from ingest.iati.codelists import CODELISTS


def _when(expectation: Expectation, condition: str) -> Expectation:
    return Expectation(
        expectation.type, {**expectation.kwargs, "row_condition": condition, "condition_parser": "pandas"}
    )


SUITES = {
    "activities": [rows_between(1)],
    "transactions": [
        # A value-date text that did not parse leaves the date empty, which fails here.
        _when(not_null("value_date")[0], "value_date_text.notnull()"),
    ],
    "narratives": [],
    "participating_orgs": [],
    "recipients": [
        _when(
            Expectation("expect_column_values_to_match_regex", {"column": "code", "regex": "^[A-Z]{2}$"}),
            "recipient_kind == 'country'",
        ),
    ],
    "sectors": [],
    "policy_markers": [],
    "tags": [],
    "codelists": [
        Expectation(
            "expect_column_distinct_values_to_contain_set", {"column": "codelist", "value_set": sorted(CODELISTS)}
        ),
    ],
    "migration_overrides": [],
}
