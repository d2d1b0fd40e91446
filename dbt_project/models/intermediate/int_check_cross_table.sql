-- cross_table rules: the aggregate (sum, mean, or magnitude: the size of a sum) of the left
-- figures equals sign x the right figures, per year and, where both sides use '*', per line / measure / table.
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
    where {{ is_changed_report('t.report_id') }}
),

-- each side also in tkr when every figure of it has an amount unit (mnkr prose, a tkr table)
sides as (
    select
        rule_id, report_id, side, year, key_line, key_measure, key_table,
        case when any_value(aggregate) = 'mean' then avg(value) else sum(value) end as value,
        case when any_value(aggregate) = 'mean' then avg(half_unit) else sum(half_unit) end as tolerance,
        case when any_value(aggregate) = 'mean' then avg(value * u.tkr_factor) else sum(value * u.tkr_factor) end
            as value_tkr,
        case when any_value(aggregate) = 'mean' then avg(half_unit * u.tkr_factor) else sum(half_unit * u.tkr_factor) end
            as tolerance_tkr,
        bool_and(u.tkr_factor is not null) as in_amounts,
        max(u.tkr_factor) as tkr_factor,
        string_agg(distinct keyed.unit, ', ') as unit,
        max(direction) as direction,
        max(direction_kind) as direction_kind,
        any_value(measure) as measure,
        -- the line a single right-hand figure is printed on: its outcome, budget and last year
        -- say which way a deviation or change goes
        case when count(*) = 1 then any_value(table_key) end as only_table,
        case when count(*) = 1 then any_value(line) end as only_line,
        count(distinct alternative_index) = any_value(alternatives_count)
            -- percentages do not add up: a sum of several percentages says nothing
            and not (any_value(aggregate) = 'sum' and count(*) > 1 and bool_or(keyed.unit = 'percent')) as complete,
        string_agg(label, ' + ' order by page, top, x0) as ref,
        list({{ term_struct() }} order by page, top, x0) as terms
    from keyed
    left join {{ ref('units') }} as u on u.unit = keyed.unit and u.is_amount
    group by all
),

-- both sides in the right side's unit when both are amounts (so the figures read as printed
-- there); 'magnitude' rules compare sizes, the direction being in the words (högre / lägre än
-- budget, ökade / minskade, överskott / underskott), not in a table's sign convention; the words
-- are then held to the direction the table's figures go
compared as (
    select
        l.report_id, l.rule_id, l.key_table, l.key_line, l.key_measure, l.year, rules.aggregate,
        case when l.in_amounts and r.in_amounts then l.value_tkr / r.tkr_factor else l.value end as l_value,
        case when l.in_amounts and r.in_amounts then l.tolerance_tkr / r.tkr_factor else l.tolerance end as l_tolerance,
        rules.sign * case when l.in_amounts and r.in_amounts then r.value_tkr / r.tkr_factor else r.value end as r_value,
        case when l.in_amounts and r.in_amounts then r.tolerance_tkr / r.tkr_factor else r.tolerance end as r_tolerance,
        l.in_amounts and r.in_amounts and l.unit is distinct from r.unit
            and {{ within_rounding('abs(l.value) - abs(r.value)', 'l.tolerance + r.tolerance') }} as same_digits,
        l.unit as l_unit, r.unit as r_unit,
        -- words that say the opposite of the figures: 'överskott' beside a deficit, 'högre än
        -- budget' beside an outcome smaller than its budget, 'ökade' beside a smaller outcome
        coalesce(case l.direction_kind
            when 'balance' then r.measure = 'deviation' and l.direction * r.value < 0
            when 'size' then l.direction * (abs(o.value) - abs(coalesce(b.value, p.value)))
                             < -(o.half_unit + coalesce(b.half_unit, p.half_unit))
        end, false) as direction_conflict,
        l.ref as l_ref, r.ref as r_ref, l.terms as l_terms, r.terms as r_terms
    from sides as l
    join sides as r
        on l.rule_id = r.rule_id and l.report_id = r.report_id and l.year = r.year
        and l.key_line is not distinct from r.key_line
        and l.key_measure is not distinct from r.key_measure
        and l.key_table is not distinct from r.key_table
    join rules on rules.rule_id = l.rule_id
    left join {{ ref('int_figures') }} as o
        on o.report_id = r.report_id and o.table_key = r.only_table and o.line = r.only_line
        and o.measure = 'outcome' and o.year = r.year and r.measure in ('deviation', 'change')
    left join {{ ref('int_figures') }} as b
        on b.report_id = r.report_id and b.table_key = r.only_table and b.line = r.only_line
        and b.measure = 'budget' and b.year = r.year and r.measure = 'deviation'
    left join {{ ref('int_figures') }} as p
        on p.report_id = r.report_id and p.table_key = r.only_table and p.line = r.only_line
        and p.measure = 'outcome' and p.year = r.year - 1 and r.measure = 'change'
    where l.side = 'left' and r.side = 'right' and l.complete and r.complete
)

select
    report_id,
    rule_id,
    concat_ws(' · ', key_table, key_line, key_measure, year) as check_key,
    case when aggregate = 'magnitude' then abs(l_value) else l_value end as left_value,
    case when aggregate = 'magnitude' then abs(r_value) else r_value end as right_value,
    l_tolerance + r_tolerance as tolerance,
    case when direction_conflict then false end as passed,
    l_ref || case when direction_conflict then ' (the words say the opposite direction of the figure)' else '' end || case when same_digits and not {{ within_rounding(
                      "case when aggregate = 'magnitude' then abs(l_value) - abs(r_value) else l_value - r_value end",
                      'l_tolerance + r_tolerance') }}
                  then {{ wrong_unit_note('l_unit', 'r_unit') }}
                  else '' end as left_ref,
    r_ref as right_ref,
    l_terms as left_terms,
    r_terms as right_terms,
    cast(null as varchar) as other_report_id
from compared
