select
    cast(report_id as varchar) as report_id,
    cast(table_id as integer) as table_id,
    trim(risk) as risk,
    trim(control) as control,
    trim(frequency) as frequency,
    trim(result) as result,
    cast(page as integer) as page
from {{ source('arw', 'raw_internal_controls') }}
