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
from pathlib import Path

import duckdb
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

from warehouse import WarehousePaths

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
            return 2
    else:
        mode, mirror = "demo", ""
    console.print(
        f"[bold]maw refresh[/bold]: sources from {mode}{' ' + mirror if mirror else ''}, warehouse {paths.root}"
    )
    started = time.perf_counter()

    from dagster import DagsterEventType

    from orchestration.definitions import defs
    from warehouse.publish import discard_build

    job = defs.resolve_job_def("nightly_refresh")
    run_config = {
        "resources": {
            "sources": {"config": {"mode": mode, "mirror_dir": mirror}},
            "warehouse": {"config": {"root": str(paths.root)}},
        },
        "loggers": {"console": {"config": {"log_level": "DEBUG" if args.verbose else "CRITICAL"}}},
    }
    log_file = paths.root / "logs" / f"refresh-{time.strftime('%Y%m%dT%H%M%S')}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("maw").info("running fetch -> land -> parse -> check -> dbt build -> publish (log: %s)", log_file)
    with log_file.open("w") as log_handle, contextlib.redirect_stdout(log_handle):
        result = job.execute_in_process(run_config=run_config, raise_on_error=False)
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
        return 1
    if not result.success:
        kept = discard_build(paths, result.run_id)
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
        return 1
    _print_summary(paths, result.run_id, time.perf_counter() - started)
    return 0


def _root_cause(error) -> str:
    """The message our own code raised (which names file, row and field), else the innermost error:
    Dagster wraps what a step raised in its own errors, and library errors sit below ours."""
    innermost = error
    while error is not None:
        if error.cls_name in {"LoadFailed", "Failure", "IngestError", "ParseError", "FetchError"}:
            return error.message.strip()
        innermost, error = error, error.cause
    return innermost.message.strip()


def _print_summary(paths: WarehousePaths, run_id: str, seconds: float) -> None:
    with duckdb.connect(str(paths.published), read_only=True) as con:
        loads = con.execute(
            """select source, dataset, rows, unchanged, checks_passed, checks_total,
                      fetch_seconds, parse_seconds, load_seconds, validate_seconds
               from meta.loads where run_id = ? order by source, dataset""",
            [run_id],
        ).fetchall()
        marts = con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    table = Table(title="Loads", show_lines=False)
    for column in ("source/dataset", "rows", "checks", "fetch s", "parse s", "load s", "check s", "note"):
        table.add_column(column, justify="right" if column not in {"source/dataset", "note"} else "left")
    for source, dataset, rows, unchanged, passed, total, f, p, load_s, v in loads:
        table.add_row(
            f"{source}/{dataset}",
            f"{rows:,}",
            f"{passed}/{total}",
            *(f"{x or 0:.1f}" for x in (f, p, load_s, v)),
            "unchanged, reused" if unchanged else "",
        )
    out = Console(width=None if sys.stdout.isatty() else 140)
    out.print(table)
    out.print(f"Marts: {', '.join(f'marts.{name}' for name, _ in marts)}")
    out.print(f"[green]Published[/green] {paths.published} in {seconds:.0f} s (run {run_id[:8]}).")
    if (paths.root / "report" / "index.html").exists():
        out.print(f"Report: {paths.root / 'report' / 'index.html'} (maw report --serve 8000)")
    out.print("Query it: maw sql \"select * from marts.country_year where iso3 = 'JOR' order by year\"")


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
        for column in ("source/dataset", "rows", "checks", "snapshot", "files", "retrieved", "origin"):
            table.add_column(column)
        rows = con.execute(
            """select l.source || '/' || l.dataset, l.rows, l.checks_passed || '/' || l.checks_total,
                      left(l.snapshot_id, 12), l.files, max(s.retrieved_at)::varchar, min(s.origin)
               from meta.loads l left join meta.snapshots s using (snapshot_id)
               where l.run_id = ? group by all order by 1""",
            [run_id],
        ).fetchall()
        for name, count, checks, snap, files, retrieved, origin in rows:
            table.add_row(name, f"{count:,}", checks, snap, str(files), retrieved or "", origin or "")
        out.print(table)
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
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    parser = argparse.ArgumentParser(prog="maw", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="show Dagster and dbt logs")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("refresh", help="run the pipeline once and publish the warehouse")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--mirror", metavar="DIR", help="read sources from a directory laid out like ../shared/data")
    where.add_argument("--live", action="store_true", help="call the live APIs")
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
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
