"""Write every dataset's column declaration into its dbt source YAML, so dbt documents what ingest loads.

    python scripts/sync_source_columns.py           # rewrite the ``columns:`` of every source table
    python scripts/sync_source_columns.py --check   # exit 1 if any YAML differs from its declaration

The declaration (``Dataset.schema``, see ``ingest/common/columns.py``) is the one home of a table's columns;
this keeps ``dbt_project/models/staging/<source>/_<source>__sources.yml`` in step with it: each column's
name and ``data_type`` in order, the provenance columns last with their doc blocks. A description or test
already on a column is kept; comments in the YAML are kept (ruamel round-trip).
``tests/test_columns.py`` fails when the two differ.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ingest.common.source import PROVENANCE_COLUMNS, Dataset
from ingest.registry import all_datasets

STAGING = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "staging"


def source_yaml(source: str) -> Path:
    return STAGING / source / f"_{source}__sources.yml"


def _columns(dataset: Dataset, existing: list[CommentedMap]) -> CommentedSeq:
    """The declared columns, keeping what a person wrote on a column (description, tests) by name."""
    written = {entry["name"]: entry for entry in existing}
    columns = CommentedSeq()
    for name, data_type in dataset.schema.duckdb_columns():
        entry = CommentedMap(name=name, data_type=data_type)
        for key, value in written.get(name, {}).items():
            if key not in ("name", "data_type"):
                entry[key] = value
        if name in PROVENANCE_COLUMNS and "description" not in entry:
            entry["description"] = f'{{{{ doc("{name}") }}}}'
        columns.append(entry)
    return columns


def synced(source: str, datasets: list[Dataset], yaml: YAML) -> tuple[str, str]:
    """The YAML of ``source`` as it is, and as the declarations of its datasets make it."""
    path = source_yaml(source)
    text = path.read_text()
    document = yaml.load(text)
    tables = {table["name"]: table for entry in document["sources"] for table in entry["tables"]}
    for dataset in datasets:
        table = tables.get(dataset.asset_name)
        if table is None:
            raise SystemExit(f"{path}: no table {dataset.asset_name!r} for dataset {dataset.source}/{dataset.name}")
        table["columns"] = _columns(dataset, list(table.get("columns", [])))
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return text, buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report YAML that differs, change nothing")
    args = parser.parse_args(argv)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # leave long lines as written
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    yaml.indent(mapping=2, sequence=4, offset=2)
    by_source: dict[str, list[Dataset]] = {}
    for dataset in all_datasets():
        by_source.setdefault(dataset.source, []).append(dataset)
    stale = []
    for source, datasets in by_source.items():
        before, after = synced(source, datasets, yaml)
        if before != after:
            stale.append(source_yaml(source))
            if not args.check:
                source_yaml(source).write_text(after)
    for path in stale:
        print(f"{'differs from its declarations' if args.check else 'rewritten'}: {path}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
