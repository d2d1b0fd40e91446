"""Report templates unlike the bundled sample (tests/templates.py) and their exact ground truth.

Generator tests (fast, no extractor): every template renders; pdfplumber finds every printed
value cell, row label and header on the page the layout put it on; the committed CSVs under
tests/fixtures/templates/<template>/ equal what the description derives; the figures add up
(and a changed figure is caught); the templates really differ from the sample in every way the
brief lists.

End-to-end tests (``slow``): all template PDFs go through the product path in-process once per
session (the extract step of the flow's extract task, ``flows.worker.extract_file``; then
``warehouse_harness.build_warehouse``: validate -> load -> ONE dbt build, as the sample
warehouse in conftest.py does), then per template the marts fct_budget, fct_table_cells,
fct_goals, fct_procurements and dim_reports must hold exactly the committed rows.

    .venv/bin/python -m pytest tests/test_templates.py -m "not slow"   # the generator
    .venv/bin/python tests/templates.py                                # rewrite the CSVs
"""
from __future__ import annotations

import csv
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

import pdf_factory as pf
from compare import norm
import templates as tp

NAMES = list(tp.TEMPLATES)


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def rendered_templates(tmp_path_factory) -> dict[str, tp.Rendered]:
    directory = tmp_path_factory.mktemp("templates")
    return {name: tp.render(tp.build(name), directory) for name in NAMES}


@pytest.fixture(params=NAMES)
def rendered(request, rendered_templates) -> tp.Rendered:
    return rendered_templates[request.param]


@dataclass
class PdfText:
    chars: dict[int, str]  # page -> the page's characters in drawing order, spaces included
    pages: list  # (width, height, lines, rects) per page

    def squeezed(self, page: int) -> str:
        return squeeze(self.chars[page])


_texts: dict[Path, PdfText] = {}


def pdf_text(r: tp.Rendered) -> PdfText:
    if r.path not in _texts:
        with pdfplumber.open(r.path) as pdf:
            _texts[r.path] = PdfText(
                {p.page_number: "".join(c["text"] for c in p.chars) for p in pdf.pages},
                [(p.width, p.height, len(p.lines), len(p.rects)) for p in pdf.pages])
    return _texts[r.path]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def committed(name: str, file: str) -> list[dict]:
    path = tp.FIXTURES / name / file
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

def test_all_templates_render_fast_and_deterministically(tmp_path):
    started = time.perf_counter()
    first = {n: tp.render(tp.build(n), tmp_path / "a").path.read_bytes() for n in NAMES}
    elapsed = time.perf_counter() - started
    second = {n: tp.render(tp.build(n), tmp_path / "b").path.read_bytes() for n in NAMES}
    assert elapsed < 10, f"rendering the templates took {elapsed:.1f} s"
    assert len(NAMES) >= 4
    for n in NAMES:
        assert first[n] == second[n], f"{n} renders differently twice"


def test_template_renders_a_cover_and_a_few_pages(rendered):
    t, res = rendered.template, rendered.result
    text = pdf_text(rendered)
    assert 3 <= res.page_count <= 8
    assert len(text.pages) == res.page_count
    for (w, h, _, _), (ew, eh) in zip(text.pages, res.page_sizes):
        assert abs(w - ew) < 1 and abs(h - eh) < 1
    kind = {"årsredovisning": "Årsredovisning", "verksamhetsberättelse":
            "Verksamhetsberättelse"}[t.report_type]
    cover = text.chars[1]
    for expected in (t.municipality, t.body, f"{kind} {t.fiscal_year}"):
        assert expected in cover, (expected, cover)
    assert t.municipality.endswith(" kommun")
    if t.report_type == "verksamhetsberättelse":  # nothing may call it an annual report
        assert "rsredovisning" not in "".join(text.chars.values()).lower()
    for page in range(2, res.page_count + 1):
        assert squeeze(f"{page} ({res.page_count})") in text.squeezed(page)
        assert squeeze(t.title) in text.squeezed(page)


