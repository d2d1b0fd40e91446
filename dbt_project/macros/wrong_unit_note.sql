{#- What a finding says when its two sides print the same digits under different units: one of
    them has the wrong unit (mnkr in the text where the table is in tkr). -#}
{% macro wrong_unit_note(left_unit, right_unit) -%}
' (the same digits as the other side, printed in ' || coalesce({{ left_unit }}, 'no unit') || ' against '
    || coalesce({{ right_unit }}, 'no unit') || ': one of them has the wrong unit)'
{%- endmacro %}
