"""Reconciliation rules on the sample report and on variants of it that each break one rule.

The sample warehouse (loaded and built once per session) is copied; every variant is a copy of
the sample's raw rows under another report id with one printed figure changed (or a later report
restating a figure), so one dbt build evaluates them all. A statement figure (fct_budget), a
supplier amount (fct_suppliers) and an indicator (fct_indicators) are built by dbt from value
cells, so such a variant changes the raw_cells row behind it (value and printed text alike). A
variant must raise its rule, and every new finding must involve the changed figure: no false
alarms elsewhere, none from rounding.
"""
import hashlib
import re
from dataclasses import dataclass

import duckdb
import pytest

from extract.cells import read_cell
from flows.dbt_build import build
from warehouse.store import RAW_TABLES
from warehouse_harness import copy_warehouse

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Variant:
    rule_id: str
    table: str
    where: dict
    column: str
    value: float
    label: str  # the changed figure as int_figures labels it
    fiscal_year: int | None = None  # a later report (cross-report restatement)
    printed: str | None = None  # an indicator variant: how its changed cell prints the new value
    replace: tuple[str, str] | None = None  # a prose variant: a word of its sentence changed
    name: str = ""  # a second variant of the same rule

    @property
    def id(self) -> str:
        return self.name or self.rule_id

    @property
    def report_id(self) -> str:
        return hashlib.sha256(f"variant {self.id}".encode()).hexdigest()

    @property
    def is_budget(self) -> bool:
        """A fct_budget figure, found by its statement, line, measure and year."""
        return self.table == "raw_cells" and "statement" in self.where

    @property
    def is_indicator(self) -> bool:
        """A fct_indicators figure, found by its level, entity, indicator, year and is_target."""
        return self.table == "raw_cells" and "indicator" in self.where

    @property
    def is_supplier(self) -> bool:
        """A fct_suppliers amount, found by the supplier's row and the column's header."""
        return self.table == "raw_cells" and self.where.get("family") == "suppliers"


def budget(rule, statement, line, measure, year, value, fiscal_year=None):
    """A statement figure (fct_budget row) changed in the value cell it is built from."""
    return Variant(rule, "raw_cells", dict(statement=statement, line_item=line, measure=measure, fiscal_year=year),
                   "value", value, f"{statement} · {line} · {measure} {year}", fiscal_year)


SUPPLIER_COLUMNS = {"Inv. projekt tkr": "investment_tkr", "Drift tkr": "operating_tkr", "Totalt tkr": "total_tkr"}


def supplier(rule, name, header, value):
    """A supplier amount (fct_suppliers) changed in the value cell it is built from: the cell of
    the supplier's row under the column `header`."""
    measure = SUPPLIER_COLUMNS[header].removesuffix("_tkr")
    return Variant(rule, "raw_cells", dict(family="suppliers", row_label=name, column_header=header),
                   "value", value, f"suppliers · {name} · {measure} tkr")


def indicator(rule, level, entity, name, year, value, printed, fiscal_year=None):
    """An indicator (fct_indicators row) changed in the value cell it is built from; `printed`:
    how the changed cell prints the new value (like the report printed that cell)."""
    return Variant(rule, "raw_cells", dict(level=level, entity=entity, indicator=name, year=year, is_target=False),
                   "value", value, f"{level} {entity} · {name} · {year}", fiscal_year, printed)


def prose(rule, sentence_start, figure, value, column="value", replace=None, name=""):
    """A figure of the running text changed (its value, its unit), or a word of its sentence."""
    return Variant(rule, "raw_text_figures", dict(sentence_like=sentence_start + "%", figure_index=figure),
                   column, value, sentence_start, replace=replace, name=name)


