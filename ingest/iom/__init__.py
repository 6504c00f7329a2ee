"""IOM: DTM internal displacement figures (``dtm.py``) and Missing Migrants Project incidents (``mmp.py``).

Each dataset has one parser whatever the path the bytes came by (live API, keyless copy, or a mirror
laid out like ``../shared/data/iom`` with a ``manifest.csv`` of vintages, read by ``shared.py``). Rows
keep ``source_format`` and ``vintage`` because the mirror holds overlapping vintages of the same figures.
"""

from __future__ import annotations

from ingest.iom import dtm, mmp

DATASETS = (dtm.DATASET, mmp.DATASET)
