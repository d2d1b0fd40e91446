{{ config(materialized='table') }}
-- Every check evaluated by every rule, passed or not. A rule fails only when the intervals of
-- its two sides cannot overlap: |left - right| >= the sum of all half-units involved
-- (ratios: the printed interval misses the interval computed from the rounded inputs).
with checks as (
    select *, 'row_formula' as kind from {{ ref('int_check_row_formulas') }}
    union all by name
    select *, 'footing' as kind from {{ ref('int_check_table_footings') }}
    union all by name
    select *, 'identity' as kind from {{ ref('int_check_identities') }}
    union all by name
    select *, 'cross_table' as kind from {{ ref('int_check_cross_table') }}
    union all by name
    select *, 'cross_report' as kind from {{ ref('int_check_cross_report') }}
)

select
    c.report_id,
    c.rule_id,
    r.kind,
    r.severity,
    r.description,
    c.check_key,
    round(c.left_value, 6) as left_value,
    round(c.right_value, 6) as right_value,
    round(c.left_value - c.right_value, 6) as difference,
    round(c.tolerance, 6) as tolerance,
    coalesce(c.passed, abs(round(c.left_value - c.right_value, 9)) < round(c.tolerance, 9)) as passed,
    c.left_ref,
    c.right_ref,
    c.left_terms,
    c.right_terms,
    c.other_report_id
from checks as c
join {{ ref('reconciliation_rules') }} as r using (rule_id)
