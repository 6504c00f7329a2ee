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
from {{ ref('stg_iati__tags') }} as t
inner join {{ ref('int_iati__activities_of_record') }} as a
    on t.iati_identifier = a.iati_identifier and t.source_dataset = a.source_dataset
