"""``maw``: refresh, inspect and query the warehouse from a shell.

``maw refresh`` executes the Dagster job ``nightly_refresh`` in this process, so the command and the
scheduled run share one code path.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
import uuid
from pathlib import Path

import duckdb
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from ingest.common.settings import load_settings, quiet_third_party_telemetry
from orchestration.manifest import manifest_problem
from warehouse import WarehousePaths
from warehouse.process import exit_without_teardown

# Exit codes of `maw refresh` (also in the README).
EXIT_OK = 0  # everything refreshed and published
EXIT_FAILED = 1  # nothing published; the published warehouse is as it was
EXIT_USAGE = 2  # bad arguments
EXIT_PARTIAL = 3  # published, with failed sources carried over (stale) or the report left as it was
EXIT_BUSY = 75  # another refresh holds the warehouse (EX_TEMPFAIL); nothing changed

# Wide and unwrapped when not a terminal, so file paths in logs and CI output stay on one line.
console = Console(stderr=True, width=None if sys.stderr.isatty() else 200, soft_wrap=not sys.stderr.isatty())


def _configure_logging(verbose: bool) -> None:
    handler = RichHandler(console=console, show_path=False, show_time=False, markup=False)
    # Our own progress at INFO; other libraries only when something is wrong (or with --verbose).
    handler.addFilter(lambda record: verbose or record.name.startswith("maw") or record.levelno >= logging.WARNING)
    logging.basicConfig(level=logging.WARNING, handlers=[handler], format="%(message)s", force=True)
    logging.getLogger("maw").setLevel(logging.DEBUG if verbose else logging.INFO)


def refresh(args: argparse.Namespace) -> int:
    """Run the whole pipeline once and publish; non-zero exit when anything failed."""
    paths = WarehousePaths.from_env()
    if args.live:
        mode, mirror = "live", ""
    elif args.mirror:
        mode, mirror = "mirror", str(Path(args.mirror).resolve())
        if not Path(mirror).is_dir():
            console.print(f"[red]mirror directory {mirror} does not exist[/red]")
            return EXIT_USAGE
    else:
        mode, mirror = "demo", ""
    from ingest.registry import all_datasets

    known = {f"{d.source}/{d.name}" for d in all_datasets()}
    unknown = sorted(set(args.accept) - known)
    if unknown:
        console.print(f"[red]--accept names no dataset: {', '.join(unknown)}[/red] (known: {', '.join(sorted(known))})")
        return EXIT_USAGE
    try:
        shrink, grow = (abs(float(part)) / 100 for part in args.row_tolerance.split(","))
    except ValueError:
        console.print(f"[red]--row-tolerance {args.row_tolerance!r}: expected two percentages, e.g. -10,+50[/red]")
        return EXIT_USAGE
    console.print(
        f"[bold]maw refresh[/bold]: sources from {mode}{' ' + mirror if mirror else ''}, warehouse {paths.root}"
    )
    from warehouse.publish import RefreshBusy, recover, refresh_lock

    try:
        with refresh_lock(paths, wait=args.wait):
            for note in recover(paths):
                logging.getLogger("maw.recover").warning("%s", note)
            return _run(args, paths, mode, mirror, shrink, grow)
    except RefreshBusy as exc:
        console.print(f"[bold yellow]{exc}[/bold yellow]", highlight=False)
        return EXIT_BUSY
    except (OSError, duckdb.Error) as exc:
        # read-only directory, full disk (from Python or from DuckDB): say what and where, no traceback
        if isinstance(exc, duckdb.Error) and not _is_write_failure(exc):
            raise
        where = getattr(exc, "filename", None) or paths.root
        console.print(
            f"[bold red]Refresh stopped: cannot write {where}: {getattr(exc, 'strerror', None) or exc}.[/bold red] "
            f"The published warehouse is untouched: {paths.published}",
            highlight=False,
        )
        return EXIT_FAILED


def _is_write_failure(exc: duckdb.Error) -> bool:
    """DuckDB reports a full disk or a read-only file system in its own exception types."""
    return any(s in str(exc) for s in ("No space left on device", "Read-only file system", "Could not write file"))


def _run(args: argparse.Namespace, paths: WarehousePaths, mode: str, mirror: str, shrink: float, grow: float) -> int:
    started = time.perf_counter()
    stale = manifest_problem()
    if stale:
        console.print(f"[red]{stale}[/red] (the Dagster asset graph is read from it)", highlight=False)
        return 2
    # Decide what to do before Dagster and dbt are imported, so a refresh with nothing to do stays fast.
    from ingest.registry import all_datasets
    from orchestration import dbt_runner
    from warehouse import check_worker, incremental, refresh_log, storage

    run_id = str(uuid.uuid4())
    plan = incremental.make_plan(
        paths, incremental.source_context(mode, mirror, load_settings()), all_datasets(), run_id, args.full
    )
    stages = {"plan": time.perf_counter() - started}
    if plan.nothing_to_do:
        stages["total"] = time.perf_counter() - started
        record = {"run_id": None, "outcome": "unchanged", "mode": mode, "publish_id": plan.published_id}
        refresh_log.append(paths, {**record, "datasets": len(plan.carried), "seconds": stages})
        console.print(
            f"Nothing changed: all {len(plan.carried)} datasets and the dbt project match the fingerprints of "
            f"publish {plan.published_id}; nothing validated, built or published ({stages['total']:.1f} s)."
        )
        return 0
    logging.getLogger("maw").info("plan: %s", plan.describe())
    incremental.start_build(paths, plan)
    if plan.changed:
        check_worker.start()  # imports Great Expectations while this process imports Dagster
    dbt_runner.start(dbt_runner.project_for(paths))  # imports dbt and parses the project meanwhile

    from dagster import DagsterEventType

    from orchestration.definitions import defs
    from warehouse.publish import discard_build

    job = defs.resolve_job_def("nightly_refresh")
    run_config = {
        "resources": {
            "sources": {"config": {"mode": mode, "mirror_dir": mirror}},
            "warehouse": {
                "config": {
                    "root": str(paths.root),
                    "accept": list(args.accept),
                    "row_shrink_tolerance": shrink,
                    "row_growth_tolerance": grow,
                    "strict": bool(args.strict),
                }
            },
        },
        "loggers": {"console": {"config": {"log_level": "DEBUG" if args.verbose else "CRITICAL"}}},
    }
    log_file = paths.root / "logs" / f"refresh-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("maw").info("running fetch -> land -> parse -> check -> dbt build -> publish (log: %s)", log_file)
    stages["startup"] = time.perf_counter() - started - stages["plan"]
    try:
        with log_file.open("w") as log_handle, contextlib.redirect_stdout(log_handle):
            result = job.execute_in_process(
                run_config=run_config, raise_on_error=False, run_id=run_id, asset_selection=_selection(defs, plan)
            )
    finally:
        storage.release()  # a run that stopped before its dbt step leaves its build database open here
        incremental.discard_plan(paths, run_id)
        check_worker.stop()
        dbt_runner.stop()  # a run that stopped before its dbt step
    stages.update(_step_seconds(result.all_events))
    stages["total"] = time.perf_counter() - started
    outcome = {"run_id": run_id, "outcome": "published" if result.success else "failed", "mode": mode}
    refresh_log.append(paths, {**outcome, "plan": plan.describe(), "seconds": stages})
    problems, failed_steps = [], set()
    for event in result.all_events:
        if event.event_type == DagsterEventType.STEP_FAILURE and event.step_failure_data:
            failed_steps.add(event.step_key)
            problems.append(f"{event.step_key}: {_root_cause(event.step_failure_data.error)}")
        if event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation is not None and not evaluation.passed:
                problems.append(f"{evaluation.asset_key.to_user_string()}: {evaluation.description or 'check failed'}")
    if not result.success and failed_steps == {"report"}:  # published; only the report after it failed
        _print_summary(paths, result.run_id, time.perf_counter() - started)
        console.print("[bold red]Report build failed[/bold red]; the warehouse was published, the old report kept.")
        for problem in dict.fromkeys(problems):
            console.print(problem, markup=False, highlight=False)
        return EXIT_PARTIAL
    if not result.success:
        try:
            kept = discard_build(paths, result.run_id)
        except OSError:
            kept = None
        console.print("[bold red]Refresh failed; nothing was published.[/bold red]")
        for problem in dict.fromkeys(problems):
            console.print(problem, markup=False, highlight=False)
        dbt_failures = [
            line.strip()
            for line in log_file.read_text().splitlines()
            if " FAIL " in line or " ERROR " in line or line.lstrip().startswith(("Failure in", "Database Error"))
        ]
        for line in dbt_failures[:30]:
            console.print(f"dbt: {line}", markup=False, highlight=False)
        console.print(f"Full log: {log_file}")
        console.print(f"Published warehouse left as it was: {paths.published}")
        if kept:
            console.print(f"Failed build kept for inspection: {kept}")
        return EXIT_FAILED
    stale = _print_summary(paths, result.run_id, time.perf_counter() - started)
    return EXIT_PARTIAL if stale else EXIT_OK


def _selection(defs, plan) -> list | None:
    """The assets this run has to materialise: everything on a full rebuild, else the changed datasets and
    what is downstream of them, and the models reading this run's meta.loads (mart_lineage names each
    dataset's snapshot, so it changes with any load); every dbt model when the dbt project itself changed."""
    if plan.full:
        return None
    from dagster import AssetKey, AssetSelection

    from orchestration.assets import dataset_key

    graph = defs.resolve_asset_graph()
    if plan.dbt_changed:
        carried = {dataset_key(d) for d in plan.carried}
        return sorted(graph.materializable_asset_keys - carried)  # not meta/loads, which dbt only reads
    changed = AssetSelection.assets(*(dataset_key(d) for d in plan.changed)).downstream()
    reading_loads = AssetSelection.assets(AssetKey(["meta", "loads"])).downstream(include_self=False)
    return sorted((changed | reading_loads).resolve(graph))


