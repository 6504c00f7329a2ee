-- Policy markers (vocabulary 1: OECD DAC CRS) with significance 0 not targeted .. 4 explicit primary objective.
select
    m.iati_identifier,
    m.position,
    m.vocabulary,
    m.code,
    m.significance,
    m.name,
    m._source_file,
    m._source_row,
    m._snapshot_sha256
from {{ ref('stg_iati__policy_markers') }} as m
inner join {{ ref('int_iati__activities_of_record') }} as a
    on m.iati_identifier = a.iati_identifier and m.source_dataset = a.source_dataset
