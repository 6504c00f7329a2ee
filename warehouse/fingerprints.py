"""Fingerprints: what a published table was made from, so a refresh can tell what it has to redo.

A dataset's fingerprint is its snapshot id (the sha256 of its raw bytes) plus a hash of the code and
configuration that parse, load and check it: its source package ``ingest/<source>/``, the shared
``ingest/common/`` and ``ingest/reference/``, its suite ``expectations/<source>.py`` with the suite
machinery, ``warehouse/loads.py`` and the installed versions of the libraries that read and check data.
The dbt project has one fingerprint for its models, macros, seeds, tests, ``dbt_project.yml`` and dbt's
version. Equal fingerprints mean equal tables, so an equal dataset is neither parsed nor validated again,
and an equal project is not rebuilt.

Fingerprints are stored in ``meta.fingerprints`` of the build and so of the published file (one row per
dataset and one for dbt, per run).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
DBT_KEY = ("dbt", "project")

_SHARED_CODE = ("ingest/__init__.py", "ingest/registry.py", "ingest/common", "ingest/reference")
_SUITE_CODE = ("expectations/__init__.py", "expectations/runner.py", "warehouse/loads.py", "warehouse/meta.py")
_DBT_INPUTS = ("dbt_project/models", "dbt_project/macros", "dbt_project/seeds", "dbt_project/tests")
_DBT_FILES = ("dbt_project/dbt_project.yml",)
# The installed libraries that read, check or transform the data (not the lock file: a new test tool must
# not rebuild the warehouse).
_PARSE_LIBRARIES = ("duckdb", "polars", "pyarrow", "pandas", "great-expectations", "lxml", "fastexcel", "pycountry")
_DBT_LIBRARIES = ("dbt-core", "dbt-duckdb", "duckdb")

DDL = """
create schema if not exists meta;
create table if not exists meta.fingerprints (
    run_id varchar, source varchar, dataset varchar, snapshot_id varchar, code_sha256 varchar,
    fingerprint varchar, recorded_at timestamptz default current_timestamp
);
"""


def _files(relative: str) -> list[Path]:
    path = REPO / relative
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def hash_files(relatives: tuple[str, ...], libraries: tuple[str, ...] = ()) -> str:
    """sha256 over the repo-relative names and bytes of the files (folders: every file below them) and the
    installed versions of ``libraries``."""
    digest = hashlib.sha256()
    for library in libraries:
        digest.update(f"{library}=={importlib.metadata.version(library)}\0".encode())
    for relative in relatives:
        for path in _files(relative):
            digest.update(str(path.relative_to(REPO)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def code_hash(source: str) -> str:
    """Hash of everything that turns the raw bytes of ``source`` into a validated table."""
    own = (f"ingest/{source}", f"ingest/{source}.py", f"expectations/{source}.py")
    return hash_files(own + _SHARED_CODE + _SUITE_CODE, _PARSE_LIBRARIES)


@cache
def dbt_hash() -> str:
    return hash_files(_DBT_INPUTS + _DBT_FILES, _DBT_LIBRARIES)


@dataclass(frozen=True)
class Fingerprint:
    source: str
    dataset: str
    snapshot_id: str | None
    code_sha256: str

    @property
    def value(self) -> str:
        return hashlib.sha256(f"{self.snapshot_id or ''}:{self.code_sha256}".encode()).hexdigest()

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.dataset)


def of_dataset(source: str, dataset: str, snapshot_id: str) -> Fingerprint:
    return Fingerprint(source, dataset, snapshot_id, code_hash(source))


def of_dbt() -> Fingerprint:
    return Fingerprint(*DBT_KEY, None, dbt_hash())


def published(database: Path) -> tuple[str | None, dict[tuple[str, str], str]]:
    """The latest publish id and the fingerprints of its run, read-only; empty when none were recorded."""
    if not database.exists():
        return None, {}
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            latest = con.execute(
                "select publish_id, run_id from meta.publish order by published_at desc limit 1"
            ).fetchone()
            if latest is None:
                return None, {}
            rows = con.execute(
                "select source, dataset, fingerprint from meta.fingerprints where run_id = ?", [latest[1]]
            ).fetchall()
        except duckdb.CatalogException:
            return None, {}
    return latest[0], {(source, dataset): value for source, dataset, value in rows}


def record(con: duckdb.DuckDBPyConnection, run_id: str, fingerprints: list[Fingerprint]) -> None:
    """Store this run's fingerprints in the build (replacing earlier rows of the same run and key)."""
    con.execute(DDL)
    for fp in fingerprints:
        con.execute(
            "delete from meta.fingerprints where run_id = ? and source = ? and dataset = ?",
            [run_id, fp.source, fp.dataset],
        )
        con.execute(
            "insert into meta.fingerprints (run_id, source, dataset, snapshot_id, code_sha256, fingerprint) "
            "values (?, ?, ?, ?, ?, ?)",
            [run_id, fp.source, fp.dataset, fp.snapshot_id, fp.code_sha256, fp.value],
        )