def _step_seconds(events) -> dict[str, float]:
    """Seconds per stage summed over Dagster steps: ingest (fetch, parse, load), check, dbt, publish, report."""
    from dagster import DagsterEventType

    stages: dict[str, float] = {}
    for event in events:
        if event.event_type not in {DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE}:
            continue
        duration = getattr(event.event_specific_data, "duration_ms", None) or 0
        key = event.step_key or ""
        stage = {"dbt_models": "dbt", "published_warehouse": "publish", "report": "report"}.get(key)
        stage = stage or ("check" if key.endswith("expectations") else "ingest")
        stages[stage] = stages.get(stage, 0.0) + duration / 1000
    return stages


def _root_cause(error) -> str:
    """The message our own code raised (which names file, row and field), else the innermost error:
    Dagster wraps what a step raised in its own errors, and library errors sit below ours."""
    innermost = error
    while error is not None:
        if error.cls_name in {"LoadFailed", "Failure", "IngestError", "ParseError", "FetchError"}:
            return error.message.strip()
        innermost, error = error, error.cause
    return innermost.message.strip()


def _print_summary(paths: WarehousePaths, run_id: str, seconds: float) -> list[str]:
    """Print what this run published; returns the sources that are stale (carried over)."""
    with duckdb.connect(str(paths.published), read_only=True) as con:
        loads = con.execute(
            """select source, dataset, rows, unchanged, checks_passed, checks_total,
                      fetch_seconds, parse_seconds, load_seconds, validate_seconds, stale_since::varchar
               from meta.loads where run_id = ? order by source, dataset""",
            [run_id],
        ).fetchall()
        stale = con.execute(
            """select source, min(stale_since)::varchar, any_value(error) from meta.loads
               where run_id = ? and stale_since is not null group by source order by source""",
            [run_id],
        ).fetchall()
        marts = con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    table = Table(title="Loads", show_lines=False)
    for column in ("source/dataset", "rows", "checks", "fetch s", "parse s", "load s", "check s", "note"):
        table.add_column(column, justify="right" if column not in {"source/dataset", "note"} else "left")
    for source, dataset, rows, unchanged, passed, total, f, p, load_s, v, stale_since in loads:
        table.add_row(
            f"{source}/{dataset}",
            f"{rows:,}",
            f"{passed}/{total}",
            *(f"{x or 0:.1f}" for x in (f, p, load_s, v)),
            f"STALE since {stale_since}" if stale_since else "unchanged, reused" if unchanged else "",
        )
    out = Console(width=None if sys.stdout.isatty() else 140)
    out.print(table)
    out.print(f"Marts: {', '.join(f'marts.{name}' for name, _ in marts)}")
    if stale:
        out.print(
            f"[bold yellow]Published with stale sources[/bold yellow] {paths.published} in {seconds:.0f} s "
            f"(run {run_id[:8]}); exit code {EXIT_PARTIAL}. Carried over from the last publish:"
        )
        for source, since, error in stale:
            out.print(f"  {source}: stale since {since}: {error}", markup=False, highlight=False)
        out.print("Fix the source and refresh again; maw refresh --strict publishes all or nothing.")
        return [source for source, *_ in stale]
    out.print(f"[green]Published[/green] {paths.published} in {seconds:.0f} s (run {run_id[:8]}).")
    if (paths.root / "report" / "index.html").exists():
        out.print(f"Report: {paths.root / 'report' / 'index.html'} (maw report --serve 8000)")
    out.print("Query it: maw sql \"select * from marts.country_year where iso3 = 'JOR' order by year\"")
    return []


