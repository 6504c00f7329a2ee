"""The steps of one dataset load, shared by the Dagster assets and therefore by ``maw refresh``.

``ingest_dataset`` fetches, lands, parses and loads into the run's build database; ``check_dataset``
runs the dataset's expectation suite on what was loaded. A parse error or a failed check quarantines the
load (raw files and a report) and raises, so nothing downstream runs and nothing is published.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from expectations import CheckReport, Expectation, full_suite
from ingest.common.source import PROVENANCE_COLUMNS, Dataset, IngestError, Snapshot, SourceContext, land, utc_now
from warehouse import WarehousePaths, check_worker, fingerprints, gates, incremental, meta, sql, storage

log = logging.getLogger("maw.load")


class LoadFailed(Exception):
    """A load was stopped and quarantined; the message says what is wrong and where the report is."""


@dataclass
class LoadOutcome:
    dataset: Dataset
    snapshot: Snapshot
    rows: int
    unchanged: bool
    seconds: dict[str, float] = field(default_factory=dict)


def connect_build(paths: WarehousePaths, run_id: str) -> duckdb.DuckDBPyConnection:
    """A cursor on the run's build database (created on first use, with the published history carried over),
    held open by this process until ``storage.release``: the dbt step releases it before dbt opens the file."""
    path = paths.build_db(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    if fresh:
        storage.create_database(path)
    con = storage.connect_held(path)
    if fresh:
        meta.carry_history(con, paths.published)
    return con


def suite_for(dataset: Dataset) -> list[Expectation]:
    """The dataset's column declaration as expectations, then the rules of its suite in ``expectations/``."""
    module = importlib.import_module(f"expectations.{dataset.source}")
    try:
        rules = module.SUITES[dataset.name]
    except KeyError as exc:
        raise LookupError(f"no expectation suite for {dataset.source}/{dataset.name} in {module.__file__}") from exc
    return full_suite(dataset.schema, rules)


def _origins(snapshot: Snapshot) -> str:
    return ", ".join(f.origin for f in snapshot.files) or f"{snapshot.source}/{snapshot.dataset}"


def _suite_name(dataset: Dataset) -> str:
    return f"{dataset.source}.{dataset.name}"


