-- Figures selected by each side of each cross_table rule, per report.
with selectors as (
    select * from {{ ref('int_rule_selectors') }}
),

figures as (
    select * from {{ ref('int_figures') }}
    where {{ is_changed_report() }}
),

-- which prose pattern matches which sentence, each pair once (as in int_column_measures)
sentence_matches as (
    select p.sentence_regex, l.line
    from (select distinct sentence_regex from selectors where is_text) as p
    join (select distinct line from figures where dataset = 'text') as l
        on regexp_matches(l.line, p.sentence_regex)
),

resolved as (
    -- placeholders and wildcards become LIKE patterns for this report
    select
        s.*,
        f.*,
        replace(replace(replace(s.alternative, '{body}', f.body), '{municipality}', f.municipality), '*', '%')
            as line_like,
        m.line is not null as in_sentence
    from selectors as s
    join figures as f on f.dataset = s.dataset
    left join sentence_matches as m on s.is_text and m.sentence_regex = s.sentence_regex and m.line = f.line
)

select
    rule_id, side, alternative_index, alternatives_count,
    report_id, dataset, table_key, line, line_order, measure, year, value, decimals, half_unit,
    unit, page, x0, top, x1, bottom, figure_index, label, direction, direction_kind
from resolved
where
    (table_pattern = '*' or is_text or exists (
        select 1 from unnest(string_split(table_pattern, '|')) as t(pattern)
        where table_key like replace(replace(pattern, '{body}', body), '{municipality}', municipality)
    ))
    and (measure_pattern = '*' or measure = measure_pattern)
    and case
        when is_text then in_sentence and figure_index = try_cast(alternative as integer)
        else line like line_like
    end
