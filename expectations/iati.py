"""Suites for the IATI datasets: a load that breaks any of these never reaches the marts.

Columns, code sets and grains are declared once in ``ingest/iati`` (``xml.TABLES``, ``codelists``,
``overrides``): codes against the IATI codelists (the small reviewed file
``dbt_project/seeds/read_by_ingest/iati_codelists.csv`` holds the complete TransactionType list),
currencies against ISO 4217. Here are the rules a column declaration cannot state: conditions on other
columns, patterns, sets that must appear. Percentages per activity must sum to 100 (tolerance 0.5) unless
the parser flagged the activity in ``percentage_issue``.
"""

from expectations import Expectation, between, not_null, rows_between
from ingest.iati.codelists import CODELISTS

UNFLAGGED = "percentage_issue.isnull()"


def _when(expectation: Expectation, condition: str) -> Expectation:
    return Expectation(
        expectation.type, {**expectation.kwargs, "row_condition": condition, "condition_parser": "pandas"}
    )


def _percent_sum(column: str) -> Expectation:
    return _when(between(column, 99.5, 100.5), f"{UNFLAGGED} & {column}.notnull()")


SUITES = {
    "activities": [_percent_sum("recipient_percentage_sum"), _percent_sum("sector_percentage_sum"), rows_between(1)],
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
