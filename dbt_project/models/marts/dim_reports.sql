select
    report_id,
    file_name,
    source,
    municipality,
    body,
    report_type,
    fiscal_year,
    page_count,
    ingested_at,
    organisation,
    organisation_number,
    administration
from {{ ref('stg_reports') }}
where is_current
