-- What every table row is, from its label and the vocabulary (seeds vocab_row_roles and
-- vocab_measures): a total line (by its words, '{body}' standing for the report's own board,
-- or printed bold), and for tables with the measures in rows (a board's summary) the row's
-- measure. Among a table's total lines the outermost ones are totals, the others subtotals.
with rows_ as (
    select distinct c.report_id, c.table_id, c.family, c.row_index, c.row_label, c.row_depth, c.row_bold,
        lower(coalesce(r.body, '')) as body
    from {{ ref('stg_cells') }} as c
    left join {{ ref('stg_reports') }} as r using (report_id)
),

totals as (
    select distinct r.report_id, r.table_id, r.row_index
    from rows_ as r
    join {{ ref('vocab_row_roles') }} as v
        on v.role = 'total'
        and (v.statements = '*' or list_contains(string_split(v.statements, '|'), r.family))
        and regexp_matches(coalesce(r.row_label, ''), replace(v.pattern, '{body}', r.body), 'i')
        and (r.body <> '' or v.pattern not like '%{body}%')
),

row_measures as (
    select r.report_id, r.table_id, r.row_index, v.measure
    from rows_ as r
    join {{ ref('vocab_measures') }} as v
        on v.applies_to = 'row'
        and list_contains(string_split(v.statements, '|'), r.family)
        and regexp_matches(coalesce(r.row_label, ''), v.pattern, 'i')
    qualify row_number() over (partition by r.report_id, r.table_id, r.row_index order by v.priority, v.measure) = 1
),

flagged as (
    select r.*, (t.row_index is not null or r.row_bold) as is_total_line
    from rows_ as r
    left join totals as t using (report_id, table_id, row_index)
)

select
    f.report_id, f.table_id, f.row_index,
    case
        when not f.is_total_line then 'detail'
        when f.row_depth = min(case when f.is_total_line then f.row_depth end)
            over (partition by f.report_id, f.table_id) then 'total'
        else 'subtotal'
    end as row_role,
    m.measure as row_measure
from flagged as f
left join row_measures as m using (report_id, table_id, row_index)
