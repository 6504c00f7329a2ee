"""Suites for UNHCR datasets: a load that breaks any of these never reaches the marts.

Columns, their code sets (UNHCR's published code lists, ``../shared/data/unhcr/README.md``), ranges and
grains are declared once in ``ingest/unhcr`` (``ENDPOINTS``) and checked from there (``full_suite``);
what is left here is what a column declaration cannot say.
"""

from expectations import rows_between

SUITES = {
    "population": [rows_between(1)],
    "asylum-applications": [rows_between(1)],
    "asylum-decisions": [rows_between(1)],
    "solutions": [rows_between(1)],
    "demographics": [rows_between(1)],
    "idmc": [rows_between(1)],
    "unrwa": [rows_between(1)],
    # No minimum row count: a first live refresh has no flows file (mirror-only) and loads an empty table.
    "flows": [],
    "countries": [rows_between(150, 400)],
}
