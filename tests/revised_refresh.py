"""One refresh of a copy of the demo warehouse from a mirror in which UNHCR revised a cell of every keyed
dataset (and dropped one row and added another, as it does to back years at every release) while IOM could
not be reached: its folder is missing from the mirror.

The tests of revisions (tests/test_unhcr_revisions.py) and of an unreachable source
(faults/test_fault_refresh.py) read what this one refresh did: the revised datasets are published with
their changes recorded, and IOM's are carried over, stale, from the last publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.maw_helpers import SharedRefresh, copy_warehouse, run_maw
from tests.unhcr_helpers import raw_rows, write_rows

UNREACHABLE = "iom/"  # the folder left out of the mirror


def key_of(row: dict, *extra: str) -> dict:
    """The dataset key of a raw row as record_changes writes it: year as a number, codes as text."""
    return {"year": int(row["year"]), "coo": row["coo"], "coa": row["coa"], **{k: row[k] for k in extra}}


@dataclass(frozen=True)
class RevisedRefresh(SharedRefresh):
    """What the refresh printed, and the revisions it was given."""

    edits: dict[str, list]  # dataset -> [key, column, old value, new value]
    removed: dict  # the key of the population row left out
    added: dict  # the key of the idmc row added


def _revise(unhcr: Path) -> tuple[dict[str, list[dict]], dict[str, list], dict, dict]:
    """The revised rows of every UNHCR file changed, the edits made, and the keys removed and added."""
    rows = {name: raw_rows(unhcr / f"{name}.csv.gz") for name in (
        "population", "asylum_decisions", "asylum_applications", "demographics", "solutions", "idmc", "flows",
        "countries",
    )}  # fmt: skip
    edits: dict[str, list] = {}

    def edit(dataset: str, row: dict, key: dict, column: str, new: str) -> None:
        edits[dataset] = [key, column, row[column] or None, new]  # NA is an empty cell: its old value is NULL
        row[column] = new

    row = rows["population"][10]
    edit("population", row, key_of(row), "refugees", str(int(row["refugees"]) + 1234))
    # A case-counted decision row revised: it must show up as a revision and leave every rate untouched.
    row = next(r for r in rows["asylum_decisions"] if r["dec_pc"] == "C" and r["year"] == "2020")
    edit("asylum-decisions", row, key_of(row, "procedure_type", "dec_level", "dec_pc"), "dec_recognized", "987650")
    row = next(r for r in rows["asylum_applications"] if r["app_type"] == "NA")
    key = key_of(row, "procedure_type", "app_type", "dec_level", "app_pc")
    edit("asylum-applications", row, key, "applied", str(int(row["applied"]) + 5))
    row = rows["demographics"][0]
    key = key_of(row, "pop_type", "location", "loc_type", "acc_type")
    edit("demographics", row, key, "total", str(int(row["total"]) + 10))
    row = next(r for r in rows["solutions"] if r["resettlement"] == "")
    edit("solutions", row, key_of(row), "resettlement", "40")  # NA became a figure: old value NULL, not "0"
    row = rows["idmc"][0]
    edit("idmc", row, key_of(row), "total", "1")
    row = next(r for r in rows["flows"] if r["coo_iso"] == "UKN")
    edit("flows", row, key_of(row), "asylum_seekers", "777")
    row = next(r for r in rows["countries"] if r["unhcr_code"] == "GFR")
    edit("countries", row, {"unhcr_code": "GFR"}, "name", "Germany (revised)")
    removed = rows["population"].pop(20)
    idmc = rows["idmc"]
    added = {**idmc[1], "coo": "IRQ", "coo_iso": "IRQ", "coo_name": "Iraq", "coa": "IRQ", "coa_iso": "IRQ"}
    idmc.append(added)
    files = {f"unhcr/{name}.csv.gz": revised for name, revised in rows.items()}
    return files, edits, key_of(removed), key_of(added)


def linked_mirror(source: Path, target: Path, rewritten: dict[str, list[dict]], leave_out: str | None = None) -> Path:
    """A mirror that links every file of ``source`` but the UNHCR files ``rewritten`` (path -> rows), and
    none under the folder ``leave_out``."""
    for path in source.rglob("*"):
        relative = str(path.relative_to(source))
        if path.is_dir() or (leave_out and relative.startswith(leave_out)):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if relative in rewritten:
            write_rows(destination, rewritten[relative])
        else:
            destination.symlink_to(path)
    return target


def run_revised_refresh(demo_warehouse: Path, demo_mirror: Path, work: Path) -> RevisedRefresh:
    """Copy the demo warehouse into ``work`` and refresh it from the revised mirror without IOM."""
    files, edits, removed, added = _revise(demo_mirror / "unhcr")
    mirror = linked_mirror(demo_mirror, work / "revised-mirror", files, leave_out=UNREACHABLE)
    warehouse = work / "warehouse"
    copy_warehouse(demo_warehouse, warehouse)
    result = run_maw("refresh", "--mirror", str(mirror), warehouse=warehouse)
    return RevisedRefresh.of(warehouse, result, edits=edits, removed=removed, added=added)
