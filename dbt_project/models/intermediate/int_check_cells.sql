-- The figures the generic checks work on: every numeric cell of every table, with the half-unit
-- of its printed rounding, its row's section, its column's group (Koncern / Totalt projekt) and
-- a label that says where it is printed.
--
-- A table that never prints a zero leaves a cell empty (or prints '-') where the amount is 0,
-- so there such a cell is the figure 0, exact; in a table that prints its zeros an empty cell is
-- no figure at all, and a check that needs it is not evaluated.
with cells as (
    select
        c.*,
        case when c.row_depth = 0 then '' else regexp_replace(c.row_path, ' > [^>]*$', '') end as section,
        -- a group header that names a period ('Helår 2024 > Budget') only dates its columns; one
        -- that names an entity or a scope ('Koncern', 'Totalt projekt') sets them apart
        case when c.column_path like '% > %'
                  and not regexp_matches(regexp_replace(c.column_path, ' > [^>]*$', ''), '(19|20)\d\d')
             then regexp_replace(c.column_path, ' > [^>]*$', '') else '' end as header_group,
        coalesce(s.rows_add_up, true) as rows_add_up
    from {{ ref('int_table_cells') }} as c
    left join {{ ref('check_scopes') }} as s on s.family = c.statement
    where {{ is_changed_report('c.report_id') }} and c.measure is distinct from 'note_ref'
      and c.value_status in ('reported', 'empty', 'missing')
),

tables_ as (
    select
        report_id, table_id, any_value(heading) as heading,
        not bool_or(value_status = 'reported' and value = 0) as blank_is_zero,
        bool_or(measure_in_row) as measures_in_rows
    from cells
    group by all
),

-- a group over one column only is a header printed on two lines ('Total budget' over 'KS')
grouped as (
    select *,
        case when count(distinct column_index) over (partition by report_id, table_id, header_group) > 1
             then header_group else '' end as column_group
    from cells
),

-- a label printed on two lines of one table names each by its line number too
keyed as (
    select *,
        row_path || case when count(distinct row_index) over (partition by report_id, table_id, row_path) > 1
                         then ' (line ' || row_index || ')' else '' end as row_key
    from grouped
),

-- a heading printed above two tables of one report names each by its number too
labelled as (
    select *,
        coalesce(heading, 'table ' || table_id)
            || case when heading is not null and count(*) over (partition by report_id, heading) > 1
                    then ' (table ' || table_id || ')' else '' end as table_label
    from tables_
)

select
    c.report_id, c.table_id, t.table_label, c.statement, c.dataset, c.rows_add_up, t.measures_in_rows,
    c.row_index, c.row_label, c.row_key as row_path, c.row_depth, c.row_role, c.section,
    c.column_index, coalesce(nullif(c.column_path, ''), 'column ' || c.column_index) as column_path, c.column_group, c.measure, c.fiscal_year,
    case when c.value_status = 'reported' then c.value else 0 end as value,
    case when c.value_status = 'reported' then c.decimals else 0 end as decimals,
    case when c.value_status = 'reported' then 0.5 * power(10, -c.decimals) else 0 end as half_unit,
    c.value_status = 'reported' as is_printed, c.printed, c.unit, c.tkr_factor, c.page, c.x0, c.top, c.x1, c.bottom,
    t.table_label || ' · ' || c.row_key || ' · ' || coalesce(nullif(c.column_path, ''), 'column ' || c.column_index)
        as label
from keyed as c
join labelled as t using (report_id, table_id)
where c.value_status = 'reported'
   -- a blank counts as 0 only in a table that leaves 0 blank, and in a column that prints figures
   or (t.blank_is_zero and exists (
        select 1 from grouped as p where p.report_id = c.report_id and p.table_id = c.table_id
        and p.column_index = c.column_index and p.value_status = 'reported'))
