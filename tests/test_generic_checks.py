"""arw's generic consistency checks find every error injected into the generated templates, and
nothing else.

The four templates of ``tests/templates.py`` declare the arithmetic relations between their
printed figures (``RowSum``, ``ColumnSum``, ``Percent``, ``Same``) and are consistent. Each
variant below changes ONE printed figure (``templates.with_figure``) to a value that is clearly
wrong beyond rounding; the template then says which relations it breaks (``Template.check``).
arw's generic checks (the rule kinds ``footing``, ``row_formula`` and ``identity`` in
dbt_project/seeds/reconciliation_rules.csv, no rule written for these templates) must find
exactly those:

* every finding in the mart ``inconsistencies`` for the variant involves the changed figure (its
  page and position are among the finding's left_terms + right_terms);
* there are as many findings as broken relations, each with the rule arw checks that relation
  with, and with the values the template's arithmetic gives (computed sum vs printed figure);
* the variant builds the same marts as its template otherwise (same cells, same checks).

Every template and variant is rendered, extracted and loaded into ONE warehouse, built by ONE
dbt run (``generic_warehouse``); each variant gets its own municipality (an identity override)
so that no variant is taken for a newer version of another report.

    .venv/bin/python -m pytest tests/test_generic_checks.py -q -p no:cacheprovider
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

import templates as tp

pytestmark = pytest.mark.slow

G = "granvik-tn-arsredovisning-2025"
E = "ekvalla-ks-arsredovisning-2025"
B = "bergslunda-bun-verksamhetsberattelse-2025"
S = "sjohamra-kfn-arsredovisning-2025"
NAMES = list(tp.TEMPLATES)

# position tolerance (pt) when matching a finding's figure to the changed cell
POSITION_TOLERANCE = 0.5
# value tolerance when comparing a finding's values to the template's arithmetic
VALUE_TOLERANCE = 1e-3

# the identity rules that compare magnitudes (a net cost printed positive in one table and
# negative in another; tkr against mnkr): their findings show |left| and |right|
MAGNITUDE_RULES = {"summary_net_cost_equals_statement", "summary_budget_equals_statement",
                   "summary_deviation_equals_statement", "summary_investment_equals_statement",
                   "statement_totals_agree"}
RULE_KIND = {"footing": "footing", "row_deviation": "row_formula",
             "row_deviation_pct": "row_formula"}  # everything else here: identity


# ---------------------------------------------------------------------------------------------
# Which arw rule checks which declared relation
# ---------------------------------------------------------------------------------------------

# Same(a, b) relations by (template, a.table, a.row, b.table, b.row): the arw rule that checks
# it, or None where no generic rule can know the relation (it is then left out of the expected
# findings; the variants below also avoid breaking those).
SAME_RULES: dict[tuple[str, str, str, str, str], str | None] = {
    (G, "board", "Nettokostnader", "drift", "Summa"): "summary_net_cost_equals_statement",
    (G, "board", "Budget", "drift", "Summa"): "summary_budget_equals_statement",
    (G, "board", "Budgetavvikelse", "drift", "Summa"): "summary_deviation_equals_statement",
    (G, "board", "Nettoinvesteringar", "investments", "Totalt"):
        "summary_investment_equals_statement",
    (E, "br", "Årets resultat", "rr", "Årets resultat"): "result_in_balance_sheet",
    (E, "cash", "Likvida medel vid årets slut", "br", "Kassa och bank"):
        "closing_cash_in_balance_sheet",
    # The cash-flow statement's first line repeats the income statement's result, and its
    # depreciation adjustment is the income statement's Avskrivningar with the sign reversed:
    # generic rules compare a statement's result with the balance sheet only
    # (result_in_balance_sheet), and no rule pairs cash-flow adjustments with RR lines.
    (E, "cash", "Årets resultat", "rr", "Årets resultat"): None,
    (E, "cash", "Justering för av- och nedskrivningar", "rr", "Avskrivningar"): None,
    # Opening cash = LAST year's balance-sheet cash (the 2024-12-31 column against the 2025
    # column of the cash flow): closing_cash_in_balance_sheet pairs columns of the same year.
    (E, "cash", "Likvida medel vid årets början", "br", "Kassa och bank"): None,
    (B, "drift", "Nettokostnad", "per-form", "Summa"): "statement_totals_agree",
    # Sjöhamra's Driftredovisning total budget is the municipal grant of its Resultaträkning
    # (sign reversed) and its total deviation is the RR's Årets resultat: template-specific
    # facts, lines of different names (repeated_total pairs lines printed with the same label).
    (S, "drift", "Summa", "rr", "Kommunbidrag"): None,
    (S, "drift", "Summa", "rr", "Årets resultat"): None,
}


def arw_rule(template: tp.Template, rule) -> str | None:
    """The rule_id of the arw check that verifies a declared relation (None: none does)."""
    if isinstance(rule, tp.RowSum):
        if rule.table == "br" and rule.terms == ["SUMMA EGET KAPITAL OCH SKULDER"]:
            return "balance_sheet_balances"  # total assets = total equity and liabilities
        spec = template.table(rule.table)
        if spec.row_measures and spec.row_measures.get(rule.target) == "deviation":
            # a board summary with the measures in rows: Budgetavvikelse = Nettokostnader -
            # Budget is a row formula over the column
            return "row_deviation"
        return "footing"
    if isinstance(rule, tp.ColumnSum):
        return "row_deviation"  # every ColumnSum of the templates is outcome - budget = deviation
    if isinstance(rule, tp.Percent):
        return "row_deviation_pct"
    if isinstance(rule, tp.Same):
        return SAME_RULES[(template.name, rule.a.table, rule.a.row, rule.b.table, rule.b.row)]
    raise TypeError(f"unknown relation {rule!r}")


@dataclass
class Instance:
    """One evaluated relation: a RowSum in one column, a ColumnSum or Percent in one row, a
    Same. ``computed`` and ``printed``: the two sides as the template's arithmetic has them."""

    rule_id: str | None
    computed: float
    printed: float
    violated: bool
    text: str


