-- cross_report rules: a figure for year Y printed in two reports of the same board must agree
-- within rounding; a difference is a restatement, reported on the newer report.
with rules as (
    select
        rule_id,
        split_part(scope, ':', 1) as dataset,
        split_part(scope, ':', 2) as tables,
        split_part(scope, ':', 4) as measure_pattern
    from {{ ref('reconciliation_rules') }}
    where kind = 'cross_report'
),

figures as (
    select f.*, r.fiscal_year as report_year, rules.rule_id
    from {{ ref('int_figures') }} as f
    join {{ ref('stg_reports') }} as r using (report_id)
    join rules
        on f.dataset = rules.dataset
        and (rules.tables = '*' or list_contains(string_split(rules.tables, '|'), f.table_key))
        and (rules.measure_pattern = '*' or f.measure = rules.measure_pattern)
)

select
    newer.report_id,
    newer.rule_id,
    concat_ws(' · ', newer.table_key, newer.line, newer.measure, newer.year) as check_key,
    newer.value as left_value,
    older.value as right_value,
    newer.half_unit + older.half_unit as tolerance,
    newer.label || ' (' || newer.report_year || ' report)' as left_ref,
    older.label || ' (' || older.report_year || ' report)' as right_ref,
    list_value({{ term_struct('newer.') }}) as left_terms,
    list_value({{ term_struct('older.') }}) as right_terms,
    older.report_id as other_report_id
from figures as newer
join figures as older
    on newer.rule_id = older.rule_id
    and newer.municipality = older.municipality and newer.body = older.body
    and newer.dataset = older.dataset and newer.table_key = older.table_key
    and newer.line = older.line and newer.measure = older.measure and newer.year = older.year
    and newer.report_year > older.report_year  -- a later report restating an earlier year
where {{ is_current_report('newer.report_id') }} and {{ is_current_report('older.report_id') }}
