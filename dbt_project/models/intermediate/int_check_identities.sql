-- identity rules: a line of one statement equals a line of another (or of the same) statement of
-- the same report, column by column: total assets = total equity and liabilities, the result of
-- the income statement = the one in the balance sheet, a board's summary = the totals of its
-- statements. A side is  statements:line-pattern[:measure]  (statements 'a|b' or '*'; the line
-- pattern a case-insensitive regular expression, or {total} = the statement's last total line,
-- {sum} = any sum line, {same} (right side only) = the left line's own label; measure '*' or
-- omitted = the same measure on both sides).
--
-- Figures are compared in one unit when both have an amount unit, so a tkr table meets an mnkr table
-- with each side's own half-unit. aggregate 'magnitude' compares sizes (a net cost printed
-- positive in a summary and negative in a statement; a deviation printed outcome - budget in one
-- table and budget - outcome in the other). Columns pair up by year and measure (and, within one
-- table, by column); where a figure meets several candidates (Årets investeringar and Totalt
-- projekt both print an outcome) the one that agrees is its partner, as for a reader.
with rules as (
    select
        rule_id, aggregate, sign,
        split_part(left_side, ':', 1) as l_statements, split_part(left_side, ':', 2) as l_line,
        nullif(nullif(split_part(left_side, ':', 3), ''), '*') as l_measure,
        split_part(right_side, ':', 1) as r_statements, split_part(right_side, ':', 2) as r_line,
        nullif(nullif(split_part(right_side, ':', 3), ''), '*') as r_measure
    from {{ ref('reconciliation_rules') }}
    where kind = 'identity'
),

cells as (
    select c.*,
        c.row_role = 'total' and c.row_index = max(c.row_index) filter (where c.row_role = 'total')
            over (partition by c.report_id, c.table_id) as is_last_total,
        lower(trim(c.row_label)) as line_key
    from {{ ref('int_check_cells') }} as c
    where {{ is_changed_report('c.report_id') }} and c.measure is not null and c.is_printed
    qualify row_number() over (
        partition by c.report_id, c.table_id, c.row_index, c.column_group, c.measure, c.fiscal_year
        order by c.column_index) = 1
),

-- which line pattern matches which label, each pair once (as in int_column_measures)
line_matches as (
    select p.pattern, l.label
    from (select l_line as pattern from rules union select r_line from rules) as p
    join (select distinct coalesce(row_label, '') as label from cells) as l
        on regexp_matches(l.label, p.pattern, 'i')
    where p.pattern not in ('{total}', '{sum}', '{same}')
),

picked as (
    select r.rule_id, r.aggregate, r.sign, r.l_measure, r.r_measure, r.r_line, r.r_statements, c.*
    from rules as r
    join cells as c
        on (r.l_statements = '*' or list_contains(string_split(r.l_statements, '|'), c.statement))
        and (r.l_measure is null or c.measure = r.l_measure)
    left join line_matches as m on m.pattern = r.l_line and m.label = coalesce(c.row_label, '')
    where case r.l_line when '{total}' then c.is_last_total
                        when '{sum}' then c.row_role <> 'detail'
                        else m.pattern is not null end
),

matched as (
    select l.*, r.table_id as r_table, r.value as r_raw, r.half_unit as r_raw_half, r.tkr_factor as r_factor,
        r.unit as r_unit, r.label as r_label, {{ term_struct('r.') }} as r_term, r.page as r_page, r.top as r_top
    from picked as l
    join cells as r
        on r.report_id = l.report_id
        and (l.r_statements = '*' or list_contains(string_split(l.r_statements, '|'), r.statement))
        and r.fiscal_year = l.fiscal_year
        and r.measure = coalesce(l.r_measure, l.measure)
        and case when r.table_id = l.table_id then r.column_index = l.column_index and r.row_index <> l.row_index
                 else r.column_group = l.column_group or r.column_group = '' or l.column_group = '' end
    left join line_matches as m on m.pattern = l.r_line and m.label = coalesce(r.row_label, '')
    where case l.r_line when '{total}' then r.is_last_total
                        when '{same}' then r.line_key = l.line_key and r.table_id <> l.table_id
                                           and r.row_role <> 'detail' and l.row_role <> 'detail'
                        else m.pattern is not null
                             and (l.aggregate <> 'sum' or r.row_role = 'detail') end
),