VARIANTS = [
    budget("row_deviation", "income_statement", "Taxor och avgifter", "deviation", 2024, 15.1),
    budget("row_change", "income_statement", "Taxor och avgifter", "change", 2024, 88.6),
    budget("row_deviation_pct", "income_statement", "Taxor och avgifter", "deviation_pct", 2024, 2.7),
    budget("row_change_pct", "income_statement", "Taxor och avgifter", "change_pct", 2024, 11.3),
    budget("row_consumption_pct", "investments", "Investeringsutgifter", "consumption_pct", 2024, 31.8),
    budget("row_budget_adjustment_total", "budget_adjustments",
           "Överföring av medel enligt beslut i KS 8 april, KF 22 april", "total", 2024, -4.5),
    supplier("supplier_row_total", "Advania AB", "Totalt tkr", 40605.0),
    budget("footing", "budget_adjustments", "Kompletterad Mål och Budget 2024, mnkr", "ks", 2024, 331.1),
    budget("footing_net_result", "operating_summary", "Nettoresultat", "outcome", 2023, -374.9),
    budget("footing_body_total", "operating_by_department", "Kommunstyrelsens reserv", "outcome", 2024, -32.3),
    budget("summary_equals_income_statement", "operating_summary", "Intäkter", "outcome", 2023, 1107.9),
    budget("net_result_equals_department_total", "operating_by_department", "Kommunstyrelsen", "outcome", 2023, -373.9),
    budget("adjusted_budget_equals_net_budget", "budget_adjustments", "Justerad budget 2024", "total", 2024, 404.7),
    budget("adjusted_ks_budget_equals_subtotal", "budget_adjustments", "Justerad budget 2024", "ks", 2024, 340.9),
    budget("adjusted_reserve_equals_reserve_budget", "budget_adjustments", "Justerad budget 2024", "ks_reserve", 2024, 62.9),
    indicator("sick_leave_kf_equals_staff_table", "KF", "Haninge kommun", "Sjukfrånvaro", 2023, 6.5, "6,5%"),
    indicator("hme_kf_is_mean_of_subindices", "KF", "Haninge kommun", "Medarbetarengagemang (HME)", 2023, 79.7,
              "79.7"),
    indicator("hme_administration_total_is_mean", "förvaltning", "Kommunstyrelseförvaltningen", "Totalt", 2023, 80.4,
              "80,4"),
    prose("prose_net_result", "Kommunstyrelsens ackumulerade resultat", 1, 380.8),
    prose("prose_surplus", "Resultatet för året motsvarade", 1, 23.6),
    prose("prose_revenue", "Intäkterna uppgick till", 1, 1243.1),
    prose("prose_investment_outcome", "Förbrukning av investeringsmedel", 1, 218.2),
    prose("prose_investment_share", "Förbrukning av investeringsmedel", 2, 79.4),
    prose("prose_investment_budget", "Förbrukning av investeringsmedel", 3, 287.0),
    prose("prose_development_overrun", "Årets utfall för exploateringsutgifter", 1, 59.4),
    prose("prose_development_costs", "Under året har kostnader på", 1, 181.3),
    prose("prose_development_cost_split", "139,0 mnkr var kopplade", 2, 40.8),
    # the words against the figures: the overrun (Utfall -180,4 against Budget -85,0) said to be lower
    prose("prose_development_overrun", "Årets utfall för exploateringsutgifter", 1, None, column="sentence",
          replace=("högre än budget", "lägre än budget"), name="prose_development_overrun_direction"),
    # the same digits in the wrong unit: 208,2 tkr in the text against 208,2 mnkr in the table
    prose("prose_investment_outcome", "Förbrukning av investeringsmedel", 1, "tkr", column="unit",
          name="prose_investment_outcome_unit"),
    budget("restated_outcome", "income_statement", "Taxor och avgifter", "outcome", 2024, 851.6, fiscal_year=2025),
    indicator("restated_indicator", "KF", "Haninge kommun", "Trygghet i skolan, årskurs 8", 2023, 78.9, "78,9%",
              fiscal_year=2025),
]

REQUIRED = {  # tests/fixtures/haninge-ks-2024/inconsistencies.csv, rows marked required
    ("sick_leave_kf_equals_staff_table", 7.7, 7.8),
    ("prose_development_costs", 180.3, 180.4),
    ("prose_development_cost_split", 180.8, 180.3),
}


# a printed number: sign (hyphen or U+2212), digits in groups of three, decimal comma (or the point
# some tables print, '77.7'), then '%' etc.
PRINTED_NUMBER = re.compile(r"^(?P<sign>[-\u2212\u2013]?)(?P<integer>\d{1,3}(?:(?P<sep>[ \u00a0\u202f])\d{3})+|\d+)"
                            r"(?:(?P<point>[,.])(?P<fraction>\d+))?(?P<suffix>.*)$")