def test_every_printed_cell_is_on_its_page(rendered):
    """pdfplumber's characters of each page hold every value cell exactly as printed (spaces
    after a minus, U+2212, soft hyphens, '-350*' included), every row label and every header
    line of the tables on that page."""
    text = pdf_text(rendered)
    cells = tp.cell_rows(rendered)
    assert cells
    for c in cells:
        page = text.chars[c["page"]]
        assert c["printed"] in page, (c["table"], c["row_label"], c["printed"], c["page"])
        assert squeeze(c["row_label"]) in squeeze(page), (c["row_label"], c["page"])
    for spec in rendered.template.tables:
        table = rendered.tables[spec.key]
        pages = rendered.result.row_pages(table)
        for r, page in zip(table.rows, pages):
            for cell in r:
                assert squeeze(cell) in text.squeezed(page), (spec.key, cell, page)
        header_pages = rendered.result.header_pages(table)
        assert header_pages[0] == pages[0]
        for page in header_pages:
            for row in table.header_rows:
                for cell in row:
                    label = cell.text if isinstance(cell, pf.Span) else cell
                    for line in label.split("\n"):
                        assert squeeze(line) in text.squeezed(page), (spec.key, line, page)
        if spec.caption:
            assert squeeze(spec.caption) in text.squeezed(pages[0])
        heading_page = rendered.result.page_of(
            next(e for e in _elements(rendered) if isinstance(e, pf.Heading)
                 and pf.joined(e.text) == pf.joined(spec.title)))
        assert heading_page in (pages[0], pages[0] - 1)


def _elements(rendered: tp.Rendered) -> list:
    return rendered.result.report.elements


def test_every_table_has_its_own_heading_directly_above(rendered):
    """cells.csv names a table by the heading above it: that heading must be the last one
    before the table and unique in the report."""
    seen = []
    last = None
    for el in _elements(rendered):
        if isinstance(el, pf.Heading):
            last = pf.joined(el.text)
        elif isinstance(el, pf.Table):
            spec = next(s for s in rendered.template.tables if rendered.tables[s.key] is el)
            assert last == pf.joined(spec.title), (spec.key, last)
            seen.append(last)
    assert len(seen) == len(set(seen)), seen


def test_committed_csvs_equal_the_derived_ones(rendered):
    """tests/fixtures/templates/<name>/*.csv cannot drift from the description: regenerate
    them with `.venv/bin/python tests/templates.py`."""
    derived = tp.expected_csvs(rendered)
    directory = tp.FIXTURES / rendered.template.name
    files = sorted(p.name for p in directory.glob("*.csv"))
    assert files == sorted(derived), f"{directory}: {files} != {sorted(derived)}"
    for name, text in derived.items():
        on_disk = (directory / name).read_text(encoding="utf-8")
        assert on_disk == text, f"{directory / name} differs from what the template derives"


def test_no_fixture_directory_without_a_template():
    assert sorted(p.name for p in tp.FIXTURES.iterdir() if p.is_dir()) == sorted(NAMES)


def test_sums_are_consistent(rendered):
    """Footings, row formulas, percentages and cross-table agreements all hold (within
    rounding where figures are rounded, e.g. the mnkr table)."""
    t = rendered.template
    assert t.rules, t.name
    assert t.check() == []


CHANGES = {
    "granvik-tn-arsredovisning-2025": ("investments", "Ny förskola Vega (4021)",
                                       "Årets investeringar > Utfall 2025", 9880),
    "ekvalla-ks-arsredovisning-2025": ("br", "Kassa och bank", "2025-12-31", 52917),
    "bergslunda-bun-verksamhetsberattelse-2025": ("drift", "Kostnader", "Utfall 2025",
                                                  "-1402.7"),
    "sjohamra-kfn-arsredovisning-2025": ("drift", "Bibliotek", "Avvikelse, %", "-2.9"),
}


