"""Table geometry on real financial statements: 13 annual reports of Swedish housing
associations (tests/fixtures/real-reports/brf, ground truth in its expected/ folder).

Each report is read once per module (reading the pages is the slow part) with the same steps as
`extract.report.extract_report`: pages -> furniture removed -> cover dropped -> stream of
tables. The checks look at the tables of the statement pages only:

- every hand-checked total (facts.csv) and every figure named in rounding_passes.csv is a row
  on its page whose label is the printed label and whose cell in the column of its year holds
  the amount as printed;
- section headings are rows of their own, with no values; wrapped labels are one row;
- note references stay in the note column and never become part of an amount;
- each amount column's header holds its whole period, the title is not a column;
- a balance sheet continued on the next page is one table, not joined with the next statement;
- text placed outside the page is not read.

Labels are compared after dropping U+0000 / U+FFFE and normalising whitespace. In 52576 and
81732 the text layer loses letters (å/ä/ö, and the ligatures tt/ti/ft/fi): there the label
must be the printed one with only those letters lost or replaced by their stand-in glyphs.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from extract.document import measure_style, remove_furniture
from extract.report import read_document
from extract.settings import DEFAULT_SETTINGS as S
from extract.stream import Item, build_stream
from extract.layout import Cell
from extract.tables import Row, Table

BRF = Path(__file__).parent / "fixtures" / "real-reports" / "brf"
EXPECTED = BRF / "expected"
GARBLED = {"brf_52576.pdf", "brf_81732.pdf"}  # letters lost in the text layer (see NOTES.md)

AMOUNT = re.compile(r"^-?\d{1,3}(?: \d{3})*$")  # whole kronor as printed: '-1 517 396'
NOTE = re.compile(r"^(?:Not )?\d{1,2}(?:, ?\d{1,2})*$")  # '2', '8,12', '3, 4, 5, 6', 'Not 11,12'
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


# ---------------------------------------------------------------------------------------------
# ground truth
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One printed figure: the row label as printed, the column's year and the amount."""

    file: str
    page: int
    label: str
    year: int
    amount: int

    @property
    def printed(self) -> str:
        return f"{self.amount:,}".replace(",", " ")


def facts() -> list[Figure]:
    with (EXPECTED / "facts.csv").open(encoding="utf-8") as handle:
        return [
            Figure(r["file"], int(r["page"]), r["line_item"], int(r["fiscal_year"]), int(r["amount"]))
            for r in csv.DictReader(handle)
        ]


ROUNDING = re.compile(r"^PDF page (\d+), .*?column (\d{4}): '(.+?)' printed (-?\d+) \w+; (.+?) = ")
TERM = re.compile(r"'(.+?)' (-?\d+)")