def reprinted(printed: str, value: float) -> str:
    """`value` printed the way `printed` is: same decimals, decimal sign, minus sign, thousands
    separator, suffix."""
    match = PRINTED_NUMBER.match(printed)
    assert match, f"not a printed number: {printed!r}"
    decimals = len(match["fraction"] or "")
    assert round(value, decimals) == value, f"{value} cannot be printed with {decimals} decimals like {printed!r}"
    digits = f"{abs(value):,.{decimals}f}".replace(",", "\0").replace(".", match["point"] or ",") \
        .replace("\0", match["sep"] or " ")
    text = ("" if value >= 0 else match["sign"] or "-") + digits + match["suffix"]
    cell = read_cell(text)
    assert (cell.value.value, cell.value.decimals) == (value, decimals), (text, cell)
    return text


BUDGET_CELL = """
    select c.table_id, c.row_index, c.col_index, c.printed
    from raw.raw_cells as c
    join fct_budget as b
        on b.table_id = c.table_id and b.line_order = c.row_index and b.column_index = c.col_index
    where b.report_id = ? and c.report_id = ?
      and b.statement = ? and b.line_item = ? and b.measure = ? and b.fiscal_year = ?
"""


def change_budget_cell(con: duckdb.DuckDBPyConnection, base: str, variant: Variant) -> tuple:
    """Change the raw_cells row behind the sample's fct_budget figure, in the variant's copy."""
    where = variant.where
    cells = con.execute(BUDGET_CELL, [base, variant.report_id, where["statement"], where["line_item"],
                                      where["measure"], where["fiscal_year"]]).fetchall()
    return change_cell(con, variant, cells)


# the value cell behind a fct_indicators figure: int_indicators (what fct_indicators selects from)
# keeps each figure's table, row and bounding box, which are those of the cell it was printed in
INDICATOR_CELL = """
    select {columns}
    from intermediate.int_indicators as i
    join raw.raw_cells as c
        on c.table_id = i.table_id and c.row_index = i.row_index and c.page = i.page
       and c.x0 = i.x0 and c.top = i.top and c.x1 = i.x1 and c.bottom = i.bottom
    where i.report_id = ? and c.report_id = ? and i.reject_reason is null and i.value_status = 'reported'
      and i.level = ? and i.entity = ? and i.indicator = ? and i."year" = ? and i.is_target = ?
"""


def change_indicator_cell(con: duckdb.DuckDBPyConnection, base: str, variant: Variant) -> tuple:
    """Change the raw_cells row behind the sample's fct_indicators figure, in the variant's copy."""
    where = variant.where
    cells = con.execute(INDICATOR_CELL.format(columns="c.table_id, c.row_index, c.col_index, c.printed"), [base, variant.report_id, where["level"], where["entity"], where["indicator"],
                                         where["year"], where["is_target"]]).fetchall()
    return change_cell(con, variant, cells)


def change_list_cell(con: duckdb.DuckDBPyConnection, variant: Variant) -> tuple:
    """Change the raw_cells row the variant names by its columns (family, row label, column
    header), in the variant's copy."""
    conditions = " and ".join(f"{column} = ?" for column in variant.where)
    cells = con.execute(f"select table_id, row_index, col_index, printed from raw.raw_cells "
                        f"where report_id = ? and {conditions}",
                        [variant.report_id, *variant.where.values()]).fetchall()
    return change_cell(con, variant, cells)


def change_cell(con: duckdb.DuckDBPyConnection, variant: Variant, cells: list[tuple]) -> tuple:
    """Print the variant's value in the one cell found, the way the report printed that cell;
    returns where it is printed (page, x0, top)."""
    assert len(cells) == 1, f"{variant.rule_id}: {variant.label} must be exactly one cell, found {cells}"
    table_id, row_index, col_index, printed = cells[0]
    changed = con.execute(
        "update raw.raw_cells set value = ?, printed = ? "
        "where report_id = ? and table_id = ? and row_index = ? and col_index = ? returning page, x0, top",
        [variant.value, reprinted(printed, variant.value), variant.report_id, table_id, row_index, col_index],
    ).fetchall()
    assert len(changed) == 1, f"{variant.rule_id}: the edit must change exactly one figure, changed {len(changed)}"
    return changed[0]


