select
    cast(report_id as varchar) as report_id,
    cast(table_id as integer) as table_id,
    trim(statement) as statement,
    trim(line_item) as line_item,
    cast(line_order as integer) as line_order,
    cast(is_total as boolean) as is_total,
    trim(measure) as measure,
    cast(fiscal_year as integer) as fiscal_year,
    cast(amount as double) as amount,
    cast(decimals as integer) as decimals,
    trim(unit) as unit,
    cast(page as integer) as page,
    cast(x0 as double) as x0,
    cast(top as double) as top,
    cast(x1 as double) as x1,
    cast(bottom as double) as bottom
from {{ source('arw', 'raw_budget') }}