def instances(t: tp.Template) -> list[Instance]:
    """Every instance of every declared relation, violated or not (violation as the template's
    own ``check`` judges it)."""
    out = []
    for rule in t.rules:
        rule_id = arw_rule(t, rule)
        if isinstance(rule, (tp.RowSum, tp.ColumnSum)):
            out += [Instance(rule_id, float(e.computed), float(e.printed), not e.holds,
                             e.where if e.holds else rule.message(e)) for e in rule.evaluated(t)]
        elif isinstance(rule, tp.Percent):
            for label, p, a, b in rule.figures(t):
                where = f"{rule.table}: {label} [{rule.target}]"
                found = [v for v in rule.violations(t) if v.startswith(where)]
                out.append(Instance(rule_id, float(a.value / abs(b.value) * 100), float(p.value),
                                    bool(found), "; ".join(found) or where))
        else:
            fa = t.table(rule.a.table).fig(rule.a.row, rule.a.column)
            fb = t.table(rule.b.table).fig(rule.b.row, rule.b.column)
            found = rule.violations(t)
            out.append(Instance(rule_id, float(rule.factor * fb.value), float(fa.value),
                                bool(found), "; ".join(found) or f"{rule.a} = {rule.b}"))
    return out


# ---------------------------------------------------------------------------------------------
# The variants: one printed figure changed each
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Variant:
    id: str
    template: str
    table: str  # TableSpec.key
    row: str
    column: str  # column path
    value: str
    expect: tuple[str, ...]  # the rule_ids of the findings (sorted), worked out by hand
    why: str = ""

    def build(self) -> tp.Template:
        return tp.with_figure(tp.build(self.template), self.table, self.row, self.column,
                              self.value)


