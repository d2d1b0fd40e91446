{#- Warehouses built before the layers had their own schemas hold staging and intermediate
    models and seeds in `main`. Drop each such leftover (a relation in the target schema whose
    node now lives elsewhere), so that `show tables` lists only the marts. Run on-run-start. -#}
{% macro drop_moved_relations() %}
  {% if execute %}
    {% set moved = [] %}
    {% for node in graph.nodes.values() if node.resource_type in ('model', 'seed') and node.schema != target.schema %}
      {% do moved.append(node.alias or node.name) %}
    {% endfor %}
    {% if moved %}
      {% set leftovers = run_query(
          "select table_name, table_type from information_schema.tables where table_schema = '"
          ~ target.schema ~ "' and table_name in ('" ~ moved | join("', '") ~ "')") %}
      {% for row in leftovers.rows %}
        {% do run_query("drop " ~ ("view" if row[1] == "VIEW" else "table") ~ " if exists "
                        ~ target.schema ~ ".\"" ~ row[0] ~ "\"") %}
      {% endfor %}
    {% endif %}
  {% endif %}
{% endmacro %}
