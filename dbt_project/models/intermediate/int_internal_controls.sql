-- Internal-control plans from the general cells. The vocabulary names each column (risk,
-- control, frequency, result) and, by its header, what the label column holds; the risk is
-- otherwise the heading the table stands under, the control otherwise the row label.
with cells as (
    select * from {{ ref('int_table_cells') }}
    where statement = 'internal_controls' and value_status <> 'empty'
),

label_columns as (
    select distinct c.report_id, c.table_id,
        (select v.measure from {{ ref('vocab_measures') }} as v
         where v.applies_to = 'column' and v.statements = 'internal_controls' and v.measure in ('risk', 'control')
           and regexp_matches(coalesce(c.first_header, ''), v.pattern, 'i')
         order by v.priority limit 1) as label_measure
    from cells as c
)

select
    c.report_id,
    c.table_id,
    coalesce(max(case when c.measure = 'risk' then c.printed end),
             case when l.label_measure = 'risk' then c.row_label end, c.heading) as risk,
    coalesce(max(case when c.measure = 'control' then c.printed end),
             case when l.label_measure is distinct from 'risk' then c.row_label end) as control,
    max(case when c.measure = 'frequency' then c.printed end) as frequency,
    max(case when c.measure = 'result' then c.printed end) as result,
    min(c.page) as page,
    min(c.x0) as x0, min(c.top) as top, max(c.x1) as x1, max(c.bottom) as bottom
from cells as c
join label_columns as l using (report_id, table_id)
where c.measure in ('risk', 'control', 'frequency', 'result')
group by c.report_id, c.table_id, c.row_index, c.heading, c.row_label, l.label_measure
