{#- One printed figure as it enters a check: what it is, its value and where it is printed. -#}
{% macro term_struct(prefix='') -%}
struct_pack(
    label := {{ prefix }}label, value := {{ prefix }}value, decimals := {{ prefix }}decimals,
    page := {{ prefix }}page, x0 := {{ prefix }}x0, top := {{ prefix }}top,
    x1 := {{ prefix }}x1, bottom := {{ prefix }}bottom
)
{%- endmacro %}
