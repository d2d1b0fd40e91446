-- Budget, outcome and financial statements in long form: the cells of every table the
-- vocabulary calls a statement (seed vocab_tables, dataset 'budget'), one row per line, measure
-- and fiscal year, with the printed unit and the amount normalised to tkr.
select
    report_id,
    table_id,
    statement,
    row_label as line_item,
    row_path,
    row_index as line_order,
    column_index,
    row_role in ('total', 'subtotal') as is_total,
    measure,
    fiscal_year,
    value as amount,
    decimals,
    unit,
    amount_tkr,
    page,
    x0, top, x1, bottom
from {{ ref('int_table_cells') }}
where dataset = 'budget'
  and measure is not null and measure <> 'note_ref'
  and value_status = 'reported'
