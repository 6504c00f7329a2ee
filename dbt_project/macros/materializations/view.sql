{#-
  A view in one statement. dbt's default view materialization creates the view under a temporary name, moves
  any existing relation to a backup name, renames the new view into place and drops the backup: four
  statements and their relation-cache work per view, where DuckDB replaces a view atomically inside the
  node's transaction. Same name, same query; a table of that name (a model that was a table before) is
  dropped first, as the default swap would replace it.
-#}
{%- materialization view, adapter='duckdb' -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='view') -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement('main') -%}
    {#- inside the statement's transaction: adapter.drop_relation would commit the drop first -#}
    {%- if existing_relation is not none and not existing_relation.is_view %}
    {{ get_drop_sql(existing_relation) }};
    {%- endif %}
    create or replace view {{ target_relation }} as (
      {{ sql }}
    );
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{%- endmaterialization -%}
