-- For every column of every mart: the source datasets it is read from and the snapshot of each in this
-- refresh (macro mart_column_sources walks the dbt graph; the warehouse's own meta.loads is not a source).
-- Reviewed seeds count as sources (snapshot = the seed file's hash).
{%- set rows = mart_column_sources(this.identifier) %}

with lineage (mart, column_name, source_dataset, relation, source_kind, seed_checksum, declared_at) as (
    {%- if rows %}
        values
        {%- for r in rows %}
            ({% for v in r %}{{ "null" if v is none else "'" ~ (v | replace("'", "''")) ~ "'" }}{{ ", " if not loop.last }}{% endfor %}){{ "," if not loop.last }}
        {%- endfor %}
    {%- else %}
        select
            null,
            null,
            null,
            null,
            null,
            null,
            null
        where false
    {%- endif %}
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
