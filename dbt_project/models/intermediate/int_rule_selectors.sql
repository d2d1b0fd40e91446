-- The two sides of every cross_table rule, parsed: one row per alternative.
-- A selector is  dataset:table_key:lines:measure  ('*' = any, 'a|b' = either table, 'x;y' = each
-- of these lines, % = LIKE wildcard, {body} / {municipality} = the report's own), or for prose
--  text:figures:sentence-regex  (figures = positions of the figures in the sentence, 'n;m').
with rules as (
    select * from {{ ref('reconciliation_rules') }} where kind = 'cross_table'
),

sides as (
    select rule_id, 'left' as side, left_side as selector from rules
    union all
    select rule_id, 'right', right_side from rules
),

parsed as (
    select
        rule_id,
        side,
        selector,
        starts_with(selector, 'text:') as is_text,
        case when starts_with(selector, 'text:') then 'text'
             else regexp_extract(selector, '^([a-z_]+):([^:]*):([^:]*):([^:]*)$', 1) end as dataset,
        case when starts_with(selector, 'text:') then 'text'
             else regexp_extract(selector, '^([a-z_]+):([^:]*):([^:]*):([^:]*)$', 2) end as table_pattern,
        case when starts_with(selector, 'text:') then regexp_extract(selector, '^text:([0-9;]+):(.*)$', 1)
             else regexp_extract(selector, '^([a-z_]+):([^:]*):([^:]*):([^:]*)$', 3) end as alternatives,
        case when starts_with(selector, 'text:') then '*'
             else regexp_extract(selector, '^([a-z_]+):([^:]*):([^:]*):([^:]*)$', 4) end as measure_pattern,
        case when starts_with(selector, 'text:') then regexp_extract(selector, '^text:([0-9;]+):(.*)$', 2) end
            as sentence_regex
    from sides
)

select
    rule_id,
    side,
    selector,
    is_text,
    dataset,
    table_pattern,
    measure_pattern,
    sentence_regex,
    unnest(string_split(alternatives, ';')) as alternative,
    generate_subscripts(string_split(alternatives, ';'), 1) as alternative_index,
    len(string_split(alternatives, ';')) as alternatives_count
from parsed
