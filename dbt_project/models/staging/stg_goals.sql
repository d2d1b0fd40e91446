select
    cast(report_id as varchar) as report_id,
    trim(goal_area) as goal_area,
    trim(goal_id) as goal_id,
    trim(title) as title,
    trim(assessment) as assessment,
    cast(page as integer) as page,
    cast(x0 as double) as x0,
    cast(top as double) as top,
    cast(x1 as double) as x1,
    cast(bottom as double) as bottom
from {{ source('arw', 'raw_goals') }}
