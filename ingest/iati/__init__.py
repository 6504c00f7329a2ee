"""IATI: what the Dutch Ministry of Foreign Affairs (``XM-DAC-7``) and its partners report, activity by activity.

Modules of one idea each: ``activities.py`` (the activity datasets and the three ways in: mirror XML, the
Registry's files via ``registry.py``, or the Datastore via ``datastore.py``, never added together, all read
into the same rows by ``xml.py``), ``codelists.py`` (the official codelists), ``overrides.py`` (reviewed
migration-relevance overrides).
"""

from __future__ import annotations

from ingest.iati import activities, codelists, overrides

DATASETS = (*activities.DATASETS, codelists.DATASET, overrides.DATASET)
