-- footing rules ('details'): a total line equals the sum of the detail lines printed directly
-- above it, back to the previous total line, in every column; at least two detail lines.
with rules as (
    select rule_id, split_part(scope, ':', 1) as dataset, split_part(scope, ':', 2) as tables
    from {{ ref('reconciliation_rules') }}
    where kind = 'footing' and left_side = 'details'
),

figures as (
    select f.*, rules.rule_id
    from {{ ref('int_figures') }} as f
    join rules
        on f.dataset = rules.dataset
        and (rules.tables = '*' or list_contains(string_split(rules.tables, '|'), f.table_key))
    where f.unit is distinct from 'percent'  -- percentages do not add up
),

lines as (
    select distinct rule_id, report_id, table_key, line, line_order, is_total from figures
),

totals as (
    select
        t.*,
        coalesce((
            select max(p.line_order) from lines as p
            where p.rule_id = t.rule_id and p.report_id = t.report_id and p.table_key = t.table_key
              and p.is_total and p.line_order < t.line_order
        ), 0) as previous_total
    from lines as t
    where t.is_total
),

members as (
    select t.rule_id, t.report_id, t.table_key, t.line_order as total_order, d.line_order,
           count(*) over (partition by t.rule_id, t.report_id, t.table_key, t.line_order) as detail_lines
    from totals as t
    join lines as d
        on d.rule_id = t.rule_id and d.report_id = t.report_id and d.table_key = t.table_key
        and not d.is_total and d.line_order > t.previous_total and d.line_order < t.line_order
),

sums as (
    select
        m.rule_id, m.report_id, m.table_key, m.total_order, f.measure, f.year,
        sum(f.value) as value,
        sum(f.half_unit) as tolerance,
        count(*) = any_value(m.detail_lines) as complete,
        'sum of ' || count(*) || ' lines: ' || string_agg(f.line, ' + ' order by f.line_order) as ref,
        list({{ term_struct('f.') }} order by f.line_order) as terms
    from members as m
    join figures as f
        on f.rule_id = m.rule_id and f.report_id = m.report_id and f.table_key = m.table_key
        and f.line_order = m.line_order
    where m.detail_lines >= 2
    group by all
)

select
    s.report_id,
    s.rule_id,
    concat_ws(' · ', s.table_key, t.line, s.measure, s.year) as check_key,
    s.value as left_value,
    t.value as right_value,
    s.tolerance + t.half_unit as tolerance,
    s.ref as left_ref,
    t.label as right_ref,
    s.terms as left_terms,
    list_value({{ term_struct('t.') }}) as right_terms,
    cast(null as varchar) as other_report_id
from sums as s
join figures as t
    on t.rule_id = s.rule_id and t.report_id = s.report_id and t.table_key = s.table_key
    and t.line_order = s.total_order and t.measure = s.measure and t.year = s.year
where s.complete
