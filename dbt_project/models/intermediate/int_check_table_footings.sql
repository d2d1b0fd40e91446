{{ config(materialized='table') }}
-- Footings at every level of every table whose lines add up, in every numeric column, read the
-- way a reader reads them. A sum line (subtotal or total, int_row_roles) can add up in four
-- ways, and a line passes when one of them holds within rounding:
--   own       the lines of its section since the previous sum line there (a section's Summa),
--             each sum line among them standing for the lines it sums;
--   running   the previous sum line of its section plus those lines (Verksamhetens resultat =
--             Verksamhetens nettokostnader + skatteintäkter + ...);
--   block     every line since the previous total of its section, each sum line standing for
--             its own lines (RÖRELSERESULTAT = Summa rörelseintäkter + Summa rörelsekostnader);
--   chain     the same, where a running sum line also stands for the sum line it continues
--             (Årets kassaflöde = the three Kassaflöde från ... lines).
-- A printing error breaks a line in one column; a line that adds up in no column at all is a
-- structure arw does not understand, and is not reported. So a failing line is reported with the
-- way it adds up in another column, or, in a table with one numeric column, its own lines when
-- other lines of that table add up.
with cells as (
    select * from {{ ref('int_check_cells') }}
    where rows_add_up and unit is distinct from 'percent'
),

rows_ as (
    select distinct report_id, table_id, row_index, row_role, section from cells
),

sum_rows as (
    select s.report_id, s.table_id, s.row_index, s.row_role, s.section,
        coalesce(max(p.row_index), 0) as since,
        coalesce(max(p.row_index) filter (where p.row_role = 'total'), 0) as since_total,
        -- the sum line a running line continues: the previous one of its section or, first in
        -- its section, of an enclosing one ('Balanseras i ny räkning' after 'Totalt')
        coalesce(max(o.row_index), 0) as continues
    from rows_ as s
    left join rows_ as p
        on p.report_id = s.report_id and p.table_id = s.table_id and p.row_role <> 'detail'
        and p.section = s.section and p.row_index < s.row_index
    left join rows_ as o
        on o.report_id = s.report_id and o.table_id = s.table_id and o.row_role <> 'detail'
        and (o.section = s.section or o.section = '' or starts_with(s.section, o.section || ' > '))
        and o.row_index < s.row_index
    where s.row_role <> 'detail'
    group by all
),

-- the lines of a sum line's section (nested sections included) after `start`
windows as (
    select s.report_id, s.table_id, s.row_index as sum_row, w.kind, m.row_index as member, m.row_role as member_role
    from sum_rows as s
    cross join (values ('own'), ('block')) as w(kind)
    join rows_ as m
        on m.report_id = s.report_id and m.table_id = s.table_id and m.row_index < s.row_index
        and m.row_index > case w.kind when 'own' then s.since else s.since_total end
        and (s.section = '' or m.section = s.section or starts_with(m.section, s.section || ' > '))
),

-- a sum line inside a window stands for the lines of its own window
covered as (
    select w.report_id, w.table_id, w.sum_row, w.kind, o.member
    from windows as w
    join windows as o
        on o.report_id = w.report_id and o.table_id = w.table_id and o.sum_row = w.member and o.kind = 'own'
    where w.member_role <> 'detail'
),

own_members as (
    select w.report_id, w.table_id, w.sum_row, w.kind, w.member
    from windows as w
    anti join covered as c using (report_id, table_id, sum_row, kind, member)
),

members as (
    select report_id, table_id, sum_row, kind, member from own_members
    union all
    select report_id, table_id, sum_row, 'running', member from own_members where kind = 'own'
    union all
    select report_id, table_id, row_index, 'running', continues from sum_rows where continues > 0
),

evaluated as (
    select
        m.report_id, m.table_id, m.sum_row, m.kind, t.column_index,
        sum(f.value) as computed,
        sum(f.half_unit) as terms_half,
        count(f.row_index) = count(*) as complete,
        count(*) as lines,
        'sum of ' || count(*) || ' lines: ' || string_agg(f.row_label, ' + ' order by f.row_index) as ref,
        list({{ term_struct('f.') }} order by f.row_index) as terms,
        any_value(t.value) as printed_value,
        any_value(t.half_unit) as total_half,
        any_value(t.is_printed) as printed
    from members as m
    join cells as t on t.report_id = m.report_id and t.table_id = m.table_id and t.row_index = m.sum_row
    left join cells as f
        on f.report_id = m.report_id and f.table_id = m.table_id and f.row_index = m.member
        and f.column_index = t.column_index
    group by all
),

judged as (
    select *, {{ within_rounding('computed - printed_value', 'terms_half + total_half') }} as holds
    from evaluated
    where complete and printed
),

-- a running line that holds only as running continues the sum line before it, which it then
-- stands for in a chain
continues as (
    select j.report_id, j.table_id, j.column_index, s.continues as member
    from judged as j
    join sum_rows as s on s.report_id = j.report_id and s.table_id = j.table_id and s.row_index = j.sum_row
    where j.kind = 'running' and j.holds
      and not exists (select 1 from judged as o where o.report_id = j.report_id and o.table_id = j.table_id
                      and o.sum_row = j.sum_row and o.column_index = j.column_index and o.kind = 'own' and o.holds)
),

chain_parts as (
    select e.report_id, e.table_id, e.sum_row, e.column_index, e.computed, e.terms_half, e.complete, e.lines,
        e.ref, e.terms, e.printed_value, e.total_half, e.printed,
        sum(f.value) as less_value, sum(f.half_unit) as less_half, count(f.row_index) as less_lines,
        string_agg(f.row_label, ', ') as less_labels,
        list(struct_pack(page := f.page, x0 := f.x0, top := f.top)) filter (where f.row_index is not null) as less_at
    from judged as e
    join continues as c on c.report_id = e.report_id and c.table_id = e.table_id and c.column_index = e.column_index
    join own_members as w
        on w.report_id = e.report_id and w.table_id = e.table_id and w.sum_row = e.sum_row and w.kind = 'block'
        and w.member = c.member
    join cells as f
        on f.report_id = w.report_id and f.table_id = w.table_id and f.row_index = w.member
        and f.column_index = e.column_index
    where e.kind = 'block'
    group by all
),

chain as (
    select report_id, table_id, sum_row, 'chain' as kind, column_index,
        computed - less_value as computed,
        terms_half - less_half as terms_half,
        complete,
        lines - less_lines as lines,
        ref || ' less ' || less_labels || ' (continued by the line after it)' as ref,
        list_filter(terms, lambda x: not list_contains(less_at, struct_pack(page := x.page, x0 := x.x0, top := x.top)))
            as terms,
        printed_value, total_half, printed
    from chain_parts
),

candidates as (
    select * from judged
    union all by name
    select *, {{ within_rounding('computed - printed_value', 'terms_half + total_half') }} as holds from chain where lines > 0
),

lines_ as (
    select report_id, table_id, sum_row, column_index, bool_or(holds) as holds
    from candidates
    group by all
),

-- the ways each sum line adds up in some column, and how many numeric columns each table has
ways as (
    select report_id, table_id, sum_row, kind from candidates where holds group by all
),

table_shape as (
    select report_id, table_id, count(distinct column_index) as columns,
        count(*) filter (where holds) as holding_lines
    from lines_
    group by all
),

chosen as (
    select c.*, l.holds as line_holds
    from candidates as c
    join lines_ as l using (report_id, table_id, sum_row, column_index)
    join table_shape as s using (report_id, table_id)
    left join ways as w using (report_id, table_id, sum_row, kind)
    where (l.holds and c.holds)
       or (not l.holds and (w.kind is not null
                            or (s.columns = 1 and c.kind = 'own' and s.holding_lines > 0
                                and not exists (select 1 from ways as x where x.report_id = c.report_id
                                                and x.table_id = c.table_id and x.sum_row = c.sum_row))))
    qualify row_number() over (
        partition by c.report_id, c.table_id, c.sum_row, c.column_index
        order by list_position(['own', 'running', 'block', 'chain'], c.kind)) = 1
)

select
    c.report_id,
    'footing' as rule_id,
    t.table_label || ' · ' || t.row_path || ' · ' || t.column_path as check_key,
    c.computed as left_value,
    c.printed_value as right_value,
    c.terms_half + c.total_half as tolerance,
    c.line_holds as passed,
    c.ref as left_ref,
    t.label as right_ref,
    c.terms as left_terms,
    list_value({{ term_struct('t.') }}) as right_terms,
    cast(null as varchar) as other_report_id
from chosen as c
join cells as t on t.report_id = c.report_id and t.table_id = c.table_id and t.row_index = c.sum_row
    and t.column_index = c.column_index
