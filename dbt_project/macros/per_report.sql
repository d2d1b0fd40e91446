{#- The per-report models (dbt_project.yml: incremental, appended) hold rows that come from one
    report's own raw rows and the vocabulary alone. So a build after new data builds them only for
    the reports loaded, loaded again or removed since the marts were last built (raw.changed_reports,
    kept by the loader): their old rows are deleted first (pre-hook), then their new rows added.
    A build of the whole project (a changed vocabulary or model, `arw build`) builds them for
    every report (--full-refresh). -#}

{% macro is_changed_report(column='report_id') -%}
    {#- the filter on a per-report model's inputs: every report, or on an incremental build the changed ones -#}
    {%- set changed = source('arw', 'changed_reports') -%}
    {%- if is_incremental() -%}
        {{ column }} in (select report_id from {{ changed }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro drop_changed_reports() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where report_id in (select report_id from {{ source('arw', 'changed_reports') }})
    {%- endif -%}
{%- endmacro %}
