"""Plan a refresh from fingerprints: nothing to do, rebuild what changed, or rebuild everything.

``maw refresh`` plans before it starts Dagster: it fetches and lands every dataset (cheap for mirrors),
compares each dataset's fingerprint and the dbt project's with the published ones, and then

* publishes nothing when all are equal (a no-op: the published file stays byte-identical);
* otherwise starts the build as a copy of the published file (or, when the dbt project changed, as a new
  file with the unchanged tables copied in), carries the unchanged datasets over with their published
  check results, and runs only the changed datasets and what is downstream of them;
* with ``--full`` (or when nothing usable is published) builds everything from scratch.

The plan is written beside the build (``build/<run_id>.plan.json``) so the dataset assets load the files
the plan landed instead of fetching them a second time.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.common.settings import Settings
from ingest.common.source import Dataset, IngestError, LandedFile, Snapshot, SourceContext, land, utc_now
from warehouse import WarehousePaths, fingerprints, meta, sql, storage

log = logging.getLogger("maw.plan")
DEMO_MIRROR = Path(__file__).resolve().parent.parent / "demo_mirror"


def source_context(mode: str, mirror_dir: str = "", settings: Settings | None = None) -> SourceContext:
    """Where a refresh reads from: ``demo`` the mirror in the repo, ``mirror`` a directory laid out like
    ../shared/data, ``live`` the APIs; ``settings`` those of the Dagster resource (else the environment)."""
    if mode == "demo":
        return SourceContext(mode="demo", mirror_dir=DEMO_MIRROR, config=settings)
    if mode == "mirror":
        if not mirror_dir:
            raise ValueError("mode 'mirror' needs mirror_dir")
        return SourceContext(mode="mirror", mirror_dir=Path(mirror_dir).resolve(), config=settings)
    if mode == "live":
        return SourceContext(mode="live", config=settings)
    raise ValueError(f"unknown source mode {mode!r} (demo, mirror or live)")


@dataclass
class Plan:
    run_id: str
    full: bool
    published_id: str | None
    snapshots: dict[tuple[str, str], Snapshot] = field(default_factory=dict)
    current: dict[tuple[str, str], fingerprints.Fingerprint] = field(default_factory=dict)
    changed: list[Dataset] = field(default_factory=list)
    carried: list[Dataset] = field(default_factory=list)
    dbt_changed: bool = True
    published: dict[tuple[str, str], str] = field(default_factory=dict)  # the published fingerprints
    published_snapshots: dict[tuple[str, str], str] = field(default_factory=dict)  # see published_snapshots

    @property
    def nothing_to_do(self) -> bool:
        return not self.full and not self.changed and not self.dbt_changed

    @property
    def fresh_build(self) -> bool:
        """A new build file; otherwise the build starts as a copy of the published one."""
        return self.full or self.dbt_changed

    def describe(self) -> str:
        if self.full:
            return "full rebuild"
        changed = ", ".join(f"{d.source}/{d.name}" for d in self.changed) or "no dataset"
        dbt = "dbt project changed: every model" if self.dbt_changed else "models downstream of them"
        return f"changed: {changed}; {dbt}; carried over: {len(self.carried)} dataset(s)"


def _key(dataset: Dataset) -> tuple[str, str]:
    return (dataset.source, dataset.name)


def published_snapshots(database: Path) -> dict[tuple[str, str], str]:
    """The snapshot behind each dataset's table in ``database``: that of its latest published load."""
    if not database.exists():
        return {}
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            rows = con.execute(
                "select source, dataset, arg_max(snapshot_id, finished_at) from meta.loads "
                "where status = 'published' group by source, dataset"
            ).fetchall()
        except duckdb.CatalogException:
            return {}
    return {(s, d): snapshot for s, d, snapshot in rows}


def make_plan(
    paths: WarehousePaths, context: SourceContext, datasets: Sequence[Dataset], run_id: str, full: bool
) -> Plan:
    """Fetch and land every dataset, then compare fingerprints with the published ones."""
    published_id, published = fingerprints.published(paths.published)
    plan = Plan(
        run_id=run_id,
        full=full or published_id is None,
        published_id=published_id,
        published=published,
        published_snapshots=published_snapshots(paths.published),
    )
    for dataset in datasets:
        try:
            snapshot = land(paths.raw, dataset.source, dataset.name, dataset.fetch(context))
        except IngestError:
            plan.changed.append(dataset)  # the dataset's own step fetches again and reports the error
            continue
        plan.snapshots[_key(dataset)] = snapshot
        snapshot_id = snapshot.snapshot_id
        if not snapshot.files and _key(dataset) in plan.published_snapshots:
            snapshot_id = plan.published_snapshots[_key(dataset)]  # nothing to fetch in this mode: keep published
        current = fingerprints.of_dataset(dataset.source, dataset.name, snapshot_id)
        plan.current[current.key] = current
        same = not plan.full and published.get(current.key) == current.value
        (plan.carried if same else plan.changed).append(dataset)
    dbt = fingerprints.of_dbt()
    plan.current[dbt.key] = dbt
    plan.dbt_changed = plan.full or published.get(dbt.key) != dbt.value
    return plan


