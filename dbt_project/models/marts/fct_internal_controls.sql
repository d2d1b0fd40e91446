select report_id, risk, control, frequency, result, page
from {{ ref('int_internal_controls') }}
where {{ is_current_report() }}