@pytest.mark.parametrize("name", NAMES)
def test_a_changed_figure_is_caught_and_rendered(name, tmp_path):
    """The figures are data: changing one makes a report with a known inconsistency."""
    original = tp.build(name)
    table, row, column, value = CHANGES[name]
    changed = tp.with_figure(original, table, row, column, value)
    assert original.check() == []
    problems = changed.check()
    assert problems and all(table in p or "Ref(" in p for p in problems), problems
    assert changed.table(table).fig(row, column).value == Decimal(str(value))
    drawn = tp.render(changed, tmp_path)
    printed = changed.table(table).fig(row, column).printed(changed.table(table).form)
    page = drawn.result.row_pages(drawn.tables[table])[
        [r.label for r in changed.table(table).rows].index(row)]
    with pdfplumber.open(drawn.path) as pdf:
        assert printed in "".join(c["text"] for c in pdf.pages[page - 1].chars)


def test_number_forms():
    f = tp.format_number
    assert f(Decimal(-4512), 0, "space") == "- 4 512"
    assert f(Decimal(-1835), 0, "nosep") == "-1835"
    assert f(Decimal(-1835), 0, "std") == "-1 835"
    assert f(Decimal("-1712936"), 0, "unicode") == "\u22121 712 936"
    assert f(Decimal("1246.3"), 1, "std") == "1 246,3"
    assert f(Decimal("12.5"), 2, "std") == "12,50"
    assert f(Decimal(0), 0, "unicode") == "0"
    assert tp.N(-350, note="*").printed() == "-350*"
    assert tp.N(650, suffix="kr").printed() == "650 kr"
    assert tp.clean_header("Budget-\navvikelse") == "Budgetavvikelse"
    assert tp.clean_header("Budget\u00adavvikelse") == "Budgetavvikelse"
    assert tp.clean_header("Avvikelse,\n%") == "Avvikelse, %"


def test_symbol_font_is_deterministic_and_has_the_symbols():
    from fontTools.ttLib import TTFont

    data = tp.symbol_font_bytes()
    assert data == tp.symbol_font_bytes()
    font = TTFont(tp.symbol_font())
    assert {ord(s) for s in tp.SYMBOLS} <= set(font.getBestCmap())


# ---------------------------------------------------------------------------------------------
# The templates differ from the sample in every way the brief asks for
# ---------------------------------------------------------------------------------------------

def _all(rendered_templates):
    for r in rendered_templates.values():
        yield r, tp.cell_rows(r), tp.budget_rows(r.template)


def test_units_in_captions_headers_and_cells(rendered_templates):
    units = Counter()
    captions, first_headers, headers = set(), set(), set()
    for r, cells, budget in _all(rendered_templates):
        units.update(c["unit"] for c in cells)
        units.update(b["unit"] for b in budget)
        for spec in r.template.tables:
            captions.add(spec.caption)
            first_headers.add(spec.label_header)
            headers.update(c.header for c in spec.columns)
    assert {"tkr", "kr", "mnkr", "percent"} <= set(units)
    assert {"Belopp i tkr", "Miljoner kronor", "Belopp i kr"} <= captions
    assert "Ekonomi (tkr)" in first_headers
    assert {"Summa tkr", "Bidrag, tkr", "Avtalsvärde, mnkr"} <= headers
    kr_in_cells = [c for _, cells, _ in _all(rendered_templates) for c in cells
                   if c["printed"].endswith(" kr")]
    assert kr_in_cells and all(c["unit"] == "kr" for c in kr_in_cells)
    mnkr_tables = {c["table"] for _, cells, _ in _all(rendered_templates) for c in cells
                   if c["unit"] == "mnkr"}
    assert "Driftredovisning" in mnkr_tables


def test_board_summary_has_measures_in_rows(rendered_templates):
    board = rendered_templates["granvik-tn-arsredovisning-2025"].template.table("board")
    assert board.label_header == "Ekonomi (tkr)"
    assert [r.label for r in board.rows] == ["Intäkter", "Kostnader", "Nettokostnader", "Budget",
                                             "Budgetavvikelse", "Nettoinvesteringar"]
    assert [c.header for c in board.columns] == ["2024", "2025"]
    template = rendered_templates["granvik-tn-arsredovisning-2025"].template
    rows = [b for b in tp.budget_rows(template) if b["statement"] == "board_summary"]
    assert {(b["line_item"], b["measure"], b["fiscal_year"]) for b in rows} >= {
        ("Budget", "budget", 2025), ("Budgetavvikelse", "deviation", 2024),
        ("Intäkter", "outcome", 2024), ("Nettoinvesteringar", "outcome", 2025)}
    assert {b["measure"] for b in rows} == {"outcome", "budget", "deviation"}


