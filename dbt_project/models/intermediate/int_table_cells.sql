-- Every value cell of every table of every report, in one general form, with its meaning
-- from the vocabulary: the statement or list it belongs to, the row's role, the measure, the
-- period, the unit and the amount normalised to tkr.
with cells as (
    select * from {{ ref('stg_cells') }}
    where {{ is_changed_report() }}
),

tables_ as (
    select distinct family, dataset from {{ ref('vocab_tables') }}
),

default_unit as (
    select unit from {{ ref('units') }} where is_default limit 1
),

typed as (
    select
        c.*,
        t.dataset,
        r.row_role,
        coalesce(r.row_measure, m.measure) as measure,
        r.row_measure is not null as measure_in_row,
        rep.fiscal_year as report_year
    from cells as c
    left join tables_ as t on t.family = c.family
    left join {{ ref('int_row_roles') }} as r using (report_id, table_id, row_index)
    left join {{ ref('int_column_measures') }} as m using (report_id, table_id, col_index)
    left join {{ ref('stg_reports') }} as rep using (report_id)
),

-- a percentage measure is in percent; an amount of a statement whose unit is printed nowhere
-- is in the default unit; any other cell keeps the unit printed (or none)
united as (
    select *,
        case when measure like '%\_pct' escape '\' then 'percent'
             else coalesce(unit, case when dataset = 'budget' then (select unit from default_unit) end)
        end as resolved_unit
    from typed
)

select
    t.report_id,
    t.table_id,
    t.page,
    t.chapter,
    t.heading,
    t.goal_area,
    t.caption,
    t.first_header,
    t.family as statement,
    t.dataset,
    t.row_index,
    t.row_label,
    t.row_path,
    t.row_depth,
    t.row_role,
    t.col_index as column_index,
    t.column_path,
    t.measure,
    t.measure_in_row,
    t.period,
    coalesce(t.period_year, t.group_period_year) as header_year,
    -- a deviation or a change is always this year's; outcome and budget may take the year of
    -- the group header above them ('Helår 2023' over 'Utfall')
    coalesce(t.period_year,
             case when t.measure in ('outcome', 'budget', 'ks', 'ks_reserve', 'total') then t.group_period_year end,
             t.report_year) as fiscal_year,
    t.value,
    t.decimals,
    t.printed,
    t.value_status,
    t.note,
    t.resolved_unit as unit,
    t.value * u.tkr_factor as amount_tkr,
    u.tkr_factor,
    t.x0, t.top, t.x1, t.bottom
from united as t
left join {{ ref('units') }} as u on u.unit = t.resolved_unit
