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
from {{ ref('stg_indicators') }}