def test_statements_with_periods_notes_sections_and_totals(rendered_templates):
    ek = rendered_templates["ekvalla-ks-arsredovisning-2025"]
    rr, br = ek.template.table("rr"), ek.template.table("br")
    assert [c.header for c in rr.columns] == ["Not", "2025-01-01–2025-12-31",
                                             "2024-01-01–2024-12-31"]
    assert [c.header for c in br.columns] == ["Not", "2025-12-31", "2024-12-31"]
    labels = [r.label for r in br.rows]
    for label in ("TILLGÅNGAR", "Anläggningstillgångar", "Omsättningstillgångar",
                  "EGET KAPITAL OCH SKULDER", "Summa anläggningstillgångar",
                  "SUMMA TILLGÅNGAR", "SUMMA EGET KAPITAL OCH SKULDER"):
        assert label in labels
    assert br.fig("SUMMA TILLGÅNGAR", "2025-12-31").value == br.fig(
        "SUMMA EGET KAPITAL OCH SKULDER", "2025-12-31").value
    cells = tp.cell_rows(ek)
    roles = {c["row_label"]: c["row_role"] for c in cells if c["table"] == "Balansräkning"}
    assert roles["SUMMA TILLGÅNGAR"] == roles["SUMMA EGET KAPITAL OCH SKULDER"] == "total"
    assert roles["Summa anläggningstillgångar"] == "subtotal"
    paths = {c["row_path"] for c in cells if c["table"] == "Balansräkning"}
    assert "TILLGÅNGAR > Anläggningstillgångar > Kassa och bank" not in paths
    assert "TILLGÅNGAR > Omsättningstillgångar > Kassa och bank" in paths
    assert "TILLGÅNGAR > SUMMA TILLGÅNGAR" in paths
    assert not any(c["column_path"] == "Not" for c in cells)
    budget = tp.budget_rows(ek.template)
    assert {(b["statement"], b["fiscal_year"]) for b in budget} >= {
        ("income_statement", 2025), ("income_statement", 2024), ("balance_sheet", 2025),
        ("balance_sheet", 2024), ("cash_flow", 2025)}
    periods = {c["period"] for c in cells}
    assert {"2025-01-01–2025-12-31", "2025-12-31", "2025"} <= periods
    sj = tp.build("sjohamra-kfn-arsredovisning-2025").table("rr")
    assert [c.header for c in sj.columns] == ["2025", "2024"]


def test_two_level_header_and_investment_sections(rendered_templates):
    gr = rendered_templates["granvik-tn-arsredovisning-2025"]
    inv = gr.template.table("investments")
    table = gr.tables["investments"]
    assert [c.text for c in table.header_rows[0] if isinstance(c, pf.Span)] == [
        "Årets investeringar", "Totalt projekt"]
    assert table.header_rows[1][1:] == ["Budget 2025", "Utfall 2025", "Avvikelse",
                                        "Total budget", "Ack. utfall", "Återstår"]
    roles = {r.label: r.role for r in inv.rows}
    assert roles["Avslutade projekt"] == roles["Pågående projekt"] == "section"
    assert roles["Summa avslutade projekt"] == roles["Summa pågående projekt"] == "subtotal"
    assert roles["Summa investeringar"] == roles["Totalt"] == "total"
    cells = tp.cell_rows(gr)
    assert any(c["row_path"] == "Pågående projekt > Ny förskola Vega (4021)"
               and c["column_path"] == "Årets investeringar > Budget 2025" for c in cells)
    # the investments sit on a landscape page
    pages = gr.result.row_pages(table)
    assert all(gr.result.page_sizes[p - 1][0] > gr.result.page_sizes[p - 1][1] for p in pages)
    assert gr.result.page_sizes[0][0] < gr.result.page_sizes[0][1]
    assert gr.result.page_sizes[-1][0] < gr.result.page_sizes[-1][1]


