-- Every value cell of every table of every report (see int_table_cells for how meaning is
-- given). A column of note references (Not) holds no values and a cell with nothing printed is
-- no value: both are left out. The caption is a caption line, not the heading repeated.
select
    report_id, table_id, page, heading, nullif(caption, heading) as caption, statement, row_index, row_label,
    row_path, row_role, column_index, column_path, measure, period, fiscal_year, value, decimals, printed,
    value_status, note, unit, amount_tkr, x0, top, x1, bottom
from {{ ref('int_table_cells') }}
where measure is distinct from 'note_ref' and value_status <> 'empty' and {{ is_current_report() }}
