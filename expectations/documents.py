"""Suites for the policy documents: a figure that does not match its quote, a number nobody accounted for
or a parsed table cell that disagrees with its annotation blocks the load.

The checks themselves run in ``ingest/documents/annotations.py`` while parsing; their results are columns
(``verification``, ``coverage``, ``check``) that say ``ok`` or name document, figure/line and the problem,
so a failed expectation prints exactly what to fix. Those columns, the code sets (kinds, units, roles,
ISO3) and the grains are declared in ``ingest/documents`` (``*_SCHEMA``) and checked from there.
"""

from expectations import rows_between, unique_key

SUITES = {
    "texts": [rows_between(1)],
    "figures": [rows_between(1)],
    "numbers": [rows_between(1)],
    "lists": [rows_between(1)],
    # A phase id names one phase across documents, not only within its document.
    "phases": [unique_key("phase_id"), rows_between(1)],
    "regions": [rows_between(1)],
    "table_rows": [rows_between(1)],
}
