"""Suites for the IATI datasets: a load that breaks any of these never reaches the marts.

Codes are checked against the IATI codelists (the small reviewed file
``dbt_project/seeds/read_by_ingest/iati_codelists.csv`` holds the complete TransactionType list); currencies
against ISO 4217 (pycountry). Each recipient and sector percentage lies between 0 and 100.

The gate on an activity's percentage *sums* (100, tolerance 0.5, unless the activity's percentage_issue says
why not) is not here: the sums are derived measures, added up in dbt from the recipient and sector rows
(``int_iati__activity_percentages``), and a suite checks each raw table on its own, as the parser wrote it.
The rule lives beside its derivation, as that model's ``value_between`` tests. A failure there fails
the whole refresh (a failed dbt test publishes nothing) rather than quarantining IATI alone: the flag is
derived in the same model as the sums, so the rule breaks only when the derivation does, a fault of the
code, not of a source.
"""

from datetime import datetime

import pycountry

from expectations import (
    PROVENANCE,
    Expectation,
    between,
    columns_exist,
    in_set,
    not_null,
    rows_between,
    unique_key,
)
from ingest.iati.codelists import CODELISTS, reference_codes
from ingest.iati.xml import SUPPORTED_VERSIONS

CURRENCIES = {c.alpha_3 for c in pycountry.currencies}


def _when(expectation: Expectation, condition: str) -> Expectation:
    return Expectation(
        expectation.type, {**expectation.kwargs, "row_condition": condition, "condition_parser": "pandas"}
    )


def _per_activity(*columns: str) -> list[Expectation]:
    return [*PROVENANCE, *columns_exist("iati_identifier", *columns), *not_null("iati_identifier", "source_dataset")]


SUITES = {
    "activities": [
        *_per_activity("reporting_org_ref", "title", "default_currency"),
        *not_null("reporting_org_ref"),
        unique_key("source_dataset", "iati_identifier"),
        in_set("iati_version", set(SUPPORTED_VERSIONS)),
        in_set("activity_status_code", {"1", "2", "3", "4", "5", "6"}),
        in_set("default_currency", CURRENCIES),
        # No percentage-sum gate: see the module docstring (it is a dbt test of int_iati__activity_percentages).
        rows_between(1),
    ],
    "transactions": [
        *_per_activity("transaction_index", "transaction_type_code", "transaction_date", "value", "currency"),
        *not_null("transaction_index", "transaction_type_code", "value", "currency"),
        unique_key("source_dataset", "iati_identifier", "transaction_index"),
        in_set("transaction_type_code", reference_codes("TransactionType")),
        in_set("currency", CURRENCIES),
        # Dates parseable: a date text that did not parse leaves the date empty, which fails here.
        *not_null("transaction_date"),
        _when(not_null("value_date")[0], "value_date_text.notnull()"),
        between("transaction_date", datetime(1990, 1, 1), datetime(2040, 12, 31)),
    ],
    "narratives": [*_per_activity("element", "lang", "narrative"), in_set("element", {"title", "description"})],
    "participating_orgs": [*_per_activity("role_code", "org_ref"), in_set("role_code", {"1", "2", "3", "4"})],
    "recipients": [
        *_per_activity("recipient_kind", "code", "percentage"),
        *not_null("recipient_kind", "code"),
        in_set("recipient_kind", {"country", "region"}),
        _when(
            Expectation("expect_column_values_to_match_regex", {"column": "code", "regex": "^[A-Z]{2}$"}),
            "recipient_kind == 'country'",
        ),
        between("percentage", 0, 100),
    ],
    "sectors": [*_per_activity("vocabulary", "code", "percentage"), *not_null("code"), between("percentage", 0, 100)],
    "policy_markers": [*_per_activity("code", "significance"), *not_null("code")],
    "tags": [*_per_activity("vocabulary", "code"), *not_null("code")],
    "codelists": [
        *PROVENANCE,
        *not_null("codelist", "code"),
        unique_key("codelist", "code"),
        Expectation(
            "expect_column_distinct_values_to_contain_set", {"column": "codelist", "value_set": sorted(CODELISTS)}
        ),
    ],
    "migration_overrides": [
        *PROVENANCE,
        *not_null("iati_identifier", "is_migration_related", "reason", "reviewed_by"),
        unique_key("iati_identifier"),
    ],
}
