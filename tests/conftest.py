"""Shared fixtures: the real snapshots in ../shared/data (skipped when absent), refreshes run in a
separate process (DuckDB caches a database per path inside a process), and a local fake HTTP server."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from tests.maw_helpers import REPO, SharedRefresh, run_maw
from tests.refused_refresh import RefusedRefresh, run_refused_refresh
from tests.revised_refresh import RevisedRefresh, run_revised_refresh
from tests.watched_refresh import WatchedRefresh, run_watched_refresh
from warehouse import BUILD_NAME, DBT_BUILD_DB

SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()
DEMO_MIRROR = REPO / "demo_mirror"
Shared = TypeVar("Shared", bound=SharedRefresh)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the real-snapshot build run first. With pytest-xdist, the worker given them builds
    it (a minute) while the other builds the demo warehouse, instead of waiting for the demo build to finish."""
    items.sort(key=lambda item: "shared_warehouse" not in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real source snapshots; tests that need them skip when ../shared/data is absent."""
    if not (SHARED_DATA / "unhcr" / "population.csv.gz").exists():
        pytest.skip(f"real snapshots not found at {SHARED_DATA} (../shared/data beside the project)")
    return SHARED_DATA


@dataclass(frozen=True)
class DbtRun:
    """What one dbt command in this process said: its exit code as the CLI would give it, and its log lines."""

    returncode: int
    stdout: str


def run_dbt(
    command: str,
    database: Path,
    work: Path,
    *selection: str,
    unit_tests: bool = False,
    project: Path = REPO / "dbt_project",
) -> tuple[DbtRun, list]:
    """Run one dbt command of the project (or of an edited copy, ``project``) against ``database``, a file named
    build.duckdb (not a refresh: only the selected nodes), and return what it said and its run results. Unit
    tests are left out unless asked for.

    dbt runs in this process through ``invoke``, as the refresh's dbt worker runs it: it starts in ``work`` and
    reaches the file through the link ``work/current``, so its profile is the pipeline's and it starts from the
    parse cache of `make manifest` instead of parsing all."""
    assert database.name == BUILD_NAME, f"dbt's database is named after its file: call it {BUILD_NAME}"
    from orchestration.dbt_runner import invoke, start_from_parse_cache  # imports dbt: only where dbt runs

    target = work / "target"
    start_from_parse_cache(project, target)
    link = work / DBT_BUILD_DB.parent
    link.symlink_to(database.parent.resolve(), target_is_directory=True)
    said: list[str] = []

    def keep_said(event) -> None:  # what the console shows: not dbt's debug events (every statement it runs)
        if event.info.level != "debug":
            said.append(event.info.msg)

    command_line = [
        command, *selection,
        *([] if unit_tests else ["--exclude-resource-type", "unit_test"]),
        "--project-dir", str(project), "--profiles-dir", str(project),
        "--target-path", str(target), "--log-path", str(work / "logs"), "--no-write-json", "--no-use-colors",
    ]  # fmt: skip
    with mock.patch.dict(os.environ, {"MAW_BUILD_DB": str(DBT_BUILD_DB)}):
        outcome = invoke(command_line, work, target, callbacks=[keep_said])
    link.unlink()
    run = DbtRun(returncode=0 if outcome.success else 1, stdout="\n".join(said))
    return run, json.loads((target / "run_results.json").read_text())["results"]


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Read the published file from a fresh process, so DuckDB's per-process cache cannot hide a publish."""
    code = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(json.dumps(con.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall(), default=str))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(database), sql, json.dumps(params or [])],
        capture_output=True,
        text=True,
        check=True,
    )
    return [tuple(row) for row in json.loads(out.stdout)]


