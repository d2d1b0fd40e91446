-- The figures that disagree beyond rounding, with both sides and where they are printed.
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
from {{ ref('int_checks') }}
where not passed
