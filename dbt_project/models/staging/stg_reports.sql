select
    cast(report_id as varchar) as report_id,
    trim(file_name) as file_name,
    trim(source) as source,
    trim(municipality) as municipality,
    trim(body) as body,
    trim(report_type) as report_type,
    cast(fiscal_year as integer) as fiscal_year,
    cast(page_count as integer) as page_count,
    cast(ingested_at as timestamp) as ingested_at
from {{ source('arw', 'raw_reports') }}