def pin_budget_years(con: duckdb.DuckDBPyConnection, base: str, report_id: str) -> None:
    """A later report prints the years of the figures it repeats: a cell whose header names no
    period takes the report's year in dbt, so the copy's cells get the year the sample's have."""
    con.execute("""
        update raw.raw_cells as c set period = cast(b.fiscal_year as varchar), period_year = b.fiscal_year
        from fct_budget as b
        where b.report_id = ? and c.report_id = ? and c.period_year is null
          and b.table_id = c.table_id and b.line_order = c.row_index and b.column_index = c.col_index
    """, [base, report_id])


def add_variant(con: duckdb.DuckDBPyConnection, base: str, variant: Variant) -> tuple:
    """The sample's rows under the variant's report id, one figure changed; returns where the
    changed figure is printed (page, x0, top)."""
    for table in RAW_TABLES:
        if table != "quarantine":
            con.execute(f"insert into raw.{table} select * replace (? as report_id) from raw.{table} where report_id = ?",
                        [variant.report_id, base])
    con.execute("update raw.raw_reports set file_name = ?, fiscal_year = coalesce(?, fiscal_year) where report_id = ?",
                [f"variant-{variant.id}.pdf", variant.fiscal_year, variant.report_id])
    if variant.fiscal_year is not None:
        pin_budget_years(con, base, variant.report_id)
    if variant.is_budget:
        return change_budget_cell(con, base, variant)
    if variant.is_indicator:
        return change_indicator_cell(con, base, variant)
    if variant.table == "raw_cells":
        return change_list_cell(con, variant)
    conditions, params = [], []
    for column, value in variant.where.items():
        if column == "sentence_like":
            conditions.append("sentence like ?")
        else:
            conditions.append(f"{column} = ?")
        params.append(value)
    assignment, values = f"{variant.column} = ?", [variant.value]
    if variant.replace:
        assignment, values = f"{variant.column} = replace({variant.column}, ?, ?)", list(variant.replace)
    changed = con.execute(
        f"update raw.{variant.table} set {assignment} where report_id = ? and {' and '.join(conditions)} "
        "returning page, x0, top", [*values, variant.report_id, *params]).fetchall()
    assert len(changed) == 1, f"{variant.rule_id}: the edit must change exactly one figure, changed {len(changed)}"
    return changed[0]


@pytest.fixture(scope="module")
def findings(sample_report, sample_warehouse, tmp_path_factory):
    warehouse = copy_warehouse(sample_warehouse, tmp_path_factory.mktemp("reconcile") / "arw.duckdb")
    base = sample_report.report_id
    with duckdb.connect(str(warehouse)) as con:
        positions = {variant.id: add_variant(con, base, variant) for variant in VARIANTS}
    build(warehouse, whole_project=True)  # raw rows written by hand, not by the loader: every report again
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select report_id, rule_id, check_key, left_value, right_value, severity, "
                           "list_transform(left_terms || right_terms, lambda t: [t.page, t.x0, t.top]), "
                           "other_report_id, left_ref from inconsistencies").fetchall()
        failing = con.execute("select report_id, rule_id from fct_checks where not passed").fetchall()
        checks = con.execute("select rule_id, count(*) from fct_checks where report_id = ? group by 1", [base]).fetchall()
        changed = {v.rule_id: con.execute(
            "select amount from fct_budget where report_id = ? and statement = ? and line_item = ? and measure = ? "
            "and fiscal_year = ?", [v.report_id, *v.where.values()]).fetchall() for v in VARIANTS if v.is_budget}
        for v in VARIANTS:
            if v.is_indicator:
                where = [v.where[k] for k in ("level", "entity", "indicator", "year", "is_target")]
                changed[v.rule_id] = (
                    con.execute("select value from fct_indicators where report_id = ? and level = ? and entity = ? "
                                "and indicator = ? and year = ? and is_target = ?", [v.report_id, *where]).fetchall(),
                    con.execute(INDICATOR_CELL.format(columns="i.value, c.value, c.printed"),
                                [v.report_id, v.report_id, *where]).fetchall())
            elif v.is_supplier:
                changed[v.rule_id] = con.execute(
                    f"select s.{SUPPLIER_COLUMNS[v.where['column_header']]}, c.printed from fct_suppliers as s "
                    "join raw.raw_cells as c on c.report_id = s.report_id and c.row_label = s.supplier "
                    "where s.report_id = ? and s.supplier = ? and c.family = 'suppliers' and c.column_header = ?",
                    [v.report_id, v.where["row_label"], v.where["column_header"]]).fetchall()
    return base, rows, dict(checks), changed, positions, set(failing)


