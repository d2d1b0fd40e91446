-- Every printed figure of every report in one shape, so that reconciliation rules can select
-- figures the same way whatever table (or sentence) they were printed in.
-- half_unit: a printed number x with d decimals stands for [x - half_unit, x + half_unit).
with reports as (
    select report_id, municipality, body, fiscal_year from {{ ref('stg_reports') }}
),

budget as (
    select
        report_id, 'budget' as dataset, statement as table_key, line_item as line, line_order,
        is_total, measure, fiscal_year as year, amount as value, decimals, unit, page,
        x0, top, x1, bottom, cast(null as integer) as figure_index,
        statement || ' · ' || line_item || ' · ' || measure || ' ' || fiscal_year as label
    from {{ ref('int_budget') }}
    where amount is not null
),

indicators as (
    select
        report_id, 'indicators', level || '/' || entity, indicator, cast(null as integer), false,
        case when is_target then 'target' else 'outcome' end, year, value, decimals, unit, page,
        x0, top, x1, bottom, cast(null as integer),
        level || ' ' || entity || ' · ' || indicator || ' · ' || (case when is_target then 'mål ' else '' end) || year
    from {{ ref('int_indicators') }}
    where value_status = 'reported' and reject_reason is null
),

-- The supplier appendix leaves a cell empty when nothing was bought in that category: 0 tkr.
suppliers as (
    select s.report_id, 'suppliers', 'suppliers', s.supplier, cast(null as integer), false,
        m.measure, r.fiscal_year,
        coalesce(case m.measure when 'investment' then s.investment_tkr
                                when 'operating' then s.operating_tkr else s.total_tkr end, 0),
        0, 'tkr', s.page, s.x0, s.top, s.x1, s.bottom, cast(null as integer),
        'suppliers · ' || s.supplier || ' · ' || m.measure || ' tkr'
    from {{ ref('int_suppliers') }} as s
    join reports as r using (report_id)
    cross join (values ('investment'), ('operating'), ('total')) as m(measure)
    where s.total_tkr is not null
),

prose as (
    select t.report_id, 'text', 'text', t.sentence, cast(null as integer), false,
        coalesce(t.unit, 'figure'), r.fiscal_year, t.value, t.decimals, t.unit, t.page,
        t.x0, t.top, t.x1, t.bottom, t.figure_index,
        'text p. ' || t.page || ' · "' || t.text || '" in: ' || t.sentence
    from {{ ref('stg_text_figures') }} as t
    join reports as r using (report_id)
),

figures as (
    select * from budget
    union all select * from indicators
    union all select * from suppliers
    union all select * from prose
)

select
    f.*,
    0.5 * power(10, -f.decimals) as half_unit,
    -- a sentence that names a surplus or a deficit says which way its deviation goes
    case when f.dataset = 'text' then
        case when regexp_matches(f.line, 'underskott', 'i') then -1
             when regexp_matches(f.line, 'överskott', 'i') then 1 end
    end as direction,
    r.municipality,
    r.body
from figures as f
join reports as r using (report_id)
