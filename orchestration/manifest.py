"""Is dbt's manifest (what the Dagster asset graph is built from) as new as the dbt files it was parsed from?

``make manifest`` writes it; under ``dagster dev`` :func:`parse_if_dev` writes it again when it is stale. A run
outside ``dagster dev`` (``maw refresh``, tests, CI) calls :func:`manifest_problem` first and refuses to
start on a missing or stale manifest instead of running models that are not the ones on disk.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ingest.common.settings import environment_for_dbt_parse, under_dagster_dev

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
INPUT_FOLDERS = ("models", "macros", "tests", "seeds")
INPUT_SUFFIXES = {".sql", ".yml", ".yaml", ".csv"}


def dbt_inputs(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """The files a ``dbt parse`` reads (the same list the Makefile's ``manifest`` target depends on)."""
    files = [
        path
        for folder in INPUT_FOLDERS
        for path in (project_dir / folder).rglob("*")
        if path.suffix in INPUT_SUFFIXES and path.is_file()
    ]
    # profiles.yml too: dbt keys its partial-parse cache on the profile, so its cache must be parsed again
    return [*files, project_dir / "dbt_project.yml", project_dir / "profiles.yml"]


def manifest_problem(project_dir: Path = DBT_PROJECT_DIR, manifest: Path = MANIFEST) -> str | None:
    """A sentence saying what is wrong with the manifest and how to fix it, or None when it is fresh."""
    if not manifest.is_file():
        return f"the dbt manifest {manifest} is missing: run `make manifest`"
    built = manifest.stat().st_mtime
    newer = sorted(
        str(path.relative_to(project_dir)) for path in dbt_inputs(project_dir) if path.stat().st_mtime > built
    )
    if newer:
        shown = ", ".join(newer[:3]) + (f" and {len(newer) - 3} more" if len(newer) > 3 else "")
        return f"the dbt manifest {manifest} is older than {shown}: run `make manifest`"
    return None


def parse_if_dev(project_dir: Path = DBT_PROJECT_DIR, manifest: Path = MANIFEST) -> None:
    """Under ``dagster dev`` (``DAGSTER_IS_DEV_CLI``), parse a project whose manifest is stale, as
    ``make manifest`` does, so the asset graph shows the models being edited."""
    if under_dagster_dev() and manifest_problem(project_dir, manifest):
        command = [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet", "--profiles-dir", "."]
        subprocess.run(command, cwd=project_dir, env=environment_for_dbt_parse(), check=True)
