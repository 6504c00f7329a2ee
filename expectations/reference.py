"""Suites for the reference datasets (the country list behind dim_country); columns and grain are
declared in ``ingest/reference`` (``COUNTRIES``)."""

from expectations import rows_between

SUITES = {
    "countries": [rows_between(240, 300)],
}
