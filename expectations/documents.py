"""Suites for the policy documents: a figure that does not match its quote, a number nobody accounted for
or a parsed table cell that disagrees with its annotation blocks the load.

The checks themselves run in ``ingest/annotations.py`` while parsing; their results are columns
(``verification``, ``coverage``, ``check``) that say ``ok`` or name document, figure/line and the problem,
so a failed expectation prints exactly what to fix.
"""

from expectations import (
    PROVENANCE,
    columns_exist,
    in_set,
    known_iso3,
    not_null,
    rows_between,
    unique_key,
)
from ingest.documents.annotations import ROLES, TABLES, UNIT_KINDS

NUMBER_READINGS = {"dutch", "words", "decimal_point", "ocr_substitution", "nil", "unreadable", "no_number"}
DOCUMENT_KINDS = {"spending_proposal", "letter_to_parliament", "annual_report"}

SUITES = {
    "texts": [
        *PROVENANCE,
        *columns_exist("document", "title", "kind", "year", "text_sha256", "text", "annotation_sha256"),
        *not_null("document", "title", "kind", "language", "year", "text_sha256", "text"),
        *not_null("annotation_file", "annotation_sha256", "reviewed_by"),
        unique_key("document"),
        in_set("kind", DOCUMENT_KINDS),
        in_set("language", {"nl", "en"}),
        rows_between(1),
    ],
    "figures": [
        *PROVENANCE,
        *columns_exist("document", "figure_id", "table_name", "quote", "value", "unit", "verification"),
        in_set("verification", {"ok"}),
        *not_null("document", "figure_id", "table_name", "subject", "metric", "quote", "line"),
        unique_key("document", "figure_id"),
        in_set("table_name", TABLES),
        in_set("iso3", known_iso3()),
        # Money as currency codes (whole units), anything else a documented unit (persons, percent, years, ...).
        in_set("unit", set(UNIT_KINDS)),
        in_set("unit_kind", set(UNIT_KINDS.values())),
        in_set("number_reading", NUMBER_READINGS),
        rows_between(1),
    ],
    "numbers": [
        *PROVENANCE,
        *columns_exist("document", "line", "token", "accounted_by", "reference", "coverage"),
        in_set("coverage", {"ok"}),
        in_set("accounted_by", {"figure", "ignore", "rule"}),
        *not_null("document", "line", "token", "reference"),
        unique_key("document", "line", "column"),
        rows_between(1),
    ],
    "lists": [
        *PROVENANCE,
        *columns_exist("document", "list_id", "role", "member_name", "iso3", "region_id", "verification"),
        in_set("verification", {"ok"}),
        *not_null("document", "list_id", "role", "subject", "list_quote", "list_line", "member_name", "member_line"),
        unique_key("document", "list_id", "member_index"),
        in_set("role", set(ROLES)),
        in_set("iso3", known_iso3()),
        rows_between(1),
    ],
    "phases": [
        *PROVENANCE,
        *columns_exist("document", "phase_id", "programme", "period_start", "period_end", "verification"),
        in_set("verification", {"ok"}),
        *not_null("document", "phase_id", "programme", "period_basis", "quote", "line"),
        unique_key("phase_id"),
        rows_between(1),
    ],
    "regions": [
        *PROVENANCE,
        *not_null("region_id", "region_name", "iso3", "basis"),
        unique_key("region_id", "iso3"),
        in_set("iso3", known_iso3()),
        rows_between(1),
    ],
    "table_rows": [
        *PROVENANCE,
        *columns_exist("document", "table_name", "row_label", "year", "value", "check"),
        in_set("check", {"ok"}),
        *not_null("document", "table_name", "row_label", "year", "value", "unit", "annotation_figure_id"),
        unique_key("document", "table_name", "row_label", "column_label"),
        rows_between(1),
    ],
}
