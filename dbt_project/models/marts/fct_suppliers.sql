select report_id, supplier, investment_tkr, operating_tkr, total_tkr, page
from {{ ref('int_suppliers') }}
where {{ is_current_report() }}
