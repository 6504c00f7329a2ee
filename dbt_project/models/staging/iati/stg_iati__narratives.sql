-- Titles and descriptions in every published language (lower-case language codes).
select
    n.iati_identifier,
    n.element,
    n.description_type,
    n.position,
    n.lang,
    n.narrative,
    n._source_file,
    n._source_row,
    n._snapshot_sha256
from {{ source('iati', 'narratives') }} as n
inner join {{ ref('stg_iati__activities') }} as a
    on a.iati_identifier = n.iati_identifier and a._source_file = n._source_file
