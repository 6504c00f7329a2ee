"""Every dataset the warehouse loads, found by looking: each package of ``ingest/`` other than ``common``
is a source and exposes ``DATASETS``. A new source is a new package; nothing here needs editing."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import ingest
from ingest.common.source import Dataset

MACHINERY = frozenset({"common"})


def source_packages() -> tuple[ModuleType, ...]:
    """The source packages, by name (a plain module in ``ingest/``, such as this one, is not a source)."""
    return tuple(
        importlib.import_module(f"ingest.{info.name}")
        for info in sorted(pkgutil.iter_modules(ingest.__path__), key=lambda info: info.name)
        if info.ispkg and info.name not in MACHINERY
    )


def all_datasets() -> tuple[Dataset, ...]:
    return tuple(dataset for package in source_packages() for dataset in package.DATASETS)


def dataset(source: str, name: str) -> Dataset:
    """One dataset by source and name, e.g. ``dataset("unhcr", "population")``."""
    found = [d for d in all_datasets() if (d.source, d.name) == (source, name)]
    if not found:
        raise LookupError(f"no dataset {source}/{name}")
    return found[0]
