"""Suites for the reference datasets (the country list behind dim_country)."""

from expectations import PROVENANCE, columns_exist, not_null, rows_between, unique_key

SUITES = {
    "countries": [
        *PROVENANCE,
        *columns_exist("iso3", "iso2", "name_en", "name_nl", "is_pseudo_country"),
        *not_null("iso3", "name_en", "is_pseudo_country"),
        unique_key("iso3"),
        rows_between(240, 300),
    ],
}
