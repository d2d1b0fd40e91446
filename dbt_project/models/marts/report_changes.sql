-- What changed from one version of a report to the next (dim_report_versions): every printed
-- figure that differs, appears or disappears (change 'figure': table, row_path, column_path,
-- old and new as printed, pages), and every inconsistency of either version (change 'finding':
-- fixed, still there, or new in the later version).
--
-- Figures pair up by the table's heading (and its number among tables with that heading), the
-- row's path and the column's path, so a table moved to another page still pairs up.
with pairs as (
    select report_id, previous_report_id from {{ ref('dim_report_versions') }}
    where previous_report_id is not null
),

-- the reports of a pair, either side: only their cells are numbered (each report on its own)
versioned as (
    select report_id from pairs
    union
    select previous_report_id from pairs
),

cells as (
    select
        c.report_id, c.table_id, coalesce(c.heading, 'table') as table_name,
        dense_rank() over (partition by c.report_id, coalesce(c.heading, 'table') order by c.table_id) as table_number,
        c.row_path, c.column_path,
        row_number() over (partition by c.report_id, c.table_id, c.row_path, c.column_path order by c.row_index, c.column_index)
            as occurrence,
        c.printed, c.value, c.page
    from {{ ref('int_table_cells') }} as c
    where c.report_id in (select report_id from versioned)
        and c.measure is distinct from 'note_ref' and c.value_status <> 'empty'
),

figure_changes as (
    select
        p.report_id, p.previous_report_id, 'figure' as change,
        case when o.printed is null then 'added' when n.printed is null then 'removed' else 'changed' end as status,
        coalesce(n.table_name, o.table_name) as table_name,
        coalesce(n.row_path, o.row_path) as row_path,
        coalesce(n.column_path, o.column_path) as column_path,
        o.printed as old_printed, n.printed as new_printed, o.value as old_value, n.value as new_value,
        o.page as old_page, n.page as new_page,
        cast(null as varchar) as rule_id, cast(null as varchar) as check_key, cast(null as varchar) as description
    from pairs as p
    join (select o.*, p.report_id as new_report_id from cells as o join pairs as p on o.report_id = p.previous_report_id) as o
        on o.new_report_id = p.report_id
    full join (select n.* from cells as n join pairs as p using (report_id)) as n
        on n.report_id = o.new_report_id and n.table_name = o.table_name and n.table_number = o.table_number
        and n.row_path is not distinct from o.row_path and n.column_path is not distinct from o.column_path
        and n.occurrence = o.occurrence
    where o.printed is distinct from n.printed
),

findings as (
    select report_id, rule_id, check_key, coalesce(other_report_id, '') as other, description,
        left_ref || ' ≠ ' || right_ref as sides, left_terms[1].page as page
    from {{ ref('int_findings') }}
),

finding_changes as (
    select
        coalesce(n.report_id, o.new_report_id) as report_id,
        coalesce(o.report_id, n.previous_report_id) as previous_report_id,
        'finding' as change,
        case when o.rule_id is null then 'new' when n.rule_id is null then 'fixed' else 'still there' end as status,
        cast(null as varchar) as table_name, cast(null as varchar) as row_path, cast(null as varchar) as column_path,
        cast(null as varchar) as old_printed, cast(null as varchar) as new_printed,
        cast(null as double) as old_value, cast(null as double) as new_value,
        o.page as old_page, n.page as new_page,
        coalesce(n.rule_id, o.rule_id) as rule_id,
        coalesce(n.check_key, o.check_key) as check_key,
        coalesce(n.description, o.description) || ': ' || coalesce(n.sides, o.sides) as description
    from (select f.*, p.report_id as new_report_id from findings as f
          join pairs as p on f.report_id = p.previous_report_id) as o
    full join (select f.*, p.previous_report_id from findings as f join pairs as p using (report_id)) as n
        on n.report_id = o.new_report_id and n.rule_id = o.rule_id and n.check_key = o.check_key and n.other = o.other
)

select * from figure_changes
union all
select * from finding_changes
where report_id is not null
