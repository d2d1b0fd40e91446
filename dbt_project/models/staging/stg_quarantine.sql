select
    cast(report_id as varchar) as report_id,
    trim(frame) as frame,
    cast(row_number as integer) as row_number,
    cast(record as varchar) as record,
    trim(reason) as reason,
    cast(quarantined_at as timestamp) as quarantined_at
from {{ source('arw', 'quarantine') }}
