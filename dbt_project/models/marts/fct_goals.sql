select
    report_id,
    goal_area,
    goal_id,
    title,
    assessment,
    page
from {{ ref('int_goals') }}
where {{ is_current_report() }}