def test_reprinted_keeps_the_printed_format():
    assert reprinted("14,1", 15.1) == "15,1"
    assert reprinted("6,8%", 6.5) == "6,5%"
    assert reprinted("77.7", 79.7) == "79.7"
    assert reprinted("-1 613,9", -1640.6) == "-1 640,6"
    assert reprinted("1 234,1", 987.0) == "987,0"
    assert reprinted("0,2%", -2.7) == "-2,7%"
    assert reprinted("\u22121 107,6", -1107.9) == "\u22121 107,9"
    assert reprinted("12", 40605.0) == "40 605"
    assert reprinted("40 505", 40605.0) == "40 605"
    assert reprinted("1234,5", 1235.5) == "1 235,5"


def test_cell_variants_change_the_figure_in_their_mart(findings):
    """A budget variant changes its fct_budget figure; the supplier variant the amount in
    fct_suppliers, and the cell it is built from prints the new amount; an indicator variant its
    fct_indicators figure, and the one cell behind it holds and prints the new value."""
    _, _, _, changed, _, _ = findings
    for variant in VARIANTS:
        if variant.is_budget:
            assert changed[variant.rule_id] == [(variant.value,)], variant.rule_id
        if variant.is_indicator:
            assert changed[variant.rule_id] == (
                [(variant.value,)], [(variant.value, variant.value, variant.printed)]), variant.rule_id
    assert changed["supplier_row_total"] == [(40605.0, "40 605")]
    assert len([v for v in VARIANTS if v.is_indicator]) == 4


def test_the_sample_shows_exactly_the_required_inconsistencies(findings):
    base, rows, *_ = findings
    found = {(rule, round(left, 1), round(right, 1)) for report, rule, _, left, right, *_ in rows if report == base}
    assert found == REQUIRED


def test_every_rule_is_evaluated_on_the_sample(findings):
    _, _, checks, *_ = findings
    evaluated = {v.rule_id for v in VARIANTS} - {"restated_outcome", "restated_indicator"}
    assert evaluated <= set(checks), sorted(evaluated - set(checks))
    # as counted by hand in CHECKS.md: 31 deviations, 29 changes, 27 deviation and 16 change percentages
    assert (checks["row_deviation"], checks["row_change"], checks["row_deviation_pct"], checks["row_change_pct"],
            checks["supplier_row_total"]) == (31, 29, 27, 16, 54)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
def test_a_variant_breaking_a_rule_is_caught_and_nothing_else_is(findings, variant):
    base, rows, _, _, positions, failing = findings
    assert (variant.report_id, variant.rule_id) in failing, f"{variant.rule_id} did not fail"
    baseline = {(rule, left, right) for report, rule, _, left, right, *_ in rows if report == base}
    new = [r for r in rows if r[0] == variant.report_id and (r[1], r[3], r[4]) not in baseline
           and r[7] in (None, base)]  # restatements against the sample, not against other variants
    assert new, f"{variant.rule_id}: no finding reported"
    page, x0, top = positions[variant.id]
    for _, rule, key, _, _, _, places, _, _ in new:
        assert any(p == page and abs(x - x0) < 0.5 and abs(t - top) < 0.5 for p, x, t in places), \
            f"{rule} {key} does not involve the changed figure"


@pytest.mark.parametrize(("name", "rule_id", "note", "left", "right"), [
    ("prose_development_overrun_direction", "prose_development_overrun",
     "the words say the opposite direction of the figure", 95.4, 95.4),
    ("prose_investment_outcome_unit", "prose_investment_outcome",
     "the same digits as the other side, printed in tkr against mnkr: one of them has the wrong unit", 0.2082, 208.2),
])
def test_words_and_units_against_the_figures_are_named(findings, name, rule_id, note, left, right):
    """'lägre än budget' beside an outcome above its budget is a finding although the sizes agree;
    208,2 tkr in the text against 208,2 mnkr in the table is a figure printed in the wrong unit,
    compared in the table's unit."""
    _, rows, *_ = findings
    variant = next(v for v in VARIANTS if v.id == name)
    found = [(r[1], round(r[3], 4), round(r[4], 4), r[8]) for r in rows if r[0] == variant.report_id
             and r[1] == rule_id]
    assert len(found) == 1 and found[0][:3] == (rule_id, left, right) and note in found[0][3], found
