-- The measure of every value column, from its header and the vocabulary (seed vocab_measures):
-- the lowest priority number among the rules matching the column's path (group > header) wins,
-- a rule matching its own header before one matching only a group header. A '%' column beside a deviation or change column is that measure's
-- percentage, so 'pct_of_previous' is resolved against the nearest such column to its left.
with columns as (
    select distinct report_id, table_id, family, col_index, column_header, column_path
    from {{ ref('stg_cells') }}
),

-- each header once: a regular expression whose pattern is a column is compiled again for
-- every row it meets, so the vocabulary meets the distinct headers, not every column
headers as (
    select distinct family, column_header, column_path from columns
),

candidates as (
    select h.family, h.column_header, h.column_path, v.measure,
        v.priority as rank,
        not regexp_matches(coalesce(h.column_header, ''), v.pattern, 'i') as only_in_group
    from headers as h
    join {{ ref('vocab_measures') }} as v
        on v.applies_to = 'column'
        and (v.statements = '*' or list_contains(string_split(v.statements, '|'), h.family))
        and (regexp_matches(coalesce(h.column_header, ''), v.pattern, 'i')
             or regexp_matches(coalesce(h.column_path, ''), v.pattern, 'i'))
),

best as (
    select c.report_id, c.table_id, c.col_index, m.measure
    from columns as c
    join candidates as m
        on m.family is not distinct from c.family
        and m.column_header is not distinct from c.column_header
        and m.column_path is not distinct from c.column_path
    qualify row_number() over (partition by c.report_id, c.table_id, c.col_index order by m.rank, m.only_in_group, m.measure) = 1
)

select
    c.report_id, c.table_id, c.col_index,
    case when b.measure = 'pct_of_previous' then coalesce((
            select p.measure from best as p
            where p.report_id = b.report_id and p.table_id = b.table_id and p.col_index < b.col_index
              and p.measure in ('deviation', 'change')
            order by p.col_index desc limit 1), 'deviation') || '_pct'
        else b.measure end as measure
from columns as c
left join best as b using (report_id, table_id, col_index)