def _plan_path(paths: WarehousePaths, run_id: str) -> Path:
    return paths.build / f"{run_id}.plan.json"


def start_build(paths: WarehousePaths, plan: Plan) -> None:
    """Create the run's build file, carry the unchanged datasets over and record the fingerprints."""
    build = paths.build_db(plan.run_id)
    build.parent.mkdir(parents=True, exist_ok=True)
    _plan_path(paths, plan.run_id).write_text(
        json.dumps(
            {
                "full": plan.full,
                "published": {f"{s}/{d}": value for (s, d), value in plan.published.items()},
                "published_snapshots": {f"{s}/{d}": value for (s, d), value in plan.published_snapshots.items()},
                "snapshots": {
                    f"{s}/{d}": [f.metadata() for f in snapshot.files] for (s, d), snapshot in plan.snapshots.items()
                },
            }
        )
    )
    if plan.fresh_build:
        storage.create_database(build)
    else:
        shutil.copyfile(paths.published, build)
    con = storage.connect_writer(build)
    try:
        if plan.fresh_build:
            meta.carry_history(con, paths.published)
            if plan.carried:
                with storage.published_attached(con, paths.published):
                    for dataset in plan.carried:
                        con.execute(f"create schema if not exists {sql.ident('raw_' + dataset.source)}")
                        target, carried = sql.table(dataset.table), sql.table(f"previous.{dataset.table}")
                        con.execute(f"create table {target} as select * from {carried}")
        now = utc_now()
        for dataset in plan.carried:
            con.execute(
                """insert into meta.loads by name
                   select * replace (? as run_id, true as unchanged, 'validated' as status, 0.0 as fetch_seconds,
                                     0.0 as parse_seconds, 0.0 as load_seconds, 0.0 as validate_seconds,
                                     ?::timestamptz as started_at, ?::timestamptz as finished_at)
                   from meta.loads where source = ? and dataset = ? and status = 'published'
                   order by finished_at desc limit 1""",
                [plan.run_id, now, now, dataset.source, dataset.name],
            )
        fingerprints.record(con, plan.run_id, list(plan.current.values()))
        con.execute("checkpoint")
    finally:
        con.close()


def landed_snapshot(paths: WarehousePaths, run_id: str, dataset: Dataset) -> Snapshot | None:
    """The files the plan already landed for this dataset, if this run was planned."""
    plan = _read_plan(paths, run_id)
    files = plan.get("snapshots", {}).get(f"{dataset.source}/{dataset.name}")
    if files is None:
        return None
    landed = tuple(LandedFile(**{**f, "path": Path(f["path"])}) for f in files)
    return Snapshot(source=dataset.source, dataset=dataset.name, files=landed)


def published_snapshot(paths: WarehousePaths, run_id: str, dataset: Dataset) -> str | None:
    """The published snapshot of a dataset, which it keeps when this mode has no files for it: from the plan
    when the run was planned (which read the published file once for all datasets), else from that file."""
    plan = _read_plan(paths, run_id)
    if "published_snapshots" in plan:
        return plan["published_snapshots"].get(f"{dataset.source}/{dataset.name}")
    return published_snapshots(paths.published).get(_key(dataset))


def may_reuse_published(paths: WarehousePaths, run_id: str, dataset: Dataset, snapshot_id: str) -> bool:
    """A dataset's published table can stand in for parsing only when its whole fingerprint is equal
    (same bytes and same code) and no full rebuild was asked for."""
    plan = _read_plan(paths, run_id)
    if plan.get("full"):
        return False
    current = fingerprints.of_dataset(dataset.source, dataset.name, snapshot_id)
    if "published" in plan:  # read from the published file when the run was planned: not again each dataset
        return plan["published"].get(f"{dataset.source}/{dataset.name}") == current.value
    _, published = fingerprints.published(paths.published)
    return published.get(current.key) == current.value


def _read_plan(paths: WarehousePaths, run_id: str) -> dict:
    path = _plan_path(paths, run_id)
    return json.loads(path.read_text()) if path.exists() else {}


def discard_plan(paths: WarehousePaths, run_id: str) -> None:
    _plan_path(paths, run_id).unlink(missing_ok=True)
