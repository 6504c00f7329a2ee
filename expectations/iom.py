"""Suites for IOM datasets (DTM displacement, Missing Migrants): a failing load is quarantined."""

from expectations import Expectation, in_set, rows_between
from ingest.common.countries import known_iso3


def _is_null(column: str) -> Expectation:
    return Expectation("expect_column_values_to_be_null", {"column": column})


def _same_country(pcode_iso3: str) -> Expectation:
    """A sub-national p-code must name the country of its row (AF15 in AFG, IRQ-G01 in IRQ, TCD07 in TCD)."""
    return Expectation(
        "expect_column_pair_values_to_be_equal",
        {"column_A": "admin0_pcode", "column_B": pcode_iso3, "ignore_row_if": "either_value_is_missing"},
    )


# Columns, not-null, sets, ranges and grains are declared in ``ingest/iom`` (``dtm.DTM_IDPS``,
# ``mmp.MISSING_MIGRANTS``: source formats, year window, incident totals within [0, world population],
# coordinates); these are the rules a column declaration cannot state.
SUITES = {
    "dtm_idps": [
        _same_country("admin1_pcode_iso3"),
        _same_country("admin2_pcode_iso3"),
        rows_between(1),
    ],
    "missing_migrants": [
        Expectation(
            "expect_column_pair_values_to_be_equal",
            {
                "column_A": "dead_missing",
                "column_B": "dead_missing_published",
                "ignore_row_if": "either_value_is_missing",
            },
        ),
        in_set("country_of_incident_iso3", known_iso3()),
        _is_null("unresolved_country_of_incident"),
        rows_between(1),
    ],
}
