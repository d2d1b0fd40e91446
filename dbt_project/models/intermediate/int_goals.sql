-- Goals: judged in the running text (stg_goals, read by the extractor) or in a table of goals
-- (Nämndmål | Bedömning): there the goal is the row label ('1.1 Planberedskapen …'), its area
-- the section row above it or else the heading above the table, and its judgement the words or
-- symbol in the judgement column, read with the vocabulary (seed vocab_assessments).
with table_goals as (
    select
        c.report_id,
        case when c.row_depth > 0 then split_part(c.row_path, ' > ', c.row_depth) else c.heading end as goal_area,
        regexp_extract(c.row_label, '^(\d+(\.\d+)*)\s+', 1) as goal_id,
        trim(regexp_replace(c.row_label, '^\d+(\.\d+)*\s+', '')) as title,
        (select a.assessment from {{ ref('vocab_assessments') }} as a
         where regexp_matches(c.printed, a.pattern, 'i') order by a.priority limit 1) as assessment,
        c.page, c.x0, c.top, c.x1, c.bottom
    from {{ ref('int_table_cells') }} as c
    where c.statement = 'goals' and c.measure = 'assessment' and c.value_status <> 'empty'
      and regexp_matches(c.row_label, '^\d+(\.\d+)*\s+')
)

select report_id, goal_area, goal_id, title, assessment, page, x0, top, x1, bottom
from {{ ref('stg_goals') }}
union all
select report_id, goal_area, goal_id, title, assessment, page, x0, top, x1, bottom
from table_goals
