select
    report_id,
    frame,
    row_number,
    record,
    reason,
    quarantined_at
from {{ ref('stg_quarantine') }}