VARIANTS = [
    # -- Granvik: full grid, landscape investments with sections and a Totalt projekt group,
    #    Driftredovisning with Differens = Bokslut - Budget, board summary Ekonomi (tkr)
    Variant("granvik-project-outcome-in-section", G, "investments", "Ny förskola Vega (4021)",
            "Årets investeringar > Utfall 2025", "9970", ("footing", "row_deviation"),
            "9 870 -> 9 970: Summa pågående projekt no longer adds up; Avvikelse = Budget - "
            "Utfall breaks on the project's line"),
    Variant("granvik-section-subtotal", G, "investments", "Summa avslutade projekt",
            "Årets investeringar > Utfall 2025", "7947", ("footing", "footing", "row_deviation"),
            "7 347 -> 7 947: the subtotal's own footing, Summa investeringar = the two "
            "subtotals, and the subtotal's Avvikelse"),
    Variant("granvik-remaining-works", G, "investments", "Renovering av Granviks simhall (4023)",
            "Totalt projekt > Återstår", "16436", ("footing", "row_deviation"),
            "16 736 -> 16 436: Total budget - Ack. utfall = Återstår within the Totalt projekt "
            "group, and the section's Återstår footing"),
    Variant("granvik-differens", G, "drift", "Gata och trafik", "Differens", "-1806",
            ("footing", "row_deviation"), "- 1 906 -> - 1 806"),
    Variant("granvik-differens-sign-flipped", G, "drift", "Park och natur", "Differens", "-498",
            ("footing", "row_deviation"),
            "498 -> - 498: against the table's convention Bokslut 2025 - Budget 2025"),
    Variant("granvik-board-budget", G, "board", "Budget", "2025", "-116900",
            ("row_deviation", "summary_budget_equals_statement"),
            "Ekonomi Budget 2025 -116 600 -> -116 900: differs from Driftredovisning's Summa "
            "Budget 2025; Budgetavvikelse = Nettokostnader - Budget breaks in 2025"),
    Variant("granvik-board-net-cost", G, "board", "Nettokostnader", "2024", "-112977",
            ("footing", "row_deviation", "summary_net_cost_equals_statement"),
            "Ekonomi Nettokostnader 2024 -112 277 -> -112 977"),
    Variant("granvik-board-deviation", G, "board", "Budgetavvikelse", "2025", "76",
            ("row_deviation", "summary_deviation_equals_statement"),
            "Ekonomi Budgetavvikelse 2025 46 -> 76 against Driftredovisning's Summa Differens"),
    Variant("granvik-board-investments", G, "board", "Nettoinvesteringar", "2025", "24851",
            ("summary_investment_equals_statement",),
            "Ekonomi Nettoinvesteringar 2025 24 751 -> 24 851 against Investeringsredovisning's "
            "Totalt Utfall 2025"),
    Variant("granvik-statement-total-budget", G, "drift", "Summa", "Budget 2025", "-116300",
            ("footing", "row_deviation", "summary_budget_equals_statement"),
            "Driftredovisning Summa Budget 2025 -116 600 -> -116 300: its footing, its Differens, "
            "and the board summary's Budget"),
    # -- Ekvalla: no rules, U+2212, RR / BR / cash flow, Nettokostnad per nämnd
    Variant("ekvalla-fixed-asset-line", E, "br", "Maskiner och inventarier", "2025-12-31",
            "88164", ("footing",), "88 764 -> 88 164 under Anläggningstillgångar"),
    Variant("ekvalla-current-assets-subtotal", E, "br", "Summa omsättningstillgångar",
            "2024-12-31", "263224", ("footing", "footing"),
            "263 724 -> 263 224: Summa omsättningstillgångar and SUMMA TILLGÅNGAR"),
    Variant("ekvalla-balance-sheet-imbalance", E, "br", "SUMMA EGET KAPITAL OCH SKULDER",
            "2025-12-31", "1984658", ("balance_sheet_balances", "footing"),
            "1 984 558 -> 1 984 658 in 2025-12-31 only: the balance sheet does not balance, and "
            "the total does not add up"),
    Variant("ekvalla-result-in-balance-sheet", E, "br", "Årets resultat", "2025-12-31", "36910",
            ("footing", "result_in_balance_sheet"),
            "36 610 -> 36 910 in the balance sheet's equity"),
    Variant("ekvalla-closing-cash", E, "cash", "Likvida medel vid årets slut", "2025", "52607",
            ("closing_cash_in_balance_sheet", "footing"),
            "52 907 -> 52 607: against Kassa och bank and against Likvida medel vid årets början "
            "+ Årets kassaflöde"),
    Variant("ekvalla-avvikelse", E, "boards", "Socialnämnden", "Avvikelse", "3883",
            ("footing", "row_deviation"), "3 083 -> 3 883"),
    Variant("ekvalla-avvikelse-sign-flipped", E, "boards", "Kommunstyrelsen", "Avvikelse",
            "-2424", ("footing", "row_deviation"),
            "2 424 -> −2 424 against the convention Utfall - Budget (5 of 6 lines)"),
    Variant("ekvalla-running-subtotal", E, "rr", "Verksamhetens resultat",
            "2025-01-01–2025-12-31", "48712", ("footing", "footing"),
            "48 112 -> 48 712: Verksamhetens resultat = Verksamhetens nettokostnader + "
            "skatteintäkter + ..., and Resultat efter finansiella poster continuing it"),
    # -- Bergslunda: no sections; Driftredovisning in mnkr against Nettokostnad per verksamhet
    #    in tkr; Investeringar with Avvikelse = Budget - Utfall
    Variant("bergslunda-school-form-line", B, "per-form", "Grundskola",
            "Bokslut 2025 > Summa tkr", "-608774", ("footing",), "-602 774 -> -608 774"),
    Variant("bergslunda-project-outcome", B, "investments", "Skolgård Björkskolan", "Utfall 2025",
            "4862", ("footing", "row_deviation"), "4 262 -> 4 862"),
    Variant("bergslunda-avvikelse", B, "investments", "Digitala lärverktyg", "Avvikelse", "1535",
            ("footing", "row_deviation"), "1 835 -> 1 535"),
    Variant("bergslunda-budgetavvikelse-mnkr", B, "drift", "Intäkter", "Budgetavvikelse", "7.2",
            ("footing", "row_deviation"), "7,7 -> 7,2 (mnkr, sums within rounding)"),
    Variant("bergslunda-net-cost-mnkr-vs-tkr", B, "drift", "Nettokostnad", "Utfall 2025",
            "-1246.5", ("footing", "row_deviation", "statement_totals_agree"),
            "-1 246,3 -> -1 246,5 mnkr against -1 246 253 tkr in Nettokostnad per verksamhet"),
    Variant("bergslunda-net-cost-tkr-vs-mnkr", B, "per-form", "Summa",
            "Bokslut 2024 > Summa tkr", "-1196861", ("footing", "statement_totals_agree"),
            "-1 196 561 -> -1 196 861 tkr against -1 196,6 mnkr in Driftredovisning"),
    Variant("bergslunda-grant-line", B, "grants", "Friskolan Kunskapsbron", "Bidrag, tkr",
            "24930", ("footing",),
            "24 630 -> 24 930 in a one-column table whose only sum line is Summa"),
    # -- Sjöhamra: kr, RR with a running subtotal, Driftredovisning with Budgetavvikelse =
    #    Utfall - Budget and Avvikelse, % signed like the deviation
    Variant("sjohamra-depreciation-line", S, "rr", "Avskrivningar", "2024", "-2981110",
            ("footing",), "-2 987 110 -> -2 981 110"),
    Variant("sjohamra-unit-outcome", S, "drift", "Kulturskola", "Utfall 2025", "-12068845",
            ("footing", "row_deviation"), "-12 061 845 -> -12 068 845"),
    Variant("sjohamra-running-subtotal", S, "rr", "Verksamhetens nettokostnad", "2025",
            "-80691150", ("footing", "footing"),
            "-80 661 150 -> -80 691 150: its own footing and Årets resultat continuing it"),
    Variant("sjohamra-budgetavvikelse", S, "drift", "Nämnd och administration",
            "Budgetavvikelse", "137680", ("footing", "row_deviation", "row_deviation_pct"),
            "131 680 -> 137 680: Utfall - Budget, the column's Summa and Avvikelse, %"),
    Variant("sjohamra-budgetavvikelse-sign-flipped", S, "drift", "Kulturskola",
            "Budgetavvikelse", "-238155", ("footing", "row_deviation", "row_deviation_pct"),
            "238 155 -> -238 155 against the convention Utfall - Budget"),
    Variant("sjohamra-deviation-percent", S, "drift", "Bibliotek", "Avvikelse, %", "-2.9",
            ("row_deviation_pct",), "-1,9 -> -2,9"),
]

