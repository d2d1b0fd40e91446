select
    cast(report_id as varchar) as report_id,
    cast(table_id as integer) as table_id,
    trim(supplier) as supplier,
    cast(investment_tkr as double) as investment_tkr,
    cast(operating_tkr as double) as operating_tkr,
    cast(total_tkr as double) as total_tkr,
    cast(page as integer) as page
from {{ source('arw', 'raw_suppliers') }}