def ingest_dataset(
    dataset: Dataset,
    context: SourceContext,
    paths: WarehousePaths,
    run_id: str,
    *,
    tolerance: gates.RowTolerance = gates.DEFAULT_TOLERANCE,
    accepted: frozenset[str] = frozenset(),
) -> LoadOutcome:
    """Fetch -> land -> parse -> load into the build database (validation is a separate step); a row count
    too far from the last publish's stops the load unless ``accepted`` names the dataset."""
    started = utc_now()
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    snapshot = incremental.landed_snapshot(paths, run_id, dataset)  # already landed when the run was planned
    if snapshot is None:
        try:
            raw_files = dataset.fetch(context)
        except IngestError as exc:
            raise LoadFailed(f"{dataset.source}/{dataset.name}: fetch failed: {exc.describe()}") from exc
        snapshot = land(paths.raw, dataset.source, dataset.name, raw_files)
    seconds["fetch"] = time.perf_counter() - clock
    log.info(
        "%s/%s: landed %d file(s), %d bytes",
        dataset.source,
        dataset.name,
        len(snapshot.files),
        snapshot.total_bytes,
    )

    snapshot_id = snapshot.snapshot_id
    published_snapshot = None if snapshot.files else incremental.published_snapshot(paths, run_id, dataset)
    if published_snapshot is not None:
        # Nothing to fetch in this mode (a mirror-only dataset in a live refresh): keep what is published.
        snapshot_id = published_snapshot
        log.warning("%s/%s: no raw files in this mode, keeping the published table", dataset.source, dataset.name)
    unchanged = incremental.may_reuse_published(paths, run_id, dataset, snapshot_id)  # same bytes and code
    con = connect_build(paths, run_id)
    try:
        if snapshot.files:
            meta.record_snapshot(con, snapshot)
        con.execute(f"create schema if not exists {sql.ident('raw_' + dataset.source)}")
        clock = time.perf_counter()
        if unchanged:
            # Same bytes and code as the published load: skip parsing, carry the validated table over.
            with storage.published_attached(con, paths.published):
                target, carried = sql.table(dataset.table), sql.table(f"previous.{dataset.table}")
                con.execute(f"create or replace table {target} as select * from {carried}")
            seconds["parse"] = 0.0
            log.info("%s/%s: raw bytes unchanged, reusing the published table", dataset.source, dataset.name)
        else:
            try:
                frame = dataset.schema.conform(dataset.parse(snapshot.files), _origins(snapshot))
            except IngestError as exc:
                report = quarantine(paths, run_id, snapshot, f"Parse failed\n\n{exc.describe()}\n")
                raise LoadFailed(f"{dataset.source}/{dataset.name}: {exc.describe()} (report: {report})") from exc
            seconds["parse"] = time.perf_counter() - clock
            clock = time.perf_counter()
            # Arrow's string views are polars' own strings: handed over without a copy (the oldest Arrow
            # layout copied every string, 70 MB more at the peak of the UNHCR demographics load).
            con.register("incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
            con.execute(f"create or replace table {sql.table(dataset.table)} as select * from incoming")
            con.unregister("incoming")
            del frame  # in DuckDB now: freed before the check's Parquet copy below (130 MB at its peak)
            if dataset.track_changes:
                record_changes(con, paths, dataset, snapshot_id, run_id)
        seconds["load"] = time.perf_counter() - clock
        rows = con.execute(f"select count(*) from {sql.table(dataset.table)}").fetchone()[0]
        problem = None if unchanged else gates.check_row_count(con, dataset, rows, run_id, tolerance, accepted)
        if problem:
            report = quarantine(paths, run_id, snapshot, f"Completeness gate failed\n\n{problem}\n")
            raise LoadFailed(f"{dataset.source}/{dataset.name}: {problem} (report: {report})")
        fingerprints.record(con, run_id, [fingerprints.of_dataset(dataset.source, dataset.name, snapshot_id)])
        if check_worker.started():  # validate in the worker while the next dataset loads
            # Handed over as a Parquet file DuckDB writes: no copy of the table in this process, none pickled.
            handoff = paths.build_db(run_id).with_name(f"{dataset.source}__{dataset.name}.parquet")
            con.execute(f"copy {sql.table(dataset.table)} to {sql.literal(handoff)} (format parquet)")
            key = (run_id, dataset.source, dataset.name)
            check_worker.submit(key, handoff, _suite_name(dataset), suite_for(dataset))
        con.execute(
            "delete from meta.loads where run_id = ? and source = ? and dataset = ?",
            [run_id, dataset.source, dataset.name],
        )
        con.execute(
            """insert into meta.loads (run_id, source, dataset, target_table, snapshot_id, files, bytes, rows,
               unchanged, status, fetch_seconds, parse_seconds, load_seconds, started_at, finished_at)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?)""",
            [
                run_id,
                dataset.source,
                dataset.name,
                dataset.table,
                snapshot_id,
                len(snapshot.files),
                snapshot.total_bytes,
                rows,
                unchanged,
                seconds["fetch"],
                seconds["parse"],
                seconds["load"],
                started,
                utc_now(),
            ],
        )
    finally:
        con.close()
    return LoadOutcome(dataset=dataset, snapshot=snapshot, rows=rows, unchanged=unchanged, seconds=seconds)


def check_dataset(dataset: Dataset, paths: WarehousePaths, run_id: str) -> CheckReport:
    """Run the dataset's suite on the loaded table; a failure quarantines the load."""
    clock = time.perf_counter()
    validated = check_worker.take((run_id, dataset.source, dataset.name))
    con = connect_build(paths, run_id)
    try:
        failed = con.execute(
            "select error from meta.loads where run_id = ? and source = ? and dataset = ? and status = 'failed'",
            [run_id, dataset.source, dataset.name],
        ).fetchone()
        if failed:
            raise LoadFailed(f"{dataset.source}/{dataset.name}: not loaded, nothing to check: {failed[0]}")
        if validated is None:
            from expectations.runner import validate  # Great Expectations is slow to import: only here.

            frame = con.sql(f"select * from {sql.table(dataset.table)}").pl()
            validated = validate(frame, _suite_name(dataset), suite_for(dataset)), time.perf_counter() - clock
        report, validate_seconds = validated
        status = "validated" if report.success else "quarantined"
        con.execute(
            """update meta.loads set status = ?, checks_passed = ?, checks_total = ?, check_results = ?,
               validate_seconds = ?, error = ?, finished_at = ?
               where run_id = ? and source = ? and dataset = ?""",
            [
                status,
                report.passed,
                len(report.results),
                meta.as_json(report.as_dict()),
                validate_seconds,
                None if report.success else report.describe_failures(),
                utc_now(),
                run_id,
                dataset.source,
                dataset.name,
            ],
        )
        snapshot_id = con.execute(
            "select snapshot_id from meta.loads where run_id = ? and source = ? and dataset = ?",
            [run_id, dataset.source, dataset.name],
        ).fetchone()[0]
        files = con.execute("select raw_path from meta.snapshots where snapshot_id = ?", [snapshot_id]).fetchall()
    finally:
        con.close()
    if not report.success:
        snapshot_files = [Path(f[0]) for f in files]
        target = quarantine_files(
            paths,
            run_id,
            dataset.source,
            dataset.name,
            snapshot_files,
            f"Checks failed: {report.summary()}\n\n{report.describe_failures(limit=20)}\n",
            report.as_dict(),
        )
        raise LoadFailed(
            f"{dataset.source}/{dataset.name}: {report.summary()}\n{report.describe_failures()}\n(report: {target})"
        )
    return report


def record_failure(dataset: Dataset, paths: WarehousePaths, run_id: str, error: str) -> None:
    """A load that stopped before its table existed: kept in ``meta.loads`` so the source can be carried over."""
    con = connect_build(paths, run_id)
    try:
        con.execute(
            "delete from meta.loads where run_id = ? and source = ? and dataset = ?",
            [run_id, dataset.source, dataset.name],
        )
        con.execute(
            """insert into meta.loads (run_id, source, dataset, target_table, status, error, started_at, finished_at)
               values (?, ?, ?, ?, 'failed', ?, ?, ?)""",
            [run_id, dataset.source, dataset.name, dataset.table, error, utc_now(), utc_now()],
        )
    finally:
        con.close()


def carry_over_failed_sources(paths: WarehousePaths, run_id: str, datasets: Sequence[Dataset]) -> list[str]:
    """Last known good: every dataset of a source with a failed or quarantined load gets its last published
    table back, together (a source's datasets must agree), marked stale since its first unrefreshed publish.

    Returns the sources carried over; raises when a failed source has nothing published to fall back on.
    """
    con = connect_build(paths, run_id)
    try:
        failed = dict(
            con.execute(
                "select source, string_agg(dataset || ': ' || coalesce(error, status), '; ' order by dataset) "
                "from meta.loads where run_id = ? and status in ('failed', 'quarantined') group by source",
                [run_id],
            ).fetchall()
        )
        if not failed:
            return []
        if not paths.published.exists():
            raise LoadFailed(f"{', '.join(sorted(failed))} failed and nothing was published before to carry over")
        with storage.published_attached(con, paths.published):
            for source, reason in sorted(failed.items()):
                for dataset in (d for d in datasets if d.source == source):
                    _carry_over(con, dataset, run_id, reason)
                # Revisions and acceptances of loads that are not published are not history.
                for table in ("changes", "acceptances"):
                    con.execute(f"delete from meta.{table} where run_id = ? and source = ?", [run_id, source])
    finally:
        con.close()
    for source, reason in sorted(failed.items()):
        log.warning("%s: failed (%s); its last published tables are carried over, marked stale", source, reason)
    return sorted(failed)


def _carry_over(con: duckdb.DuckDBPyConnection, dataset: Dataset, run_id: str, reason: str) -> None:
    previous = con.execute(
        """select run_id, snapshot_id, files, bytes, rows, checks_passed, checks_total, check_results,
                  coalesce(stale_since, finished_at)
           from previous.meta.loads where source = ? and dataset = ? and status = 'published'
           order by finished_at desc limit 1""",
        [dataset.source, dataset.name],
    ).fetchone()
    if previous is None:
        raise LoadFailed(
            f"{dataset.source} failed ({reason}) and {dataset.source}/{dataset.name} was never published: "
            "nothing to carry over"
        )
    con.execute(f"create schema if not exists {sql.ident('raw_' + dataset.source)}")
    target, carried = sql.table(dataset.table), sql.table(f"previous.{dataset.table}")
    con.execute(f"create or replace table {target} as select * from {carried}")
    con.execute(
        "delete from meta.loads where run_id = ? and source = ? and dataset = ?",
        [run_id, dataset.source, dataset.name],
    )
    carried_from, snapshot_id, files, size, rows, passed, total, results, since = previous
    con.execute(
        """insert into meta.loads (run_id, source, dataset, target_table, snapshot_id, files, bytes, rows,
           unchanged, status, checks_passed, checks_total, check_results, error, started_at, finished_at,
           stale_since, carried_from_run)
           values (?, ?, ?, ?, ?, ?, ?, ?, true, 'validated', ?, ?, ?, ?, now(), now(), ?, ?)""",
        [
            run_id,
            dataset.source,
            dataset.name,
            dataset.table,
            snapshot_id,
            files,
            size,
            rows,
            passed,
            total,
            results,
            f"stale: {reason}"[:4000],
            since,
            carried_from,
        ],
    )


def quarantine(paths: WarehousePaths, run_id: str, snapshot: Snapshot, text: str) -> Path:
    return quarantine_files(paths, run_id, snapshot.source, snapshot.dataset, [f.path for f in snapshot.files], text)


def quarantine_files(
    paths: WarehousePaths,
    run_id: str,
    source: str,
    dataset: str,
    files: list[Path],
    text: str,
    details: dict | None = None,
) -> Path:
    """Keep the failed load's raw files and a readable report; the raw store itself is untouched."""
    target = paths.quarantine_dir(run_id, source, dataset)
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        destination = target / path.name
        if not destination.exists():
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)
    report = target / "report.md"
    report.write_text(f"# Quarantined load: {source}/{dataset} (run {run_id})\n\n{text}")
    if details is not None:
        (target / "report.json").write_text(json.dumps(details, indent=2, default=str))
    return report