# arw bugs found by this module: variant id -> reason. The variant's tests are xfail (strict: they
# turn into failures, XPASS, once arw is fixed; then delete the entry).
KNOWN_MISSES: dict[str, str] = {}  # variant id -> why arw misses it (none today)


def variant_params():
    return [pytest.param(v, id=v.id, marks=[pytest.mark.xfail(strict=True,
                                                               reason=KNOWN_MISSES[v.id])]
                         if v.id in KNOWN_MISSES else [])
            for v in VARIANTS]


# ---------------------------------------------------------------------------------------------
# The warehouse: every template and every variant, one dbt build
# ---------------------------------------------------------------------------------------------

@dataclass
class GenericWarehouse:
    path: Path
    base_ids: dict[str, str] = field(default_factory=dict)  # template name -> report id
    variant_ids: dict[str, str] = field(default_factory=dict)  # variant id -> report id
    variants: dict[str, tp.Template] = field(default_factory=dict)  # variant id -> template
    municipalities: dict[str, str] = field(default_factory=dict)  # variant id -> override
    timings: dict[str, float] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def rows(self, mart: str, report_id: str) -> pd.DataFrame:
        df = self.frames[mart]
        return df[df["report_id"] == report_id]


MARTS = ["inconsistencies", "fct_checks", "fct_table_cells", "fct_budget", "dim_reports"]


