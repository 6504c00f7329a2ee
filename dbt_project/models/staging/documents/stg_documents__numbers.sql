-- The coverage report: every number in every document and what accounts for it.
select
    document,
    line,
    "column" as line_column,
    token,
    snippet,
    accounted_by,
    reference,
    coverage,
    _source_file,
    _snapshot_sha256
from {{ source('documents', 'numbers') }}
