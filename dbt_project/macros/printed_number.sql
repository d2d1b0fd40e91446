{#- A number as a Swedish report prints it: space between thousands, decimal comma, the printed
    decimals (1 234,1). For reading in plain columns; the numeric value stays beside it. -#}
{% macro printed_number(value, decimals) -%}
    translate(format('{:,.' || coalesce({{ decimals }}, 0) || 'f}', {{ value }}), ',.', ' ,')
{%- endmacro %}
