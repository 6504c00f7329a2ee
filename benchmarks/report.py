"""Report benchmark: seconds to build the static site from a published warehouse, printed; asserts nothing.

Builds the report of each published file given (default: warehouse/migration.duckdb) three times, each
in a fresh process into a temporary folder, and prints pages, charts, wall and CPU seconds of that cold
build (the budget is 10 s for the real snapshot; CPU seconds show the work when other jobs share the cores),
then of a second build over it, which reuses every unchanged chart as a refresh does.

    .venv/bin/python benchmarks/report.py [path/to/migration.duckdb ...]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 3

CHILD = """
import json, os, sys
from pathlib import Path
from report.site import build_report
def cpu():  # this process's
    t = os.times()
    return t.user + t.system
start = cpu()
result = build_report(Path(sys.argv[1]), Path(sys.argv[2]))
cold_cpu = cpu() - start
warm = build_report(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps([result.mode, result.pages, result.charts, result.seconds, cold_cpu, warm.seconds]))
"""


def measure(database: Path) -> None:
    runs = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory(prefix="maw-report-bench-") as folder:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(database), str(Path(folder) / "report")],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout))
    mode, pages, charts = runs[0][:3]
    wall = [r[3] for r in runs]
    cpu = [r[4] for r in runs]
    warm = [r[5] for r in runs]
    print(
        f"{str(database)[-48:]:48} {mode:7} {pages:6} {charts:6} {min(wall):6.2f} {statistics.median(wall):6.2f} "
        f"{statistics.median(cpu):6.2f} {1000 * statistics.median(cpu) / max(charts, 1):9.1f} "
        f"{statistics.median(warm):6.2f} {statistics.median(wall) / statistics.median(warm):6.1f}"
    )


def main(argv: list[str]) -> None:
    databases = [Path(a) for a in argv] or [REPO / "warehouse" / "migration.duckdb"]
    print(f"report build, {RUNS} runs each (budget: 10 s for the real snapshot)")
    columns = ("pages", "charts", "min s", "med s", "cpu s", "cpu ms/ch", "warm s", "cold/warm")
    print(f"{'published file':48} {'mode':7} " + " ".join(f"{c:>{max(6, len(c))}}" for c in columns))
    for database in databases:
        if database.exists():
            measure(database)
        else:
            print(f"{database}: not published (run `maw refresh` first)")


if __name__ == "__main__":
    main(sys.argv[1:])
