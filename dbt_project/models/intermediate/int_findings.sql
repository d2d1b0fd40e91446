{{ config(materialized='table') }}
-- The figures that disagree beyond rounding in every version of every report, with both sides
-- and where they are printed. A disagreement between the same printed figures that several
-- checks find (a generic footing and a written rule for the same table) is one finding, reported
-- by the most general check.
with failed as (
    select
        *,
        list_sort(list_distinct(list_transform(
            left_terms || right_terms,
            lambda t: struct_pack(page := t.page, x0 := round(t.x0, 1), top := round(t.top, 1))))) as figures
    from {{ ref('int_checks') }}
    where not passed
)

select
    report_id,
    rule_id,
    severity,
    description,
    left_value,
    right_value,
    difference,
    tolerance,
    left_ref,
    right_ref,
    other_report_id,
    check_key,
    kind,
    left_terms,
    right_terms
from failed
qualify row_number() over (
    partition by report_id, other_report_id, figures
    order by list_position(['footing', 'row_formula', 'identity', 'cross_table', 'cross_report'], kind), rule_id) = 1
