{{ config(materialized='view') }}
-- One row per finding in plain columns (no lists of structs): which report, which rule, and for
-- each side the pages, the label, the value and the figures as printed, for reading in any SQL
-- client or spreadsheet. The figures' bounding boxes stay in inconsistencies.
with findings as (
    select
        f.*,
        {% for side in ['left', 'right'] %}
        list_sort(list_distinct(list_transform(f.{{ side }}_terms, lambda t: t.page))) as {{ side }}_page_list,
        array_to_string(list_transform(f.{{ side }}_terms, lambda t: {{ printed_number('t.value', 't.decimals') }}),
                        ' · ') as {{ side }}_printed{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('inconsistencies') }} as f
)
select
    f.report_id,
    r.file_name,
    r.municipality,
    r.body,
    r.report_type,
    r.fiscal_year,
    f.rule_id,
    f.kind,
    f.severity,
    f.description,
    {% for side in ['left', 'right'] %}
    f.{{ side }}_page_list[1] as {{ side }}_page,
    array_to_string(f.{{ side }}_page_list, ', ') as {{ side }}_pages,
    f.{{ side }}_ref as {{ side }}_label,
    f.{{ side }}_value,
    f.{{ side }}_printed,
    {% endfor %}
    f.difference,
    f.tolerance,
    f.other_report_id,
    f.check_key
from findings as f
join {{ ref('dim_reports') }} as r using (report_id)
