select
    report_id,
    risk,
    control,
    frequency,
    result,
    page
from {{ ref('stg_internal_controls') }}
