"""Suites for UNHCR datasets: a load that breaks any of these never reaches the marts."""

from datetime import date

from expectations import (
    PROVENANCE,
    between,
    columns_exist,
    in_set,
    known_iso3,
    non_negative,
    not_null,
    of_type,
    rows_between,
    unique_key,
)

IDENTITY = ("year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso")


def _identity() -> list:
    return [
        *PROVENANCE,
        *columns_exist(*IDENTITY),
        *not_null("year", "coo", "coa", "coo_iso", "coa_iso"),
        of_type("year", "int32"),
        between("year", 1951, date.today().year),
        in_set("coo_iso", known_iso3()),
        in_set("coa_iso", known_iso3()),
    ]


POPULATION_COUNTS = (
    "refugees",
    "asylum_seekers",
    "returned_refugees",
    "idps",
    "returned_idps",
    "stateless",
    "ooc",
    "oip",
    "hst",
)

SUITES = {
    "population": [
        *_identity(),
        *columns_exist(*POPULATION_COUNTS),
        *[of_type(c, "int64") for c in POPULATION_COUNTS],
        *non_negative(*POPULATION_COUNTS),
        *not_null(*(c for c in POPULATION_COUNTS if c != "oip")),
        unique_key("year", "coo", "coa"),
        rows_between(1),
    ],
    "countries": [
        *PROVENANCE,
        *columns_exist("iso_code", "unhcr_code", "name"),
        *not_null("unhcr_code", "name"),
        unique_key("unhcr_code"),
        rows_between(1),
    ],
}