def _build_once(tmp_factory, name: str, done: str, build: Callable[[Path], None]) -> Path:
    """Run ``build`` into a folder once per test run, shared by the pytest-xdist workers too (they share the
    parent of their base temporary directory): the first worker to need it builds it, the others wait for it.
    The folder is built when it holds no file ``done``."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_factory.mktemp(name)
    else:
        folder = tmp_factory.getbasetemp().parent / name
    with open(folder.parent / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / done).exists():
            folder.mkdir(exist_ok=True)
            build(folder)
    return folder


def _refresh_once(tmp_factory, name: str, *args: str, before: Callable[[Path], None] | None = None) -> Path:
    """A warehouse refreshed once per test run; what the refresh printed is kept beside it, in ``<name>.out``.
    ``before`` prepares the empty warehouse folder."""

    def refresh(warehouse: Path) -> None:
        if before is not None:
            before(warehouse)
        result = run_maw("refresh", *args, warehouse=warehouse)
        assert result.returncode == 0, f"refresh failed:\n{result.stdout}\n{result.stderr}"
        refresh_output(warehouse).write_text(result.stdout + result.stderr)

    return _build_once(tmp_factory, name, "migration.duckdb", refresh)


def refresh_output(warehouse: Path) -> Path:
    """Where ``_refresh_once`` keeps what the refresh of ``warehouse`` printed."""
    return warehouse.with_name(f"{warehouse.name}.out")


def truncated_published_file(warehouse: Path) -> None:
    """A published file cut in half, as a crash during a copy leaves it. A refresh sets it aside and rebuilds
    everything, which on a folder that has never been refreshed is the whole of a first refresh: so the one
    demo build also shows it (tests/faults/test_fault_refresh.py reads what it printed)."""
    warehouse.mkdir(parents=True, exist_ok=True)
    database = warehouse / "migration.duckdb"
    with duckdb.connect(str(database)) as con:  # a mart, then the publish record: the half cut off holds it
        con.execute("create schema marts")
        mart = "select range as year, 7 * range as refugees from range(2000000)"
        con.execute(f"create table marts.country_year as {mart}")
        con.execute("create schema meta")
        publish = "select 'p' || range as publish_id, now() as published_at from range(3)"
        con.execute(f"create table meta.publish as {publish}")
    content = database.read_bytes()
    database.write_bytes(content[: len(content) // 2])


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """A warehouse refreshed once from the demo mirror that ships in the repo, in a folder whose published
    file was truncated (``truncated_published_file``): set aside under ``damaged/``, it changes nothing else."""
    return _refresh_once(tmp_path_factory, "demo-warehouse", before=truncated_published_file)


@pytest.fixture(scope="session")
def shared_warehouse(tmp_path_factory, shared_data: Path) -> Path:
    """A warehouse refreshed once from the real snapshots in ../shared/data."""
    return _refresh_once(tmp_path_factory, "shared-warehouse", "--mirror", str(shared_data))


def _shared_refresh(tmp_factory, name: str, kind: type[Shared], run: Callable[[Path], Shared]) -> Shared:
    """A refresh several tests read, run once per test run by ``run`` in a folder of its own; what it did is
    saved there as JSON, for every pytest-xdist worker to read."""
    result = f"{name}.json"
    folder = _build_once(tmp_factory, name, result, lambda work: run(work).save(work / result))
    return kind.load(folder / result)


@pytest.fixture(scope="session")
def watched_refresh(tmp_path_factory, demo_warehouse: Path) -> WatchedRefresh:
    """A copy of the demo warehouse refreshed once from a mirror with one changed file while two readers
    read its published file (tests/watched_refresh.py)."""
    run = partial(run_watched_refresh, demo_warehouse, DEMO_MIRROR)
    return _shared_refresh(tmp_path_factory, "watched-refresh", WatchedRefresh, run)


@pytest.fixture(scope="session")
def refused_refresh(tmp_path_factory, demo_warehouse: Path) -> RefusedRefresh:
    """A copy of the demo warehouse refreshed once, strictly, from a mirror with a fault in each of six
    datasets (tests/refused_refresh.py)."""
    run = partial(run_refused_refresh, demo_warehouse, DEMO_MIRROR)
    return _shared_refresh(tmp_path_factory, "refused-refresh", RefusedRefresh, run)


@pytest.fixture(scope="session")
def revised_refresh(tmp_path_factory, demo_warehouse: Path) -> RevisedRefresh:
    """A copy of the demo warehouse refreshed once from a mirror with revised UNHCR files and no IOM folder
    (tests/revised_refresh.py)."""
    run = partial(run_revised_refresh, demo_warehouse, DEMO_MIRROR)
    return _shared_refresh(tmp_path_factory, "revised-refresh", RevisedRefresh, run)


@pytest.fixture
def mirror_copy(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a mirror directory so a test can damage it."""

    def copy(source: Path) -> Path:
        target = tmp_path / "mirror"
        shutil.copytree(source, target)
        return target

    return copy


def connect_published(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse / "migration.duckdb"), read_only=True)


# --- a fake HTTP server on 127.0.0.1 -------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (for timeouts)
    truncate_to: int | None = None  # send only this many bytes of body while declaring the full length
    drip: float = 0.0  # seconds between single bytes of the body (a server that never quite stalls)


Handler = Callable[[str, dict[str, list[str]], dict[str, str]], Reply]


@dataclass
class FakeServer:
    url: str
    routes: dict[str, Handler]
    requests: list[tuple[str, dict[str, list[str]], dict[str, str]]]


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A threaded HTTP server: tests put handlers in ``routes`` by path and read ``requests``."""
    routes: dict[str, Handler] = {}
    seen: list = []

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = parse_qs(parts.query)
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen.append((parts.path, params, headers))
            handler = routes.get(parts.path) or routes.get(parts.path.rstrip("/") + "/")
            reply = handler(parts.path, params, headers) if handler else Reply(404, b"<html>not found</html>")
            if reply.delay:
                threading.Event().wait(reply.delay)
            body = reply.body
            self.send_response(reply.status)
            for key, value in {"Content-Type": "application/json", **reply.headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                if reply.drip:
                    for index in range(len(body)):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        threading.Event().wait(reply.drip)
                else:
                    self.wfile.write(body if reply.truncate_to is None else body[: reply.truncate_to])

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    # serve_forever looks for shutdown() every poll_interval: its default 0.5 s kept each test waiting that long
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield FakeServer(url=f"http://127.0.0.1:{server.server_address[1]}", routes=routes, requests=seen)
    finally:
        server.shutdown()
        server.server_close()
