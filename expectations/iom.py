"""Suites for IOM datasets (DTM displacement, Missing Migrants): a failing load is quarantined."""

from expectations import (
    PROVENANCE,
    Expectation,
    basic_expectations,
    columns_exist,
    in_set,
    known_iso3,
    non_negative,
    not_null,
    of_type,
    people_counts,
    rows_between,
    unique_key,
)
from ingest.iom.dtm import DTM_KEY
from ingest.iom.mmp import MISSING_MIGRANTS


def _is_null(column: str) -> Expectation:
    return Expectation("expect_column_values_to_be_null", {"column": column})


def _same_country(pcode_iso3: str) -> Expectation:
    """A sub-national p-code must name the country of its row (AF15 in AFG, IRQ-G01 in IRQ, TCD07 in TCD)."""
    return Expectation(
        "expect_column_pair_values_to_be_equal",
        {"column_A": "admin0_pcode", "column_B": pcode_iso3, "ignore_row_if": "either_value_is_missing"},
    )


DTM_COLUMNS = (
    "source_format",
    "vintage",
    "admin_level",
    "operation",
    "admin0_pcode",
    "admin1_pcode",
    "admin2_pcode",
    "idps",
    "reporting_date",
    "round_number",
    "assessment_type",
    "admin1_pcode_iso3",
    "admin2_pcode_iso3",
)
SUITES = {
    "dtm_idps": [
        *PROVENANCE,
        *columns_exist(*DTM_COLUMNS),
        *not_null(
            "source_format",
            "vintage",
            "admin_level",
            "operation",
            "admin0_pcode",
            "idps",
            "reporting_date",
            "round_number",
        ),
        in_set("source_format", {"dtm_api_v3", "dtm_api_v2", "hdx_global_csv", "hdx_hapi_csv"}),
        in_set("admin_level", {0, 1, 2}),
        in_set("admin0_pcode", known_iso3()),
        in_set("assessment_type", {"BA", "SA", "ETT"}),
        of_type("idps", "int64"),
        *people_counts("idps", "number_males", "number_females"),
        *non_negative("round_number"),
        _same_country("admin1_pcode_iso3"),
        _same_country("admin2_pcode_iso3"),
        unique_key(*DTM_KEY),
        rows_between(1),
    ],
    "missing_migrants": [
        *PROVENANCE,
        # columns, not-null, source formats, year window, incident totals within [0, world population],
        # coordinates, grain
        *basic_expectations(MISSING_MIGRANTS),
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
