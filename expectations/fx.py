"""Suite for the ECB reference rates: a broken rate file would silently mis-convert every IATI value.

The columns, their ranges and the grain are declared in ``ingest/fx`` (``ECB_REFERENCE_RATES``)."""

from expectations import Expectation, rows_between

SUITES = {
    "ecb_reference_rates": [
        Expectation("expect_column_values_to_match_regex", {"column": "currency", "regex": "^[A-Z]{3}$"}),
        Expectation("expect_column_distinct_values_to_contain_set", {"column": "currency", "value_set": ["USD"]}),
        rows_between(1),
    ],
}
