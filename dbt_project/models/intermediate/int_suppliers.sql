-- Supplier lists from the general cells: one row per supplier line, its amounts by the measure
-- the vocabulary gives each column (investment, operating, total), normalised to tkr.
select
    report_id,
    table_id,
    row_label as supplier,
    max(case when measure = 'investment' then amount_tkr end) as investment_tkr,
    max(case when measure = 'operating' then amount_tkr end) as operating_tkr,
    max(case when measure = 'total' then amount_tkr end) as total_tkr,
    min(page) as page,
    min(x0) as x0, min(top) as top, max(x1) as x1, max(bottom) as bottom
from {{ ref('int_table_cells') }}
where statement = 'suppliers' and value_status = 'reported'
  and measure in ('investment', 'operating', 'total')
group by report_id, table_id, row_index, row_label