def record_changes(
    con: duckdb.DuckDBPyConnection, paths: WarehousePaths, dataset: Dataset, snapshot_id: str, run_id: str
) -> int:
    """Rows added, removed and values changed against the published table, keyed by the dataset's grain.

    One ``meta.changes`` row per added or removed key, and one per changed cell with its old and new value
    (as text). Provenance columns are not compared: a row re-read from a new file is not a revision.
    """
    if not paths.published.exists():
        return 0
    with storage.published_attached(con, paths.published):
        schema, table = dataset.table.split(".")
        exists = con.execute(
            "select count(*) from duckdb_tables() where database_name = 'previous' and schema_name = ? "
            "and table_name = ?",
            [schema, table],
        ).fetchone()[0]
        if not exists:
            return 0
        previous_id = con.execute(
            "select snapshot_id from previous.meta.loads where source = ? and dataset = ? "
            "and status = 'published' order by finished_at desc limit 1",
            [dataset.source, dataset.name],
        ).fetchone()
        new, old = sql.table(dataset.table), sql.table(f"previous.{dataset.table}")
        keys = list(dataset.key)
        join = " and ".join(f"n.{sql.ident(k)} is not distinct from o.{sql.ident(k)}" for k in keys)

        def key_json(side: str) -> str:
            return "to_json(struct_pack(" + ", ".join(f"{sql.ident(k)} := {side}.{sql.ident(k)}" for k in keys) + "))"

        def year(side: str) -> str:
            return f'{side}."year"' if "year" in keys else "null"

        head = "select ?, ?, ?, ?, ?"
        params = [run_id, dataset.source, dataset.name, previous_id[0] if previous_id else None, snapshot_id]
        before = con.execute("select count(*) from meta.changes").fetchone()[0]
        con.execute(
            f"""insert into meta.changes {head}, {year("n")}, 'added', {key_json("n")},
                null, null, null, now()
                from {new} n where not exists (select 1 from {old} o where {join})""",
            params,
        )
        con.execute(
            f"""insert into meta.changes {head}, {year("o")}, 'removed', {key_json("o")},
                null, null, null, now()
                from {old} o where not exists (select 1 from {new} n where {join})""",
            params,
        )
        new_columns = {r[0] for r in con.execute(f"describe {new}").fetchall()}
        old_columns = {r[0] for r in con.execute(f"describe {old}").fetchall()}
        values = sorted((new_columns & old_columns) - set(keys) - set(PROVENANCE_COLUMNS))
        if values:
            # Positional aliases (old_0, new_0, ...): a column's own name may be anything.
            quoted = [sql.ident(c) for c in values]
            pairs = ", ".join(f"o.{c}::varchar as old_{i}, n.{c}::varchar as new_{i}" for i, c in enumerate(quoted))
            differs = " or ".join(f"o.{c}::varchar is distinct from n.{c}::varchar" for c in quoted)
            con.execute(
                f"""create or replace temp table changed_rows as
                    select {year("n")} as year, {key_json("n")} as key, {pairs}
                    from {new} n join {old} o on {join} where {differs}"""
            )
            for i, column in enumerate(values):
                con.execute(
                    f"""insert into meta.changes {head}, year, 'changed', key, ?, old_{i}, new_{i}, now()
                        from changed_rows where old_{i} is distinct from new_{i}""",
                    [*params, column],
                )
            con.execute("drop table changed_rows")
        return con.execute("select count(*) from meta.changes").fetchone()[0] - before
