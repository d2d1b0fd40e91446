-- row_formula rules: within one printed row, fn(a, b) of two measures equals a third measure.
-- 'name@prev' takes that measure for the previous year (Utfall 2023 beside Utfall 2024).
-- Ratios are checked with interval arithmetic over the rounded inputs.
with rules as (
    select
        rule_id,
        split_part(scope, ':', 1) as dataset,
        split_part(scope, ':', 2) as tables,
        regexp_extract(left_side, '^(\w+)\(\s*(\w+)(@prev)?\s*,\s*(\w+)(@prev)?\s*\)$', 1) as fn,
        regexp_extract(left_side, '^(\w+)\(\s*(\w+)(@prev)?\s*,\s*(\w+)(@prev)?\s*\)$', 2) as a_measure,
        regexp_extract(left_side, '^(\w+)\(\s*(\w+)(@prev)?\s*,\s*(\w+)(@prev)?\s*\)$', 3) = '@prev' as a_prev,
        regexp_extract(left_side, '^(\w+)\(\s*(\w+)(@prev)?\s*,\s*(\w+)(@prev)?\s*\)$', 4) as b_measure,
        regexp_extract(left_side, '^(\w+)\(\s*(\w+)(@prev)?\s*,\s*(\w+)(@prev)?\s*\)$', 5) = '@prev' as b_prev,
        right_side as r_measure
    from {{ ref('reconciliation_rules') }}
    where kind = 'row_formula'
),

figures as (
    select * from {{ ref('int_figures') }}
),

rows as (
    select
        rules.rule_id, rules.fn, r.report_id, r.table_key, r.line, r.year,
        a.value as a_value, a.half_unit as a_half, b.value as b_value, b.half_unit as b_half,
        r.value as r_value, r.half_unit as r_half,
        list_value({{ term_struct('a.') }}, {{ term_struct('b.') }}) as left_terms,
        list_value({{ term_struct('r.') }}) as right_terms,
        rules.fn || '(' || a.label || ', ' || b.label || ')' as left_ref,
        r.label as right_ref
    from rules
    join figures as r
        on r.dataset = rules.dataset and r.measure = rules.r_measure
        and (rules.tables = '*' or list_contains(string_split(rules.tables, '|'), r.table_key))
    join figures as a
        on a.report_id = r.report_id and a.dataset = r.dataset and a.table_key = r.table_key
        and a.line = r.line and a.line_order is not distinct from r.line_order
        and a.measure = rules.a_measure and a.year = r.year - (case when rules.a_prev then 1 else 0 end)
    join figures as b
        on b.report_id = r.report_id and b.dataset = r.dataset and b.table_key = r.table_key
        and b.line = r.line and b.line_order is not distinct from r.line_order
        and b.measure = rules.b_measure and b.year = r.year - (case when rules.b_prev then 1 else 0 end)
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
        case when fn = 'abs_ratio_pct' then
            case when b_value - b_half <= 0 and b_value + b_half >= 0 then 0
                 else least(abs(b_value - b_half), abs(b_value + b_half)) end
            else b_value - b_half end as b_lo,
        case when fn = 'abs_ratio_pct' then greatest(abs(b_value - b_half), abs(b_value + b_half))
            else b_value + b_half end as b_hi
    from rows
),

computed as (
    select
        *,
        case fn
            when 'difference' then a_value - b_value
            when 'sum' then a_value + b_value
            when 'ratio_pct' then a_value / nullif(b_value, 0) * 100
            when 'abs_ratio_pct' then abs(a_value) / nullif(abs(b_value), 0) * 100
        end as left_value,
        fn in ('ratio_pct', 'abs_ratio_pct') as is_ratio,
        100 * least(a_lo / b_lo, a_lo / b_hi, a_hi / b_lo, a_hi / b_hi) as q_lo,
        100 * greatest(a_lo / b_lo, a_lo / b_hi, a_hi / b_lo, a_hi / b_hi) as q_hi
    from bounds
    -- a ratio whose divisor may be 0 within rounding says nothing
    where not (fn in ('ratio_pct', 'abs_ratio_pct') and b_lo <= 0 and b_hi >= 0)
)

select
    report_id,
    rule_id,
    concat_ws(' · ', table_key, line, year) as check_key,
    left_value,
    r_value as right_value,
    case when is_ratio then (q_hi - q_lo) / 2 + r_half else a_half + b_half + r_half end as tolerance,
    case when is_ratio then not (r_value + r_half < q_lo - 1e-9 or r_value - r_half > q_hi + 1e-9) end
        as ratio_passed,
    left_ref,
    right_ref,
    left_terms,
    right_terms,
    cast(null as varchar) as other_report_id
from computed
where left_value is not null
