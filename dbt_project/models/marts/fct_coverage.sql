-- How much of every report arw could read and check: a report whose tables arw does not know,
-- or on which no check applies, is "not checked" with the reason — never "no inconsistencies".
with reports as (
    select * from {{ ref('stg_reports') }} where is_current
),

tables_ as (
    select report_id, count(distinct table_id) as tables_found,
        count(distinct table_id) filter (where nullif(family, '') is not null) as tables_recognised
    from {{ ref('stg_tables') }}
    group by all
),

facts as (
    select report_id, count(*) filter (where value_status = 'reported') as facts_loaded
    from {{ ref('fct_table_cells') }}
    group by all
),

quarantined as (
    select report_id, count(*) as rows_quarantined from {{ ref('fct_quarantine') }} group by all
),

checks as (
    select report_id, count(*) as checks_evaluated, count(*) filter (where passed) as checks_passed
    from {{ ref('fct_checks') }}
    group by all
),

findings as (
    select report_id, count(*) as findings from {{ ref('inconsistencies') }} group by all
),

counted as (
    select
        r.report_id, r.municipality, r.body, r.report_type, r.fiscal_year, r.file_name, r.source, r.page_count,
        coalesce(t.tables_found, 0) as tables_found,
        coalesce(t.tables_recognised, 0) as tables_recognised,
        coalesce(f.facts_loaded, 0) as facts_loaded,
        coalesce(q.rows_quarantined, 0) as rows_quarantined,
        coalesce(c.checks_evaluated, 0) as checks_evaluated,
        coalesce(c.checks_passed, 0) as checks_passed,
        coalesce(i.findings, 0) as findings
    from reports as r
    left join tables_ as t using (report_id)
    left join facts as f using (report_id)
    left join quarantined as q using (report_id)
    left join checks as c using (report_id)
    left join findings as i using (report_id)
),

reasoned as (
    select
        *,
        case
            when tables_found = 0 then 'no table found in the PDF (a scanned report must be OCRed first)'
            when tables_recognised = 0 then 'no table recognised: arw does not know its words yet (README: '
                                            || 'Teaching arw a municipality''s words); its cells are in fct_table_cells'
            when checks_evaluated = 0 then 'no check applies to its tables (no sum lines, no outcome beside a '
                                           || 'budget, no statement printed twice)'
        end as reason
    from counted
)

select * exclude (reason), case when reason is null then 'checked' else 'not checked' end as status, reason
from reasoned