def status(_args: argparse.Namespace) -> int:
    """What is published: when, from which raw snapshots, with which checks and revisions."""
    paths = WarehousePaths.from_env()
    if not paths.published.exists():
        console.print(f"Nothing published yet at {paths.published}. Run: maw refresh")
        return 1
    out = Console(width=None if sys.stdout.isatty() else 140)
    with duckdb.connect(str(paths.published), read_only=True) as con:
        publish = con.execute(
            "select publish_id, run_id, mode, published_at, checks_passed, checks_total from meta.publish "
            "order by published_at desc limit 1"
        ).fetchone()
        publish_id, run_id, mode, published_at, passed, total = publish
        out.print(f"[bold]{paths.published}[/bold]")
        out.print(
            f"Published {published_at} (publish {publish_id}, run {run_id[:8]}, sources: {mode}); "
            f"checks {passed}/{total} passed"
        )
        table = Table(title="Raw snapshots behind this publish")
        for column in ("source/dataset", "rows", "checks", "snapshot", "files", "retrieved", "origin", "stale since"):
            table.add_column(column)
        rows = con.execute(
            """select l.source || '/' || l.dataset, l.rows, l.checks_passed || '/' || l.checks_total,
                      left(l.snapshot_id, 12), l.files, max(s.retrieved_at)::varchar, min(s.origin),
                      l.stale_since::varchar
               from meta.loads l left join meta.snapshots s using (snapshot_id)
               where l.run_id = ? group by all order by 1""",
            [run_id],
        ).fetchall()
        for name, count, checks, snap, files, retrieved, origin, since in rows:
            table.add_row(name, f"{count:,}", checks, snap, str(files), retrieved or "", origin or "", since or "")
        out.print(table)
        stale = con.execute(
            """select source, min(stale_since)::varchar, any_value(error) from meta.loads
               where run_id = ? and stale_since is not null group by source order by source""",
            [run_id],
        ).fetchall()
        for source, since, error in stale:
            out.print(
                f"[bold yellow]STALE[/bold yellow] {source}: not refreshed since {since} ({escape(error or '')})",
                highlight=False,
            )
        if not stale:
            out.print("Every source was refreshed in this publish.")
        changes = con.execute(
            """select source || '/' || dataset, change, count(*), min(year), max(year)
               from meta.changes where run_id = ? group by all order by 1, 2""",
            [run_id],
        ).fetchall()
        if changes:
            revisions = Table(title="Revisions against the previous publish (meta.changes)")
            for column in ("source/dataset", "change", "rows", "first year", "last year"):
                revisions.add_column(column)
            for row in changes:
                revisions.add_row(*(str(x) for x in row))
            out.print(revisions)
        else:
            out.print("No revisions recorded against the previous publish.")
        history = con.execute("select count(*) from meta.publish").fetchone()[0]
        out.print(f"{history} publish(es) recorded in meta.publish.")
    return 0


