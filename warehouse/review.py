"""A self-contained HTML page to review the inconsistencies of the loaded reports.

Each finding shows both sides and, beside them, a crop of every PDF page region involved with
the figures boxed, the column header and row label of a table figure tinted, and a link to that
page of the PDF, so a person can verify it in seconds. A note explains a sign or unit that
differs between the sides. Per report: what arw read (coverage), small charts (outcome against
budget, indicators against their targets, findings per table), what changed since
the previous version and how every rule fared.

One file that works offline and can be mailed: images are data URIs, CSS, JS and SVG inline.
The page's own words are in Swedish and English (WORDS, from review_words.json); a small script switches between them,
and without it the Swedish text shows. Numbers are written as the reports print them
(`1 234,1`, `−6 279`). Only marts are read (and the PDFs).
"""
from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfplumber.page import Page

from extract.digest import sha256_of
from extract.vocabulary import amount_factors

from warehouse.read import coverage_of, open_read_only

RESOLUTION = 144  # pixels per inch of the page crops: small print stays legible, files stay small
CROP_MARGIN = 40.0  # points of context around a figure when the page's words cannot be read
EDGE_MARGIN = 6.0  # points left and right of the cropped text
LINE_MARGIN = 3.0  # points above and below: less than the blank between two lines of text
LINE_TOLERANCE = 2.5  # points: words whose middles are this close stand on one line
HEADER_REACH = 30.0  # points: the nearest line above a table's first row within this is its header
HEADER_GAP = 12.0  # points: a blank larger than this above a header line ends the header
HEADER_MAX_LINES = 4  # header lines at most (a group header, wrapped column names)
LABEL_REACH = 6.0  # points above/below a row a wrapped row label may reach (first and last row)
PHRASE_GAP = 5.0  # points: words closer than this on a line form one header phrase (a word and its year)
PARAGRAPH_GAP = 8.0  # points: lines closer than this belong to one paragraph
PROSE_CONTEXT_LINES = 1  # lines of the paragraph shown above and below a figure in running text
MAX_SHOWN_DECIMALS = 3  # a computed value (a ratio, a mean) is shown with at most this many
# fct_coverage's counts the coverage block shows
COVERAGE_COUNTS = ("tables_recognised", "tables_found", "facts_loaded", "rows_quarantined", "checks_passed",
                   "checks_evaluated")
CHART_MAX_ROWS = 12  # rows of the per-table chart; the rest is counted in one line
FIGURE_BOX = {"stroke": (200, 0, 0), "fill": (255, 225, 0, 70), "stroke_width": 2}
CONTEXT_BOX = {"stroke": (0, 90, 200), "fill": (0, 120, 255, 30), "stroke_width": 1}
MINUS = "\u2212"
NO_BREAK_SPACE = "\u00a0"
LANGUAGES = ("sv", "en")  # the first is shown without JavaScript

