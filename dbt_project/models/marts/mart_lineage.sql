-- For every column of every mart: the source datasets it is read from and the snapshot of each in this
-- refresh (the warehouse's own meta.loads is not a source). A column's sources are those its YAML names (meta.sources: ["unhcr.population", ...]) or else every
-- source upstream of its mart in the dbt graph; reviewed seeds count as sources (snapshot = the file's hash).
{%- set rows = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values() | sort(attribute='name') %}
        {%- if node.resource_type == 'model' and 'marts' in node.fqn and node.name != this.identifier %}
            {%- set ns = namespace(frontier=[node.unique_id], seen=[]) %}
            {%- for _ in range(40) %}
                {%- set following = [] %}
                {%- for uid in ns.frontier %}
                    {%- set upstream = graph.nodes.get(uid) %}
                    {%- if upstream %}
                        {%- for dep in upstream.depends_on.nodes %}
                            {%- if dep not in ns.seen %}
                                {%- do ns.seen.append(dep) %}
                                {%- do following.append(dep) %}
                            {%- endif %}
                        {%- endfor %}
                    {%- endif %}
                {%- endfor %}
                {%- set ns.frontier = following %}
            {%- endfor %}
            {%- set upstream_sources = {} %}
            {%- for uid in ns.seen %}
                {%- if uid in graph.sources and graph.sources[uid].source_name != 'meta' %}
                    {%- set s = graph.sources[uid] %}
                    {%- do upstream_sources.update({s.source_name ~ '.' ~ s.name: (s.schema ~ '.' ~ s.identifier, 'source', none)}) %}
                {%- elif uid.startswith('seed.') %}
                    {%- set s = graph.nodes[uid] %}
                    {%- do upstream_sources.update({'seed.' ~ s.name: (s.schema ~ '.' ~ s.alias, 'seed', s.checksum.checksum)}) %}
                {%- endif %}
            {%- endfor %}
            {%- for column in node.columns.values() %}
                {%- set named = (column.meta or {}).get('sources') or ((column.config or {}).get('meta') or {}).get('sources') %}
                {%- for key in (named if named else upstream_sources.keys() | sort) %}
                    {%- set found = upstream_sources.get(key) %}
                    {%- do rows.append((node.name, column.name, key, found[0] if found else none, found[1] if found else none, found[2] if found else none, 'column' if named else 'mart')) %}
                {%- endfor %}
            {%- endfor %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

with lineage (mart, column_name, source_dataset, relation, source_kind, seed_checksum, declared_at) as (
    {%- if rows %}
        values
        {%- for r in rows %}
            ({% for v in r %}{{ "null" if v is none else "'" ~ (v | replace("'", "''")) ~ "'" }}{{ ", " if not loop.last }}{% endfor %}){{ "," if not loop.last }}
        {%- endfor %}
    {%- else %}
        select null, null, null, null, null, null, null where false
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
    m.run_id,
    m.loaded_at,
    l.declared_at
from lineage as l
left join loads as m on l.relation = m.target_table
