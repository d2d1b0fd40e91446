select
    cast(report_id as varchar) as report_id,
    cast(table_id as integer) as table_id,
    trim(goal_area) as goal_area,
    trim("level") as "level",
    trim(entity) as entity,
    trim(indicator) as indicator,
    cast("year" as integer) as "year",
    cast("value" as double) as "value",
    cast(decimals as integer) as decimals,
    trim(value_status) as value_status,
    cast(is_target as boolean) as is_target,
    trim(unit) as unit,
    cast(page as integer) as page,
    cast(x0 as double) as x0,
    cast(top as double) as top,
    cast(x1 as double) as x1,
    cast(bottom as double) as bottom
from {{ source('arw', 'raw_indicators') }}