@pytest.fixture(scope="module")
def generic_warehouse(tmp_path_factory) -> GenericWarehouse:
    from extract.report import extract_report
    from warehouse_harness import build_warehouse, query_df

    root = tmp_path_factory.mktemp("generic-checks")
    wh = GenericWarehouse(root / "arw.duckdb")
    started = time.perf_counter()
    extracted = []
    for name in NAMES:
        rendered = tp.render(tp.build(name), root / "templates")
        report = extract_report(rendered.path)
        wh.base_ids[name] = report.report_id
        extracted.append(report)
    for n, v in enumerate(VARIANTS, start=1):
        changed = v.build()
        rendered = tp.render(changed, root / f"variant-{n:02d}")
        municipality = f"Variant{n:02d} kommun"  # a report of its own, not a newer version
        report = extract_report(rendered.path, overrides={"municipality": municipality})
        wh.variant_ids[v.id] = report.report_id
        wh.variants[v.id] = changed
        wh.municipalities[v.id] = municipality
        extracted.append(report)
    wh.timings["render and extract"] = time.perf_counter() - started
    started = time.perf_counter()
    build_warehouse(wh.path, extracted)
    wh.timings["load and dbt build"] = time.perf_counter() - started
    for mart in MARTS:
        wh.frames[mart] = query_df(wh.path, f"select * from {mart}")
    return wh


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def changed_cell(wh: GenericWarehouse, v: Variant) -> dict:
    """The changed figure's row of fct_table_cells in the variant report."""
    t = wh.variants[v.id]
    spec = t.table(v.table)
    cells = wh.rows("fct_table_cells", wh.variant_ids[v.id])
    col = spec.value_columns[spec.column(v.column)]
    found = cells[(cells["heading"] == tp.joined(spec.title))
                  & (cells["row_label"] == tp.joined(v.row))
                  & (cells["column_path"] == col.path)]
    assert len(found) == 1, (f"{v.id}: expected one cell {spec.title} / {v.row} / {col.path} in "
                             f"fct_table_cells, found {len(found)}")
    cell = found.iloc[0].to_dict()
    fig = spec.fig(v.row, v.column)
    assert cell["printed"] == fig.printed(spec.form), (cell["printed"], fig.printed(spec.form))
    assert cell["value"] == pytest.approx(float(fig.value)), "the extractor read another value"
    return cell


def terms_of(finding: dict) -> list[dict]:
    return [dict(t) for t in list(finding["left_terms"]) + list(finding["right_terms"])]


def at(term: dict, cell: dict) -> bool:
    return (term["page"] == cell["page"] and abs(term["x0"] - cell["x0"]) <= POSITION_TOLERANCE
            and abs(term["top"] - cell["top"]) <= POSITION_TOLERANCE)


def pair(rule_id: str, a: float, b: float) -> tuple[float, float]:
    """The two sides of a check, comparable whichever side each is on."""
    if rule_id in MAGNITUDE_RULES:
        a, b = abs(a), abs(b)
    return tuple(sorted((a, b)))


