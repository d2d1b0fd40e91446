{#- A model's +schema is its schema's whole name (raw, staging, intermediate, vocabulary), not
    dbt's default "<target schema>_<custom>": the marts stay in `main`, where a user's
    `show tables` looks, and every layer below sits in a schema named after it. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
