-- Row formulas (rules of kind row_formula): within one printed row of any table, fn(a, b) of two
-- measures equals a third, e.g. outcome - budget = deviation. 'name@prev' takes that measure for
-- the previous year (Utfall 2023 beside Utfall 2024). In a table with the measures in its rows
-- (a board's Ekonomi), a column is the "row" and its outcome is the table's total line.
--
-- A rule lists the ways tables print it, separated by ' | ' (difference(outcome, budget) |
-- difference(budget, outcome)). Each table uses one, as a reader sees: the way that holds on
-- nearly every row (at least 3 rows and 80 %) is the table's convention, and a row breaking it
-- is a finding (a sign printed the other way round); a table with no clear convention (a
-- deviation printed favourable-positive, cost rows and income rows opposite) is only held to
-- some way holding. fn: difference, sum, ratio_pct (a / b), abs_ratio_pct (|a| / |b|) or
-- ratio_of_abs_pct (a / |b|: a deviation % signed like the deviation). Ratios are checked with interval arithmetic over the rounded inputs.
with variants as (
    select
        r.rule_id,
        split_part(r.scope, ':', 1) as dataset,
        split_part(r.scope, ':', 2) as tables,
        v.formula,
        v.variant,
        r.right_side as r_measure
    from {{ ref('reconciliation_rules') }} as r,
        unnest(string_split(r.left_side, '|')) with ordinality as v(formula, variant)
    where r.kind = 'row_formula'
),

rules as (
    select
        rule_id, dataset, tables, variant, r_measure,
        regexp_extract(trim(formula), '^(\w+)\(\s*(\w+)(@prev)?\s*,\s*(\w+)(@prev)?\s*\)$',
                       ['fn', 'a', 'a_prev', 'b', 'b_prev']) as f
    from variants
),

cells as (
    select
        c.*,
        case when c.measures_in_rows then c.column_index else c.row_index end as line,
        case when c.measures_in_rows then '' else c.column_group end as slot_group
    from {{ ref('int_check_cells') }} as c
    where {{ is_changed_report('c.report_id') }} and c.measure is not null
      and not (c.measures_in_rows and c.measure = 'outcome' and c.row_role = 'detail')
    -- one figure per line, group, measure and year: the first column printing it
    qualify row_number() over (
        partition by c.report_id, c.table_id,
            case when c.measures_in_rows then c.column_index else c.row_index end,
            case when c.measures_in_rows then '' else c.column_group end, c.measure, c.fiscal_year
        order by c.column_index, c.row_index) = 1
),

rows_ as (
    select
        rules.rule_id, rules.variant, rules.f.fn as fn,
        r.report_id, r.table_id, r.table_label, r.line, r.slot_group, r.fiscal_year as year,
        case when r.measures_in_rows then r.column_path else r.row_path end as line_label,
        a.value as a_value, a.half_unit as a_half, b.value as b_value, b.half_unit as b_half,
        r.value as r_value, r.half_unit as r_half,
        list_value({{ term_struct('a.') }}, {{ term_struct('b.') }}) as left_terms,
        list_value({{ term_struct('r.') }}) as right_terms,
        rules.f.fn || '(' || a.label || ', ' || b.label || ')' as left_ref,
        r.label as right_ref
    from rules
    join cells as r
        on r.measure = rules.r_measure
        and (rules.dataset = '*' or r.dataset = rules.dataset)
        and (rules.tables = '*' or list_contains(string_split(rules.tables, '|'), r.statement))
    join cells as a
        on a.report_id = r.report_id and a.table_id = r.table_id and a.line = r.line
        and a.slot_group = r.slot_group and a.measure = rules.f.a
        and a.fiscal_year = r.fiscal_year - (case when rules.f.a_prev = '@prev' then 1 else 0 end)
    join cells as b
        on b.report_id = r.report_id and b.table_id = r.table_id and b.line = r.line
        and b.slot_group = r.slot_group and b.measure = rules.f.b
        and b.fiscal_year = r.fiscal_year - (case when rules.f.b_prev = '@prev' then 1 else 0 end)
    where rules.f.fn <> ''
),

bounds as (
    -- intervals of the rounded inputs; for abs_ratio_pct the intervals of |a| and |b|
    select
        *,
        case when fn = 'abs_ratio_pct' then
            case when a_value - a_half <= 0 and a_value + a_half >= 0 then 0
                 else least(abs(a_value - a_half), abs(a_value + a_half)) end
            else a_value - a_half end as a_lo,
        case when fn = 'abs_ratio_pct' then greatest(abs(a_value - a_half), abs(a_value + a_half))
            else a_value + a_half end as a_hi,
        case when fn in ('abs_ratio_pct', 'ratio_of_abs_pct') then
            case when b_value - b_half <= 0 and b_value + b_half >= 0 then 0
                 else least(abs(b_value - b_half), abs(b_value + b_half)) end
            else b_value - b_half end as b_lo,
        case when fn in ('abs_ratio_pct', 'ratio_of_abs_pct') then greatest(abs(b_value - b_half), abs(b_value + b_half))
            else b_value + b_half end as b_hi
    from rows_
),

computed as (
    select
        *,
        case fn
            when 'difference' then a_value - b_value
            when 'sum' then a_value + b_value
            when 'ratio_pct' then a_value / nullif(b_value, 0) * 100
            when 'abs_ratio_pct' then abs(a_value) / nullif(abs(b_value), 0) * 100
            when 'ratio_of_abs_pct' then a_value / nullif(abs(b_value), 0) * 100
        end as left_value,
        fn like '%ratio%' as is_ratio,
        100 * least(a_lo / b_lo, a_lo / b_hi, a_hi / b_lo, a_hi / b_hi) as q_lo,
        100 * greatest(a_lo / b_lo, a_lo / b_hi, a_hi / b_lo, a_hi / b_hi) as q_hi
    from bounds
    -- a ratio whose divisor may be 0 within rounding says nothing
    where not (fn like '%ratio%' and b_lo <= 0 and b_hi >= 0)
),

judged as (
    select
        *,
        case when is_ratio then (q_hi - q_lo) / 2 + r_half else a_half + b_half + r_half end as tolerance,
        case when is_ratio then not (r_value + r_half < q_lo - 1e-9 or r_value - r_half > q_hi + 1e-9)
             else {{ within_rounding('left_value - r_value', 'a_half + b_half + r_half') }} end as holds
    from computed
    where left_value is not null
),

-- per table, column group and rule: how many rows each way holds on
conventions as (
    select report_id, table_id, slot_group, rule_id, variant, count(*) filter (where holds) as holding,
        any_value(l.lines) as lines
    from judged
    join (select report_id, table_id, slot_group, rule_id, count(distinct (line, year)) as lines
          from judged group by all) as l using (report_id, table_id, slot_group, rule_id)
    group by report_id, table_id, slot_group, rule_id, variant
),

convention as (
    select report_id, table_id, slot_group, rule_id,
        case when holding >= 3 and holding >= 0.8 * lines then variant end as variant
    from conventions
    qualify row_number() over (partition by report_id, table_id, slot_group, rule_id
                               order by holding desc, variant) = 1
),

lines_ as (
    select j.*, v.variant as convention,
        bool_or(j.holds) over (partition by j.report_id, j.table_id, j.slot_group, j.rule_id, j.line, j.year)
            as any_holds
    from judged as j
    join convention as v using (report_id, table_id, slot_group, rule_id)
)

select
    report_id,
    rule_id,
    concat_ws(' · ', table_label, line_label, nullif(slot_group, ''), year) as check_key,
    left_value,
    r_value as right_value,
    tolerance,
    case when convention is not null then holds else any_holds end as passed,
    left_ref || case when convention is null then '' else ' (the table''s convention)' end as left_ref,
    right_ref,
    left_terms,
    right_terms,
    cast(null as varchar) as other_report_id
from lines_
-- one check per row: under a convention its way, else the first way that holds (or the first way)
where (convention is not null and variant = convention) or convention is null
qualify row_number() over (
    partition by report_id, table_id, slot_group, rule_id, line, year
    order by (convention is not null and variant = convention) desc, holds desc, variant) = 1
