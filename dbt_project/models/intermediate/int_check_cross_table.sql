-- cross_table rules: the aggregate (sum or mean) of the left figures equals sign x the right
-- figures, per year and, where both sides use '*', per line / measure / table.
with rules as (
    select
        r.*,
        max(case when s.side = 'left' then s.alternative end) = '*'
            and max(case when s.side = 'right' then s.alternative end) = '*' as match_line,
        max(case when s.side = 'left' then s.measure_pattern end) = '*'
            and max(case when s.side = 'right' then s.measure_pattern end) = '*' as match_measure,
        max(case when s.side = 'left' then s.table_pattern end)
            = max(case when s.side = 'right' then s.table_pattern end) as match_table
    from {{ ref('reconciliation_rules') }} as r
    join {{ ref('int_rule_selectors') }} as s using (rule_id)
    where r.kind = 'cross_table'
    group by all
),

keyed as (
    select
        t.*,
        r.aggregate,
        case when r.match_line then t.line end as key_line,
        case when r.match_measure then t.measure end as key_measure,
        case when r.match_table then t.table_key end as key_table
    from {{ ref('int_rule_terms') }} as t
    join rules as r using (rule_id)
),

sides as (
    select
        rule_id, report_id, side, year, key_line, key_measure, key_table,
        case when any_value(aggregate) = 'mean' then avg(value) else sum(value) end as value,
        case when any_value(aggregate) = 'mean' then avg(half_unit) else sum(half_unit) end as tolerance,
        count(distinct alternative_index) = any_value(alternatives_count)
            -- percentages do not add up: a sum of several percentages says nothing
            and not (any_value(aggregate) = 'sum' and count(*) > 1 and bool_or(unit = 'percent')) as complete,
        string_agg(label, ' + ' order by page, top, x0) as ref,
        list({{ term_struct() }} order by page, top, x0) as terms
    from keyed
    group by all
)

select
    l.report_id,
    l.rule_id,
    concat_ws(' · ', l.key_table, l.key_line, l.key_measure, l.year) as check_key,
    l.value as left_value,
    r.sign_value as right_value,
    l.tolerance + r.tolerance as tolerance,
    l.ref as left_ref,
    r.ref as right_ref,
    l.terms as left_terms,
    r.terms as right_terms,
    cast(null as varchar) as other_report_id
from sides as l
join (
    select s.*, s.value * rules.sign as sign_value
    from sides as s join rules using (rule_id)
    where s.side = 'right'
) as r
    on l.rule_id = r.rule_id and l.report_id = r.report_id and l.year = r.year
    and l.key_line is not distinct from r.key_line
    and l.key_measure is not distinct from r.key_measure
    and l.key_table is not distinct from r.key_table
where l.side = 'left' and l.complete and r.complete
