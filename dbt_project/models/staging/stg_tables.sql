select
    cast(report_id as varchar) as report_id,
    cast(table_id as integer) as table_id,
    trim(family) as family,
    cast(page as integer) as page,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(is_header as boolean) as is_header,
    cast(text as varchar) as text,
    cast(x0 as double) as x0,
    cast(top as double) as top,
    cast(x1 as double) as x1,
    cast(bottom as double) as bottom
from {{ source('arw', 'raw_tables') }}
