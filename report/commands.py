"""``maw report``: where the report is, rebuilding it from the published file, serving it on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from report.site import ReportError, build_report, report_dir


def report_command(warehouse_root: Path, published: Path, build: bool = False, serve: int | None = None) -> int:
    """Print the path of the report's index (stdout); ``build`` rebuilds it first, ``serve`` serves it."""
    site = report_dir(warehouse_root)
    if build:
        try:
            result = build_report(published, site)
        except ReportError as exc:
            print(f"report build failed: {exc}", file=sys.stderr)
            return 1
        print(
            f"built {result.pages} pages, {result.charts} charts ({result.reused} unchanged, reused) "
            f"in {result.seconds:.1f} s",
            file=sys.stderr,
        )
    index = site / "index.html"
    if not index.exists():
        print(f"no report at {site}: run `maw refresh`, or `maw report --build`", file=sys.stderr)
        return 1
    print(index, flush=True)
    if serve is not None:
        serve_site(site, serve)
    return 0


def serve_site(folder: Path, port: int) -> None:
    """Serve ``folder`` on 127.0.0.1 only (port 0: any free port) until interrupted or terminated.

    SIGTERM stops it as Ctrl-C does, set here explicitly: a process started with SIGTERM ignored (which the
    ignore is inherited through) would otherwise outlive a service manager's or a test's terminate."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {folder} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
