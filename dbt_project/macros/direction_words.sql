{#- The words of running text that say which way a figure goes (int_figures): a size larger or
    smaller than the budget or last year, a surplus or a deficit. -#}
{% macro direction_words() -%}
'högre|lägre|större|mindre|mer|ökade|ökat|ökning|minskade|minskat|minskning|översteg|överstiger|understeg|understiger|överskott|underskott'
{%- endmacro %}