def test_operating_tables_and_procurements(rendered_templates):
    gr = rendered_templates["granvik-tn-arsredovisning-2025"].template.table("drift")
    assert gr.label_header == "Verksamhet"
    assert {"Bokslut 2025", "Budget 2025", "Differens"} <= {c.header for c in gr.columns}
    bg = rendered_templates["bergslunda-bun-verksamhetsberattelse-2025"].template
    assert [c.path for c in bg.table("per-form").columns] == [
        "Bokslut 2024 > Summa tkr", "Bokslut 2025 > Summa tkr"]
    proc = bg.table("procurements")
    assert (proc.label_header, proc.columns[0].header) == ("Upphandling", "Avtalsvärde, mnkr")
    assert tp.procurement_rows(bg)[1] == {"description": "Läromedel, digitala och tryckta",
                                          "contract_value_mnkr": "18.5"}


def test_goals_by_words_and_by_symbols_with_a_legend(rendered_templates):
    words = tp.goal_rows(rendered_templates["granvik-tn-arsredovisning-2025"].template)
    symbols_r = rendered_templates["ekvalla-ks-arsredovisning-2025"]
    symbols = tp.goal_rows(symbols_r.template)
    assert {g["assessment"] for g in words} == {g["assessment"] for g in symbols} == {
        "high", "partial", "not_met"}
    text = "".join(pdf_text(symbols_r).chars.values())
    assert "Delvis uppfyllt" in text and all(s in text for s in "●◐○")
    legend = next(e for e in symbols_r.template.elements if isinstance(e, pf.Paragraph)
                  and "●" in e.text)
    assert all(s in legend.text for s in "●◐○")
    word_text = "".join(pdf_text(rendered_templates["granvik-tn-arsredovisning-2025"])
                        .chars.values())
    assert all(w in word_text for w in ("Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt"))


def test_full_grid_and_no_rules_at_all(rendered_templates):
    grid = rendered_templates["granvik-tn-arsredovisning-2025"]
    bare = rendered_templates["ekvalla-ks-arsredovisning-2025"]
    assert grid.template.style.rules == "grid"
    table_pages = {p for t in grid.tables.values() for p in grid.result.row_pages(t)}
    for page in table_pages:
        assert pdf_text(grid).pages[page - 1][2] > 20  # every cell ruled
    assert all(lines == 0 and rects == 0 for _, _, lines, rects in pdf_text(bare).pages)


def test_numbers_printed_as_real_reports_print_them(rendered_templates):
    printed = {n: {c["printed"] for c in tp.cell_rows(r)}
               for n, r in rendered_templates.items()}
    everything = set().union(*printed.values())
    assert "- 4 512" in printed["granvik-tn-arsredovisning-2025"]
    assert {"-1835", "-1 835"} <= printed["bergslunda-bun-verksamhetsberattelse-2025"]
    assert any(p.startswith(pf.MINUS) for p in printed["ekvalla-ks-arsredovisning-2025"])
    assert "-350*" in everything
    assert {"Ej aktuellt", "Stängt", "*", "-"} <= everything
    cells = [c for r in rendered_templates.values() for c in tp.cell_rows(r)]
    note = next(c for c in cells if c["printed"] == "-350*")
    assert (note["value"], note["note"], note["value_status"]) == ("-350", "*", "reported")
    statuses = {c["printed"]: c["value_status"] for c in cells}
    assert (statuses["Ej aktuellt"], statuses["Stängt"], statuses["*"], statuses["-"]) == (
        "text", "text", "pending", "missing")
    headers = {c.header for r in rendered_templates.values() for s in r.template.tables
               for c in s.columns}
    assert "Budget-\navvikelse" in headers and f"Budget{tp.SHY}avvikelse" in headers
    sj = "".join(pdf_text(rendered_templates["sjohamra-kfn-arsredovisning-2025"]).chars.values())
    assert f"Budget{tp.SHY}avvikelse" in sj
    paths = {c["column_path"] for c in cells}
    assert "Budgetavvikelse" in paths and not any(tp.SHY in p or "\n" in p for p in paths)