def close(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return all(abs(x - y) <= VALUE_TOLERANCE * max(1.0, abs(y) * 1e-6) for x, y in zip(p, q))


def describe(findings: list[dict]) -> str:
    return "\n".join(f"  {f['rule_id']} ({f['kind']}) {f['check_key']}: left {f['left_value']} "
                     f"right {f['right_value']} (tolerance {f['tolerance']}) [{f['left_ref']}]"
                     for f in findings) or "  (none)"


def findings_of(wh: GenericWarehouse, report_id: str) -> list[dict]:
    return wh.rows("inconsistencies", report_id).to_dict("records")


# ---------------------------------------------------------------------------------------------
# The variants are what they claim to be (no warehouse)
# ---------------------------------------------------------------------------------------------

def test_declared_relations_are_enumerated_as_the_template_checks_them():
    """``instances`` sees exactly the violations ``Template.check`` reports, and the unmodified
    templates violate nothing."""
    for name in NAMES:
        t = tp.build(name)
        assert t.check() == []
        assert not any(i.violated for i in instances(t))
    for v in VARIANTS:
        t = v.build()
        assert sorted(i.text for i in instances(t) if i.violated) == sorted(t.check()), v.id


@pytest.mark.parametrize("v", VARIANTS, ids=[v.id for v in VARIANTS])
def test_variant_breaks_what_it_says(v: Variant):
    """The changed figure is clearly wrong (a template relation breaks) and the hand-written
    expectation agrees with the rules arw checks the broken relations with."""
    original, changed = tp.build(v.template), v.build()
    old = original.table(v.table).fig(v.row, v.column)
    new = changed.table(v.table).fig(v.row, v.column)
    assert old.value != new.value and new.decimals == old.decimals
    broken = [i for i in instances(changed) if i.violated]
    assert broken, f"{v.id}: the change breaks no declared relation"
    assert tuple(sorted(i.rule_id for i in broken if i.rule_id)) == v.expect, (
        v.id, [(i.rule_id, i.text) for i in broken])
    assert len(changed.check()) == len(broken)


def test_variants_exercise_every_generic_rule_per_template():
    expected = {
        G: {"footing", "row_deviation", "summary_net_cost_equals_statement",
            "summary_budget_equals_statement", "summary_deviation_equals_statement",
            "summary_investment_equals_statement"},
        E: {"footing", "row_deviation", "balance_sheet_balances", "result_in_balance_sheet",
            "closing_cash_in_balance_sheet"},
        B: {"footing", "row_deviation", "statement_totals_agree"},
        S: {"footing", "row_deviation", "row_deviation_pct"},
    }
    for name in NAMES:
        covered = {r for v in VARIANTS if v.template == name for r in v.expect}
        checked = {i.rule_id for i in instances(tp.build(name)) if i.rule_id}
        assert checked == expected[name], name
        assert covered == expected[name], (name, expected[name] - covered)
    assert len({v.id for v in VARIANTS}) == len(VARIANTS)


# ---------------------------------------------------------------------------------------------
# The unmodified templates: many checks, no findings
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_unmodified_template_has_no_findings(generic_warehouse, name):
    wh = generic_warehouse
    report_id = wh.base_ids[name]
    findings = findings_of(wh, report_id)
    assert findings == [], f"{name}: findings in a consistent report:\n{describe(findings)}"
    checks = wh.rows("fct_checks", report_id)
    assert len(checks) >= 20, f"{name}: only {len(checks)} checks"
    assert checks["passed"].all()
    # arw evaluates at least one check for every instance of a declared relation it has a rule
    # for, per rule
    declared = Counter(i.rule_id for i in instances(tp.build(name)) if i.rule_id)
    evaluated = Counter(checks["rule_id"])
    for rule_id, n in declared.items():
        assert evaluated[rule_id] >= n, (name, rule_id, evaluated[rule_id], n)


# ---------------------------------------------------------------------------------------------
# Each variant: the same report otherwise, and exactly the broken relations found
# ---------------------------------------------------------------------------------------------

CELL_KEY = ["table_id", "page", "heading", "caption", "statement", "row_index", "row_label",
            "row_path", "row_role", "column_index", "column_path", "measure", "period",
            "fiscal_year", "decimals", "value_status", "note", "unit"]
BUDGET_KEY = ["table_id", "statement", "line_item", "row_path", "line_order", "column_index",
              "is_total", "measure", "fiscal_year", "decimals", "unit", "page"]


def _records(df: pd.DataFrame, columns: list[str]) -> Counter:
    return Counter(tuple(None if pd.isna(x) else x for x in row)
                   for row in df[columns].itertuples(index=False))


@pytest.mark.parametrize("v", variant_params())
def test_variant_builds_the_same_marts_otherwise(generic_warehouse, v: Variant):
    wh = generic_warehouse
    base, variant = wh.base_ids[v.template], wh.variant_ids[v.id]
    report = wh.rows("dim_reports", variant).iloc[0]
    original = wh.rows("dim_reports", base).iloc[0]
    assert report["municipality"] == wh.municipalities[v.id]
    for column in ("body", "report_type", "fiscal_year", "page_count"):
        assert report[column] == original[column], column

    cell = changed_cell(wh, v)
    fig = wh.variants[v.id].table(v.table).fig(v.row, v.column)
    # every cell the same (structure and figures), but the changed one's value
    cells_v, cells_b = wh.rows("fct_table_cells", variant), wh.rows("fct_table_cells", base)
    assert _records(cells_v, CELL_KEY) == _records(cells_b, CELL_KEY)
    values_v = _records(cells_v, ["table_id", "row_index", "column_index", "value", "printed"])
    values_b = _records(cells_b, ["table_id", "row_index", "column_index", "value", "printed"])
    assert sum((values_v - values_b).values()) == 1 and sum((values_b - values_v).values()) == 1
    (extra,) = (values_v - values_b).elements()
    assert extra[-2] == float(fig.value) and extra[-1] == cell["printed"]
    # the statements' lines, the same but for the changed figure
    budget_v, budget_b = wh.rows("fct_budget", variant), wh.rows("fct_budget", base)
    assert _records(budget_v, BUDGET_KEY) == _records(budget_b, BUDGET_KEY)
    amounts_v = _records(budget_v, BUDGET_KEY + ["amount"])
    amounts_b = _records(budget_b, BUDGET_KEY + ["amount"])
    in_budget = 1 if wh.variants[v.id].table(v.table).statement else 0
    assert sum((amounts_v - amounts_b).values()) == sum((amounts_b - amounts_v).values()) == \
        in_budget
    # the same checks evaluated
    checks_v, checks_b = wh.rows("fct_checks", variant), wh.rows("fct_checks", base)
    assert _records(checks_v, ["rule_id", "kind", "check_key"]) == \
        _records(checks_b, ["rule_id", "kind", "check_key"])


@pytest.mark.parametrize("v", variant_params())
def test_variant_findings_are_exactly_the_broken_relations(generic_warehouse, v: Variant):
    wh = generic_warehouse
    report_id = wh.variant_ids[v.id]
    changed = wh.variants[v.id]
    cell = changed_cell(wh, v)
    findings = findings_of(wh, report_id)
    broken = [i for i in instances(changed) if i.violated]
    expected = [i for i in broken if i.rule_id]  # the relations arw has a rule for
    header = (f"{v.id} ({v.why})\nchanged: {v.table} / {v.row} / {v.column} = {v.value} "
              f"(page {cell['page']}, x0 {cell['x0']:.1f}, top {cell['top']:.1f})\n"
              f"broken relations:\n" + "\n".join(f"  [{i.rule_id}] {i.text}" for i in broken)
              + f"\narw's findings:\n{describe(findings)}")

    # (i) every finding involves the changed figure
    for f in findings:
        assert any(at(t, cell) for t in terms_of(f)), \
            f"{header}\nfinding without the changed figure: {f['rule_id']} {f['check_key']}"
    # (ii) one finding per broken relation, (iii) by the rule that checks it, with the sides
    # the template's arithmetic gives
    assert len(findings) == len(expected), header
    assert tuple(sorted(f["rule_id"] for f in findings)) == v.expect, header
    unmatched = list(findings)
    for i in expected:
        want = pair(i.rule_id, i.computed, i.printed)
        match = next((f for f in unmatched if f["rule_id"] == i.rule_id
                      and close(pair(f["rule_id"], f["left_value"], f["right_value"]), want)),
                     None)
        assert match is not None, f"{header}\nno finding for [{i.rule_id}] {i.text} {want}"
        unmatched.remove(match)
    for f in findings:
        assert f["kind"] == RULE_KIND.get(f["rule_id"], "identity"), f
        assert f["severity"] == "error"
        assert abs(f["difference"]) >= f["tolerance"] > 0
        assert f["other_report_id"] is None or pd.isna(f["other_report_id"])
    # the failed checks of fct_checks are the findings (none merged away, none other)
    failed = wh.rows("fct_checks", report_id)
    failed = failed[~failed["passed"]]
    assert _records(failed, ["rule_id", "check_key"]) == \
        _records(pd.DataFrame(findings, columns=list(failed.columns)), ["rule_id", "check_key"]), \
        header


def test_module_runtime(generic_warehouse):
    """One build for everything: rendering + extraction and the dbt build stay cheap."""
    t = generic_warehouse.timings
    assert len(generic_warehouse.variant_ids) == len(VARIANTS)
    assert t["render and extract"] < 60, t
    assert t["load and dbt build"] < 90, t
