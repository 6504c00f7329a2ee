"""Suites for IOM datasets (DTM displacement, Missing Migrants): a failing load is quarantined.

Columns, not-null, sets, ranges and grains are declared in ``ingest/iom`` (``dtm.DTM_IDPS``,
``mmp.MISSING_MIGRANTS``: source formats, year window, coordinates); these are the rules a column
declaration cannot state.
"""

from expectations import Expectation, in_set, rows_between
from ingest.common.countries import known_iso3


def _is_null(column: str) -> Expectation:
    return Expectation("expect_column_values_to_be_null", {"column": column})


SUITES = {
    "dtm_idps": [
        # Not here: "a sub-national p-code names the row's country" (AF15 in AFG). The country of a p-code
        # is derived in dbt (int_iom__dtm_pcode_countries, ISO2 -> ISO3 from the reference countries), so
        # the rule is its dbt test there (severity error): it checks the very column the build derives, and
        # a failing test fails the build, so nothing is published.
        rows_between(1),
    ],
    "missing_migrants": [
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
