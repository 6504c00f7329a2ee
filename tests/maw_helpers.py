"""``maw`` run as a command, in a new process (DuckDB caches a database per path inside a process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAW = [sys.executable, "-m", "orchestration.cli"]


def run_maw(*args: str, warehouse: Path, env: dict[str, str] | None = None, timeout: int = 900):
    """Run ``maw`` in a new process, as a person or the scheduler would."""
    environment = {
        **os.environ,
        "MAW_WAREHOUSE_DIR": str(warehouse),
        "GX_ANALYTICS_ENABLED": "false",
        **(env or {}),
    }
    return subprocess.run(
        [*MAW, *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=timeout, check=False
    )