def test_budget_rows_leave_out_words_markers_and_the_note_column(rendered):
    t = rendered.template
    budget = tp.budget_rows(t)
    cells = tp.cell_rows(rendered)
    statements = {s.title for s in t.tables if s.statement}
    reported = [c for c in cells if c["table"] in statements and c["value_status"] == "reported"]
    assert len(budget) == len(reported)
    keys = Counter((b["line_item"], b["line_order"]) for b in budget)
    assert keys == Counter((c["row_label"], c["row_index"]) for c in reported)


# ---------------------------------------------------------------------------------------------
# End to end: the warehouse holds exactly the ground truth (slow)

# ---------------------------------------------------------------------------------------------

@dataclass
class TemplateWarehouse:
    path: Path
    report_ids: dict[str, str]  # template name -> report id (sha256 of the PDF)
    page_counts: dict[str, int]
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def template_warehouse(rendered_templates, tmp_path_factory) -> TemplateWarehouse:
    """Every template PDF through the product path, in-process, into ONE warehouse."""
    import hashlib

    from flows.worker import ExtractionFailure, extract_file
    from warehouse_harness import build_warehouse

    path = tmp_path_factory.mktemp("templates-warehouse") / "arw.duckdb"
    wh = TemplateWarehouse(path, {}, {})
    extracted = []
    for name, r in rendered_templates.items():
        wh.report_ids[name] = hashlib.sha256(r.path.read_bytes()).hexdigest()
        wh.page_counts[name] = r.result.page_count
        result = extract_file(str(r.path), str(r.path), 500)
        if isinstance(result, ExtractionFailure):
            wh.problems.append(f"{name}: {result.message}")
        else:
            extracted.append(result)
    try:
        build_warehouse(path, extracted)
    except Exception as error:  # reported by every test that reads a mart
        wh.problems.append(f"building the warehouse failed: {type(error).__name__}: {error}")
    return wh


def mart(wh: TemplateWarehouse, sql: str, params: list):
    import duckdb

    try:
        with duckdb.connect(str(wh.path), read_only=True) as con:
            return con.execute(sql, params).df()
    except Exception as error:
        raise AssertionError(f"{sql!r} failed: {error}\n" + "\n".join(wh.problems)) from error


def text(v) -> str:
    """A text column: NULL and '' are the same (an empty caption, period or note)."""
    v = norm(v)
    return "" if v is None else str(v)


def printed_number(s: str) -> tuple[float | None, int | None]:
    """'-4512' -> (-4512.0, 0); '12.50' -> (12.5, 2); '' -> (None, None)."""
    if s == "":
        return None, None
    return round(float(s), 6), len(s.split(".")[1]) if "." in s else 0


def assert_same(actual: list[tuple], expected: list[tuple], columns: list[str], what: str):
    got, want = Counter(actual), Counter(expected)
    if got == want:
        return
    missing = sorted((want - got).elements(), key=repr)
    extra = sorted((got - want).elements(), key=repr)
    lines = [f"{what}: {len(missing)} expected rows missing, {len(extra)} unexpected rows "
             f"(expected {len(expected)}, got {len(actual)})", f"columns: {columns}"]
    lines += ["  - " + repr(m) for m in missing[:40]]
    if len(missing) > 40:
        lines.append(f"  ... {len(missing) - 40} more missing")
    lines += ["  + " + repr(x) for x in extra[:40]]
    if len(extra) > 40:
        lines.append(f"  ... {len(extra) - 40} more unexpected")
    pytest.fail("\n".join(lines), pytrace=False)


BUDGET_MART = ["statement", "line_item", "line_order", "is_total", "measure", "fiscal_year",
               "amount", "decimals", "unit"]
