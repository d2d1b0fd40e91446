{#- Composite-key uniqueness, like dbt_utils' test of the same name (dbt deps is unavailable here).
    Returns one row per duplicated key; NULLs group together, so they count as equal. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set key_columns = [] -%}
{%- for column in combination_of_columns -%}
    {%- do key_columns.append(adapter.quote(column)) -%}
{%- endfor %}
select {{ key_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ key_columns | join(', ') }}
having count(*) > 1
{% endtest %}
