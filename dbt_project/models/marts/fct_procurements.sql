select report_id, description, contract_value_mnkr, decimals, page
from {{ ref('int_procurements') }}
where {{ is_current_report() }}
