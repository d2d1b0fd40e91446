-- Indicator tables from the general cells and the vocabulary (seed vocab_indicators): one row
-- per indicator and year column (a header printing a year; 'Mål 2026' is a target), whatever
-- was printed there (a number, '*' pending, '-' or nothing: missing).
--   level: a staff table (family staff_indicators) is the administration's; otherwise the first
--     header says (KF-indikatorer: KF), else the board's own (nämnd);
--   entity: the municipality, for a staff table the administration, or the organisation a staff
--     table's row names (the indicator is then the table's first header: Total sjukfrånvaro);
--   goal area: the goal area heading above the table, for a staff table the chapter;
--   unit: percent when a figure of the row prints '%', else the vocabulary's word in the
--     indicator or the caption above the table, else count.
-- A year outside 1990–2100 is a misprint: the row is rejected with that reason (it goes to
-- fct_quarantine, not to fct_indicators); the cell itself stays in fct_table_cells as printed.
with cells as (
    select c.*, r.municipality, r.administration
    from {{ ref('int_table_cells') }} as c
    join {{ ref('stg_reports') }} as r using (report_id)
    where c.dataset = 'indicators'
),

vocab as (
    select * from {{ ref('vocab_indicators') }}
),

tables_ as (
    select t.*,
        case when t.statement = 'staff_indicators' then 'förvaltning'
             else coalesce((select v.value from vocab as v where v.kind = 'level'
                            and regexp_matches(coalesce(t.first_header, ''), v.pattern, 'i')
                            order by v.priority limit 1), 'nämnd') end as level
    from (select distinct report_id, table_id, statement, first_header, caption, chapter, goal_area from cells) as t
),

rows_ as (
    select r.*, t.level, t.first_header, t.caption, t.chapter, t.goal_area,
        t.level = 'förvaltning' and exists (select 1 from vocab as v where v.kind = 'entity'
                                            and regexp_matches(r.label, v.pattern, 'i')) as names_entity
    from (select distinct report_id, table_id, row_index,
                 trim(regexp_replace(row_label, '\s*[*¹²³]+$', '')) as label, municipality, administration
          from cells) as r
    join tables_ as t using (report_id, table_id)
),

named as (
    select r.*,
        case when r.names_entity then r.label when r.level = 'förvaltning' then r.administration
             else r.municipality end as entity,
        case when r.names_entity then trim(regexp_replace(r.first_header, '\s*[*¹²³]+$', '')) else r.label end as indicator,
        case when r.level = 'förvaltning' then r.chapter else coalesce(r.goal_area, r.chapter) end as area
    from rows_ as r
),

figures as (
    select c.*, n.level, n.entity, n.indicator, n.area, n.caption as table_caption,
        bool_or(c.value_status = 'reported' and regexp_matches(c.printed, '(%|procent)\s*$', 'i'))
            over (partition by c.report_id, c.table_id, c.row_index) as row_in_percent
    from cells as c
    join named as n using (report_id, table_id, row_index)
    where c.header_year is not null and c.value_status in ('reported', 'pending', 'missing', 'empty')
)

select
    f.report_id,
    f.table_id,
    coalesce(f.area, '') as goal_area,
    f.level,
    coalesce(f.entity, '') as entity,
    f.indicator,
    f.header_year as "year",
    case when f.value_status = 'reported' then f.value end as "value",
    case when f.value_status = 'reported' then f.decimals end as decimals,
    case when f.value_status = 'empty' then 'missing' else f.value_status end as value_status,
    exists (select 1 from vocab as v where v.kind = 'target' and regexp_matches(f.column_path, v.pattern, 'i')) as is_target,
    case when f.row_in_percent then 'percent'
         else coalesce((select v.value from vocab as v where v.kind = 'unit'
                        and regexp_matches(f.indicator || ' ' || coalesce(f.table_caption, ''), v.pattern, 'i')
                        order by v.priority limit 1), 'count') end as unit,
    f.page,
    f.x0, f.top, f.x1, f.bottom,
    f.row_index,
    case when f.header_year not between 1990 and 2100
         then 'year ' || f.header_year || ' is outside 1990–2100 (a misprinted year?): the indicator row is kept in quarantine'
    end as reject_reason
from figures as f