def sql(args: argparse.Namespace) -> int:
    """Run a query against the published warehouse, read-only."""
    paths = WarehousePaths.from_env()
    if not paths.published.exists():
        console.print(f"Nothing published yet at {paths.published}. Run: maw refresh")
        return 1
    with duckdb.connect(str(paths.published), read_only=True) as con:
        try:
            relation = con.sql(args.query)
        except duckdb.Error as exc:
            console.print(f"[red]{exc}[/red]")
            return 1
        if relation is None:
            return 0
        if args.format == "json":
            frame = relation.pl()
            print(json.dumps(frame.to_dicts(), default=str, indent=1))
        elif args.format == "csv":
            sys.stdout.write(relation.pl().write_csv())
        else:
            relation.show(max_rows=args.max_rows, max_width=10_000)
    return 0


def report(args: argparse.Namespace) -> int:
    """Print the path of the static report; --build rebuilds it, --serve PORT serves it on 127.0.0.1."""
    from report.commands import report_command

    paths = WarehousePaths.from_env()
    return report_command(paths.root, paths.published, build=args.build, serve=args.serve)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    code = args.func(args)
    if args.command == "refresh":
        exit_without_teardown(code)  # warehouse/process.py
    return code


def _parse(argv: list[str] | None) -> argparse.Namespace:
    quiet_third_party_telemetry()
    parser = argparse.ArgumentParser(prog="maw", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="show Dagster and dbt logs")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("refresh", help="run the pipeline once and publish the warehouse")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--mirror", metavar="DIR", help="read sources from a directory laid out like ../shared/data")
    where.add_argument("--live", action="store_true", help="call the live APIs")
    run.add_argument("--full", action="store_true", help="rebuild everything, even what did not change")
    run.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="SOURCE/DATASET",
        help="accept a row-count change beyond the tolerance for this dataset in this run (recorded in meta)",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="all or nothing: a failed source fails the refresh instead of being carried over (stale)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another refresh holds the warehouse, wait this long for it instead of exiting (code 75)",
    )
    run.add_argument(
        "--row-tolerance",
        default="-10,+50",
        metavar="SHRINK,GROW",
        help="allowed row-count change against the last publish, in percent (default -10,+50)",
    )
    run.set_defaults(func=refresh)
    commands.add_parser("status", help="what is published").set_defaults(func=status)
    query = commands.add_parser("sql", help="query the published warehouse read-only")
    query.add_argument("query")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--max-rows", type=int, default=100)
    query.set_defaults(func=sql)
    site = commands.add_parser("report", help="print the path of the static report (or --build, --serve it)")
    site.add_argument("--build", action="store_true", help="rebuild it from the published warehouse first")
    site.add_argument("--serve", type=int, metavar="PORT", help="serve it on 127.0.0.1:PORT (0: a free port)")
    site.set_defaults(func=report)
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    return args


if __name__ == "__main__":
    sys.exit(main())
