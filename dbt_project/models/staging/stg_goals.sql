select
    cast(report_id as varchar) as report_id,
    trim(goal_area) as goal_area,
    trim(goal_id) as goal_id,
    trim(title) as title,
    trim(assessment) as assessment,
    cast(page as integer) as page
from {{ source('arw', 'raw_goals') }}
