{#-
  A view in one statement. dbt's default view materialization creates the view under a temporary name, moves
  any existing relation to a backup name, renames the new view into place and drops the backup: four
  statements and their relation-cache work per view, where DuckDB replaces a view atomically inside the
  node's transaction. Same name, same query; a table of that name (a model that was a table before) is
  dropped first in the same statement (in_one_statement.sql), as the default swap would replace it.
-#}
{%- materialization view, adapter='duckdb' -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='view') -%}
  {%- set replaced = existing_relation if existing_relation is not none and not existing_relation.is_view else none -%}
  {%- set create_view -%}
    create or replace view {{ target_relation }} as (
      {{ sql }}
    );
  {%- endset -%}
  {{ return(materialize_in_one_statement(target_relation, replaced, create_view)) }}
{%- endmaterialization -%}
