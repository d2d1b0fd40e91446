select
    cast(report_id as varchar) as report_id,
    cast(table_id as integer) as table_id,
    trim(description) as description,
    cast(contract_value_mnkr as double) as contract_value_mnkr,
    cast(decimals as integer) as decimals,
    cast(page as integer) as page,
    cast(x0 as double) as x0,
    cast(top as double) as top,
    cast(x1 as double) as x1,
    cast(bottom as double) as bottom
from {{ source('arw', 'raw_procurements') }}
