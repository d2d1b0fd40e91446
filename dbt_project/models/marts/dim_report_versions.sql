-- Every version of every report ingested: a finance office publishes a draft, then corrections.
-- Versions of one report share organisation, body, report type and fiscal year; the newest is
-- current, the others are superseded (raw_reports.superseded_by) and kept for report_changes.
with reports as (
    select *,
        -- a report whose identity is not known is a version of nothing but itself
        case when municipality is null or body is null or report_type is null or fiscal_year is null then report_id
             else concat_ws(' | ', municipality, body, report_type, fiscal_year) end as report_key
    from {{ ref('stg_reports') }}
)

select
    report_id,
    report_key,
    report_id as sha256,
    municipality,
    body,
    report_type,
    fiscal_year,
    row_number() over (partition by report_key order by ingested_at, report_id)
        as version,
    count(*) over (partition by report_key) as versions,
    is_current,
    superseded_by,
    lag(report_id) over (partition by report_key order by ingested_at, report_id)
        as previous_report_id,
    file_name,
    source,
    page_count,
    ingested_at
from reports
