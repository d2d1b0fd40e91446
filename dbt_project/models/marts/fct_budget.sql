select
    report_id, table_id, statement, line_item, row_path, line_order, column_index, is_total, measure, fiscal_year,
    amount, decimals, unit, amount_tkr, page
from {{ ref('int_budget') }}
where {{ is_current_report() }}
