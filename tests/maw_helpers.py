"""``maw`` run as a command, in a new process (DuckDB caches a database per path inside a process)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Self

from ingest.common.source import sha256_bytes

REPO = Path(__file__).resolve().parent.parent
MAW = [sys.executable, "-m", "orchestration.cli"]


def sha256_of(path: Path) -> str:
    """The file's sha256: a published file hashes the same before and after a refresh that published nothing."""
    return sha256_bytes(path.read_bytes())


def copy_warehouse(source: Path, target: Path) -> Path:
    """A private copy of a warehouse for a test to refresh or damage, its links kept as links; without its
    locks, build folder, quarantine, or the file a refresh set aside (the demo build sets one aside:
    tests/conftest.py, truncated_published_file)."""
    left_out = shutil.ignore_patterns("*.lock", "build", "quarantine", "damaged")
    shutil.copytree(source, target, symlinks=True, ignore=left_out)
    return target


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


@dataclass(frozen=True)
class SharedRefresh:
    """What a refresh that several tests read did. The pytest-xdist worker that ran it saves it as JSON beside
    its warehouse and every worker reads it back (its Path fields saved as text, read back as paths)."""

    warehouse: Path  # the refreshed warehouse
    returncode: int
    stdout: str
    stderr: str

    @classmethod
    def of(cls, warehouse: Path, result: subprocess.CompletedProcess, **more: Any) -> Self:
        return cls(
            warehouse=warehouse, returncode=result.returncode, stdout=result.stdout, stderr=result.stderr, **more
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}))

    @classmethod
    def load(cls, path: Path) -> Self:
        saved = json.loads(path.read_text())
        paths = {f.name for f in fields(cls) if f.type in ("Path", Path)}
        return cls(**{k: Path(v) if k in paths else v for k, v in saved.items()})
