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
        # Not here: "a sub-national p-code names the row's country" (AF15 in AFG). The country of a p-code
        # is derived in dbt (int_iom__dtm_idps, ISO2 -> ISO3 from the reference countries), so the rule is
        # its dbt test there (severity error): it checks the very column the build derives, and a failing
        # test fails the build, so nothing is published.
        unique_key(*DTM_KEY),
        rows_between(1),
    ],
    "missing_migrants": [
        *PROVENANCE,
        # columns, not-null, source formats, year window, coordinates, grain
        *basic_expectations(MISSING_MIGRANTS),
        # Not here: "no incident totals below zero" (incident_dead_missing within [0, world population]) and
        # "dead + missing equals the published total". The measures are derived in dbt (int_iom__mmp_rows),
        # not by the parser, so these rules are dbt tests on that model (severity error): they check the
        # values the marts sum, defined once in SQL, and a failing test fails the build (nothing published).
        #
        # Here on purpose: the country gate. Name -> ISO3 stays in the parser because every source resolves
        # names with the one Python resolver (ingest.common.countries), and an unresolvable name must stop
        # the load before the build, naming file, row and field (this check's failures do).
        in_set("country_of_incident_iso3", known_iso3()),
        _is_null("unresolved_country_of_incident"),
        rows_between(1),
    ],
}
