{#-
  A table replaced inside the node's transaction. dbt-duckdb's table materialization builds the table under a
  temporary name, renames any existing one to a backup name, renames the new one into place and drops the
  backup, with checks for indexes, foreign keys, grants and DuckLake around them (none of which this project
  declares): statements and relation-cache work on every mart (the demo build's dbt stage 10.2-13.2 -> 9.2 s).
  Here the existing table is dropped and the new one created in one statement, inside the transaction
  (in_one_statement.sql): readers of the build never see the table missing, and a query that fails rolls the
  drop back. create_table_as is
  dbt-duckdb's own, so an enforced contract is checked (before anything is dropped) and the columns get the
  contract's types exactly as before (tests/test_dbt_generic_tests.py).
-#}
{%- materialization table, adapter='duckdb' -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {#- Rendered first: rendering checks the contract, and a failed check is no database error, which dbt would
      roll back; so nothing is dropped until the query is known to fit the contract. -#}
  {%- set create_table = create_table_as(False, target_relation, sql) -%}

  {{ return(materialize_in_one_statement(target_relation, existing_relation, create_table)) }}
{%- endmaterialization -%}
