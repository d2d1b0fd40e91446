-- Procurement lists from the general cells: the description and its contract value in mnkr,
-- whatever unit the list prints. A value printed with d decimals in a unit worth f tkr is, in
-- mnkr, precise to d + log10(1000 / f) decimals (2 700 tkr: 2.700 mnkr; 1,2 mdkr: 1 200 mnkr
-- to the hundred). A value whose unit is printed nowhere has no mnkr value.
select
    report_id,
    table_id,
    row_label as description,
    case when unit = 'mnkr' then value else amount_tkr / 1000 end as contract_value_mnkr,
    case when unit = 'mnkr' then decimals
         when tkr_factor is not null then decimals + cast(round(log10(1000 / tkr_factor)) as integer)
    end as decimals,
    page,
    x0, top, x1, bottom
from {{ ref('int_table_cells') }}
where statement = 'procurements' and measure = 'contract_value' and value_status = 'reported'
