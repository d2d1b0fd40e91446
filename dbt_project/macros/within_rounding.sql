{#- The project's rounding rule: two sides disagree only when their difference reaches the sum
    of the half-units of every printed figure involved. Exact figures (tolerance 0) must be
    equal, up to floating-point noise. -#}
{% macro within_rounding(difference, tolerance) -%}
(abs({{ difference }}) < {{ tolerance }} - 1e-9 or abs({{ difference }}) <= 1e-9)
{%- endmacro %}
