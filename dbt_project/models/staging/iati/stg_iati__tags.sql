-- Tags (SDG targets, publisher keywords such as COVID-19).
select
    t.iati_identifier,
    t.position,
    t.vocabulary,
    t.code,
    t.name,
    t._source_file,
    t._source_row,
    t._snapshot_sha256
from {{ source('iati', 'tags') }} as t
inner join {{ ref('stg_iati__activities') }} as a
    on t.iati_identifier = a.iati_identifier and t.source_dataset = a.source_dataset
