"""The Dagster definitions, the ``maw`` command and the dbt build they run.

Every entry point (``maw``, ``python -m orchestration.cli``, ``dagster dev -m orchestration.definitions``)
imports this package first, before anything imports polars, whose allocator reads its settings only then.
"""

from ingest.common.settings import return_freed_memory_promptly

return_freed_memory_promptly()
