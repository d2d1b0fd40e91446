select
    report_id,
    statement,
    line_item,
    line_order,
    is_total,
    measure,
    fiscal_year,
    amount,
    decimals,
    unit,
    page
from {{ ref('stg_budget') }}
