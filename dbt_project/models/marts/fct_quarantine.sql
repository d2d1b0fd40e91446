-- Everything refused, with the reason: rows validation refused before loading (stg_quarantine)
-- and rows a model refused while typing the cells (an indicator with a misprinted year).
select report_id, frame, row_number, record, reason, quarantined_at, 'validation' as refused_by
from {{ ref('stg_quarantine') }}
where {{ is_current_report() }}
union all
select
    i.report_id,
    'indicators' as frame,
    i.row_index as row_number,
    cast(json_object('indicator', i.indicator, 'entity', i.entity, 'year', i."year", 'value', i."value",
                     'value_status', i.value_status, 'page', i.page) as varchar) as record,
    i.reject_reason as reason,
    r.ingested_at as quarantined_at,
    'dbt' as refused_by
from {{ ref('int_indicators') }} as i
join {{ ref('stg_reports') }} as r using (report_id)
where i.reject_reason is not null and r.is_current
