-- IATI codelists: code -> English name (and category, e.g. the 3-digit DAC category of a 5-digit sector).
select
    codelist,
    code,
    name,
    category,
    status,
    _snapshot_sha256
from {{ source('iati', 'codelists') }}