# The page's own words: every piece of wording in both languages ({name}s are filled in), kept
# as data (review_words.json), so that wording or a translation is an edit of that file.
WORDS: dict[str, dict[str, str]] = json.loads(Path(__file__).with_name("review_words.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Say:
    """Words of WORDS used as a value inside other words, said in the same language."""

    key: str
    values: dict = field(default_factory=dict)

    def in_language(self, language: str) -> str:
        """These words in `language`."""
        return say(self.key, language, **self.values)


def say(key: str, language: str, **values: object) -> str:
    """The words for `key` in one language, with `values` filled in (Say values in that language too)."""
    filled = {name: v.in_language(language) if isinstance(v, Say) else v for name, v in values.items()}
    return WORDS[key][language].format(**filled)


def t(key: str, **values: object) -> str:
    """The words for `key` in every language, each in a span the language switch shows or hides."""
    return "".join(f'<span class="{lang}" lang="{lang}">{html.escape(say(key, lang, **values))}</span>'
                   for lang in LANGUAGES)


def alt_text(key: str, **values: object) -> str:
    """An alt attribute in the first language, with every language's text for the switch to swap in."""
    texts = {lang: html.escape(say(key, lang, **values), quote=True) for lang in LANGUAGES}
    return f'alt="{texts[LANGUAGES[0]]}" ' + " ".join(f'data-alt-{lang}="{text}"' for lang, text in texts.items())


# --- numbers as the reports print them -------------------------------------------------------

def natural_decimals(value: float, limit: int = MAX_SHOWN_DECIMALS) -> int:
    """The decimals a value needs (float noise removed), at most `limit`: for computed values."""
    text = f"{abs(value):.{limit}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def sv_number(value: float | None, decimals: int | None = None) -> str:
    """A number as Swedish reports print it: space between thousands, decimal comma, a real minus
    sign, and the printed decimals (`1 234,1`, `−6 279`, `0,0`); the decimals a value needs when
    its printed decimals are unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    digits = natural_decimals(value) if decimals is None else max(0, int(decimals))
    text = f"{abs(value):,.{digits}f}".replace(",", " ").replace(".", ",")
    negative = value < 0 and round(abs(value), digits) != 0
    return (MINUS if negative else "") + text


def kept_together(text: str) -> str:
    """A number whose thousands must not be split over two lines inside running words."""
    return text.replace(" ", NO_BREAK_SPACE)


def num(value: float | None, decimals: int | None = None) -> str:
    """A number for the page, kept on one line."""
    return f'<span class="num">{html.escape(sv_number(value, decimals))}</span>'


# --- where figures are printed: boxes, and the crop that shows them in context ---------------

@dataclass(frozen=True)
class Box:
    """A rectangle on a PDF page, in points from the top left corner (pdfplumber's coordinates)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def union(self, *others: Box) -> Box:
        boxes = (self, *others)
        return Box(min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes),
                   max(b.bottom for b in boxes))

    def grown(self, dx: float, dy: float) -> Box:
        return Box(self.x0 - dx, self.top - dy, self.x1 + dx, self.bottom + dy)

    def within(self, page: Box) -> Box:
        return Box(max(self.x0, page.x0), max(self.top, page.top), min(self.x1, page.x1), min(self.bottom, page.bottom))

    def overlaps_x(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1

    def holds(self, x: float, y: float, slack: float = 1.0) -> bool:
        return self.x0 - slack <= x <= self.x1 + slack and self.top - slack <= y <= self.bottom + slack


def union_of(boxes: Iterable[Box]) -> Box:
    """The smallest box around `boxes` (at least one)."""
    first, *rest = boxes
    return first.union(*rest)


@dataclass(frozen=True)
class Cell:
    """A value cell of a table (fct_table_cells): where it is, and in which table, row and column."""

    box: Box
    table_id: int
    row_index: int
    column_index: int
    unit: str | None = None
    heading: str | None = None
    page: int = 0


@dataclass(frozen=True)
class Line:
    """One line of text on a page: its words and the box around them."""

    box: Box
    words: tuple[Box, ...]


@dataclass(frozen=True)
class Crop:
    """The page region to show, and the header phrases and row labels to tint inside it."""

    box: Box
    header: tuple[Box, ...] = ()
    labels: tuple[Box, ...] = ()


def lines_of(words: Sequence[Box]) -> list[Line]:
    """The words grouped into lines, top to bottom (words whose middles are LINE_TOLERANCE apart)."""
    lines: list[list[Box]] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if lines and abs(word.middle - lines[-1][0].middle) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(union_of(ws), tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]


def cell_under(figure: Box, cells: Sequence[Cell]) -> Cell | None:
    """The table cell a figure is printed in (its middle inside the cell), if it is in a table. A
    figure that is no printed cell but lies on a table's row (an empty cell read as 0) gets a cell
    of its own box in that row, with no column."""
    x = (figure.x0 + figure.x1) / 2
    held = next((c for c in cells if c.box.holds(x, figure.middle)), None)
    if held is not None:
        return held
    for table in _tables(cells):
        body = union_of(c.box for c in table)
        row = next((c for c in table if c.box.top - 1 <= figure.middle <= c.box.bottom + 1), None)
        if row is not None and figure.overlaps_x(body):
            return Cell(figure, row.table_id, row.row_index, -1, None, row.heading, row.page)
    return None


def _tables(cells: Sequence[Cell]) -> list[list[Cell]]:
    """The cells of a page grouped by table."""
    tables: dict[tuple[int, int], list[Cell]] = {}
    for c in cells:
        tables.setdefault((c.table_id, c.page), []).append(c)
    return list(tables.values())


def crop_region(figures: Sequence[Box], cells: Sequence[Cell], words: Sequence[Box], page: Box) -> Crop:
    """What to show of a page around `figures`: for a table figure the table from its column header
    down to the figure's row, from the row label on the left; for a figure in running text its
    whole lines and the paragraph's next lines. Whole words only: a word the box would cut at the
    left or right widens it. Pure (boxes in, box out), so it is tested without a PDF."""
    if not words:
        return Crop(union_of(figures).grown(CROP_MARGIN, CROP_MARGIN).within(page))
    lines = lines_of(words)
    parts = [table_crop(f, cell, cells, lines) if (cell := cell_under(f, cells)) else prose_crop(f, lines)
             for f in figures]
    box = union_of([p.box for p in parts] + list(figures)).grown(EDGE_MARGIN, LINE_MARGIN)
    return Crop(unclipped(box, words).within(page), tuple(h for p in parts for h in p.header),
                tuple(label for p in parts for label in p.labels))


def table_crop(figure: Box, cell: Cell, cells: Sequence[Cell], lines: Sequence[Line]) -> Crop:
    """The table of `cell` from its header lines down to the figure, and the row's label."""
    table = [c for c in cells if c.table_id == cell.table_id and c.page == cell.page]
    body = union_of(c.box for c in table)
    labels = row_label(cell, table, lines, body)
    left = min([w.x0 for w in labels] + [body.x0])
    header = [w for line in header_lines(lines, body) for w in line.words if w.x1 > left - 1 and w.x0 < body.x1 + 1]
    column = figure.union(*[c.box for c in table if c.column_index == cell.column_index])
    tinted = tuple(p for p in phrases(header) if p.overlaps_x(column))
    return Crop(union_of([figure, *labels, *header]), tinted, tuple(phrases(labels)))


def header_lines(lines: Sequence[Line], body: Box) -> list[Line]:
    """The lines just above a table's first row that hold its column header: the nearest within
    HEADER_REACH, then the ones above it while the blank between them stays under HEADER_GAP
    (a header's own lines are close; the paragraph before the table is further away)."""
    above = sorted((line for line in lines if line.box.bottom <= body.top + 1 and line.box.overlaps_x(body)),
                   key=lambda line: -line.box.bottom)
    header: list[Line] = []
    edge, reach = body.top, HEADER_REACH
    for line in above[:HEADER_MAX_LINES]:
        if edge - line.box.bottom > reach:
            break
        header.append(line)
        edge, reach = line.box.top, HEADER_GAP
    return header


def row_label(cell: Cell, table: Sequence[Cell], lines: Sequence[Line], body: Box) -> list[Box]:
    """The words left of the table's values in the cell's row band (to the neighbouring rows, so a
    wrapped label comes whole)."""
    rows = {r: union_of(c.box for c in table if c.row_index == r) for r in sorted({c.row_index for c in table})}
    order = list(rows)
    band = rows[cell.row_index]
    at = order.index(cell.row_index)
    upper = rows[order[at - 1]].bottom if at > 0 else band.top - LABEL_REACH
    lower = rows[order[at + 1]].top if at + 1 < len(order) else band.bottom + LABEL_REACH
    return [w for line in lines for w in line.words if upper < w.middle < lower and w.x1 <= body.x0 - 0.5]


def phrases(words: Sequence[Box]) -> list[Box]:
    """Neighbouring words of one line joined (a column's name: a word and its year)."""
    joined: list[Box] = []
    for word in sorted(words, key=lambda w: (round(w.middle), w.x0)):
        last = joined[-1] if joined else None
        if last and abs(last.middle - word.middle) <= LINE_TOLERANCE and word.x0 - last.x1 <= PHRASE_GAP:
            joined[-1] = last.union(word)
        else:
            joined.append(word)
    return joined


def prose_crop(figure: Box, lines: Sequence[Line]) -> Crop:
    """The whole line(s) a figure in running text stands on, and PROSE_CONTEXT_LINES of its
    paragraph above and below, at the full width of the text."""
    at = next((i for i, line in enumerate(lines) if line.box.top - LINE_TOLERANCE <= figure.middle
               <= line.box.bottom + LINE_TOLERANCE), None)
    if at is None:
        return Crop(figure)
    chosen = [lines[at]]
    for step in (-1, 1):
        i = at
        for _ in range(PROSE_CONTEXT_LINES):
            j = i + step
            if not 0 <= j < len(lines) or _blank_between(lines[i].box, lines[j].box) > PARAGRAPH_GAP:
                break
            chosen.append(lines[j])
            i = j
    return Crop(union_of(line.box for line in chosen))


def _blank_between(a: Box, b: Box) -> float:
    """The white space between two lines, in points."""
    return max(b.top - a.bottom, a.top - b.bottom)


def unclipped(box: Box, words: Sequence[Box]) -> Box:
    """`box` widened until no word on its lines is cut at its left or right edge."""
    for _ in range(len(words) + 1):
        cut = [w for w in words if box.top <= w.middle <= box.bottom
               and (w.x0 < box.x0 < w.x1 or w.x0 < box.x1 < w.x1)]
        if not cut:
            return box
        box = box.union(*[w.grown(1.0, 0.0) for w in cut])
    return box


# --- notes on signs and units ------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """One side of a finding: the figures as printed, their units, and the value the check compared."""

    printed: tuple[float, ...]
    decimals: int | None
    units: frozenset[str]
    compared: float


def unit_rate(unit: str, into: str) -> float | None:
    """How many `into` one `unit` is (mnkr into tkr: 1000), when both are amounts."""
    factors = amount_factors()  # the vocabulary's seed `units`, as dbt converts with it
    if unit in factors and into in factors:
        return factors[unit] / factors[into]
    return None


def sign_note(name: str, side: Side, other: Side) -> str | None:
    """A note when a side's printed figures and the value it was compared with differ in sign only
    (−180,4 printed, 180,4 compared): said in words, so a reader does not take it for the error."""
    if not side.printed:
        return None
    rate = 1.0
    if name == "left" and len(side.units) == 1 and len(other.units) == 1:
        rate = unit_rate(next(iter(side.units)), next(iter(other.units))) or 1.0
    total = sum(side.printed) * rate
    for candidate in (total, total / len(side.printed)):
        if candidate * side.compared < 0 and math.isclose(abs(candidate), abs(side.compared), rel_tol=1e-6):
            printed = " + ".join(kept_together(sv_number(v, side.decimals)) for v in side.printed)
            return t("sign_note", side=Say(f"the_{name}_side"), printed=printed,
                     compared=kept_together(sv_number(side.compared, shown_decimals(side.compared, side.decimals))))
    return None


def unit_note(left: frozenset[str], right: frozenset[str]) -> str | None:
    """A note when the two sides are printed in different units (one in tkr, the other in mnkr),
    saying how they were made comparable. Unknown units are no difference."""
    if len(left) != 1 or len(right) != 1 or left == right:
        return None
    a, b = next(iter(left)), next(iter(right))
    rate = unit_rate(a, b)
    if rate is None:
        return t("unit_note_unconverted", left=_unit_word(a), right=_unit_word(b))
    big, small, factor = (a, b, rate) if rate >= 1 else (b, a, 1 / rate)
    equation = kept_together(f"1 {big} = {sv_number(factor, 0)} {small}")
    return t("unit_note", left=_unit_word(a), right=_unit_word(b), rate=equation)


def _unit_word(unit: str) -> str | Say:
    """A unit as the page says it: 'procent'/'percent' for percent, tkr and mnkr as printed."""
    return Say(unit) if unit in WORDS else unit.replace("_", " ")


def shown_decimals(value: float | None, printed: int | None) -> int:
    """The decimals to show a compared value with: the printed ones, more when it is computed."""
    return max(printed or 0, natural_decimals(value) if value is not None else 0)


# --- where the PDFs are, and the links to their pages -----------------------------------------

def is_url(source: str) -> bool:
    """Whether a report's source is an address it was downloaded from (not a local file)."""
    return source.startswith(("http://", "https://"))


def page_link(source: str | None, page: int) -> str | None:
    """The address that opens `page` of a report: the URL it was ingested from with #page=N, or the
    local file as a file:// URI with #page=N (PDF viewers open that page)."""
    if not source:
        return None
    if is_url(source):
        return f"{source.split('#', 1)[0]}#page={page}"
    return f"{Path(source).expanduser().resolve().as_uri()}#page={page}"


def local_pdf(report_id: str, source: str | None, download_cache: Path | None = None) -> Path | None:
    """The PDF to crop: the file ingested, or for a URL the downloaded copy that arw's download
    cache keeps under the report id (its sha256); None when neither is here."""
    if source and not is_url(source) and Path(source).is_file():
        return Path(source)
    cached = download_cache / f"{report_id}.pdf" if download_cache else None
    return cached if source and is_url(source) and cached is not None and cached.is_file() else None


# --- the warehouse's marts as the page needs them ---------------------------------------------

@dataclass(frozen=True)
class Term:
    """One printed figure entering a check (inconsistencies.left_terms / right_terms)."""

    label: str
    value: float
    decimals: int | None
    page: int
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None

    @property
    def located(self) -> bool:
        return None not in (self.x0, self.top, self.x1, self.bottom)

    @property
    def box(self) -> Box:
        return Box(self.x0, self.top, self.x1, self.bottom)


def terms_of(raw: list[dict] | None) -> list[Term]:
    """The terms of one side of a check, as the mart stores them (a list of structs)."""
    return [Term(**{k: t.get(k) for k in Term.__dataclass_fields__}) for t in raw or []]


@dataclass
class ReviewData:
    """Everything the page shows, read from the marts in one read-only connection."""

    reports: list[dict]
    findings: list[dict]
    rules: list[dict]  # how every rule fared per report
    changes: list[dict]
    sources: dict[str, str | None] = field(default_factory=dict)
    cells: list[dict] = field(default_factory=list)
    text_figures: list[dict] = field(default_factory=list)
    budget: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)


QUERIES = {
    "reports": "select * from dim_reports order by municipality, body, fiscal_year",
    "findings": "select * from inconsistencies order by report_id, severity, rule_id, check_key",
    "rules": """
        select report_id, rule_id, any_value(description) as description, any_value(severity) as severity,
               count(*) as checks, count(*) filter (where passed) as passed
        from fct_checks group by report_id, rule_id order by report_id, rule_id""",
    "changes": """
        select c.*, p.version as from_version, p.file_name as from_file
        from report_changes as c join dim_report_versions as p on p.report_id = c.previous_report_id
        order by c.change desc, c.status, c.table_name, c.row_path, c.column_path, c.check_key""",
    "cells": """
        select report_id, page, table_id, row_index, column_index, unit, heading, x0, top, x1, bottom
        from fct_table_cells where x0 is not null""",
    "text_figures": "select report_id, page, unit, x0, top, x1, bottom from fct_text_figures where x0 is not null",
    "budget": """
        select report_id, table_id, line_item, line_order, measure, fiscal_year, amount, decimals, unit, page
        from fct_budget
        where statement = 'operating_by_department' and not is_total and measure in ('outcome', 'budget')
        order by report_id, table_id, line_order""",
    "indicators": """
        select report_id, indicator, entity, level, year, value, decimals, unit, is_target, page
        from fct_indicators where value is not null order by report_id, page, indicator, year""",
    "checks": "select report_id, other_report_id, passed, left_terms, right_terms from fct_checks",
}


def load_review_data(warehouse: Path) -> ReviewData:
    """Every mart row the page shows (all reports; the page picks each report's own)."""
    with open_read_only(warehouse) as con:
        rows = {name: _records(con, sql) for name, sql in QUERIES.items()}
        sources = dict(con.execute("select report_id, source from dim_report_versions").fetchall())
    return ReviewData(**rows, sources=sources)


def _records(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


class Evidence:
    """The PDFs, table cells and text figures of every report, by report and page: where a term is
    printed, in which table and unit, what the page's words are, and how to open the page."""

    def __init__(self, data: ReviewData, download_cache: Path | None = None) -> None:
        self.sources = data.sources
        self.download_cache = download_cache
        self.cells: dict[tuple[str, int], list[Cell]] = {}
        self.first_pages: dict[tuple[str, int], int] = {}  # (report, table) -> the page it starts on
        for c in data.cells:
            self.cells.setdefault((c["report_id"], c["page"]), []).append(Cell(
                Box(c["x0"], c["top"], c["x1"], c["bottom"]), c["table_id"], c["row_index"], c["column_index"],
                c["unit"], c["heading"], c["page"]))
            table = (c["report_id"], c["table_id"])
            self.first_pages[table] = min(self.first_pages.get(table, c["page"]), c["page"])
        self.texts: dict[tuple[str, int], list[tuple[Box, str | None]]] = {}
        for f in data.text_figures:
            self.texts.setdefault((f["report_id"], f["page"]), []).append(
                (Box(f["x0"], f["top"], f["x1"], f["bottom"]), f["unit"]))
        self._pdfs: dict[str, pdfplumber.PDF | None] = {}
        self.changed: set[str] = set()  # reports whose PDF on disk is no longer the one ingested
        self._words: dict[tuple[str, int], list[Box]] = {}

    def cell(self, report_id: str, term: Term) -> Cell | None:
        """The table cell a term is printed in, if it is in a table."""
        return cell_under(term.box, self.cells.get((report_id, term.page), [])) if term.located else None

    def text_figure(self, report_id: str, term: Term) -> tuple[Box, str | None] | None:
        """The figure of running text (fct_text_figures) a term is, with its unit."""
        if not term.located:
            return None
        x = (term.x0 + term.x1) / 2
        return next((f for f in self.texts.get((report_id, term.page), []) if f[0].holds(x, term.box.middle)), None)

    def unit(self, report_id: str, term: Term) -> str | None:
        """The unit a term is printed in: its table cell's, or its text figure's ("180,3 mnkr")."""
        if (cell := self.cell(report_id, term)) is not None:
            return cell.unit
        return (self.text_figure(report_id, term) or (None, None))[1]

    def page(self, report_id: str, number: int) -> Page | None:
        """A page of the report's PDF, when the PDF is here to crop."""
        pdf = self._pdf(report_id)
        return pdf.pages[number - 1] if pdf is not None and 1 <= number <= len(pdf.pages) else None

    def words(self, report_id: str, number: int) -> list[Box]:
        """The words printed on a page (read once per page): what a crop must not cut."""
        key = (report_id, number)
        if key not in self._words:
            page = self.page(report_id, number)
            self._words[key] = [Box(w["x0"], w["top"], w["x1"], w["bottom"])
                                for w in (page.extract_words() if page is not None else [])]
        return self._words[key]

    def link(self, report_id: str, number: int) -> str | None:
        """Where the reader opens the page: the report's source with #page=N."""
        return page_link(self.sources.get(report_id), number)

    def _pdf(self, report_id: str) -> pdfplumber.PDF | None:
        """The report's PDF, only if it is the very file ingested (its sha256 is the report id):
        a file replaced since would be cropped at the wrong places."""
        if report_id not in self._pdfs:
            path = local_pdf(report_id, self.sources.get(report_id), self.download_cache)
            if path is not None and sha256_of(path) != report_id:
                self.changed.add(report_id)
                path = None
            self._pdfs[report_id] = pdfplumber.open(path) if path is not None else None
        return self._pdfs[report_id]

    def close(self) -> None:
        for pdf in self._pdfs.values():
            if pdf is not None:
                pdf.close()


@contextmanager
def evidence_of(data: ReviewData, download_cache: Path | None = None) -> Iterator[Evidence]:
    """The evidence of `data`, its PDFs closed when the page is written."""
    evidence = Evidence(data, download_cache)
    try:
        yield evidence
    finally:
        evidence.close()


# --- the page ------------------------------------------------------------------------------------

def write_review(warehouse: Path, out_dir: Path, download_cache: Path | None = None) -> Path:
    """Write `inconsistencies.html` into out_dir and return its path. `download_cache` is where
    reports ingested from a URL were downloaded to (their PDFs are cropped from there)."""
    data = load_review_data(warehouse)
    coverage = coverage_of(warehouse)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "inconsistencies.html"
    with evidence_of(data, download_cache) as evidence:
        target.write_text(render_page(data, coverage, evidence), encoding="utf-8")
    return target


def render_page(data: ReviewData, coverage: list[dict] | None = None, evidence: Evidence | None = None) -> str:
    """The whole page: a summary line, then one section per report and one per unread input."""
    if evidence is None:
        with evidence_of(data) as evidence:
            return render_page(data, coverage, evidence)
    coverage = coverage or []
    by_report = {c["report_id"]: c for c in coverage if c["report_id"]}
    sections = [render_report(r, data, evidence, by_report.get(r["report_id"])) for r in data.reports]
    sections += [f"<section class='report unread'><h2>{html.escape(str(c['file_name']))}</h2>"
                 f"<p class='unchecked'>{t('not_checked', reason=c['reason'])}</p></section>"
                 for c in coverage if not c["report_id"]]
    checked = sum(1 for c in coverage if c["status"] == "checked")
    titles = " ".join(f'data-title-{lang}="{html.escape(say("page_title", lang), quote=True)}"' for lang in LANGUAGES)
    switch_label = html.escape(" / ".join(say("switch_label", lang) for lang in LANGUAGES), quote=True)
    return f"""<!doctype html>
<html lang="{LANGUAGES[0]}" {titles}><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{html.escape(say('page_title', LANGUAGES[0]))}</title><style>{STYLE}</style></head>
<body><header class="top"><h1>{t('title')}</h1>
<button id="lang" type="button" hidden aria-label="{switch_label}">{t('switch')}</button>
<p class="lead">{t('headline', total=len(data.findings), checked=checked, unchecked=len(coverage) - checked)}</p></header>
<main>{''.join(sections) or f"<p>{t('no_reports')}</p>"}</main>
<script>{SCRIPT}</script>
</body></html>
"""


def render_report(report: dict, data: ReviewData, evidence: Evidence, coverage: dict | None = None) -> str:
    """One report: what was read, its findings, charts, changes since its last version, its rules."""
    report_id = report["report_id"]
    findings = [f for f in data.findings if f["report_id"] == report_id]
    unchecked = coverage is not None and coverage["status"] != "checked"
    nothing = (f"<p class='unchecked'>{t('not_checked', reason=coverage['reason'])}</p>" if unchecked
               else f"<p class='ok'>{t('no_findings')}</p>")
    items = "".join(render_finding(f, evidence) for f in findings) or nothing
    key = f"<p class='key'>{t('crop_key')}</p>" if findings else ""
    return f"""<section class="report" id="report-{report_id[:16]}">
<h2>{html.escape(report_title(report))}</h2>
<p class="meta">{html.escape(str(report['file_name']))} · {t('report_id', id=report_id[:16])}</p>
{render_coverage(coverage)}<h3>{t('findings', n=len(findings))}</h3>{key}{items}
{render_charts(report, data, evidence, unchecked)}
{render_changes([c for c in data.changes if c["report_id"] == report_id])}
{render_rules([s for s in data.rules if s["report_id"] == report_id])}
</section>"""


def report_title(report: dict) -> str:
    """Municipality · body · report type and year, or the file name when none of them is known."""
    known = [str(report[k]) for k in ("municipality", "body") if report.get(k)]
    kind = f"{report.get('report_type') or ''} {report.get('fiscal_year') or ''}".strip()
    return " · ".join(known + [kind]) if known else str(report["file_name"])


def render_coverage(coverage: dict | None) -> str:
    """What arw read of the report and how many checks it evaluated."""
    if coverage is None:
        return ""
    status = t("status_checked") if coverage["status"] == "checked" else t("status_not_checked")
    n = {k: kept_together(sv_number(coverage.get(k) or 0, 0)) for k in COVERAGE_COUNTS}
    items = [t("tables_recognised", recognised=n["tables_recognised"], found=n["tables_found"]),
             t("figures_loaded", n=n["facts_loaded"]), t("rows_quarantined", n=n["rows_quarantined"]),
             t("checks_passed", passed=n["checks_passed"], evaluated=n["checks_evaluated"]), status]
    return "<ul class='coverage'>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def render_finding(finding: dict, evidence: Evidence) -> str:
    """A finding: the rule, the compared values, notes on sign and unit, and both sides' crops."""
    report_id = finding["report_id"]
    other_id = finding.get("other_report_id")
    left, right = terms_of(finding["left_terms"]), terms_of(finding["right_terms"])
    sides = (side_of(left, finding["left_value"], report_id, evidence),
             side_of(right, finding["right_value"], other_id or report_id, evidence))
    other = f"<p>{t('other_report', id=other_id[:16])}</p>" if other_id else ""
    return f"""<article class="finding {html.escape(finding['severity'])}">
<header><h4>{html.escape(finding['rule_id'])}</h4> <span class="sev">{_said(finding['severity'])}</span></header>
<p class="desc">{html.escape(finding['description'])}</p>
{render_numbers(finding, *sides)}{render_notes(*sides)}{other}
<div class="sides">{side_html('left_side', finding['left_ref'], left, report_id, evidence)}
{side_html('right_side', finding['right_ref'], right, other_id or report_id, evidence)}</div>
</article>"""


def side_of(terms: list[Term], compared: float, report_id: str, evidence: Evidence) -> Side:
    """A side's printed figures, their units (from the cells or text figures they are) and the
    value the check compared: what the sign and unit notes look at."""
    units = frozenset(u for term in terms if (u := evidence.unit(report_id, term)))
    decimals = max((term.decimals or 0 for term in terms), default=None)
    return Side(tuple(term.value for term in terms if term.value is not None), decimals, units, compared)


def render_numbers(finding: dict, left: Side, right: Side) -> str:
    """The two compared values, their difference and the tolerance, as the report prints numbers."""
    both = max(left.decimals or 0, right.decimals or 0)
    items = [("left", finding["left_value"], left.decimals), ("right", finding["right_value"], right.decimals),
             ("difference", finding["difference"], both), ("tolerance", finding["tolerance"], None)]
    return "<dl class='numbers'>" + "".join(
        f"<div><dt>{t(key)}</dt><dd>{num(value, shown_decimals(value, decimals))}</dd></div>"
        for key, value, decimals in items) + "</dl>"


def render_notes(left: Side, right: Side) -> str:
    """Notes where a sign or a unit differs between the sides, in words."""
    notes = [sign_note("left", left, right), sign_note("right", right, left), unit_note(left.units, right.units)]
    return "".join(f"<p class='note'>{n}</p>" for n in notes if n)


def side_html(title_key: str, reference: str | None, terms: list[Term], report_id: str, evidence: Evidence) -> str:
    """One side: its reference and, per page, a crop of the figures with a link to the page."""
    parts = [f"<h5>{t(title_key)}</h5><p class='ref'>{html.escape(reference or '')}</p>"]
    for page in sorted({term.page for term in terms}):
        on_page = [term for term in terms if term.page == page]
        figures = ", ".join(sv_number(term.value, term.decimals) for term in on_page)
        parts.append(page_figure(page, figures, on_page, report_id, evidence))
    return "<div class='side'>" + "".join(parts) + "</div>"


def page_figure(page: int, figures: str, terms: list[Term], report_id: str, evidence: Evidence) -> str:
    """A crop of one page with its caption ("sida 19: 7,7") and the link to the page in the PDF."""
    link = evidence.link(report_id, page)
    pdf_page = evidence.page(report_id, page)
    located = [term.box for term in terms if term.located]
    caption = f"{t('page', n=page)}: {html.escape(figures)}"
    opener = f" · <a class='pdf' href='{html.escape(link, quote=True)}'>{t('open_pdf')}</a>" if link else ""
    if pdf_page is None or not located:
        why = t("no_position") if pdf_page is not None else t("pdf_changed" if report_id in evidence.changed else "no_pdf")
        return f"<p class='missing'>{caption} ({why}){opener}</p>"
    crop = crop_region(located, evidence.cells.get((report_id, page), []), evidence.words(report_id, page),
                       Box(0.0, 0.0, float(pdf_page.width), float(pdf_page.height)))
    uri, width = crop_png(pdf_page, crop, located)
    image = f"<img src='{uri}' width='{width}' {alt_text('crop_alt', n=page, figures=figures)}>"
    if link:
        image = f"<a class='crop' href='{html.escape(link, quote=True)}'>{image}</a>"
    return f"<figure>{image}<figcaption>{caption}{opener}</figcaption></figure>"


def crop_png(page: Page, crop: Crop, figures: Sequence[Box]) -> tuple[str, int]:
    """A PNG (data URI) of the crop, the figures boxed in red and their header and row label tinted
    blue; and its width in pixels."""
    box = crop.box
    image = page.crop((box.x0, box.top, box.x1, box.bottom)).to_image(resolution=RESOLUTION)
    for context in (*crop.header, *crop.labels):
        image.draw_rect((context.x0 - 1, context.top - 1, context.x1 + 1, context.bottom + 1), **CONTEXT_BOX)
    for f in figures:
        image.draw_rect((f.x0 - 2, f.top - 2, f.x1 + 2, f.bottom + 2), **FIGURE_BOX)
    buffer = io.BytesIO()
    image.annotated.save(buffer, format="PNG", optimize=True)
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return uri, image.annotated.width


def _said(word: str | None) -> str:
    """A data word the page has words for (severity, status), else the word itself."""
    return t(word) if word in WORDS else html.escape(str(word or ""))


def render_changes(changes: list[dict]) -> str:
    """What changed since the previous version of the report (nothing when it is the first)."""
    if not changes:
        return ""
    first = changes[0]
    rows = []
    for c in changes:
        if c["change"] == "figure":
            where = " · ".join(filter(None, [c["table_name"], c["row_path"], c["column_path"]]))
            printed = f"{c['old_printed'] or '–'} → {c['new_printed'] or '–'}"
        else:
            where, printed = f"{c['rule_id']}: {c['check_key']}", ""
        pages = " → ".join("–" if p is None else str(p) for p in (c["old_page"], c["new_page"]))
        what = t("change_status", change=Say(f"{c['change']}_change"), status=Say(c["status"])) \
            if f"{c['change']}_change" in WORDS and c["status"] in WORDS \
            else html.escape(f"{c['change']} {c['status']}")
        printed_cell = f"<span class='cap'>{t('printed')}: </span>{html.escape(printed)}" if printed else ""
        rows.append(f"<tr class='{html.escape(c['status'].replace(' ', '-'))}'><td class='head'>{what}</td>"
                    f"<td>{html.escape(where)}</td><td class='n'>{printed_cell}</td>"
                    f"<td class='n'><span class='cap'>{t('page_column')}: </span>{html.escape(pages)}</td></tr>")
    heading = t("changes", version=first["from_version"], file=str(first["from_file"]), n=len(changes))
    columns = "".join(f"<th>{t(k)}</th>" for k in ("change", "where", "printed", "page_column"))
    return (f"<h3>{heading}</h3><div class='scroll'><table class='changes stack'><tr>{columns}</tr>{''.join(rows)}"
            f"</table></div>")


def render_rules(rules: list[dict]) -> str:
    """How every rule fared on the report: what passed is as visible as what failed. On a narrow
    screen each rule is a block whose numbers carry their column's name."""
    rows = "".join(
        f"<tr class='{'fail' if s['passed'] < s['checks'] else 'pass'}'><td class='head'>{_breakable(s['rule_id'])}</td>"
        f"<td>{html.escape(s['description'] or '')}</td><td class='s'>{_said(s['severity'])}</td>"
        + "".join(f"<td class='n'><span class='cap'>{t(key)}: </span>{num(count, 0)}</td>" for key, count in (
            ("checks", s["checks"]), ("passed", s["passed"]), ("failed", s["checks"] - s["passed"])))
        + "</tr>" for s in rules)
    columns = "".join(f"<th>{t(k)}</th>" for k in ("rule", "what_it_checks", "severity", "checks", "passed", "failed"))
    return f"<h3>{t('rules')}</h3><div class='scroll'><table class='rules stack'><tr>{columns}</tr>{rows}</table></div>"


def _breakable(identifier: str) -> str:
    """A rule id that may wrap after its underscores on a narrow screen."""
    return html.escape(identifier).replace("_", "_<wbr>")


# --- charts: small inline SVG bars beside readable HTML labels -------------------------------

@dataclass(frozen=True)
class Bar:
    """One bar of a chart row: from `start` to `end` on the row's scale, drawn in css class `kind`,
    between `top` and `bottom` (0–1 of the row's height)."""

    start: float
    end: float
    kind: str
    top: float = 0.0
    bottom: float = 1.0


@dataclass(frozen=True)
class ChartRow:
    """One line of a chart: what it is (a department, an indicator, a table), its bars, its values in
    words, and target markers."""

    label: str  # HTML
    bars: tuple[Bar, ...]
    values: str  # HTML
    markers: tuple[float, ...] = ()
    domain: tuple[float, float] | None = None  # the row's own scale (indicators); else the chart's


def bar_svg(row: ChartRow, domain: tuple[float, float]) -> str:
    """A row's bars (and target markers) as a tiny SVG that stretches to the row's width."""
    low, high = row.domain or domain
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return round((value - low) / span * 100, 3)

    shapes = [f'<rect class="{b.kind}" x="{min(x(b.start), x(b.end))}" y="{b.top * 12:g}" '
              f'width="{abs(x(b.end) - x(b.start))}" height="{(b.bottom - b.top) * 12:g}"/>' for b in row.bars]
    shapes += [f'<line class="zero" x1="{x(0)}" x2="{x(0)}" y1="0" y2="12" vector-effect="non-scaling-stroke"/>']
    shapes += [f'<line class="marker" x1="{x(m)}" x2="{x(m)}" y1="0" y2="12" vector-effect="non-scaling-stroke"/>'
               for m in row.markers]
    return f'<svg viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true">{"".join(shapes)}</svg>'


def render_chart(title: str, legend: list[tuple[str, str]], rows: list[ChartRow], after: str = "") -> str:
    """A chart: title, legend (css class, words) and one line per row: label, bars, values."""
    values = [v for r in rows for b in r.bars for v in (b.start, b.end)] + [m for r in rows for m in r.markers]
    domain = (min(0.0, *values), max(0.0, *values))
    keys = "".join(f"<li><span class='swatch {kind}'></span>{words}</li>" for kind, words in legend)
    items = "".join(f"<li><span class='label'>{r.label}</span>{bar_svg(r, domain)}"
                    f"<span class='values'>{r.values}</span></li>" for r in rows)
    return (f"<figure class='chart'><h4>{title}</h4><ul class='legend'>{keys}</ul>"
            f"<ul class='bars'>{items}</ul>{after}</figure>")


def render_charts(report: dict, data: ReviewData, evidence: Evidence, unchecked: bool) -> str:
    """The report's charts; one line instead of a chart that would have no data."""
    report_id = report["report_id"]
    charts = [table_chart(report_id, [c for c in data.checks if c["report_id"] == report_id], evidence, unchecked),
              budget_chart([b for b in data.budget if b["report_id"] == report_id], report.get("fiscal_year")),
              indicator_chart([i for i in data.indicators if i["report_id"] == report_id])]
    return f"<h3>{t('overview')}</h3><div class='charts'>{''.join(charts)}</div>"


def budget_chart(rows: list[dict], fiscal_year: int | None) -> str:
    """Outcome against budget per department (fct_budget's operating statement per department)."""
    years = sorted({r["fiscal_year"] for r in rows if r["measure"] == "budget"})
    year = fiscal_year if fiscal_year in years else (years[-1] if years else None)
    lines: dict[tuple[int, int], dict] = {}
    for r in rows:
        if r["fiscal_year"] == year and r["amount"] is not None:
            line = lines.setdefault((r["table_id"], r["line_order"]), {"line": r["line_item"], "unit": r["unit"]})
            line[r["measure"]] = r
    pairs = [v for v in lines.values() if "outcome" in v and "budget" in v]
    if not pairs:
        return f"<p class='nochart'>{t('no_budget')}</p>"
    chart_rows = [ChartRow(html.escape(p["line"]), (
        Bar(0, p["budget"]["amount"], "budget"), Bar(0, p["outcome"]["amount"], "outcome", 0.25, 0.75)),
        t("outcome_and_budget", outcome=kept_together(sv_number(p["outcome"]["amount"], p["outcome"]["decimals"])),
          budget=kept_together(sv_number(p["budget"]["amount"], p["budget"]["decimals"])))) for p in pairs]
    unit = pairs[0]["unit"] or ""
    return render_chart(t("budget_chart", year=year, unit=unit),
                        [("outcome", t("outcome")), ("budget", t("budget"))], chart_rows)


def indicator_chart(rows: list[dict]) -> str:
    """Each indicator's latest outcome against its target (fct_indicators), each on its own scale."""
    by_indicator: dict[tuple, list[dict]] = {}
    for r in rows:
        by_indicator.setdefault((r["indicator"], r["entity"], r["level"]), []).append(r)
    chart_rows = [row for values in by_indicator.values() if (row := indicator_row(values))]
    if not chart_rows:
        return f"<p class='nochart'>{t('no_targets')}</p>"
    return render_chart(t("indicator_chart"), [("outcome", t("latest")), ("marker", t("target"))], chart_rows)


def indicator_row(values: list[dict]) -> ChartRow | None:
    """One indicator: the latest outcome as a bar, the (latest) target as a marker."""
    outcomes = [v for v in values if not v["is_target"]]
    targets = [v for v in values if v["is_target"]]
    if not outcomes or not targets:
        return None
    latest, target = max(outcomes, key=lambda v: v["year"]), max(targets, key=lambda v: v["year"])
    suffix = "\u00a0%" if latest["unit"] == "percent" else ""
    low = min(0.0, latest["value"], target["value"])
    high = max(0.0, latest["value"], target["value"]) * 1.1 or 1.0
    words = t("indicator_values", value=kept_together(sv_number(latest["value"], latest["decimals"])) + suffix,
              year=latest["year"], target=kept_together(sv_number(target["value"], target["decimals"])) + suffix,
              target_year=target["year"])
    return ChartRow(html.escape(latest["indicator"]), (Bar(0, latest["value"], "outcome", 0.2, 0.8),),
                    words, (target["value"],), (low, high))


@dataclass
class Tally:
    """The checks whose figures one table (or one page of running text) holds, and how many failed."""

    label: str  # HTML
    page: int
    checks: int = 0
    findings: int = 0


def table_chart(report_id: str, checks: list[dict], evidence: Evidence, unchecked: bool) -> str:
    """Findings per table (or page of running text), beside the checks that involved it; the tables
    whose checks all passed are counted in one line."""
    tallies = list(tally_tables(report_id, checks, evidence).values())
    if unchecked or not tallies:
        return f"<p class='nochart'>{t('unchecked_chart' if unchecked else 'no_checks')}</p>"
    failing = sorted((s for s in tallies if s.findings), key=lambda s: (-s.findings, s.page))
    clean = [s for s in tallies if not s.findings]
    passed = t("clean_tables", n=len(clean)) if clean else ""
    if not failing:
        return f"<p class='nochart'>{t('no_failing_tables')} {passed}</p>"
    rows = [ChartRow(s.label, (Bar(0, s.findings, "failed", 0.15, 0.85),),
                     t("table_counts", findings=s.findings, checks=s.checks)) for s in failing[:CHART_MAX_ROWS]]
    more = f" {t('more_tables', n=len(failing) - CHART_MAX_ROWS)}" if len(failing) > CHART_MAX_ROWS else ""
    return render_chart(t("table_chart"), [("failed", t("findings_legend"))], rows,
                        f"<p class='values'>{passed}{more}</p>")


def tally_tables(report_id: str, checks: list[dict], evidence: Evidence) -> dict[tuple, Tally]:
    """Per table of the report (or page of running text): the checks whose figures it holds."""
    tallies: dict[tuple, Tally] = {}
    for check in checks:
        terms = terms_of(check["left_terms"]) + ([] if check.get("other_report_id") else terms_of(check["right_terms"]))
        for key, label, page in {p for term in terms if (p := place_of(report_id, term, evidence))}:
            tally = tallies.setdefault(key, Tally(label, page))
            tally.checks += 1
            tally.findings += check["passed"] is False
    return tallies


def place_of(report_id: str, term: Term, evidence: Evidence) -> tuple[tuple, str, int] | None:
    """Which table or page of running text a term is printed in (a key, its label, its page);
    None when it is neither (a figure arw could not place)."""
    cell = evidence.cell(report_id, term)
    if cell is not None:
        first = evidence.first_pages.get((report_id, cell.table_id), cell.page)
        return ("table", cell.table_id), t("table_place", heading=cell.heading or f"#{cell.table_id}", page=first), first
    if evidence.text_figure(report_id, term) is not None:
        return ("text", term.page), t("text_place", page=term.page), term.page
    return None


STYLE = """
:root { --ink: #1a1a1a; --muted: #454545; --line: #cfcfcf; --accent: #0a4f9e; --error: #b3261e; --warn: #8a5300;
        --soft: #f3f4f6; color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 75rem; padding: 1rem clamp(.75rem, 3vw, 2rem) 3rem; color: var(--ink);
       background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
       overflow-wrap: break-word; }
html.en .sv, html:not(.en) .en { display: none; }
a { color: var(--accent); }
h1 { font-size: 1.7rem; line-height: 1.25; margin: .4rem 0; flex: 1 1 18rem; }
h2 { font-size: 1.4rem; line-height: 1.3; margin: 2.5rem 0 .3rem; padding-top: .7rem; border-top: 3px solid var(--ink); }
h3 { font-size: 1.2rem; margin: 2rem 0 .6rem; }
h4 { font-size: 1.08rem; margin: 0; display: inline; }
h5 { font-size: 1rem; margin: .4rem 0 .2rem; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1rem; }
.lead { font-size: 1.1rem; margin: .2rem 0 0; flex-basis: 100%; }
#lang { font: inherit; font-weight: 600; padding: .35rem .9rem; border: 2px solid var(--accent); border-radius: .4rem;
        color: var(--accent); background: #fff; cursor: pointer; }
#lang:hover, #lang:focus-visible { background: var(--accent); color: #fff; }
.meta, .key, figcaption, .values, .legend, .nochart { color: var(--muted); font-size: .95rem; }
.nochart { margin: 0; }
.ref { color: var(--muted); font-size: .95rem; margin: 0 0 .4rem; }
.coverage { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none; padding: 0; margin: .6rem 0; }
.coverage li { background: var(--soft); border-radius: .4rem; padding: .2rem .65rem; }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--error); border-radius: .4rem; margin: 1.2rem 0;
           padding: .8rem clamp(.6rem, 2vw, 1.2rem); break-inside: avoid; page-break-inside: avoid; }
.finding.warning { border-left-color: #c77c00; }
.sev { display: inline-block; margin-left: .4rem; padding: 0 .5rem; border-radius: 1rem; background: #fbe3e1;
       color: var(--error); font-size: .9rem; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; }
.warning .sev { background: #fdf0d5; color: var(--warn); }
.desc { margin: .4rem 0; }
.numbers { display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; margin: .5rem 0; }
.numbers div { display: flex; gap: .4rem; align-items: baseline; }
.numbers dt { color: var(--muted); } .numbers dd { margin: 0; font-weight: 700; font-size: 1.05rem; }
.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
.note { background: #fff4d6; border-left: 4px solid #c77c00; padding: .45rem .8rem; margin: .6rem 0; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr); gap: .4rem; }
.side { min-width: 0; }
figure { margin: .4rem 0 1rem; min-width: 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
.missing { color: var(--error); }
.unchecked { color: #6b4200; background: #fff4d6; padding: .35rem .7rem; font-weight: 600; }
.ok { color: #1e6b34; font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .95rem; }
td, th { border: 1px solid var(--line); padding: .3rem .55rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.fail, tr.new { background: #fdecea; } tr.pass, tr.fixed { background: #eaf5ec; }
tr.still-there { background: #fff8e1; }
.cap { display: none; }
@media (max-width: 40rem) {  /* a table's rows become blocks, each number named */
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; }
  table.stack tr:first-child { display: none; }
  table.stack tr { border-bottom: 1px solid var(--line); padding: .45rem .5rem; }
  table.stack td { border: 0; padding: 0; }
  table.stack td.head { font-weight: 700; }
  table.stack td.s, table.stack td.n { display: inline-block; margin-right: .6rem; text-align: left; }
  table.stack .cap { display: inline; color: var(--muted); }
}
.charts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.2rem; }
.chart { margin: 0; min-width: 0; max-width: 60rem; break-inside: avoid; page-break-inside: avoid; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem 1rem; list-style: none; padding: 0; margin: .3rem 0; }
.swatch { display: inline-block; width: .9rem; height: .9rem; margin-right: .35rem; vertical-align: -.1rem; border-radius: .15rem; }
.swatch.marker { width: .25rem; background: #111; }
.bars { list-style: none; padding: 0; margin: 0; }
.bars li { display: grid; grid-template-columns: minmax(0, 1fr); padding: .35rem 0; border-bottom: 1px solid #e6e6e6; }
.bars svg { display: block; width: 100%; height: 1.15rem; margin: .15rem 0; overflow: visible; }
@media (min-width: 44rem) {
  .bars li { grid-template-columns: minmax(0, 5fr) minmax(0, 4fr) minmax(0, 4fr); column-gap: 1rem; align-items: center; }
}
.outcome { fill: var(--accent); background: var(--accent); }
.budget { fill: #aebfd6; background: #aebfd6; }
.failed { fill: var(--error); background: var(--error); }
line.zero { stroke: #666; stroke-width: 1; }
line.marker { stroke: #111; stroke-width: 3; }
@media print {
  #lang { display: none !important; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .report + .report { break-before: page; page-break-before: always; }  /* each report on its own pages */
  h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  .finding, .chart, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  .scroll { overflow: visible; }
  a { color: inherit; }
  a.pdf::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

SCRIPT = """
(function () {
  var root = document.documentElement, button = document.getElementById('lang');
  function show(language) {
    root.classList.toggle('en', language === 'en');
    root.lang = language;
    document.title = root.getAttribute('data-title-' + language) || document.title;
    document.querySelectorAll('[data-alt-' + language + ']').forEach(function (image) {
      image.alt = image.getAttribute('data-alt-' + language);
    });
    button.setAttribute('aria-pressed', language === 'en' ? 'true' : 'false');
    try { localStorage.setItem('arw-review-language', language); } catch (e) { /* file:// may forbid it */ }
  }
  button.hidden = false;
  button.addEventListener('click', function () { show(root.classList.contains('en') ? 'sv' : 'en'); });
  var saved = null;
  try { saved = localStorage.getItem('arw-review-language'); } catch (e) { /* no storage: Swedish */ }
  if (saved === 'en') { show('en'); }
})();
"""
