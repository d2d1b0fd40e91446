select
    report_id,
    goal_area,
    "level",
    entity,
    indicator,
    "year",
    "value",
    decimals,
    value_status,
    is_target,
    unit,
    page
from {{ ref('int_indicators') }}
where reject_reason is null and {{ is_current_report() }}
