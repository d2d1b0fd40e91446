select
    report_id,
    description,
    contract_value_mnkr,
    decimals,
    page
from {{ ref('stg_procurements') }}
