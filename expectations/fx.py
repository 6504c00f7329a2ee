"""Suite for the ECB reference rates: a broken rate file would silently mis-convert every IATI value."""

from datetime import datetime

from expectations import PROVENANCE, Expectation, between, columns_exist, not_null, rows_between, unique_key

SUITES = {
    "ecb_reference_rates": [
        *PROVENANCE,
        *columns_exist("rate_date", "currency", "units_per_eur"),
        *not_null("rate_date", "currency", "units_per_eur"),
        Expectation("expect_column_values_to_match_regex", {"column": "currency", "regex": "^[A-Z]{3}$"}),
        between("units_per_eur", 0.000001, None),
        between("rate_date", datetime(1999, 1, 4), None),
        Expectation("expect_column_distinct_values_to_contain_set", {"column": "currency", "value_set": ["USD"]}),
        unique_key("rate_date", "currency"),
        rows_between(1),
    ],
}
