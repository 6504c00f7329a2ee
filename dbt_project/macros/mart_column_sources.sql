{#-
  For every column of every mart (except `exclude`): the sources it is read from, as rows (mart, column,
  source_dataset, relation, kind, seed checksum, declared_at). A column's sources are those its YAML names
  (meta.sources) or else every source and seed upstream of its mart in the dbt graph; meta.* is not a source.
-#}
{% macro mart_column_sources(exclude) -%}
{%- set rows = [] %}
{%- if execute and graph is defined %}
    {%- for node in graph.nodes.values() | sort(attribute='name') %}
        {%- if node.resource_type == 'model' and 'marts' in node.fqn and node.name != exclude %}
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
{{ return(rows) }}
{%- endmacro %}
