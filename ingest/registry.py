"""Every dataset the warehouse loads. A new source is one module in ``ingest/`` and one line here."""

from __future__ import annotations

from ingest import documents, fx, iati, iom, unhcr
from ingest.common import countries
from ingest.common.source import Dataset

SOURCE_MODULES = (countries, unhcr, iom, documents, fx, iati)


def all_datasets() -> tuple[Dataset, ...]:
    return tuple(dataset for module in SOURCE_MODULES for dataset in module.DATASETS)