-- one right side per left figure and right figure, or (aggregate 'sum') per right table: the
-- detail lines it names added up (Kassa och bank + Kortfristiga placeringar)
sides as (
    select
        rule_id, report_id, aggregate, sign, table_id, row_index, column_index,
        any_value(table_label || ' · ' || row_path || ' · ' || column_path) as check_key,
        any_value(value) as l_raw, any_value(half_unit) as l_raw_half, any_value(tkr_factor) as l_factor,
        any_value(unit) as l_unit, any_value(label) as left_ref,
        list_value(any_value({{ term_struct() }})) as left_terms,
        sum(r_raw) as r_raw, sum(r_raw_half) as r_raw_half,
        bool_and(r_factor is not null) as r_amount, any_value(r_factor) as r_factor,
        string_agg(distinct r_unit, ', ') as r_unit,
        string_agg(r_label, ' + ' order by r_page, r_top) as right_ref,
        list(r_term order by r_page, r_top) as right_terms
    from matched
    group by rule_id, report_id, aggregate, sign, table_id, row_index, column_index, r_table,
        case when aggregate = 'sum' then null else r_label end
),

pairs as (
    select
        rule_id, report_id, aggregate, check_key, table_id as l_table, row_index as l_row, column_index as l_column,
        -- in the left side's unit when both sides are amounts, each side with its own half-unit
        l_raw as l_value,
        l_raw_half as l_half,
        sign * case when l_factor is not null and r_amount then r_raw * r_factor / l_factor else r_raw end as r_value,
        case when l_factor is not null and r_amount then r_raw_half * r_factor / l_factor else r_raw_half end as r_half,
        l_raw as l_printed, r_raw as r_printed, l_raw_half as l_printed_half, r_raw_half as r_printed_half,
        l_unit, r_unit, left_ref, right_ref, left_terms, right_terms
    from sides
),

judged as (
    select *,
        case when aggregate = 'magnitude' then abs(l_value) - abs(r_value) else l_value - r_value end as difference,
        l_half + r_half as tolerance
    from pairs
),

checked as (
    select *, {{ within_rounding('difference', 'tolerance') }} as holds,
        -- the same digits printed under two units: one side is in the wrong unit
        l_unit is distinct from r_unit
            and {{ within_rounding('abs(l_printed) - abs(r_printed)', 'l_printed_half + r_printed_half') }}
            as same_digits
    from judged
),

best as (
    select *, bool_or(holds) over (partition by rule_id, report_id, l_table, l_row, l_column) as line_holds
    from checked
    qualify row_number() over (partition by rule_id, report_id, l_table, l_row, l_column
                               order by holds desc, abs(difference) - tolerance) = 1
),

-- as for footings: a printing error breaks one column; an identity that holds in no column of a
-- line that prints several means the two lines are defined differently (cash in the cash-flow
-- statement that includes short-term placements or client funds), and is not reported
understood as (
    select rule_id, report_id, l_table, l_row,
        bool_or(line_holds) or count(*) = 1 as understood
    from best
    group by all
)

select
    report_id,
    rule_id,
    check_key,
    case when aggregate = 'magnitude' then abs(l_value) else l_value end as left_value,
    case when aggregate = 'magnitude' then abs(r_value) else r_value end as right_value,
    tolerance,
    line_holds as passed,
    left_ref || case when not holds and same_digits
                     then {{ wrong_unit_note('l_unit', 'r_unit') }}
                     else '' end as left_ref,
    right_ref,
    left_terms,
    right_terms,
    cast(null as varchar) as other_report_id
from best
join understood using (rule_id, report_id, l_table, l_row)
where understood
