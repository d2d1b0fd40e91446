-- What every table row is, from its label and the vocabulary (seeds vocab_row_roles and
-- vocab_measures), and for tables with the measures in rows (a board's summary) the row's
-- measure.
--
-- A sum line is one the vocabulary names ('Summa …', result lines; '{body}' stands for the
-- report's own board) or one printed bold. It is a total when it is the table's last line,
-- when it sums sections or other sum lines (the lines since the previous sum line of its
-- section include a nested section, or none are plain details: 'Summa investeringar' after
-- the project sections, SUMMA TILLGÅNGAR, Årets kassaflöde) or when the vocabulary says so
-- (role total); otherwise it is a subtotal (Summa pågående projekt, Verksamhetens
-- nettokostnader between the details of a running statement).
with rows_ as (
    select distinct c.report_id, c.table_id, c.family, c.row_index, c.row_label, c.row_path, c.row_depth,
        c.row_bold, lower(coalesce(r.body, '')) as body,
        case when c.row_depth = 0 then '' else regexp_replace(c.row_path, ' > [^>]*$', '') end as section
    from {{ ref('stg_cells') }} as c
    left join {{ ref('stg_reports') }} as r using (report_id)
),

-- each label once (per board, for the '{body}' patterns), as in int_column_measures
labels as (
    select distinct family, row_label, body from rows_
),

label_roles as (
    select l.family, l.row_label, l.body, max(v.role) as role  -- 'total' outranks 'sum'
    from labels as l
    join {{ ref('vocab_row_roles') }} as v
        on (v.statements = '*' or list_contains(string_split(v.statements, '|'), l.family))
        and regexp_matches(coalesce(l.row_label, ''), replace(v.pattern, '{body}', l.body), 'i')
        and (l.body <> '' or v.pattern not like '%{body}%')
    group by all
),

label_measures as (
    select l.family, l.row_label, v.measure, v.priority
    from (select distinct family, row_label from labels) as l
    join {{ ref('vocab_measures') }} as v
        on v.applies_to = 'row'
        and list_contains(string_split(v.statements, '|'), l.family)
        and regexp_matches(coalesce(l.row_label, ''), v.pattern, 'i')
),

vocabulary_roles as (
    select r.report_id, r.table_id, r.row_index, max(l.role) as role
    from rows_ as r
    join label_roles as l
        on l.family is not distinct from r.family and l.row_label is not distinct from r.row_label
        and l.body = r.body
    group by all
),

row_measures as (
    select r.report_id, r.table_id, r.row_index, m.measure
    from rows_ as r
    join label_measures as m on m.family is not distinct from r.family and m.row_label is not distinct from r.row_label
    qualify row_number() over (partition by r.report_id, r.table_id, r.row_index order by m.priority, m.measure) = 1
),

flagged as (
    select r.*, (v.row_index is not null or r.row_bold) as is_sum, coalesce(v.role = 'total', false) as forced_total,
        max(r.row_index) over (partition by r.report_id, r.table_id) as last_row
    from rows_ as r
    left join vocabulary_roles as v using (report_id, table_id, row_index)
),

-- for each sum line: the lines of its section since the previous sum line of that section
sums as (
    select s.report_id, s.table_id, s.row_index,
        coalesce((select max(p.row_index) from flagged as p
                  where p.report_id = s.report_id and p.table_id = s.table_id and p.is_sum
                    and p.section = s.section and p.row_index < s.row_index), 0) as since
    from flagged as s
    where s.is_sum
),

summed as (
    select s.report_id, s.table_id, s.row_index,
        bool_or(m.row_depth > t.row_depth) as sums_sections,
        bool_or(not m.is_sum and m.row_depth = t.row_depth) as sums_details
    from sums as s
    join flagged as t using (report_id, table_id, row_index)
    left join flagged as m
        on m.report_id = s.report_id and m.table_id = s.table_id
        and m.row_index > s.since and m.row_index < s.row_index
        and (t.section = '' or m.section = t.section or starts_with(m.section, t.section || ' > '))
    group by all
)

select
    f.report_id, f.table_id, f.row_index,
    case
        when not f.is_sum then 'detail'
        when f.forced_total or f.row_index = f.last_row or coalesce(s.sums_sections, false)
             or not coalesce(s.sums_details, false) then 'total'
        else 'subtotal'
    end as row_role,
    m.measure as row_measure
from flagged as f
left join summed as s using (report_id, table_id, row_index)
left join row_measures as m using (report_id, table_id, row_index)
