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
from {{ ref('stg_iati__narratives') }} as n
inner join {{ ref('int_iati__activities_of_record') }} as a
    on n.iati_identifier = a.iati_identifier and n.source_dataset = a.source_dataset
