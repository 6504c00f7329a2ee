"""The Dagster definitions as text: every asset key, asset check, job and schedule, one a line, sorted.

``tests/test_definitions.py`` compares it with the checked-in ``tests/snapshots/definitions.txt``; after a
deliberate change (a dataset, a dbt model or test added), rewrite it and review the diff:

    .venv/bin/python -m tests.definitions_snapshot --write
"""

from __future__ import annotations

import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "definitions.txt"


def current() -> str:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    assets = sorted(f"asset {key.to_user_string()}" for key in graph.get_all_asset_keys())
    checks = sorted(f"check {key.asset_key.to_user_string()} {key.name}" for key in graph.asset_check_keys)
    jobs = sorted(f"job {job.name}" for job in defs.resolve_all_job_defs() if not job.name.startswith("__"))
    schedules = sorted(
        f"schedule {s.name} {s.cron_schedule} {s.execution_timezone} -> {s.job_name}" for s in defs.schedules or []
    )
    return "\n".join([*assets, *checks, *jobs, *schedules]) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        SNAPSHOT.write_text(current())
        print(f"wrote {SNAPSHOT}")
    else:
        sys.stdout.write(current())
