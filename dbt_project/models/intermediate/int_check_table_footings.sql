-- Footings at every level of every table whose lines add up, in every numeric column, read the
-- way a reader reads them. A sum line (subtotal or total, int_row_roles) can add up in several
-- ways, and a line passes when one of them holds within rounding:
--   own          the lines of its section since the previous sum line there (a section's Summa),
--                each sum line among them standing for the lines of its own section;
--   running      the sum line it continues plus those lines (Verksamhetens resultat =
--                Verksamhetens nettokostnader + skatteintäkter + ...; Balanseras i ny räkning =
--                Totalt + the lines of the proposal);
--   block        every line since the previous total of its section (RÖRELSERESULTAT = Summa
--                rörelseintäkter + Summa rörelsekostnader);
--   after_total  every line of its section since the previous total anywhere above (SUMMA
--                OMSÄTTNINGSTILLGÅNGAR printed outside its section, after SUMMA
--                ANLÄGGNINGSTILLGÅNGAR);
--   tops         every line above in its section that no sum line adding up in this column
--                already stands for (SUMMA TILLGÅNGAR = the two SUMMA lines; Årets kassaflöde =
--                the three Kassaflöde från … lines, one of them continuing a fourth);
--   tops_up, …_any  tops over the enclosing section, after_total and tops over every section:
--                a closing Summa line the reading of the layout left inside the last section it
--                closes ('Summa Anläggningstillgångar' read as a line of 'Finansiella
--                anläggningstillgångar', SUMMA EGET KAPITAL OCH SKULDER in Kortfristiga skulder).
-- A printing error breaks a line in one column; a line that adds up in no column at all is a
-- structure arw does not understand, and is not reported. So a failing line is reported with the
-- way it adds up in another column, or, in a table with one numeric column, its own lines when
-- other lines of that table add up or it is the table's only sum line.
with cells as (
    select * from {{ ref('int_check_cells') }}
    where {{ is_changed_report() }} and rows_add_up and unit is distinct from 'percent'
),

rows_ as (
    select distinct report_id, table_id, row_index, row_role, section from cells
),

sum_rows as (
    select s.report_id, s.table_id, s.row_index, s.row_role, s.section,
        regexp_replace(s.section, ' > [^>]*$', '') as parent_section,
        coalesce(max(o.row_index) filter (where o.section = s.section), 0) as since,
        coalesce(max(o.row_index) filter (where o.section = s.section and o.row_role = 'total'), 0) as since_total,
        coalesce(max(a.row_index) filter (where a.row_role = 'total'), 0) as since_any_total,
        -- the sum line a running line continues: the previous one of its section or, first in
        -- its section, of an enclosing one
        coalesce(max(o.row_index), 0) as continues
    from rows_ as s
    left join rows_ as o
        on o.report_id = s.report_id and o.table_id = s.table_id and o.row_role <> 'detail'
        and (o.section = s.section or o.section = '' or starts_with(s.section, o.section || ' > '))
        and o.row_index < s.row_index
    left join rows_ as a
        on a.report_id = s.report_id and a.table_id = s.table_id and a.row_role <> 'detail'
        and a.row_index < s.row_index
    where s.row_role <> 'detail'
    group by all
),

-- the lines of a sum line's section (nested sections included) after the window's start
windows as (
    select s.report_id, s.table_id, s.row_index as sum_row, w.kind, m.row_index as member, m.row_role as member_role
    from sum_rows as s
    cross join (values ('own'), ('block'), ('after_total'), ('after_total_any'), ('tops'), ('tops_up'), ('tops_any'))
        as w(kind)
    join rows_ as m
        on m.report_id = s.report_id and m.table_id = s.table_id and m.row_index < s.row_index
        and m.row_index > case w.kind when 'own' then s.since when 'block' then s.since_total
                                      when 'after_total' then s.since_any_total
                                      when 'after_total_any' then s.since_any_total else 0 end
        and case when w.kind like '%\_any' escape '\' then true
                 when w.kind = 'tops_up' then s.section like '% > %' and (m.section = s.parent_section
                                              or starts_with(m.section, s.parent_section || ' > '))
                 else s.section = '' or m.section = s.section or starts_with(m.section, s.section || ' > ') end
),

-- a sum line inside a window stands for the lines of its own section it sums
covered as (
    select w.report_id, w.table_id, w.sum_row, w.kind, o.member
    from windows as w
    join windows as o
        on o.report_id = w.report_id and o.table_id = w.table_id and o.sum_row = w.member and o.kind = 'own'
    where w.member_role <> 'detail' and w.kind not like 'tops%'
),

plain_members as (
    select w.report_id, w.table_id, w.sum_row, w.kind, w.member
    from windows as w
    anti join covered as c using (report_id, table_id, sum_row, kind, member)
    where w.kind not like 'tops%'
),

members as (
    select * from plain_members
    union all
    select report_id, table_id, sum_row, 'running', member from plain_members where kind = 'own'
    union all
    select report_id, table_id, row_index, 'running', continues from sum_rows where continues > 0
),

{% set evaluate_columns %}
        sum(f.value) as computed,
        sum(f.half_unit) as terms_half,
        count(f.row_index) = count(*) as complete,
        count(*) as lines,
        'sum of ' || count(*) || ' lines: ' || string_agg(f.row_label, ' + ' order by f.row_index) as ref,
        list({{ term_struct('f.') }} order by f.row_index) as terms,
        any_value(t.value) as printed_value,
        any_value(t.half_unit) as total_half,
        any_value(t.is_printed) as printed
{% endset %}

evaluated as (
    select m.report_id, m.table_id, m.sum_row, m.kind, t.column_index, {{ evaluate_columns }}
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

-- in each column, the lines a sum line stands for: those of the first way it adds up in
standing as (
    select h.report_id, h.table_id, h.column_index, h.sum_row, m.member
    from (select * from judged where holds
          qualify row_number() over (partition by report_id, table_id, sum_row, column_index
                                     order by list_position(['own', 'running', 'block', 'after_total', 'after_total_any', 'tops', 'tops_up', 'tops_any'], kind)) = 1
         ) as h
    join windows as m
        on m.report_id = h.report_id and m.table_id = h.table_id and m.sum_row = h.sum_row
        and m.kind = case h.kind when 'running' then 'own' else h.kind end
    union all
    select j.report_id, j.table_id, j.column_index, j.sum_row, s.continues
    from judged as j
    join sum_rows as s on s.report_id = j.report_id and s.table_id = j.table_id and s.row_index = j.sum_row
    where j.kind = 'running' and j.holds
      and not exists (select 1 from judged as o where o.report_id = j.report_id and o.table_id = j.table_id
                      and o.sum_row = j.sum_row and o.column_index = j.column_index and o.kind = 'own' and o.holds)
),

-- tops: the lines above that no sum line (between them and this one) adding up here stands for
tops_members as (
    select w.report_id, w.table_id, w.sum_row, w.kind, t.column_index, w.member
    from windows as w
    join cells as t on t.report_id = w.report_id and t.table_id = w.table_id and t.row_index = w.sum_row
    where w.kind like 'tops%'
      and not exists (
        select 1 from standing as s
        join windows as inside
            on inside.report_id = s.report_id and inside.table_id = s.table_id and inside.sum_row = w.sum_row
            and inside.kind = w.kind and inside.member = s.sum_row
        where s.report_id = w.report_id and s.table_id = w.table_id and s.column_index = t.column_index
          and s.member = w.member)
),

tops as (
    select m.report_id, m.table_id, m.sum_row, m.kind, m.column_index, {{ evaluate_columns }}
    from tops_members as m
    join cells as t on t.report_id = m.report_id and t.table_id = m.table_id and t.row_index = m.sum_row
        and t.column_index = m.column_index
    left join cells as f
        on f.report_id = m.report_id and f.table_id = m.table_id and f.row_index = m.member
        and f.column_index = m.column_index
    group by all
),

candidates as (
    select * from judged
    union all by name
    select *, {{ within_rounding('computed - printed_value', 'terms_half + total_half') }} as holds
    from tops
    where complete and printed
),

lines_ as (
    select report_id, table_id, sum_row, column_index, bool_or(holds) as holds
    from candidates
    group by all
),

-- the ways each sum line adds up in some column, and each table's numeric columns and sum lines
ways as (
    select report_id, table_id, sum_row, kind from candidates where holds group by all
),

table_shape as (
    select report_id, table_id, count(distinct column_index) as columns,
        count(distinct sum_row) as sum_lines,
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
                            or (s.columns = 1 and c.kind = 'own' and (s.holding_lines > 0 or s.sum_lines = 1)
                                and not exists (select 1 from ways as x where x.report_id = c.report_id
                                                and x.table_id = c.table_id and x.sum_row = c.sum_row))))
    qualify row_number() over (
        partition by c.report_id, c.table_id, c.sum_row, c.column_index
        order by list_position(['own', 'running', 'block', 'after_total', 'after_total_any', 'tops', 'tops_up', 'tops_any'], c.kind)) = 1
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
