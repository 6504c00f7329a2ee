"""Suites for UNHCR datasets: a load that breaks any of these never reaches the marts.

Code sets come from UNHCR's published code lists (``../shared/data/unhcr/README.md``): a new code is a
change in the source that a person must look at before it reaches a rate or a total.
"""

from datetime import date

from expectations import (
    PROVENANCE,
    Expectation,
    between,
    columns_exist,
    in_set,
    known_iso3,
    not_null,
    of_type,
    people_counts,
    rows_between,
    unique_key,
)
from ingest.unhcr import DEMOGRAPHIC_BANDS, POPULATION_COUNTS

IDENTITY = ("year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso")
# flows names its pseudo-codes UKN (unknown) and STA (stateless); staging maps them to UNK and XXA.
FLOWS_PSEUDO_ISO = {"UKN", "STA"}
PROCEDURE_TYPES = {"G", "U", "J"}
APP_TYPES = {"N", "R", "A", "NA", "NR", "FA", "J", "SP", "RA", "V"}
DEC_LEVELS = {"FI", "AR", "RA", "JR", "FA", "NA", "EO", "IN", "TA", "SP", "CA", "BL", "TP", "TR"}
UNITS = {"P", "C"}
POP_TYPES = {"REF", "ASY", "OIP", "IDP", "STA", "OOC", "HST", "RET", "RDP"}
LOC_TYPES = {"U", "R", "V", "C"}
ACC_TYPES = {"I", "P", "S", "C", "R", "U"}


def _identity(first_year: int = 1951, extra_iso: set[str] | None = None, names: bool = True) -> list[Expectation]:
    iso = known_iso3() | (extra_iso or set())
    return [
        *PROVENANCE,
        *columns_exist(*IDENTITY),
        *not_null("year", "coo", "coa", "coo_iso", "coa_iso"),
        *(not_null("coo_name", "coa_name") if names else not_null("coa_name")),
        of_type("year", "int32"),
        between("year", first_year, date.today().year),
        in_set("coo_iso", iso),
        in_set("coa_iso", iso),
    ]


def _counts(*columns: str, nullable: bool = False) -> list[Expectation]:
    return [
        *columns_exist(*columns),
        *[of_type(c, "int64") for c in columns],
        *people_counts(*columns),
        *([] if nullable else not_null(*columns)),
    ]


SUITES = {
    "population": [
        *_identity(),
        *_counts(*(c for c in POPULATION_COUNTS if c != "oip")),
        *_counts("oip", nullable=True),
        unique_key("year", "coo", "coa"),
        rows_between(1),
    ],
    "asylum-applications": [
        *_identity(2000),
        *not_null("procedure_type", "app_type", "dec_level", "app_pc"),
        in_set("procedure_type", PROCEDURE_TYPES),
        in_set("app_type", APP_TYPES),
        in_set("dec_level", DEC_LEVELS),
        in_set("app_pc", UNITS),
        *_counts("applied"),
        unique_key("year", "coo", "coa", "procedure_type", "app_type", "dec_level", "app_pc"),
        rows_between(1),
    ],
    "asylum-decisions": [
        *_identity(2000),
        *not_null("procedure_type", "dec_level", "dec_pc"),
        in_set("procedure_type", PROCEDURE_TYPES),
        in_set("dec_level", DEC_LEVELS),
        in_set("dec_pc", UNITS),
        *_counts("dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"),
        unique_key("year", "coo", "coa", "procedure_type", "dec_level", "dec_pc"),
        rows_between(1),
    ],
    "solutions": [
        *_identity(),
        *_counts("returned_refugees", "resettlement", "naturalisation", "returned_idps", nullable=True),
        unique_key("year", "coo", "coa"),
        rows_between(1),
    ],
    "demographics": [
        *_identity(2001),
        *not_null("pop_type", "location", "loc_type", "acc_type"),
        in_set("pop_type", POP_TYPES),
        in_set("loc_type", LOC_TYPES),
        in_set("acc_type", ACC_TYPES),
        *_counts(*DEMOGRAPHIC_BANDS, "total"),
        unique_key("year", "coo", "coa", "pop_type", "location", "loc_type", "acc_type"),
        rows_between(1),
    ],
    "idmc": [
        *_identity(1990),
        *_counts("total"),
        unique_key("year", "coo", "coa"),
        rows_between(1),
    ],
    "unrwa": [
        *_identity(),
        in_set("coo_iso", {"PSE"}),
        *_counts("total"),
        unique_key("year", "coo", "coa"),
        rows_between(1),
    ],
    # No minimum row count: a first live refresh has no flows file (mirror-only) and loads an empty table.
    "flows": [
        *_identity(extra_iso=FLOWS_PSEUDO_ISO, names=False),
        *_counts("refugees", "asylum_seekers", "refugee_like", "oip", nullable=True),
        unique_key("year", "coo", "coa"),
    ],
    "countries": [
        *PROVENANCE,
        *columns_exist("iso_code", "unhcr_code", "name", "unhcr_region", "unsd_region", "unsd_subregion"),
        *not_null("unhcr_code", "name"),
        unique_key("unhcr_code"),
        rows_between(150, 400),
    ],
}
