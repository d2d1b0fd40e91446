select
    cast(report_id as varchar) as report_id,
    cast(table_id as integer) as table_id,
    trim(supplier) as supplier,
    cast(investment_tkr as double) as investment_tkr,
    cast(operating_tkr as double) as operating_tkr,
    cast(total_tkr as double) as total_tkr,
    cast(page as integer) as page,
    cast(x0 as double) as x0,
    cast(top as double) as top,
    cast(x1 as double) as x1,
    cast(bottom as double) as bottom
from {{ source('arw', 'raw_suppliers') }}
