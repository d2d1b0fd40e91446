{#- Marts show the current version of every report; a superseded version (raw_reports.superseded_by)
    stays in the intermediate models only so that report_changes can compare versions. -#}
{% macro is_current_report(column='report_id') -%}
{{ column }} in (select report_id from {{ ref('stg_reports') }} where is_current)
{%- endmacro %}
