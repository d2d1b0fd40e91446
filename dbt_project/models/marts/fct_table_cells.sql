-- Every value cell of every table of every report (see int_table_cells for how meaning is
-- given); a column of note references (Not) holds no values and is left out.
select
    report_id, table_id, page, heading, caption, statement, row_index, row_label, row_path, row_role,
    column_index, column_path, measure, period, fiscal_year, value, decimals, printed, value_status,
    note, unit, amount_tkr, x0, top, x1, bottom
from {{ ref('int_table_cells') }}
where measure is distinct from 'note_ref'