CELL_MART = ["table", "page", "caption", "unit", "row_index", "row_label", "row_path",
             "row_role", "column_path", "period", "value", "decimals", "printed",
             "value_status", "note"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_fct_budget_holds_exactly_the_ground_truth(template_warehouse, name):
    wh = template_warehouse
    df = mart(wh, "select * from fct_budget where report_id = ?", [wh.report_ids[name]])
    actual = [(text(r["statement"]), text(r["line_item"]), norm(r["line_order"]),
               norm(r["is_total"]), text(r["measure"]), norm(r["fiscal_year"]),
               norm(r["amount"]), norm(r["decimals"]), text(r["unit"]))
              for r in df.to_dict("records")]
    expected = []
    for e in committed(name, "budget.csv"):
        amount, decimals = printed_number(e["amount"])
        expected.append((e["statement"], e["line_item"], float(e["line_order"]),
                         e["is_total"] == "true", e["measure"], float(e["fiscal_year"]),
                         amount, None if decimals is None else float(decimals), e["unit"]))
    assert_same(actual, expected, BUDGET_MART, f"{name}: fct_budget")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_fct_table_cells_holds_exactly_the_ground_truth(template_warehouse, name):
    """Every value cell of every table in the general form (the Not column left out)."""
    wh = template_warehouse
    df = mart(wh, "select * from fct_table_cells where report_id = ?", [wh.report_ids[name]])
    actual = [(text(r["heading"]), norm(r["page"]), text(r["caption"]), text(r["unit"]), norm(r["row_index"]),
               text(r["row_label"]), text(r["row_path"]), text(r["row_role"]), text(r["column_path"]),
               text(r["period"]), norm(r["value"]), norm(r["decimals"]), text(r["printed"]),
               text(r["value_status"]), text(r["note"]))
              for r in df.to_dict("records")]
    expected = []
    for e in committed(name, "cells.csv"):
        value, decimals = printed_number(e["value"])
        if e["decimals"] != "":
            decimals = float(e["decimals"])
        expected.append((e["table"], float(e["page"]), e["caption"], e["unit"], float(e["row_index"]),
                         e["row_label"], e["row_path"], e["row_role"], e["column_path"], e["period"],
                         value, None if decimals is None else float(decimals), e["printed"],
                         e["value_status"], e["note"]))
    assert_same(actual, expected, CELL_MART, f"{name}: fct_table_cells")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_fct_goals_holds_exactly_the_ground_truth(template_warehouse, name):
    wh = template_warehouse
    df = mart(wh, "select * from fct_goals where report_id = ?", [wh.report_ids[name]])
    actual = [tuple(text(r[c]) for c in tp.GOAL_COLUMNS) for r in df.to_dict("records")]
    expected = [tuple(e[c] for c in tp.GOAL_COLUMNS) for e in committed(name, "goals.csv")]
    assert_same(actual, expected, tp.GOAL_COLUMNS, f"{name}: fct_goals")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_fct_procurements_holds_exactly_the_ground_truth(template_warehouse, name):
    wh = template_warehouse
    df = mart(wh, "select * from fct_procurements where report_id = ?", [wh.report_ids[name]])
    columns = ["description", "contract_value_mnkr", "decimals"]
    actual = [(text(r["description"]), norm(r["contract_value_mnkr"]), norm(r["decimals"]))
              for r in df.to_dict("records")]
    expected = []
    for e in committed(name, "procurements.csv"):
        value, decimals = printed_number(e["contract_value_mnkr"])
        expected.append((e["description"], value, float(decimals)))
    assert_same(actual, expected, columns, f"{name}: fct_procurements")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_dim_reports_describes_the_template(template_warehouse, name):
    wh = template_warehouse
    df = mart(wh, "select * from dim_reports where report_id = ?", [wh.report_ids[name]])
    columns = tp.REPORT_COLUMNS + ["file_name", "page_count"]
    actual = [(text(r["municipality"]), text(r["body"]), text(r["report_type"]),
               norm(r["fiscal_year"]), text(r["file_name"]), norm(r["page_count"]))
              for r in df.to_dict("records")]
    expected = [(e["municipality"], e["body"], e["report_type"], float(e["fiscal_year"]),
                 f"{name}.pdf", float(wh.page_counts[name])) for e in committed(name, "report.csv")]
    assert_same(actual, expected, columns, f"{name}: dim_reports")
