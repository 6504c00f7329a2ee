-- For every column of every mart: the source datasets it is read from and the snapshot of each in this
-- refresh (macro mart_column_sources walks the dbt graph; the warehouse's own meta.loads is not a source).
-- Reviewed seeds count as sources (snapshot = the seed file's hash).
{%- set rows = mart_column_sources(this.identifier) %}

-- The rows reach DuckDB as one JSON text: as a VALUES list their 2,300-odd rows took DuckDB most of a second
-- to parse, on every refresh (the model reads meta.loads, so it is rebuilt whenever any dataset changes).
with lineage as (
    select
        r[1] as mart,
        r[2] as column_name,
        r[3] as source_dataset,
        r[4] as relation,
        r[5] as source_kind,
        r[6] as seed_checksum,
        r[7] as declared_at
    from (select unnest(from_json('{{ tojson(rows) | replace("'", "''") }}', '[["VARCHAR"]]')) as r)
),

loads as (
    select * from {{ ref('stg_meta__loads') }}
)

select
    l.mart,
    l.column_name,
    l.source_dataset,
    l.source_kind,
    l.relation,
    coalesce(m.snapshot_id, l.seed_checksum) as snapshot_id,
    l.declared_at
from lineage as l
left join loads as m on l.relation = m.target_table
