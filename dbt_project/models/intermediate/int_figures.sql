-- Every printed figure of every report in one shape, so that reconciliation rules can select
-- figures the same way whatever table (or sentence) they were printed in.
-- half_unit: a printed number x with d decimals stands for [x - half_unit, x + half_unit).
with reports as (  -- every figure below is joined to its report: the changed ones, on an incremental build
    select report_id, municipality, body, fiscal_year from {{ ref('stg_reports') }}
    where {{ is_changed_report() }}
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

-- The words beside a figure in the text that say which way it goes: right after it ('7,3 mnkr
-- högre än budget') or else just before it ('ett överskott på 24,6 mnkr', 'minskade med 3,1').
-- size: the outcome is larger or smaller than the budget / last year; balance: a surplus or a
-- deficit (a favourable or unfavourable deviation).
directions as (
    select report_id, page, figure_index, sentence,
        case when word in ('överskott') then 1 when word in ('underskott') then -1
             when regexp_matches(word, '^(högre|större|mer|ökade|ökat|ökning|översteg|överstiger)$') then 1
             else -1 end as direction,
        case when word in ('överskott', 'underskott') then 'balance' else 'size' end as direction_kind
    from (
        select t.report_id, t.page, t.figure_index, t.sentence,
            coalesce(
                nullif(regexp_extract(lower(substr(t.sentence, strpos(t.sentence, t.text) + length(t.text), 40)),
                                      '^[^\pL]*(?:\pL+[^\pL]+){0,2}?(' || {{ direction_words() }} || ')(?:[^\pL]|$)', 1), ''),
                list_last(regexp_extract_all(lower(substr(t.sentence, greatest(1, strpos(t.sentence, t.text) - 40),
                                                          least(40, strpos(t.sentence, t.text) - 1))),
                                             '(?:^|[^\pL])(' || {{ direction_words() }} || ')(?:[^\pL]|$)', 1))) as word
        from {{ ref('stg_text_figures') }} as t
    )
    where word is not null and word <> ''
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
    d.direction,
    d.direction_kind,
    r.municipality,
    r.body
from figures as f
join reports as r using (report_id)
left join directions as d
    on d.report_id = f.report_id and f.dataset = 'text' and d.page = f.page and d.figure_index = f.figure_index
    and d.sentence = f.line