def rounding_figures() -> list[Figure]:
    """The total and every term named in the descriptions of rounding_passes.csv."""
    figures = []
    with (EXPECTED / "rounding_passes.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            match = ROUNDING.match(r["description"])
            assert match, r["description"]
            page, year = int(match[1]), int(match[2])
            figures.append(Figure(r["file"], page, match[3], year, int(match[4])))
            figures += [Figure(r["file"], page, t[1], year, int(t[2])) for t in TERM.finditer(match[5])]
    return figures


FACTS = facts()
ROUNDING_FIGURES = rounding_figures()
FILES = sorted({f.file for f in FACTS})
STATEMENT_PAGES = {name: sorted({f.page for f in FACTS if f.file == name}) for name in FILES}

# section headings (label-only lines of the statements, read off the rendered pages)
HEADINGS = {
    "brf_198532.pdf": [(8, "RÖRELSEKOSTNADER"), (9, "OMSÄTTNINGSTILLGÅNGAR"), (9, "Kortfristiga fordringar"),
                       (10, "KORTFRISTIGA SKULDER")],
    "brf_271852.pdf": [(8, "Rörelseintäkter"), (8, "Rörelsekostnader"), (8, "Finansiella poster"),
                       (9, "TILLGÅNGAR"), (9, "Omsättningstillgångar"), (9, "Kortfristiga fordringar"),
                       (10, "Eget kapital"), (10, "Bundet eget kapital")],
    "brf_275608.pdf": [(8, "Rörelsekostnader"), (9, "OMSÄTTNINGSTILLGÅNGAR"), (9, "Kortfristiga fordringar"),
                       (10, "Kortfristiga skulder")],
    "brf_276796.pdf": [(10, "Rörelsekostnader"), (11, "Kortfristiga placeringar"), (12, "Ansamlad förlust")],
    "brf_46160.pdf": [(8, "Rörelsens kostnader"), (9, "Omsättningstillgångar"), (9, "Kortfristiga fordringar"),
                      (10, "Eget kapital"), (10, "Fritt eget kapital")],
    "brf_48574.pdf": [(10, "FINANSIELLA POSTER"), (11, "Finansiella anläggningstillgångar"),
                      (12, "KORTFRISTIGA SKULDER")],
    "brf_48893.pdf": [(9, "Finansiella poster"), (10, "Kortfristiga fordringar"), (11, "Fritt eget kapital")],
    "brf_52576.pdf": [(7, "Finansiella poster"), (8, "Kortfristiga fordringar"), (9, "Fritt eget kapital")],
    "brf_54015.pdf": [(7, "Rörelsekostnader"), (8, "Omsättningstillgångar"), (8, "Kortfristiga fordringar"),
                      (9, "Skulder"), (9, "Långfristiga skulder")],
    "brf_58306.pdf": [(6, "Rörelseintäkter"), (7, "TILLGÅNGAR"), (7, "Omsättningstillgångar"),
                      (7, "Kortfristiga fordringar"), (8, "EGET KAPITAL OCH SKULDER"), (8, "Långfristiga skulder")],
    "brf_78564.pdf": [(9, "Kortfristiga placeringar"), (10, "Långfristiga skulder")],
    "brf_79510.pdf": [(8, "Rörelseintäkter"), (9, "Kortfristiga fordringar"), (10, "Fritt eget kapital")],
    "brf_81732.pdf": [(10, "OMSÄTTNINGSTILLGÅNGAR"), (11, "EGET KAPITAL"), (11, "Bundet eget kapital")],
}

# labels wrapped over two lines (NOTES.md), with a figure of the row
WRAPPED = {
    "brf_198532.pdf": [Figure("brf_198532.pdf", 10, "Upplupna kostnader och förutbetalda intäkter", 2021, 461858)],
    "brf_48574.pdf": [
        Figure("brf_48574.pdf", 10, "Avskrivning av materiella anläggningstillgångar", 2022, -638719),
        Figure("brf_48574.pdf", 12, "Kortfristig del av skulder till kreditinstitut", 2022, 22164622),
        Figure("brf_48574.pdf", 12, "Upplupna kostnader och förutbetalda intäkter", 2021, 618470),
    ],
    "brf_52576.pdf": [
        Figure("brf_52576.pdf", 7, "Av- och nedskrivningar av materiella och anläggningstillgångar", 2023, -899311),
    ],
    "brf_54015.pdf": [
        Figure("brf_54015.pdf", 7, "Av- och nedskrivningar av materiella och immateriella anläggningstillgångar",
               2023, -2535928),
    ],
}

# rows with a note reference that sits close to an amount or looks like one (NOTES.md):
# (figure, the note as printed or None)
NOTES = {
    "brf_198532.pdf": [(Figure("brf_198532.pdf", 9, "Byggnader", 2021, 666670761), "Not 8,12"),
                       (Figure("brf_198532.pdf", 10, "Skulder till kreditinstitut", 2021, 85980000), "Not 11,12")],
    "brf_271852.pdf": [(Figure("brf_271852.pdf", 9, "Förutbetalda kostnader och upplupna intäkter", 2023, 353112),
                        "9"),
                       (Figure("brf_271852.pdf", 10, "Upplupna kostnader och förutbetalda intäkter", 2023, 801833),
                        "12")],
    "brf_275608.pdf": [(Figure("brf_275608.pdf", 8, "Driftskostnader", 2023, -1341985), "3, 4, 5, 6"),
                       (Figure("brf_275608.pdf", 9, "Byggnad och mark", 2023, 145485834), "10, 15")],
    "brf_276796.pdf": [(Figure("brf_276796.pdf", 10, "Driftskostnader", 2023, -4354820), "4, 5, 6, 7, 8")],
    "brf_48574.pdf": [(Figure("brf_48574.pdf", 11, "Byggnader", 2022, 12680766), "Not 8,15"),
                      (Figure("brf_48574.pdf", 12, "Skulder till kreditinstitut", 2021, -125000), "Not 14,15")],
    "brf_52576.pdf": [(Figure("brf_52576.pdf", 9, "Övriga skulder till kreditinstitut", 2023, 7000000), "9, 10")],
    "brf_54015.pdf": [(Figure("brf_54015.pdf", 7, "Nettoomsättning", 2023, 4828275), "Not 2")],
    "brf_58306.pdf": [(Figure("brf_58306.pdf", 6, "Avskrivningar av materiella anläggningstillgångar", 2023,
                              -345660), "4,5")],
    "brf_81732.pdf": [(Figure("brf_81732.pdf", 11, "Skulder till kreditinstitut", 2023, 7244), "15"),
                      (Figure("brf_81732.pdf", 11, "Skulder till kreditinstitut", 2023, 16514), None)],
}

# the amount columns' headers of the income statement (two-line periods joined)
PERIOD_HEADERS = {
    "brf_198532.pdf": ["2021", "2020"],
    "brf_271852.pdf": ["2023-01-01 -2023-12-31", "2022-01-01 -2022-12-31"],
    "brf_275608.pdf": ["2022 - 2023", "2021 - 2022"],
    "brf_276796.pdf": ["2023", "2022"],
    "brf_46160.pdf": ["2023-01-01 -2023-12-31", "2022-01-01 -2022-12-31"],
    "brf_48574.pdf": ["2022", "2021"],
    "brf_48893.pdf": ["2023", "2022"],
    "brf_52576.pdf": ["2023-01-01 -2023-12-31", "2022-01-01 -2022-12-31"],
    "brf_54015.pdf": ["2023-01-01 2023-12-31", "2022-01-01 2022-12-31"],
    "brf_58306.pdf": ["2023-01-01 2023-12-31", "2022-01-01 2022-12-31"],
    "brf_78564.pdf": ["2023-01-01 -2023-12-31", "2022-01-01 -2022-12-31"],
    "brf_79510.pdf": ["2023-01-01 -2023-12-31", "2022-01-01 -2022-12-31"],
    "brf_81732.pdf": ["2023", "2022"],
}

# balance sheets whose liabilities page starts with the table itself (no title line above it):
# the two pages are one table; elsewhere a title heading stands between the two parts
ONE_BALANCE_SHEET = {"brf_271852.pdf", "brf_46160.pdf", "brf_52576.pdf", "brf_58306.pdf", "brf_78564.pdf",
                     "brf_79510.pdf", "brf_81732.pdf"}


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
@dataclass
class Report:
    items: list[Item]

    def tables_on(self, page: int) -> list[Table]:
        return [i.table for i in self.items if i.table is not None and page in i.table.pages]

    def rows_on(self, page: int) -> list[tuple[Table, Row]]:
        return [(t, r) for t in self.tables_on(page) for r in t.rows if r.page == page]


def read_report(path: Path) -> Report:
    """The steps of extract_report up to the stream of tables."""
    pages, _ = read_document(path, S)
    content = remove_furniture(pages, S)[1:]
    return Report(build_stream(content, measure_style(content, S), S))


@pytest.fixture(scope="module")
def report():
    cache: dict[str, Report] = {}

    def get(name: str) -> Report:
        if name not in cache:
            cache[name] = read_report(BRF / name)
        return cache[name]

    return get


# ---------------------------------------------------------------------------------------------
# comparing
# ---------------------------------------------------------------------------------------------
def clean(text: str | None) -> str:
    return " ".join((text or "").replace("\x00", "").replace("\ufffe", "").split())


LIGATURES = ("tt", "ti", "ft", "tf", "fi")  # extracted as U+0000 in 81732: lost
BROKEN_LETTERS = "åäöÅÄÖ"  # extracted as ! " # $ or a space in 52576, or lost


def garbled_pattern(printed: str) -> re.Pattern:
    """The printed label as the garbled text layers may give it: a ligature's two letters may be
    missing, å/ä/ö may be a stand-in glyph, a space or nothing; letter case is ignored."""
    parts, i = [], 0
    text = clean(printed)
    while i < len(text):
        pair = text[i:i + 2].lower()
        if pair in LIGATURES:
            parts.append(f"(?:{re.escape(text[i:i + 2])})?")
            i += 2
        elif text[i] in BROKEN_LETTERS:
            parts.append(f'(?:{text[i]}|[!"#$ ])?')
            i += 1
        else:
            parts.append(re.escape(text[i]))
            i += 1
    return re.compile("".join(parts), re.IGNORECASE)


def label_matches(name: str, extracted: str, printed: str) -> bool:
    if name not in GARBLED:
        return clean(extracted) == clean(printed)
    return garbled_pattern(printed).fullmatch(clean(extracted)) is not None


def year_columns(table: Table) -> dict[int, int]:
    """Column index of each year: the closing year named in the column's header."""
    columns = {}
    for index, header in enumerate(table.header[1:], start=1):
        years = YEAR.findall(header)
        if years:
            columns[int(years[-1])] = index
    return columns


def rows_with(report: Report, name: str, figure: Figure) -> list[tuple[Table, Row]]:
    """Rows on the figure's page with its label whose cell in its year's column is its amount."""
    found = []
    for table, row in report.rows_on(figure.page):
        column = year_columns(table).get(figure.year)
        if column is not None and label_matches(name, row.label, figure.label) and row.texts[column] == figure.printed:
            found.append((table, row))
    return found


def describe(report: Report, page: int) -> str:
    return "\n".join(f"  {row.texts}" for _, row in report.rows_on(page))


def same_style(a: Cell, b: Cell) -> bool:
    """Same font (subset tag included), weight and size."""
    return a.style == b.style and abs(a.size - b.size) <= S.size_tolerance


def statement_tables(report: Report, name: str) -> list[Table]:
    tables = []
    for page in STATEMENT_PAGES[name]:
        tables += [t for t in report.tables_on(page) if t not in tables]
    return tables


# ---------------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------------
def test_ground_truth_is_complete():
    assert len(FILES) == 13 and len(FACTS) == 104
    assert len(ROUNDING_FIGURES) >= 53 * 3


@pytest.mark.parametrize("name", FILES)
def test_every_fact_is_one_row_with_its_amount_in_its_year_column(report, name):
    r = report(name)
    for figure in (f for f in FACTS if f.file == name):
        found = rows_with(r, name, figure)
        assert len(found) == 1, f"{figure} not found once on page {figure.page}:\n{describe(r, figure.page)}"


@pytest.mark.parametrize("name", FILES)
def test_every_figure_of_the_rounding_checks_is_a_row_with_its_amount(report, name):
    """The terms are detail rows and sub-totals: their labels are exact only if no section
    heading was merged into them ('Kundfordringar', not 'Omsättningstillgångar … Kundfordringar')."""
    r = report(name)
    figures = [f for f in ROUNDING_FIGURES if f.file == name]
    missing = [f for f in figures if not rows_with(r, name, f)]
    assert missing == [], "\n".join(map(str, missing))


@pytest.mark.parametrize("name", FILES)
def test_section_headings_are_rows_of_their_own_without_values(report, name):
    r = report(name)
    for page, heading in HEADINGS[name]:
        rows = [row for _, row in r.rows_on(page) if label_matches(name, row.label, heading)]
        without_values = [row for row in rows if not any(row.texts[2:])]
        assert len(without_values) == 1, f"no row {heading!r} alone on page {page}:\n{describe(r, page)}"


@pytest.mark.parametrize("name", FILES)
def test_a_row_label_is_set_in_one_style(report, name):
    """A heading merged into the label below it shows as label lines in two styles (bold
    'Kortfristiga fordringar' over regular 'Kundfordringar')."""
    r = report(name)
    for table in statement_tables(r, name):
        for row in table.rows:
            label_cells = row.cells[0]
            assert all(same_style(c, label_cells[0]) for c in label_cells), row.texts



@pytest.mark.parametrize("name", sorted(WRAPPED))
def test_wrapped_labels_are_one_row(report, name):
    r = report(name)
    for figure in WRAPPED[name]:
        found = rows_with(r, name, figure)
        assert len(found) == 1, f"{figure}:\n{describe(r, figure.page)}"


@pytest.mark.parametrize("name", FILES)
def test_statement_tables_have_a_label_a_note_and_two_year_columns(report, name):
    """Four columns: the title sharing the header line is the label column's header, not a
    column; amounts are whole kronor in the two year columns; the note column holds only note
    references; a line item has a figure for both years or for neither (a section heading)."""
    r = report(name)
    tables = statement_tables(r, name)
    assert len(tables) in (2, 3)
    for table in tables:
        assert table.width == 4, table.header
        years = year_columns(table)
        assert sorted(years.values()) == [2, 3], table.header
        assert not YEAR.search(table.header[1]), table.header
        for row in table.rows:
            assert row.label, row.texts
            assert row.texts[1] is None or NOTE.match(row.texts[1]), row.texts
            amounts = row.texts[2:]
            assert all(a is None or AMOUNT.match(a) for a in amounts), row.texts
            assert amounts.count(None) in (0, 2), row.texts


@pytest.mark.parametrize("name", sorted(NOTES))
def test_note_references_stay_in_the_note_column(report, name):
    r = report(name)
    for figure, note in NOTES[name]:
        found = rows_with(r, name, figure)
        assert len(found) == 1, f"{figure}:\n{describe(r, figure.page)}"
        assert found[0][1].texts[1] == note, found[0][1].texts


@pytest.mark.parametrize("name", FILES)
def test_each_amount_column_header_holds_its_whole_period(report, name):
    r = report(name)
    income_statement = r.tables_on(STATEMENT_PAGES[name][0])
    assert len(income_statement) == 1
    assert income_statement[0].header[2:] == PERIOD_HEADERS[name]


def test_title_and_note_number_on_the_header_lines(report):
    """271852: 'Resultaträkning  Not  2023-01-01' over '1  -2023-12-31'; 58306: the title
    shares its line with the first dates and 'Not' is on the next line."""
    first = report("brf_271852.pdf").tables_on(8)[0]
    assert first.header == ["Resultaträkning", "Not 1", "2023-01-01 -2023-12-31", "2022-01-01 -2022-12-31"]
    second = report("brf_58306.pdf").tables_on(6)[0]
    assert second.header == ["RESULTATRÄKNING", "Not", "2023-01-01 2023-12-31", "2022-01-01 2022-12-31"]


@pytest.mark.parametrize("name", FILES)
def test_a_balance_sheet_over_two_pages(report, name):
    r = report(name)
    income, assets, liabilities = STATEMENT_PAGES[name]
    first, second = r.tables_on(assets)[-1], r.tables_on(liabilities)[0]
    if name in ONE_BALANCE_SHEET:
        assert first is second and first.pages == [assets, liabilities]
        # the liabilities page's own section name is a row, not lost with its repeated header
        assert any(row.page == liabilities and not any(row.texts[1:]) for row in first.rows)
    else:
        assert first is not second and first.pages == [assets] and second.pages == [liabilities]
    assert r.tables_on(income)[0].pages == [income]


def test_text_placed_above_the_page_is_not_read(report):
    """52576 p7 has 'kassaflödesanalys med noter.' at top -430: it must not become a line."""
    r = report("brf_52576.pdf")
    on_page = [i for i in r.items if i.page == 7]
    tops = [i.line.top for i in on_page if i.line] + [i.heading.top for i in on_page if i.heading]
    tops += [t.top for t in r.tables_on(7)]
    assert tops and min(tops) >= 0
    texts = [i.line.text for i in on_page if i.line] + [i.heading.text for i in on_page if i.heading]
    assert not any("noter." in t for t in texts)
