{#-
  The body of the project's view and table materializations: the relation made by one statement inside the
  node's transaction, after dropping `replaced` (the relation of that name it must replace first, or none) in
  the same statement, since adapter.drop_relation would commit the drop before it: a statement that fails
  rolls the drop back and leaves the relation as it was. `create_sql` creates `target_relation`; hooks run
  where dbt's own materializations run them. Returns the materialization's result.
-#}
{% macro materialize_in_one_statement(target_relation, replaced, create_sql) %}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement('main') -%}
    {%- if replaced is not none %}
    {{ get_drop_sql(replaced) }};
    {%- endif %}
    {{ create_sql }}
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmacro %}
