"""Four generated annual-report templates unlike the bundled Haninge sample, with exact ground
truth in the warehouse's terms.

Each template is a fixed, deterministic description (no randomness) of a few-page report: a
cover, headings, prose and tables. The same description

* renders the PDF (through ``pdf_factory``, extended where needed), and
* derives the expected CSVs under ``tests/fixtures/templates/<template>/``: ``budget.csv``
  (mart fct_budget), ``cells.csv`` (mart fct_table_cells), ``goals.csv``, ``procurements.csv``
  and ``report.csv`` (dim_reports),

so the PDF and its ground truth cannot drift apart. Every printed figure is a ``Fig`` in a
``TableSpec`` of the template, and the arithmetic relations between them (footings, row
formulas, percentages, cross-table agreements) are data too (``RowSum``, ``ColumnSum``,
``Percent``, ``Same``), so ``check(template)`` verifies the sums, and a test can change one
figure (``with_figure``) to make a report with a known inconsistency.

The templates (see ``TEMPLATES``):

``granvik-tn-arsredovisning-2025``
    Tekniska nämnden, Årsredovisning 2025; reportlab/Helvetica, every cell ruled (full grid).
    Board summary ``Ekonomi (tkr)`` with the measures in rows and ``2024 | 2025`` columns;
    ``Verksamhet | Bokslut 2024 | Bokslut 2025 | Budget 2025 | Differens`` (caption "Belopp i
    tkr"); an Investeringsredovisning on a LANDSCAPE page with a two-level header
    (``Årets investeringar`` over Budget 2025 | Utfall 2025 | Avvikelse, ``Totalt projekt`` over
    Total budget | Ack. utfall | Återstår), section rows, per-section subtotals and two totals,
    ``-350*`` with its footnote, ``Ej aktuellt`` in number cells; ``- 4 512`` (a space after
    the minus); goals judged Uppfyllt / Delvis uppfyllt / Ej uppfyllt in a table whose section
    rows are the goal areas.
``ekvalla-ks-arsredovisning-2025``
    Kommunstyrelsen, Årsredovisning 2025; fpdf2/Vera, NO rules and no fills at all, every minus
    the U+2212 sign. Resultaträkning with a ``Not`` column and ``2025-01-01–2025-12-31 |
    2024-01-01–2024-12-31``; Balansräkning ``Not | 2025-12-31 | 2024-12-31`` with two levels of
    section rows, subtotals and the totals SUMMA TILLGÅNGAR / SUMMA EGET KAPITAL OCH SKULDER;
    Kassaflödesanalys ``2025 | 2024``; Nettokostnad per nämnd; goals judged by symbols ● ◐ ○
    (drawn with a small generated symbol font) with a legend. RR, BR and cash flow agree with
    each other (Årets resultat, Kassa och bank = Likvida medel vid årets slut, ...).
``bergslunda-bun-verksamhetsberattelse-2025``
    Barn- och utbildningsnämnden, Verksamhetsberättelse 2025 (no "årsredovisning" anywhere);
    reportlab/Times on US Letter, horizontal rules, no header fill. Driftredovisning in
    ``Miljoner kronor`` (1 decimal, rounded from tkr: sums hold only within rounding) with the
    header word split over two lines ``Budget-`` / ``avvikelse``; Nettokostnad per verksamhet
    with ``Bokslut 2024`` / ``Bokslut 2025`` groups over ``Summa tkr`` columns (agrees with the
    mnkr table within rounding); Investeringar with ``-1835`` beside ``-1 835``; a procurement
    table WITH a header row (``Upphandling | Avtalsvärde, mnkr``); ``Bidrag, tkr``.
``sjohamra-kfn-arsredovisning-2025``
    Kultur- och fritidsnämnden, Årsredovisning 2025; reportlab/Vera, horizontal rules, centred
    numbers. Resultaträkning in kr (``Belopp i kr``, ``2025 | 2024``); Driftredovisning per
    verksamhet in kr with a soft hyphen (U+00AD) inside the header ``Budget­avvikelse`` and an
    ``Avvikelse, %`` column; fees with the unit in the cells (``650 kr``); visitor counts with
    ``Stängt``, ``-`` (missing) and ``*`` (pending).

Ground-truth conventions (they follow the warehouse's vocabulary; see the brief in
``tests/test_templates.py``):

* ``table`` is the heading printed above the table, ``caption`` the caption line printed
  directly above it ("Belopp i tkr", "Miljoner kronor"; empty if none).
* ``row_index`` / ``line_order``: 1-based index among the table's body rows, section rows
  included. ``row_path``: the open sections, outermost first, then the label; a sum line that
  closes a section is the last line of that section (``Pågående projekt > Summa pågående
  projekt``, ``TILLGÅNGAR > SUMMA TILLGÅNGAR``); top-level rows are just their label.
* ``row_role``: ``subtotal`` for the Summa line of a section of detail lines (Summa
  avslutade projekt, Summa anläggningstillgångar, Kassaflöde från investeringsverksamheten) and
  for the intermediate result lines of a running statement (Verksamhetens nettokostnader,
  Verksamhetens resultat, Resultat efter finansiella poster); ``total`` for the outermost sum
  lines: those that sum sections or subtotals, close a section of sections, or end the table
  (Summa investeringar and Totalt, SUMMA TILLGÅNGAR and SUMMA EGET KAPITAL OCH SKULDER, Årets
  kassaflöde and Likvida medel vid årets slut, Årets resultat, a table's final Summa,
  Nettokostnader = Intäkter + Kostnader of a board summary); else ``detail`` (also Intäkter
  and Kostnader printed as plain lines, and Årets resultat as a line of Eget kapital). Section
  rows hold no value cells. ``is_total`` in budget.csv = subtotal or total.
* ``column_path``: ``group > header`` for a two-level header, else the header; a header word
  broken over two lines with a hyphen and a soft hyphen are joined into one word
  (``Budgetavvikelse``). ``period``: the year, the ISO date or the ISO range printed in the
  column's header or in its group's header; empty when neither prints one.
* ``unit``: the column's own unit (``Avtalsvärde, mnkr``, ``Avvikelse, %`` → percent, ``650
  kr`` in the cells) else the table's (caption or first header); empty when nothing printed
  says one and the values are not amounts (visitor counts, goal assessments).
* ``value_status``: ``reported`` for numbers (a glued footnote mark goes to ``note``),
  ``pending`` for ``*``, ``missing`` for ``-``, ``text`` for words and symbols (value empty).
* budget.csv holds every ``reported`` value cell of a table that is a statement (words,
  ``*`` and ``-`` are left out; the ``Not`` column is not a measure); a column without a period
  of its own or in its group (Avvikelse, Differens, Total budget, Återstår ...) has the report's
  fiscal year.

    .venv/bin/python tests/templates.py            # rewrite tests/fixtures/templates/*/*.csv
    .venv/bin/python tests/templates.py --pdf DIR  # also write the PDFs to DIR
"""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import math
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable, Sequence, Union

sys.path.insert(0, str(Path(__file__).parent))

import pdf_factory as pf  # noqa: E402
from pdf_factory import Heading, PageBreak, Paragraph, Span, joined  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
MINUS = pf.MINUS
SHY = "\u00ad"  # soft hyphen
EN_DASH = "\u2013"

BUDGET_COLUMNS = ["statement", "line_item", "line_order", "is_total", "measure", "fiscal_year",
                  "amount", "unit"]
CELL_COLUMNS = ["table", "page", "caption", "unit", "row_index", "row_label", "row_path",
                "row_role", "column_path", "period", "value", "decimals", "printed",
                "value_status", "note"]
GOAL_COLUMNS = ["goal_id", "goal_area", "title", "assessment"]
PROCUREMENT_COLUMNS = ["description", "contract_value_mnkr"]
REPORT_COLUMNS = ["municipality", "body", "report_type", "fiscal_year"]

ASSESSMENTS = {"Uppfyllt": "high", "Delvis uppfyllt": "partial", "Ej uppfyllt": "not_met",
               "●": "high", "◐": "partial", "○": "not_met"}


# ---------------------------------------------------------------------------------------------
# Printed figures
# ---------------------------------------------------------------------------------------------

FORMS = ("std", "space", "nosep", "unicode")
"""How a number is printed: std "-1 234,5"; space "- 1 234,5" (a space after the minus);
nosep "-1234,5" (no thousands separator); unicode "−1 234,5" (U+2212)."""


def format_number(value: Decimal, decimals: int, form: str) -> str:
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    q = abs(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{q:f}".partition(".")
    if form != "nosep":
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = " ".join([whole] + groups)
    text = whole + ("," + frac if decimals else "")
    if value < 0 and q != 0:
        text = {"std": "-", "nosep": "-", "space": "- ", "unicode": MINUS}[form] + text
    return text


@dataclass
class Fig:
    """One value cell. A number (``value`` with ``decimals``, printed in ``form``, with an
    optional footnote mark ``note`` glued to it and an optional unit ``suffix`` such as "kr"),
    or a ``word`` printed instead ("Ej aktuellt", "Stängt", "*" pending, "-" missing, "●")."""

    value: Decimal | None = None
    decimals: int = 0
    form: str | None = None  # None: the table's form
    note: str = ""
    word: str | None = None
    suffix: str = ""

    @property
    def is_number(self) -> bool:
        return self.word is None

    def printed(self, form: str = "std") -> str:
        if self.word is not None:
            return self.word
        text = format_number(self.value, self.decimals, self.form or form) + self.note
        return f"{text} {self.suffix}" if self.suffix else text

    @property
    def status(self) -> str:
        if self.word is None:
            return "reported"
        return {"*": "pending", "-": "missing"}.get(self.word, "text")


def N(value, decimals: int | None = None, form: str | None = None, note: str = "",
      suffix: str = "") -> Fig:
    """A number cell; ``decimals`` default: those of ``value`` (Decimal("7.7") -> 1)."""
    d = Decimal(str(value))
    if decimals is None:
        decimals = max(0, -d.as_tuple().exponent)
    return Fig(d, decimals, form, note, None, suffix)


def W(word: str) -> Fig:
    """A word (or "*", "-", a symbol) printed in a value cell."""
    return Fig(word=word)


CellValue = Union[Fig, int, Decimal, str, None]


def as_fig(v: CellValue) -> Fig | None:
    if v is None or isinstance(v, Fig):
        return v
    if isinstance(v, str):
        return W(v)
    return N(v)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

def clean_header(text: str) -> str:
    """A header as a reader should name it: soft hyphens dropped, a word broken over two lines
    with a hyphen joined ("Budget-\\navvikelse" -> "Budgetavvikelse"), whitespace collapsed."""
    text = text.replace(SHY, "")
    text = re.sub(r"-\n(?=[a-zåäö])", "", text)
    return joined(text)


@dataclass
class Column:
    """A column after the label column. ``measure``/``year``: what fct_budget makes of it
    (None: not a measure); ``period``: the period printed in its header or group (cells.csv);
    ``unit``: its own unit, None for the table's; ``is_note``: the ``Not`` column."""

    header: str
    group: str | None = None
    measure: str | None = None
    year: int | None = None
    period: str = ""
    unit: str | None = None
    is_note: bool = False

    @property
    def path(self) -> str:
        name = clean_header(self.header)
        return f"{clean_header(self.group)} > {name}" if self.group else name


@dataclass
class Row:
    """A body row. ``role``: detail | subtotal | total | section; ``depth``: a section's level
    (1 outermost); ``closes``: a sum line that closes the innermost open section; ``note``: the
    text of the ``Not`` column."""

    label: str
    cells: list = field(default_factory=list)  # one Fig | None per value column
    role: str = "detail"
    depth: int = 1
    closes: bool = False
    note: str = ""


def section(label: str, depth: int = 1) -> Row:
    return Row(label, [], "section", depth)


def detail(label: str, *cells: CellValue, note: str = "") -> Row:
    return Row(label, [as_fig(c) for c in cells], "detail", note=note)


def subtotal(label: str, *cells: CellValue, closes: bool = True, note: str = "") -> Row:
    return Row(label, [as_fig(c) for c in cells], "subtotal", closes=closes, note=note)


def total(label: str, *cells: CellValue, closes: bool = False, note: str = "") -> Row:
    return Row(label, [as_fig(c) for c in cells], "total", closes=closes, note=note)


@dataclass(eq=False)
class TableSpec:
    """A table and what it means. ``title``: the heading printed above it (cells.csv
    ``table``); ``statement``: the fct_budget statement (None: not a statement);
    ``row_measures``: for a board summary (measures in rows), the measure of each row label;
    ``kind``: "figures", "goals" (label "<id> <title>", one assessment column) or
    "procurements" (description, contract value in mnkr)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    label_header: str = ""
    caption: str | None = None
    unit: str = ""
    statement: str | None = None
    row_measures: dict[str, str] | None = None
    kind: str = "figures"
    form: str = "std"
    footnote: str | None = None
    heading_level: int = 2
    rules: str | None = None
    font_size: float | None = None
    col_widths: Sequence[float] | None = None
    value_align: str = "num"

    def __post_init__(self) -> None:
        n = len(self.value_columns)
        for r in self.rows:
            if r.role == "section":
                if r.cells:
                    raise ValueError(f"{self.key}: section row {r.label!r} has cells")
            elif len(r.cells) != n:
                raise ValueError(f"{self.key}: row {r.label!r} has {len(r.cells)} cells, "
                                 f"expected {n}")
        labels = [r.label for r in self.rows]
        dupes = {lab for lab in labels if labels.count(lab) > 1}
        if dupes:
            raise ValueError(f"{self.key}: duplicate row labels {dupes}")

    @property
    def value_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.is_note]

    def column(self, path: str) -> int:
        """Index into ``value_columns`` of the column with this path."""
        for i, c in enumerate(self.value_columns):
            if c.path == path:
                return i
        raise KeyError(f"{self.key}: no column {path!r}")

    def row(self, label: str) -> Row:
        for r in self.rows:
            if r.label == label:
                return r
        raise KeyError(f"{self.key}: no row {label!r}")

    def fig(self, label: str, column: str) -> Fig | None:
        return self.row(label).cells[self.column(column)]

    def unit_of(self, col: Column) -> str:
        return self.unit if col.unit is None else col.unit

    # -- the drawable table -----------------------------------------------------------------
    def to_table(self) -> pf.Table:
        header_rows: list[list] = []
        if any(c.group for c in self.columns):
            top: list = [""]
            i = 0
            while i < len(self.columns):
                g = self.columns[i].group
                j = i
                while j < len(self.columns) and g and self.columns[j].group == g:
                    j += 1
                if g:
                    top.append(Span(g, j - i))
                    i = j
                else:
                    top.append("")
                    i += 1
            header_rows.append(top)
        header_rows.append([self.label_header] + [c.header for c in self.columns])
        rows, bold, indent = [], set(), set()
        for k, (r, path) in enumerate(zip(self.rows, self.paths())):
            if r.role == "section":
                rows.append([r.label] + [""] * len(self.columns))
                bold.add(k)
                continue
            cells, it = [], iter(r.cells)
            for c in self.columns:
                if c.is_note:
                    cells.append(r.note)
                else:
                    f = next(it)
                    cells.append("" if f is None else f.printed(self.form))
            rows.append([r.label] + cells)
            if r.role != "detail":
                bold.add(k)
            elif " > " in path:  # a detail line inside a section
                indent.add(k)
        align = ["l"] + ["c" if c.is_note else self.value_align for c in self.columns]
        return pf.Table(header_rows=header_rows, rows=rows, bold_rows=bold, indent_rows=indent,
                        caption=self.caption, align=align, footnote=self.footnote,
                        rules=self.rules, font_size=self.font_size, col_widths=self.col_widths,
                        strict_numbers=False)

    # -- structure --------------------------------------------------------------------------
    def paths(self) -> list[str]:
        """row_path of every body row (sections included: their own path)."""
        out, stack = [], []  # stack of (depth, label)
        for r in self.rows:
            if r.role == "section":
                stack = [s for s in stack if s[0] < r.depth] + [(r.depth, r.label)]
                out.append(" > ".join(s[1] for s in stack))
                continue
            out.append(" > ".join([s[1] for s in stack] + [joined(r.label)]))
            if r.closes:
                if not stack:
                    raise ValueError(f"{self.key}: {r.label!r} closes no section")
                stack.pop()
        return out


# ---------------------------------------------------------------------------------------------
# Consistency rules
# ---------------------------------------------------------------------------------------------

def half_unit(f: Fig) -> Decimal:
    return Decimal(5).scaleb(-f.decimals - 1)


def _num(f: Fig | None) -> Decimal:
    return f.value if f is not None and f.is_number else Decimal(0)


@dataclass(frozen=True)
class Evaluated:
    """One instance of a relation (a RowSum in one column, a ColumnSum in one row) with its two
    sides as printed figures give them, and the rounding tolerance between them."""

    where: str  # "table: row [column]"
    computed: Decimal
    printed: Decimal
    tolerance: Decimal

    @property
    def holds(self) -> bool:
        return abs(self.computed - self.printed) < self.tolerance

    def violation(self, terms) -> str:
        return (f"{self.where} printed {self.printed}, {terms} = {self.computed} "
                f"(tolerance {self.tolerance})")


@dataclass
class RowSum:
    """In ``table``, row ``target`` = Σ coef × row, in every column where the target is a
    number (or only in ``columns``). Terms: "label" (+1) or ("-", "label") (−1)."""

    table: str
    target: str
    terms: list
    columns: list[str] | None = None

    def evaluated(self, t: "Template") -> list[Evaluated]:
        spec = t.table(self.table)
        out = []
        for col in self.columns or [c.path for c in spec.value_columns]:
            target = spec.fig(self.target, col)
            if target is None or not target.is_number:
                continue
            figs = [(-1 if isinstance(term, tuple) else 1,
                     spec.fig(term[1] if isinstance(term, tuple) else term, col))
                    for term in self.terms]
            computed = sum((c * _num(f) for c, f in figs), Decimal(0))
            tol = half_unit(target) + sum((half_unit(f) for _, f in figs
                                           if f is not None and f.is_number), Decimal(0))
            out.append(Evaluated(f"{self.table}: {self.target} [{col}]", computed, target.value, tol))
        return out

    def message(self, e: Evaluated) -> str:
        return e.violation(f"sum of {self.terms}")

    def violations(self, t: "Template") -> list[str]:
        return [self.message(e) for e in self.evaluated(t) if not e.holds]


@dataclass
class ColumnSum:
    """In ``table``, column ``target`` = Σ coef × column in every row where the target is a
    number (or only in ``rows``). Terms: (coef, column path)."""

    table: str
    target: str
    terms: list[tuple[int, str]]
    rows: list[str] | None = None

    def evaluated(self, t: "Template") -> list[Evaluated]:
        spec = t.table(self.table)
        out = []
        for r in spec.rows:
            if r.role == "section" or (self.rows is not None and r.label not in self.rows):
                continue
            target = r.cells[spec.column(self.target)]
            figs = [(c, r.cells[spec.column(p)]) for c, p in self.terms]
            if target is None or not target.is_number or any(
                    f is None or not f.is_number for _, f in figs):
                continue
            computed = sum((c * f.value for c, f in figs), Decimal(0))
            tol = half_unit(target) + sum((abs(c) * half_unit(f) for c, f in figs), Decimal(0))
            out.append(Evaluated(f"{self.table}: {r.label} [{self.target}]", computed, target.value, tol))
        return out

    def message(self, e: Evaluated) -> str:
        return e.violation("computed")

    def violations(self, t: "Template") -> list[str]:
        return [self.message(e) for e in self.evaluated(t) if not e.holds]


@dataclass
class Percent:
    """In ``table``, column ``target`` (percent) = numerator / |denominator| × 100 in every
    row, checked as intervals: the printed percentage's interval must meet the interval
    computed from the rounded inputs."""

    table: str
    target: str
    numerator: str
    denominator: str

    def figures(self, t: "Template") -> list[tuple[str, Fig, Fig, Fig]]:
        """(row label, percentage, numerator, denominator) of every row printing all three."""
        spec = t.table(self.table)
        out = []
        for r in spec.rows:
            if r.role == "section":
                continue
            p, a, b = (r.cells[spec.column(c)] for c in (self.target, self.numerator,
                                                          self.denominator))
            if all(f is not None and f.is_number for f in (p, a, b)):
                out.append((r.label, p, a, b))
        return out

    def violations(self, t: "Template") -> list[str]:
        out = []
        for label, p, a, b in self.figures(t):
            ha, hb, hp = half_unit(a), half_unit(b), half_unit(p)
            lo_b, hi_b = abs(b.value) - hb, abs(b.value) + hb
            ratios = [x / y * 100 for x in (a.value - ha, a.value + ha) for y in (lo_b, hi_b)]
            if max(ratios) < p.value - hp or min(ratios) >= p.value + hp:
                out.append(f"{self.table}: {label} [{self.target}] printed {p.value}, "
                           f"computed {min(ratios):.3f}..{max(ratios):.3f}")
        return out


@dataclass(frozen=True)
class Ref:
    table: str
    row: str
    column: str


@dataclass
class Same:
    """Two printings of one figure: a = factor × b (e.g. a mnkr figure and its tkr figure with
    factor 1/1000, or a cost printed positive in one table and negative in another: -1)."""

    a: Ref
    b: Ref
    factor: Decimal = Decimal(1)

    def violations(self, t: "Template") -> list[str]:
        fa = t.table(self.a.table).fig(self.a.row, self.a.column)
        fb = t.table(self.b.table).fig(self.b.row, self.b.column)
        computed = self.factor * fb.value
        tol = half_unit(fa) + abs(self.factor) * half_unit(fb)
        if abs(fa.value - computed) >= tol:
            return [f"{self.a} printed {fa.value} but {self.b} × {self.factor} = {computed}"]
        return []


Rule = Union[RowSum, ColumnSum, Percent, Same]


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------

Element = Union[Heading, Paragraph, PageBreak, TableSpec]


@dataclass(eq=False)
class Template:
    name: str
    municipality: str
    body: str
    report_type: str  # "årsredovisning" | "verksamhetsberättelse"
    fiscal_year: int
    title: str  # the running footer
    office: str
    style: pf.Style
    elements: list[Element]
    rules: list[Rule] = field(default_factory=list)
    description: str = ""

    @property
    def tables(self) -> list[TableSpec]:
        return [e for e in self.elements if isinstance(e, TableSpec)]

    def table(self, key: str) -> TableSpec:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"{self.name}: no table {key!r}")

    @property
    def cover(self) -> list[tuple[str, str, float]]:
        kind = "Årsredovisning" if self.report_type == "årsredovisning" else \
            "Verksamhetsberättelse"
        return [(self.municipality, "bold", 14.0), (f"{kind} {self.fiscal_year}", "bold", 28.0),
                ("", "regular", 12.0), (self.body, "regular", 16.0),
                ("", "regular", 60.0), (self.office, "regular", 10.0)]

    def check(self) -> list[str]:
        """Every arithmetic relation the description declares that does not hold."""
        return [v for rule in self.rules for v in rule.violations(self)]


@dataclass
class Rendered:
    template: Template
    result: pf.RenderResult
    tables: dict[str, pf.Table]  # TableSpec.key -> the drawn table

    @property
    def path(self) -> Path:
        return self.result.path


def render(template: Template, directory: Path | str) -> Rendered:
    """Draw ``template`` to ``directory/<name>.pdf``."""
    directory = Path(directory)
    style = template.style
    if style.symbol_chars:
        style = pf.with_style(style, name=style.name, symbol_font=str(symbol_font()))
    drawn: dict[str, pf.Table] = {}
    elements = []
    for el in template.elements:
        if isinstance(el, TableSpec):
            drawn[el.key] = el.to_table()
            elements.append(drawn[el.key])
        else:
            elements.append(el)
    report = pf.Report(municipality=template.municipality, fiscal_year=template.fiscal_year,
                       body=template.body, title=template.title, office=template.office,
                       elements=elements, cover=template.cover)
    result = pf.render(report, style, directory / f"{template.name}.pdf")
    return Rendered(template, result, drawn)


def with_figure(template: Template, table: str, row: str, column: str, value) -> Template:
    """A deep copy of ``template`` with one printed figure changed (same decimals and form)."""
    changed = copy.deepcopy(template)
    spec = changed.table(table)
    cells = spec.row(row).cells
    i = spec.column(column)
    old = cells[i]
    cells[i] = Fig(Decimal(str(value)), old.decimals, old.form, old.note, None, old.suffix)
    return changed


# ---------------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------------

def _amount(f: Fig) -> str:
    return f"{f.value:.{f.decimals}f}"


def budget_rows(template: Template) -> list[dict]:
    out = []
    for spec in template.tables:
        if not spec.statement:
            continue
        for order, r in enumerate(spec.rows, start=1):
            if r.role == "section":
                continue
            for col, f in zip(spec.value_columns, r.cells):
                if f is None or f.status != "reported":
                    continue
                if spec.row_measures is not None:
                    measure = spec.row_measures[r.label]
                else:
                    measure = col.measure
                if measure is None:
                    continue
                out.append(dict(
                    statement=spec.statement, line_item=joined(r.label), line_order=order,
                    is_total="true" if r.role in ("subtotal", "total") else "false",
                    measure=measure, fiscal_year=col.year or template.fiscal_year,
                    amount=_amount(f), unit=spec.unit_of(col)))
    return out


def cell_rows(rendered: Rendered) -> list[dict]:
    out = []
    template = rendered.template
    for spec in template.tables:
        pages = rendered.result.row_pages(rendered.tables[spec.key])
        for index, (r, path, page) in enumerate(zip(spec.rows, spec.paths(), pages), start=1):
            if r.role == "section":
                continue
            for col, f in zip(spec.value_columns, r.cells):
                if f is None:
                    continue
                number = f.status == "reported"
                out.append(dict(
                    table=joined(spec.title), page=page, caption=spec.caption or "",
                    unit=spec.unit_of(col), row_index=index, row_label=joined(r.label),
                    row_path=path, row_role=r.role, column_path=col.path, period=col.period,
                    value=_amount(f) if number else "", decimals=f.decimals if number else "",
                    printed=f.printed(spec.form), value_status=f.status, note=f.note))
    return out


GOAL_LABEL = re.compile(r"^(?P<id>\d+(?:\.\d+)*)\s+(?P<title>.+)$", re.S)


def goal_rows(template: Template) -> list[dict]:
    out = []
    for spec in template.tables:
        if spec.kind != "goals":
            continue
        for r, path in zip(spec.rows, spec.paths()):
            if r.role == "section":
                continue
            m = GOAL_LABEL.match(joined(r.label))
            parts = path.split(" > ")
            area = parts[0] if len(parts) > 1 else joined(spec.title)
            out.append(dict(goal_id=m["id"], goal_area=area, title=m["title"],
                            assessment=ASSESSMENTS[r.cells[0].word]))
    return out


def procurement_rows(template: Template) -> list[dict]:
    out = []
    for spec in template.tables:
        if spec.kind != "procurements":
            continue
        for r in spec.rows:
            if r.role == "detail":
                out.append(dict(description=joined(r.label),
                                contract_value_mnkr=_amount(r.cells[0])))
    return out


def report_rows(template: Template) -> list[dict]:
    return [dict(municipality=template.municipality, body=template.body,
                 report_type=template.report_type, fiscal_year=template.fiscal_year)]


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: r[c] for c in columns})
    return buf.getvalue()


def expected_csvs(rendered: Rendered) -> dict[str, str]:
    """File name -> content of every ground-truth CSV of the rendered template."""
    t = rendered.template
    files = {
        "report.csv": to_csv(report_rows(t), REPORT_COLUMNS),
        "budget.csv": to_csv(budget_rows(t), BUDGET_COLUMNS),
        "cells.csv": to_csv(cell_rows(rendered), CELL_COLUMNS),
    }
    goals = goal_rows(t)
    if goals:
        files["goals.csv"] = to_csv(goals, GOAL_COLUMNS)
    procurements = procurement_rows(t)
    if procurements:
        files["procurements.csv"] = to_csv(procurements, PROCUREMENT_COLUMNS)
    return files


def write_fixtures(directory: Path | str | None = None, pdf_dir: Path | str | None = None
                   ) -> list[Path]:
    """(Re)write tests/fixtures/templates/<template>/*.csv (and the PDFs into ``pdf_dir``)."""
    root = Path(directory) if directory else FIXTURES
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in TEMPLATES:
            rendered = render(build(name), Path(pdf_dir) if pdf_dir else Path(tmp))
            target = root / name
            target.mkdir(parents=True, exist_ok=True)
            for old in target.glob("*.csv"):
                old.unlink()
            for file, text in expected_csvs(rendered).items():
                (target / file).write_text(text, encoding="utf-8")
                written.append(target / file)
    return written


# ---------------------------------------------------------------------------------------------
# A tiny symbol font (● ◐ ○): Vera has no such glyphs, and the symbols must be text in the PDF
# ---------------------------------------------------------------------------------------------

SYMBOLS = "●◐○"


def symbol_font_bytes() -> bytes:
    """A TrueType font with U+25CF ●, U+25D0 ◐ and U+25CB ○, built with fontTools (a
    dependency of fpdf2); deterministic."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.misc.timeTools import timestampFromString
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cx, cy, outer, inner = 400, 330, 330, 250

    def arc(pen, r, start, sweep, n, first=True):
        """Quadratic arc from angle ``start`` over ``sweep`` radians in ``n`` segments."""
        off = r / math.cos(sweep / n / 2)
        pt = lambda rad, a: (round(cx + rad * math.cos(a)), round(cy + rad * math.sin(a)))  # noqa: E731
        if first:
            pen.moveTo(pt(r, start))
        for i in range(n):
            a0, a1 = start + sweep * i / n, start + sweep * (i + 1) / n
            pen.qCurveTo(pt(off, (a0 + a1) / 2), pt(r, a1))

    def glyph(draw):
        pen = TTGlyphPen(None)
        draw(pen)
        return pen.glyph()

    def disc(pen):  # outer contours run clockwise in TrueType
        arc(pen, outer, 0, -2 * math.pi, 8)
        pen.closePath()

    def ring(pen):
        disc(pen)
        arc(pen, inner, 0, 2 * math.pi, 8)
        pen.closePath()

    def half(pen):  # a ring with its left half filled
        ring(pen)
        arc(pen, inner, -math.pi / 2, -math.pi, 4)
        pen.closePath()

    glyphs = {".notdef": glyph(lambda p: None), "space": glyph(lambda p: None),
              "blackcircle": glyph(disc), "whitecircle": glyph(ring),
              "circlelefthalfblack": glyph(half)}
    order = list(glyphs)
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({0x20: "space", 0x25CF: "blackcircle", 0x25CB: "whitecircle",
                          0x25D0: "circlelefthalfblack"})
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({g: (300 if g == "space" else 800, getattr(glyphs[g], "xMin", 0))
                               for g in order})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "ArwSymbols", "styleName": "Regular",
                       "psName": "ArwSymbols-Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    stamp = timestampFromString("Thu Jan 15 12:00:00 2026")
    fb.updateHead(created=stamp, modified=stamp)
    buf = io.BytesIO()
    fb.save(buf)
    return buf.getvalue()


_symbol_font: Path | None = None


def symbol_font() -> Path:
    """The symbol font as a file (written once per process into the temp directory)."""
    global _symbol_font
    if _symbol_font is None or not _symbol_font.exists():
        data = symbol_font_bytes()
        path = Path(tempfile.gettempdir()) / \
            f"arw-symbols-{hashlib.sha256(data).hexdigest()[:12]}.ttf"
        if not path.exists() or path.read_bytes() != data:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".ttf")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        _symbol_font = path
    return _symbol_font


# ---------------------------------------------------------------------------------------------
# Prose
# ---------------------------------------------------------------------------------------------

SENTENCES = [
    "Nämnden har under året arbetat med att utveckla verksamheten utifrån de politiska "
    "prioriteringarna och kommunens vision.",
    "Arbetet har bedrivits i nära dialog med invånare, föreningar och näringsliv.",
    "Förvaltningen har haft en god bemanning under större delen av året, men rekryteringen "
    "av vissa specialistkompetenser har varit svår.",
    "Kostnadsutvecklingen har påverkats av högre priser på material, energi och entreprenader.",
    "Uppföljningen visar att de flesta aktiviteter i verksamhetsplanen har genomförts enligt "
    "tidplan.",
    "Några projekt har försenats på grund av längre leveranstider och överprövade "
    "upphandlingar.",
    "Digitaliseringen av interna processer har fortsatt och flera nya e-tjänster har lanserats.",
    "Samverkan med grannkommunerna har stärkts inom flera områden.",
    "Medarbetarna har deltagit i utbildningar om arbetsmiljö, informationssäkerhet och "
    "bemötande.",
    "Inför kommande år ligger fokus på effektivisering och en budget i balans.",
]


def prose(n: int, start: int = 0) -> Paragraph:
    return Paragraph(" ".join(SENTENCES[(start + i) % len(SENTENCES)] for i in range(n)))


# ---------------------------------------------------------------------------------------------
# Helpers for authoring figures
# ---------------------------------------------------------------------------------------------

def add(*vectors: Sequence[int]) -> list[int]:
    return [sum(v) for v in zip(*vectors)]


def mnkr(tkr: int) -> Decimal:
    """A tkr amount printed in mnkr with one decimal (rounded half away from zero)."""
    return (Decimal(tkr) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# 1. Granvik kommun, Tekniska nämnden: full grid, landscape investments, board summary
# ---------------------------------------------------------------------------------------------

def granvik() -> Template:
    fy = 2025
    tkr = "tkr"
    # Driftredovisning per verksamhet: Bokslut 2024, Bokslut 2025, Budget 2025 (net costs < 0)
    units = [
        ("Nämnd och förvaltningsledning", -8912, -9348, -9500),
        ("Gata och trafik", -41230, -44806, -42900),
        ("Park och natur", -18455, -19102, -19600),
        ("Fastighetsförvaltning", -12870, -10436, -12100),
        ("Kost och måltid", -27660, -29874, -29300),
        ("Lokalvård", -3150, -2988, -3200),
    ]
    drift_rows = []
    for label, b24, b25, bud in units:
        diff = b25 - bud
        drift_rows.append(detail(label, b24, b25, bud, N(diff, form="space")))
    sums = add(*[u[1:] for u in units])
    drift_rows.append(total("Summa", *sums[:3], N(sums[1] - sums[2], form="space")))
    drift = TableSpec(
        key="drift", title="Driftredovisning per verksamhet", caption="Belopp i tkr", unit=tkr,
        statement="operating_by_department", label_header="Verksamhet",
        columns=[Column("Bokslut 2024", measure="outcome", year=2024, period="2024"),
                 Column("Bokslut 2025", measure="outcome", year=2025, period="2025"),
                 Column("Budget 2025", measure="budget", year=2025, period="2025"),
                 Column("Differens", measure="deviation", year=2025)],
        rows=drift_rows)

    # Investeringsredovisning (positive expenditure; Avvikelse = Budget - Utfall,
    # Återstår = Total budget - Ack. utfall)
    def project(label, budget, outcome, total_budget, accumulated, dev: Fig | None = None):
        return detail(label, budget, outcome, dev or N(budget - outcome), total_budget,
                      accumulated, N(total_budget - accumulated))

    finished = [project("Asfaltering Storgatan (4011)", 3500, 3412, 3500, 3412),
                project("Gång- och cykelväg längs Ån (4015)", 2400, 2750, 4800, 5150,
                        dev=N(-350, note="*")),
                project("Belysning Stadsparken (4017)", 1200, 1185, 1200, 1185)]
    ongoing = [project("Ny förskola Vega (4021)", 12000, 9870, 38000, 21340),
               project("Renovering av Granviks simhall (4023)", 8500, 9264, 26000, 9264),
               project("Laddinfrastruktur för kommunens fordon (4026)", 1500, 620, 3000, 620)]

    def summed(rows):
        return add(*[[c.value for c in r.cells] for r in rows])

    s_fin, s_ong = summed(finished), summed(ongoing)
    s_all = add(s_fin, s_ong)
    grant = (-2000, -2350)
    grand = [s_all[0] + grant[0], s_all[1] + grant[1], s_all[2] + (grant[0] - grant[1])]
    inv = TableSpec(
        key="investments", title="Investeringsredovisning", caption="Belopp i tkr", unit=tkr,
        statement="investments", label_header="Projekt",
        columns=[Column("Budget 2025", "Årets investeringar", "budget", 2025, "2025"),
                 Column("Utfall 2025", "Årets investeringar", "outcome", 2025, "2025"),
                 Column("Avvikelse", "Årets investeringar", "deviation", 2025),
                 Column("Total budget", "Totalt projekt", "budget", 2025),
                 Column("Ack. utfall", "Totalt projekt", "outcome", 2025),
                 Column("Återstår", "Totalt projekt", "deviation", 2025)],
        rows=[section("Avslutade projekt"), *finished,
              subtotal("Summa avslutade projekt", *s_fin),
              section("Pågående projekt"), *ongoing,
              subtotal("Summa pågående projekt", *s_ong),
              total("Summa investeringar", *s_all),
              detail("Investeringsbidrag", *grant, grant[0] - grant[1], "Ej aktuellt",
                     "Ej aktuellt", "Ej aktuellt"),
              total("Totalt", *grand, None, None, None)],
        footnote="* Slutfakturan för entreprenaden har inte inkommit; avvikelsen är preliminär.",
        col_widths=(3.2, 1, 1, 1, 1, 1, 1))

    # Ekonomi (tkr): measures in rows, years in columns
    net24, net25 = sums[0], sums[1]
    income = (48320, 51046)
    costs = (net24 - income[0], net25 - income[1])
    budget = (-107765, sums[2])
    board = TableSpec(
        key="board", title="Ekonomi i sammandrag", label_header="Ekonomi (tkr)", unit=tkr,
        statement="board_summary",
        row_measures={"Intäkter": "outcome", "Kostnader": "outcome", "Nettokostnader": "outcome",
                      "Budget": "budget", "Budgetavvikelse": "deviation",
                      "Nettoinvesteringar": "outcome"},
        columns=[Column("2024", year=2024, period="2024"),
                 Column("2025", year=2025, period="2025")],
        rows=[detail("Intäkter", *income), detail("Kostnader", *costs),
              total("Nettokostnader", net24, net25), detail("Budget", *budget),
              detail("Budgetavvikelse", N(net24 - budget[0], form="space"),
                     N(net25 - budget[1], form="space")),
              detail("Nettoinvesteringar", 31870, grand[1])],
        col_widths=(3, 1, 1))

    goals = TableSpec(
        key="goals", title="Måluppfyllelse", label_header="Nämndmål", kind="goals",
        columns=[Column("Bedömning")], value_align="l", col_widths=(3, 1),
        rows=[section("Hållbar samhällsutveckling"),
              detail("1.1 Gator och cykelvägar underhålls så att framkomligheten är god året "
                     "runt", "Delvis uppfyllt"),
              detail("1.2 Energianvändningen i nämndens lokaler minskar med minst två procent "
                     "per år", "Uppfyllt"),
              section("Trygg och tillgänglig kommun"),
              detail("2.1 Alla kommunala lekplatser uppfyller gällande säkerhetsstandard",
                     "Ej uppfyllt"),
              detail("2.2 Måltiderna i förskola och skola tillagas i egna kök", "Uppfyllt")])

    elements = [
        Heading("Nämndens uppdrag", 1), prose(4, 0), prose(3, 4),
        Heading("Ekonomi", 1),
        Paragraph("Nämnden redovisar ett litet överskott mot budget för året. Intäkterna blev "
                  "högre än beräknat medan kostnaderna för vinterväghållning översteg "
                  "budget."),
        Heading(board.title, 2), board,
        Heading(drift.title, 2), prose(2, 3), drift,
        PageBreak(orientation="landscape"),
        Heading(inv.title, 2),
        Paragraph("Investeringarna redovisas per projekt. Avslutade projekt slutredovisas och "
                  "pågående projekt redovisas med årets utfall och totalt för hela projektet."),
        inv,
        PageBreak(orientation="portrait"),
        Heading("Måluppföljning", 1), prose(2, 6),
        Heading(goals.title, 2),
        Paragraph("Nämndens mål bedöms som uppfyllda, delvis uppfyllda eller ej uppfyllda."),
        goals,
        Heading("Framtiden", 1), prose(3, 7),
    ]
    board_c, inv_c, drift_c = "board", "investments", "drift"
    rules: list[Rule] = [
        *[RowSum(drift_c, "Summa", [u[0] for u in units])],
        ColumnSum(drift_c, "Differens", [(1, "Bokslut 2025"), (-1, "Budget 2025")]),
        RowSum(inv_c, "Summa avslutade projekt", [r.label for r in finished]),
        RowSum(inv_c, "Summa pågående projekt", [r.label for r in ongoing]),
        RowSum(inv_c, "Summa investeringar", ["Summa avslutade projekt", "Summa pågående projekt"]),
        RowSum(inv_c, "Totalt", ["Summa investeringar", "Investeringsbidrag"]),
        ColumnSum(inv_c, "Årets investeringar > Avvikelse",
                  [(1, "Årets investeringar > Budget 2025"),
                   (-1, "Årets investeringar > Utfall 2025")]),
        ColumnSum(inv_c, "Totalt projekt > Återstår",
                  [(1, "Totalt projekt > Total budget"), (-1, "Totalt projekt > Ack. utfall")]),
        RowSum(board_c, "Nettokostnader", ["Intäkter", "Kostnader"]),
        RowSum(board_c, "Budgetavvikelse", ["Nettokostnader", ("-", "Budget")]),
        Same(Ref(board_c, "Nettokostnader", "2024"), Ref(drift_c, "Summa", "Bokslut 2024")),
        Same(Ref(board_c, "Nettokostnader", "2025"), Ref(drift_c, "Summa", "Bokslut 2025")),
        Same(Ref(board_c, "Budget", "2025"), Ref(drift_c, "Summa", "Budget 2025")),
        Same(Ref(board_c, "Budgetavvikelse", "2025"), Ref(drift_c, "Summa", "Differens")),
        Same(Ref(board_c, "Nettoinvesteringar", "2025"),
             Ref(inv_c, "Totalt", "Årets investeringar > Utfall 2025")),
    ]
    style = pf.Style("tpl_granvik_grid", font="Helvetica", table_font_size=8.5, rules="grid",
                     left_margin=60, right_margin=60, cell_padding=3.5)
    return Template(
        name="granvik-tn-arsredovisning-2025", municipality="Granvik kommun",
        body="Tekniska nämnden", report_type="årsredovisning", fiscal_year=fy,
        title="Tekniska nämndens årsredovisning 2025", office="Samhällsbyggnadsförvaltningen",
        style=style, elements=elements, rules=rules,
        description="full grid; board summary Ekonomi (tkr) with measures in rows; Verksamhet | "
                    "Bokslut | Budget | Differens; landscape investments with a two-level "
                    "header, sections, subtotals, totals, -350*, Ej aktuellt; '- 4 512'; goals "
                    "judged Uppfyllt / Delvis uppfyllt / Ej uppfyllt")


# ---------------------------------------------------------------------------------------------
# 2. Ekvalla kommun, Kommunstyrelsen: no rules, U+2212, RR/BR/cash flow, symbols
# ---------------------------------------------------------------------------------------------

def ekvalla() -> Template:
    fy = 2025
    # -- Resultaträkning (2025, 2024) -----------------------------------------------------------
    intakter, kostnader, avskr = (312480, 298115), (-1712936, -1651204), (-68412, -64790)
    vnk = add(intakter, kostnader, avskr)
    skatt, gsb = (1198560, 1142300), (318420, 301880)
    vres = add(vnk, skatt, gsb)
    fin_i, fin_k = (9845, 8120), (-21347, -18935)
    refp = add(vres, fin_i, fin_k)
    extra = (0, 0)
    arets = add(refp, extra)
    period = lambda y: f"{y}-01-01{EN_DASH}{y}-12-31"  # noqa: E731
    rr = TableSpec(
        key="rr", title="Resultaträkning", caption="Belopp i tkr", unit="tkr",
        statement="income_statement", form="unicode",
        columns=[Column("Not", is_note=True),
                 Column(period(2025), measure="outcome", year=2025, period=period(2025)),
                 Column(period(2024), measure="outcome", year=2024, period=period(2024))],
        rows=[detail("Verksamhetens intäkter", *intakter, note="1"),
              detail("Verksamhetens kostnader", *kostnader, note="2"),
              detail("Avskrivningar", *avskr, note="3"),
              subtotal("Verksamhetens nettokostnader", *vnk, closes=False),
              detail("Skatteintäkter", *skatt, note="4"),
              detail("Generella statsbidrag och utjämning", *gsb, note="5"),
              subtotal("Verksamhetens resultat", *vres, closes=False),
              detail("Finansiella intäkter", *fin_i, note="6"),
              detail("Finansiella kostnader", *fin_k, note="7"),
              subtotal("Resultat efter finansiella poster", *refp, closes=False),
              detail("Extraordinära poster", *extra),
              total("Årets resultat", *arets)],
        col_widths=(2.3, 0.4, 1.75, 1.75))

    # -- Balansräkning (2025-12-31, 2024-12-31) ---------------------------------------------------
    immat, mark, mask, fin_at = (4210, 5130), (1486320, 1431905), (88764, 84310), (142600, 141950)
    sum_at = add(immat, mark, mask, fin_at)
    forrad, ford, kassa = (23415, 27880), (186342, 171526), (52907, 64318)
    sum_ot = add(forrad, ford, kassa)
    sum_t = add(sum_at, sum_ot)
    ovr_ek = (842630 + arets[1], 842630)
    sum_ek = add(arets, ovr_ek)
    pens, ovr_avs = (98420, 94115), (12300, 13050)
    sum_avs = add(pens, ovr_avs)
    kort = (298640, 287415)
    lang = [t - e - a - k for t, e, a, k in zip(sum_t, sum_ek, sum_avs, kort)]
    sum_sk = add(lang, kort)
    sum_eks = add(sum_ek, sum_avs, sum_sk)
    br = TableSpec(
        key="br", title="Balansräkning", caption="Belopp i tkr", unit="tkr",
        statement="balance_sheet", form="unicode",
        columns=[Column("Not", is_note=True),
                 Column("2025-12-31", measure="outcome", year=2025, period="2025-12-31"),
                 Column("2024-12-31", measure="outcome", year=2024, period="2024-12-31")],
        rows=[section("TILLGÅNGAR", 1),
              section("Anläggningstillgångar", 2),
              detail("Immateriella anläggningstillgångar", *immat, note="8"),
              detail("Mark, byggnader och tekniska anläggningar", *mark, note="9"),
              detail("Maskiner och inventarier", *mask, note="10"),
              detail("Finansiella anläggningstillgångar", *fin_at, note="11"),
              subtotal("Summa anläggningstillgångar", *sum_at),
              section("Omsättningstillgångar", 2),
              detail("Förråd och exploateringsfastigheter", *forrad, note="12"),
              detail("Fordringar", *ford, note="13"),
              detail("Kassa och bank", *kassa, note="14"),
              subtotal("Summa omsättningstillgångar", *sum_ot),
              total("SUMMA TILLGÅNGAR", *sum_t, closes=True),
              section("EGET KAPITAL OCH SKULDER", 1),
              section("Eget kapital", 2),
              detail("Årets resultat", *arets),
              detail("Övrigt eget kapital", *ovr_ek),
              subtotal("Summa eget kapital", *sum_ek, note="15"),
              section("Avsättningar", 2),
              detail("Avsättningar för pensioner", *pens, note="16"),
              detail("Övriga avsättningar", *ovr_avs, note="17"),
              subtotal("Summa avsättningar", *sum_avs),
              section("Skulder", 2),
              detail("Långfristiga skulder", *lang, note="18"),
              detail("Kortfristiga skulder", *kort, note="19"),
              subtotal("Summa skulder", *sum_sk),
              total("SUMMA EGET KAPITAL OCH SKULDER", *sum_eks, closes=True)],
        col_widths=(3.2, 0.5, 1.3, 1.3))

    # -- Kassaflödesanalys (2025, 2024) ----------------------------------------------------------
    avs_change = (sum_avs[0] - sum_avs[1], 2870)
    forrad_change = (forrad[1] - forrad[0], -1240)
    ford_change = (ford[1] - ford[0], 6214)
    kort_change = (kort[0] - kort[1], 9880)
    inv_mat, sale, inv_fin = (-131247, -118660), (2110, 1480), (fin_at[1] - fin_at[0], -1200)
    sum_inv = add(inv_mat, sale, inv_fin)
    loans = (60000, 40000)
    amort = (lang[0] - lang[1] - loans[0], -38905)
    sum_fin = add(loans, amort)
    start = (kassa[1], 71006)
    flow = (kassa[0] - kassa[1], kassa[1] - start[1])
    before_plug = add(arets, [-a for a in avskr], avs_change, forrad_change, ford_change,
                      kort_change)
    sum_lop_target = [f - i - g for f, i, g in zip(flow, sum_inv, sum_fin)]
    plug = [t - b for t, b in zip(sum_lop_target, before_plug)]
    sum_lop = add(before_plug, plug)
    end = add(start, flow)
    kf = TableSpec(
        key="cash", title="Kassaflödesanalys", caption="Belopp i tkr", unit="tkr",
        statement="cash_flow", form="unicode",
        columns=[Column("Not", is_note=True),
                 Column("2025", measure="outcome", year=2025, period="2025"),
                 Column("2024", measure="outcome", year=2024, period="2024")],
        rows=[section("Den löpande verksamheten"),
              detail("Årets resultat", *arets),
              detail("Justering för av- och nedskrivningar", *[-a for a in avskr], note="3"),
              detail("Justering för gjorda avsättningar", *avs_change),
              detail("Justering för övriga ej likviditetspåverkande poster", *plug, note="20"),
              detail("Förändring av förråd och exploateringsfastigheter", *forrad_change),
              detail("Förändring av kortfristiga fordringar", *ford_change),
              detail("Förändring av kortfristiga skulder", *kort_change),
              subtotal("Kassaflöde från den löpande verksamheten", *sum_lop),
              section("Investeringsverksamheten"),
              detail("Investering i materiella anläggningstillgångar", *inv_mat),
              detail("Försäljning av materiella anläggningstillgångar", *sale),
              detail("Investering i finansiella anläggningstillgångar", *inv_fin),
              subtotal("Kassaflöde från investeringsverksamheten", *sum_inv),
              section("Finansieringsverksamheten"),
              detail("Nyupptagna lån", *loans),
              detail("Amortering av skuld", *amort),
              subtotal("Kassaflöde från finansieringsverksamheten", *sum_fin),
              total("Årets kassaflöde", *flow),
              detail("Likvida medel vid årets början", *start),
              total("Likvida medel vid årets slut", *end)],
        col_widths=(3.2, 0.5, 1.1, 1.1))

    # -- Nettokostnad per nämnd ------------------------------------------------------------------
    boards = [("Kommunstyrelsen", -142300, -139876), ("Barn- och utbildningsnämnden", -742500,
                                                        -751032),
              ("Socialnämnden", -498200, -495117), ("Tekniska nämnden", -61400, -60918),
              ("Kultur- och fritidsnämnden", -44100, -43977)]
    per_board = [detail(n, b, u, u - b) for n, b, u in boards]
    sb = add(*[(b, u) for _, b, u in boards])
    nk = TableSpec(
        key="boards", title="Nettokostnad per nämnd", caption="Belopp i tkr", unit="tkr",
        statement="operating_by_department", form="unicode", label_header="Nämnd",
        columns=[Column("Budget 2025", measure="budget", year=2025, period="2025"),
                 Column("Utfall 2025", measure="outcome", year=2025, period="2025"),
                 Column("Avvikelse", measure="deviation", year=2025)],
        rows=[*per_board, total("Summa nämnder", sb[0], sb[1], sb[1] - sb[0])])

    # -- Goals by symbol -------------------------------------------------------------------------
    def goal_table(key, area, rows):
        return TableSpec(key=key, title=area, label_header="Nämndmål", kind="goals",
                         heading_level=3, columns=[Column("Bedömning")], value_align="c",
                         col_widths=(4, 1), rows=rows)

    g1 = goal_table("goals-1", "Attraktiv kommun att bo och verka i", [
        detail("1.1 Planberedskapen möjliggör minst 150 nya bostäder per år", "●"),
        detail("1.2 Företagsklimatet förbättras enligt Svenskt Näringslivs ranking", "◐")])
    g2 = goal_table("goals-2", "Hållbar och effektiv organisation", [
        detail("2.1 Sjukfrånvaron bland kommunens medarbetare minskar", "○"),
        detail("2.2 Resultatet uppgår till minst två procent av skatteintäkter och generella "
               "statsbidrag", "●"),
        detail("2.3 Andelen e-tjänster som invånarna kan använda dygnet runt ökar", "◐")])

    elements = [
        Heading("Förvaltningsberättelse", 1), prose(4, 1),
        Heading("Måluppfyllelse", 2),
        Paragraph("Kommunstyrelsens bedömning av nämndmålen redovisas med symboler."),
        Paragraph("●  Uppfyllt      ◐  Delvis uppfyllt      ○  Ej uppfyllt", italic=True),
        Heading(g1.title, 3), g1,
        Heading(g2.title, 3), g2,
        Heading("Ekonomisk analys", 2), prose(3, 3),
        Heading(nk.title, 2), nk,
        PageBreak(),
        Heading("Räkenskaper", 1),
        Paragraph("Kommunens resultaträkning, balansräkning och kassaflödesanalys för "
                  "räkenskapsåret."),
        Heading(rr.title, 2), rr,
        Heading(br.title, 2), br,
        Heading(kf.title, 2), kf,
        Heading("Noter", 2), prose(2, 8),
    ]
    rules: list[Rule] = [
        RowSum("rr", "Verksamhetens nettokostnader", ["Verksamhetens intäkter",
                                                      "Verksamhetens kostnader", "Avskrivningar"]),
        RowSum("rr", "Verksamhetens resultat", ["Verksamhetens nettokostnader", "Skatteintäkter",
                                                "Generella statsbidrag och utjämning"]),
        RowSum("rr", "Resultat efter finansiella poster", [
            "Verksamhetens resultat", "Finansiella intäkter", "Finansiella kostnader"]),
        RowSum("rr", "Årets resultat", ["Resultat efter finansiella poster",
                                        "Extraordinära poster"]),
        RowSum("br", "Summa anläggningstillgångar", [
            "Immateriella anläggningstillgångar", "Mark, byggnader och tekniska anläggningar",
            "Maskiner och inventarier", "Finansiella anläggningstillgångar"]),
        RowSum("br", "Summa omsättningstillgångar", [
            "Förråd och exploateringsfastigheter", "Fordringar", "Kassa och bank"]),
        RowSum("br", "SUMMA TILLGÅNGAR", ["Summa anläggningstillgångar",
                                          "Summa omsättningstillgångar"]),
        RowSum("br", "Summa eget kapital", ["Årets resultat", "Övrigt eget kapital"]),
        RowSum("br", "Summa avsättningar", ["Avsättningar för pensioner", "Övriga avsättningar"]),
        RowSum("br", "Summa skulder", ["Långfristiga skulder", "Kortfristiga skulder"]),
        RowSum("br", "SUMMA EGET KAPITAL OCH SKULDER", [
            "Summa eget kapital", "Summa avsättningar", "Summa skulder"]),
        RowSum("br", "SUMMA TILLGÅNGAR", ["SUMMA EGET KAPITAL OCH SKULDER"]),
        RowSum("cash", "Kassaflöde från den löpande verksamheten", [
            r.label for r in kf.rows[1:8]]),
        RowSum("cash", "Kassaflöde från investeringsverksamheten", [
            r.label for r in kf.rows[10:13]]),
        RowSum("cash", "Kassaflöde från finansieringsverksamheten", [
            "Nyupptagna lån", "Amortering av skuld"]),
        RowSum("cash", "Årets kassaflöde", [
            "Kassaflöde från den löpande verksamheten", "Kassaflöde från investeringsverksamheten",
            "Kassaflöde från finansieringsverksamheten"]),
        RowSum("cash", "Likvida medel vid årets slut", ["Likvida medel vid årets början",
                                                        "Årets kassaflöde"]),
        RowSum("boards", "Summa nämnder", [b[0] for b in boards]),
        ColumnSum("boards", "Avvikelse", [(1, "Utfall 2025"), (-1, "Budget 2025")]),
        *[Same(Ref("br", "Årets resultat", c), Ref("rr", "Årets resultat", p))
          for c, p in (("2025-12-31", period(2025)), ("2024-12-31", period(2024)))],
        *[Same(Ref("cash", "Årets resultat", y), Ref("rr", "Årets resultat", p))
          for y, p in (("2025", period(2025)), ("2024", period(2024)))],
        *[Same(Ref("cash", "Justering för av- och nedskrivningar", y),
               Ref("rr", "Avskrivningar", p), Decimal(-1))
          for y, p in (("2025", period(2025)), ("2024", period(2024)))],
        Same(Ref("cash", "Likvida medel vid årets slut", "2025"),
             Ref("br", "Kassa och bank", "2025-12-31")),
        Same(Ref("cash", "Likvida medel vid årets slut", "2024"),
             Ref("br", "Kassa och bank", "2024-12-31")),
        Same(Ref("cash", "Likvida medel vid årets början", "2025"),
             Ref("br", "Kassa och bank", "2024-12-31")),
    ]
    style = pf.Style("tpl_ekvalla_bare", renderer="fpdf2", font="Vera", table_font_size=8.5,
                     body_font_size=10, rules="none", header_fill=False, left_margin=66,
                     right_margin=60, symbol_chars=SYMBOLS)
    return Template(
        name="ekvalla-ks-arsredovisning-2025", municipality="Ekvalla kommun",
        body="Kommunstyrelsen", report_type="årsredovisning", fiscal_year=fy,
        title="Ekvalla kommuns årsredovisning 2025", office="Kommunledningsförvaltningen",
        style=style, elements=elements, rules=rules,
        description="no rules at all; U+2212; Resultaträkning with Not and date-range periods; "
                    "Balansräkning with two-level sections, subtotals, totals; "
                    "Kassaflödesanalys; Nettokostnad per nämnd; goals by symbols ● ◐ ○ with "
                    "a legend")


# ---------------------------------------------------------------------------------------------
# 3. Bergslunda kommun, Barn- och utbildningsnämnden: Verksamhetsberättelse, mnkr, procurements
# ---------------------------------------------------------------------------------------------

def bergslunda() -> Template:
    fy = 2025
    # the board's figures in tkr; the Driftredovisning prints them in mnkr
    inc_bud, inc_utf, inc_24 = 148620, 156284, 141905
    cost_bud, cost_utf, cost_24 = -1392400, -1402537, -1338466
    net_bud, net_utf, net_24 = inc_bud + cost_bud, inc_utf + cost_utf, inc_24 + cost_24

    def drift_row(make, label, bud, utf, prev):
        return make(label, mnkr(bud), mnkr(utf), mnkr(utf - bud), mnkr(prev))

    drift = TableSpec(
        key="drift", title="Driftredovisning", caption="Miljoner kronor", unit="mnkr",
        statement="operating_summary",
        columns=[Column("Budget 2025", measure="budget", year=2025, period="2025"),
                 Column("Utfall 2025", measure="outcome", year=2025, period="2025"),
                 Column("Budget-\navvikelse", measure="deviation", year=2025),
                 Column("Utfall 2024", measure="outcome", year=2024, period="2024")],
        rows=[drift_row(detail, "Intäkter", inc_bud, inc_utf, inc_24),
              drift_row(detail, "Kostnader", cost_bud, cost_utf, cost_24),
              drift_row(total, "Nettokostnad", net_bud, net_utf, net_24)],
        col_widths=(2.4, 1, 1, 1, 1))

    forms_24 = [("Förskola", -305112), ("Fritidshem", -66840), ("Förskoleklass", -23506),
                ("Grundskola", -581240), ("Gymnasieskola", -164977),
                ("Vuxenutbildning", -27311)]
    forms_25 = [-318420, -68305, -24118, -602774, -171932, -28615]
    admin = (net_24 - sum(v for _, v in forms_24), net_utf - sum(forms_25))
    per_form = TableSpec(
        key="per-form", title="Nettokostnad per verksamhet", unit="tkr",
        statement="operating_by_department", label_header="Skolform",
        columns=[Column("Summa tkr", "Bokslut 2024", "outcome", 2024, "2024"),
                 Column("Summa tkr", "Bokslut 2025", "outcome", 2025, "2025")],
        rows=[*[detail(n, v24, v25) for (n, v24), v25 in zip(forms_24, forms_25)],
              detail("Nämnd och förvaltning", *admin),
              total("Summa", net_24, net_utf)],
        col_widths=(3, 1, 1))

    projects = [("Inventarier förskolor", 2000, 3835, "nosep"),
                ("Skolgård Björkskolan", 4500, 4262, None),
                ("Digitala lärverktyg", 3200, 1365, None),
                ("Ventilation Lärkans skola", 6800, 8635, None)]
    inv_rows = [detail(n, b, u, N(b - u, form=form)) for n, b, u, form in projects]
    sb, su = sum(p[1] for p in projects), sum(p[2] for p in projects)
    inv = TableSpec(
        key="investments", title="Investeringar", caption="Belopp i tkr", unit="tkr",
        statement="investments", label_header="Projekt",
        columns=[Column("Budget 2025", measure="budget", year=2025, period="2025"),
                 Column("Utfall 2025", measure="outcome", year=2025, period="2025"),
                 Column("Avvikelse", measure="deviation", year=2025)],
        rows=[*inv_rows, total("Summa investeringar", sb, su, sb - su)])

    procurements = TableSpec(
        key="procurements", title="Upphandlingar", kind="procurements",
        label_header="Upphandling", columns=[Column("Avtalsvärde, mnkr", unit="mnkr")],
        rows=[detail("Skolskjuts", N(42)),
              detail("Läromedel, digitala och tryckta", N("18.5")),
              detail("Livsmedel till skolmåltider", N(31)),
              detail("Städtjänster i förskolor", N("7.2")),
              detail("Psykologtjänster till elevhälsan", N("2.4"))],
        col_widths=(3, 1))

    grants = [("Montessoriförskolan Lilla Björn", 8412), ("Friskolan Kunskapsbron", 24630),
              ("Waldorfskolan i Bergslunda", 11205)]
    bidrag = TableSpec(
        key="grants", title="Bidrag till fristående verksamhet", label_header="Huvudman",
        columns=[Column("Bidrag, tkr", unit="tkr")],
        rows=[*[detail(n, v) for n, v in grants], total("Summa", sum(v for _, v in grants))],
        col_widths=(3, 1))

    elements = [
        Heading("Verksamhetens inriktning", 1), prose(4, 2), prose(3, 6),
        Heading("Ekonomiskt utfall", 1),
        Paragraph("Nämnden redovisar ett underskott mot budget, främst inom grundskolan där "
                  "elevantalet blev högre än planerat."),
        Heading(drift.title, 2), drift,
        Heading(per_form.title, 2), prose(2, 0), per_form,
        Heading(inv.title, 2), inv,
        PageBreak(),
        Heading("Konkurrensutsättning", 1),
        Paragraph("Nämnden har under året tecknat följande avtal där avtalsvärdet överstiger "
                  "två miljoner kronor."),
        Heading(procurements.title, 2), procurements,
        Heading(bidrag.title, 2),
        Paragraph("Bidrag till enskilda huvudmän betalas ut enligt skollagens bestämmelser om "
                  "lika villkor."),
        bidrag,
        Heading("Framtid", 1), prose(3, 5),
    ]
    rules: list[Rule] = [
        RowSum("drift", "Nettokostnad", ["Intäkter", "Kostnader"]),
        ColumnSum("drift", "Budgetavvikelse", [(1, "Utfall 2025"), (-1, "Budget 2025")]),
        RowSum("per-form", "Summa", [r.label for r in per_form.rows[:-1]]),
        Same(Ref("drift", "Nettokostnad", "Utfall 2025"),
             Ref("per-form", "Summa", "Bokslut 2025 > Summa tkr"), Decimal("0.001")),
        Same(Ref("drift", "Nettokostnad", "Utfall 2024"),
             Ref("per-form", "Summa", "Bokslut 2024 > Summa tkr"), Decimal("0.001")),
        RowSum("investments", "Summa investeringar", [p[0] for p in projects]),
        ColumnSum("investments", "Avvikelse", [(1, "Budget 2025"), (-1, "Utfall 2025")]),
        RowSum("grants", "Summa", [n for n, _ in grants]),
    ]
    style = pf.Style("tpl_bergslunda_times", font="Times", table_font_size=9.5,
                     body_font_size=11, page_size="Letter", rules="horizontal",
                     header_fill=False, left_margin=64, right_margin=64)
    return Template(
        name="bergslunda-bun-verksamhetsberattelse-2025", municipality="Bergslunda kommun",
        body="Barn- och utbildningsnämnden", report_type="verksamhetsberättelse",
        fiscal_year=fy, title="Barn- och utbildningsnämndens verksamhetsberättelse 2025",
        office="Utbildningsförvaltningen", style=style, elements=elements, rules=rules,
        description="Verksamhetsberättelse; Driftredovisning in Miljoner kronor (sums within "
                    "rounding) with 'Budget-' / 'avvikelse'; Bokslut groups over Summa tkr; "
                    "Investeringar with -1835 beside -1 835; procurements with a header row; "
                    "Bidrag, tkr")


# ---------------------------------------------------------------------------------------------
# 4. Sjöhamra kommun, Kultur- och fritidsnämnden: kr, soft hyphen, words and markers
# ---------------------------------------------------------------------------------------------

def sjohamra() -> Template:
    fy = 2025
    intakter, kostnader, avskr = (14862310, 13905448), (-92418905, -88113260), (-3104552,
                                                                                -2987110)
    vnk = add(intakter, kostnader, avskr)
    bidrag, fin_k = (81250000, 76900000), (-412806, -365214)
    arets = add(vnk, bidrag, fin_k)
    rr = TableSpec(
        key="rr", title="Resultaträkning", caption="Belopp i kr", unit="kr",
        statement="income_statement",
        columns=[Column("2025", measure="outcome", year=2025, period="2025"),
                 Column("2024", measure="outcome", year=2024, period="2024")],
        rows=[detail("Verksamhetens intäkter", *intakter),
              detail("Verksamhetens kostnader", *kostnader),
              detail("Avskrivningar", *avskr),
              subtotal("Verksamhetens nettokostnad", *vnk, closes=False),
              detail("Kommunbidrag", *bidrag),
              detail("Finansiella kostnader", *fin_k),
              total("Årets resultat", *arets)],
        col_widths=(3, 1, 1))

    # Driftredovisning per verksamhet: its net cost equals the RR's net cost after financial
    # items, so its deviation equals Årets resultat
    units = [("Nämnd och administration", -4250000, -4118320),
             ("Bibliotek", -18600000, -18954210),
             ("Kulturskola", -12300000, -12061845),
             ("Fritidsgårdar", -9850000, -9702114),
             ("Föreningsbidrag", -5350000, -5291000)]
    net = vnk[0] + fin_k[0]
    sports_budget = -bidrag[0] - sum(b for _, b, _ in units)
    units.insert(4, ("Idrottsanläggningar", sports_budget, net - sum(u for _, _, u in units)))

    def pct(dev: int, budget: int) -> Decimal:
        return (Decimal(dev) / abs(Decimal(budget)) * 100).quantize(Decimal("0.1"),
                                                                     rounding=ROUND_HALF_UP)

    rows = [detail(n, b, u, u - b, N(pct(u - b, b))) for n, b, u in units]
    sb, su = sum(b for _, b, _ in units), sum(u for _, _, u in units)
    rows.append(total("Summa", sb, su, su - sb, N(pct(su - sb, sb))))
    drift = TableSpec(
        key="drift", title="Driftredovisning per verksamhet", caption="Belopp i kr", unit="kr",
        statement="operating_by_department", label_header="Verksamhet",
        columns=[Column("Budget 2025", measure="budget", year=2025, period="2025"),
                 Column("Utfall 2025", measure="outcome", year=2025, period="2025"),
                 Column(f"Budget{SHY}avvikelse", measure="deviation", year=2025),
                 Column("Avvikelse, %", measure="deviation_pct", year=2025, unit="percent")],
        rows=rows, col_widths=(2.6, 1.25, 1.25, 1.25, 0.9))

    fees = TableSpec(
        key="fees", title="Avgifter i kulturskolan", label_header="Avgift",
        columns=[Column("2024", period="2024", unit="kr"), Column("2025", period="2025",
                                                                    unit="kr")],
        rows=[detail("Ämneskurs, per termin", N(650, suffix="kr"), N(700, suffix="kr")),
              detail("Ensemble och orkester, per termin", N(400, suffix="kr"),
                     N(450, suffix="kr")),
              detail("Instrumenthyra, per termin", N(300, suffix="kr"), N(300, suffix="kr"))],
        col_widths=(3, 1, 1))

    visits = TableSpec(
        key="visits", title="Besök per anläggning", label_header="Anläggning",
        columns=[Column(str(y), period=str(y)) for y in (2023, 2024, 2025)],
        rows=[detail("Huvudbiblioteket", 142310, 148902, 151477),
              detail("Sjöhamra simhall", 88415, 91020, "Stängt"),
              detail("Fritidsgården Ankaret", 12844, "-", 13905),
              detail("Konsthallen", 9120, 10033, "*")],
        footnote="* Besöksstatistiken för 2025 redovisas i april 2026. Simhallen var stängd "
                 "för renovering hela året.",
        col_widths=(3, 1, 1, 1))

    elements = [
        Heading("Nämndens ansvarsområde", 1), prose(4, 3),
        Heading("Ekonomi", 1),
        Paragraph("Nämnden redovisar ett överskott. Om inte annat anges redovisas beloppen i "
                  "hela kronor."),
        Heading(rr.title, 2), rr,
        Heading(drift.title, 2), prose(2, 1), drift,
        PageBreak(),
        Heading("Verksamhet", 1), prose(3, 4),
        Heading(fees.title, 2), fees,
        Heading(visits.title, 2), visits,
        Heading("Framtid", 1), prose(2, 8),
    ]
    rules: list[Rule] = [
        RowSum("rr", "Verksamhetens nettokostnad", ["Verksamhetens intäkter",
                                                    "Verksamhetens kostnader", "Avskrivningar"]),
        RowSum("rr", "Årets resultat", ["Verksamhetens nettokostnad", "Kommunbidrag",
                                        "Finansiella kostnader"]),
        RowSum("drift", "Summa", [u[0] for u in units],
               columns=["Budget 2025", "Utfall 2025", "Budgetavvikelse"]),
        ColumnSum("drift", "Budgetavvikelse", [(1, "Utfall 2025"), (-1, "Budget 2025")]),
        Percent("drift", "Avvikelse, %", "Budgetavvikelse", "Budget 2025"),
        Same(Ref("drift", "Summa", "Budget 2025"), Ref("rr", "Kommunbidrag", "2025"),
             Decimal(-1)),
        Same(Ref("drift", "Summa", "Budgetavvikelse"), Ref("rr", "Årets resultat", "2025")),
    ]
    style = pf.Style("tpl_sjohamra_vera", font="Vera", table_font_size=8, body_font_size=10,
                     rules="horizontal", number_align="center", left_margin=72,
                     right_margin=56, label_valign="middle")
    return Template(
        name="sjohamra-kfn-arsredovisning-2025", municipality="Sjöhamra kommun",
        body="Kultur- och fritidsnämnden", report_type="årsredovisning", fiscal_year=fy,
        title="Kultur- och fritidsnämndens årsredovisning 2025",
        office="Kultur- och fritidsförvaltningen", style=style, elements=elements, rules=rules,
        description="amounts in kr; Resultaträkning 2025 | 2024; soft hyphen in "
                    "Budget\u00adavvikelse; Avvikelse, % (percent); unit in the cells (650 kr); "
                    "Stängt, '-' missing, '*' pending")


TEMPLATES: dict[str, Callable[[], Template]] = {
    "granvik-tn-arsredovisning-2025": granvik,
    "ekvalla-ks-arsredovisning-2025": ekvalla,
    "bergslunda-bun-verksamhetsberattelse-2025": bergslunda,
    "sjohamra-kfn-arsredovisning-2025": sjohamra,
}


def build(name: str) -> Template:
    """A fresh copy of the named template (change it freely)."""
    return TEMPLATES[name]()


if __name__ == "__main__":  # pragma: no cover - regenerates the committed ground truth
    args = sys.argv[1:]
    pdf_dir = None
    if args[:1] == ["--pdf"]:
        pdf_dir = Path(args[1])
    for path in write_fixtures(pdf_dir=pdf_dir):
        print(path.relative_to(Path(__file__).parent.parent))
    for name in TEMPLATES:
        problems = build(name).check()
        print(name, "consistent" if not problems else problems)
