"""Synthetic municipal annual-report PDFs for testing the extractor.

A *report* is described with plain dataclasses (``Heading``, ``Paragraph``, ``Table``,
``PageBreak`` ...) and drawn with a configurable rendering ``Style``: the same content can be
drawn with horizontal rules only (like the bundled Haninge sample), with a full cell grid or with
no rules at all; in Helvetica, Times, Courier or the Bitstream Vera TTF shipped inside
reportlab; at table sizes 7-11 pt; on A4 or US Letter with different margins; with numbers
right-aligned or centred; with "-" or the unicode minus U+2212; with multi-line row labels whose
numbers sit on the first line or are vertically centred; with split tables whose header is or is
not repeated; and by two different PDF producers (reportlab's canvas and fpdf2).

Layout happens once, in points with the origin at the top-left corner of the page, into a
display list per page; a backend then draws that display list. The layout records on which page
every element and every table row landed (``RenderResult.page_of`` / ``RenderResult.row_pages``),
so tests can build their expected frames from the description itself, never from the PDF.

Numbers are written in the description exactly as a Swedish report prints them with an ASCII
hyphen as minus and a plain space as thousands separator ("1 234,1", "-0,3", "79,9%", "0.62");
the style substitutes the minus sign at drawing time, and
``parse_printed`` turns the literal into the ground-truth value (strictly: a malformed literal in
a numeric column makes ``Table.validate`` raise).

Usage::

    report = Report(municipality="Testby kommun", fiscal_year=2025, elements=[...])
    result = render(report, STYLES["sample_like"], tmp_path / "x.pdf")
    result.row_pages(table)   # -> [3, 3, 4, 4]

Optional extras (off by default, so existing renderings do not change): ``Report.cover`` sets
the cover's lines; ``PageBreak(orientation="landscape")`` turns the following pages;
``Table.strict_numbers=False`` prints "num" cells exactly as written ("- 4 512", "-350*",
"Ej aktuellt", U+2212 written into the cell); ``Style.symbol_font``/``symbol_chars`` draw some
characters (e.g. ● ◐ ○) with a separate TTF.

Run ``python tests/pdf_factory.py OUTDIR`` to write a small demo report in every style.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator, Sequence, Union

__all__ = [
    "Heading", "Paragraph", "Table", "Span", "PageBreak", "Spacer", "Report", "Style", "STYLES",
    "RenderResult", "render", "parse_printed", "Printed", "printed_text", "iter_with_context",
    "joined", "with_style", "LayoutError", "MINUS",
]

MINUS = "\u2212"  # unicode minus sign, only drawable with the TTF font

# ---------------------------------------------------------------------------------------------
# Content model
# ---------------------------------------------------------------------------------------------

HEADING_SIZES = {1: 18.0, 2: 14.0, 3: 12.0, 4: 11.5, 5: 11.0}
"""Heading levels as in the sample: 1 chapter ("Mål och uppdrag"), 2 section ("Resultaträkning"),
3 goal area / risk ("Trygga invånare"), 4 goal ("Nämndmål 1.1 ..."), 5 run-in label ("Kommentar:")."""


@dataclass(eq=False)
class Heading:
    """A bold heading; ``text`` may contain "\\n" to force a line break (the title is still one
    heading: readers should join the lines with a single space)."""

    text: str
    level: int = 1


@dataclass(eq=False)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None  # None: the style's body size


@dataclass(eq=False)
class PageBreak:
    """Start a new page. ``orientation`` ("portrait" or "landscape"; None: unchanged) sets the
    orientation of the new page and of every page after it until the next change."""

    orientation: str | None = None


@dataclass(eq=False)
class Spacer:
    height: float = 12.0


@dataclass(frozen=True)
class Span:
    """A header cell spanning ``cols`` columns (e.g. "Helår 2025" over Utfall..% avv.)."""

    text: str
    cols: int = 1


Cell = Union[str, Span]


@dataclass(eq=False)
class Table:
    """A table. ``rows`` are body rows of strings; a cell may contain "\\n" to force a line break
    and long cells wrap automatically at spaces. ``header_rows`` are drawn bold (with a light
    fill unless the style turns it off) and may use ``Span``. ``bold_rows``/``indent_rows`` index
    into ``rows``. ``split_after=n`` forces a page break after the n-th body row.
    ``repeat_header`` (None: the style decides) repeats the header on continuation pages.
    ``align`` gives one of "l", "r", "c", "num" per column ("num": the style's number alignment);
    by default the first column is "l" and the others "num". ``col_widths`` are relative
    weights; by default the numeric columns get their natural width and the label the rest."""

    header_rows: list[list[Cell]]
    rows: list[list[str]]
    bold_rows: frozenset[int] | set[int] = frozenset()
    caption: str | None = None
    indent_rows: frozenset[int] | set[int] = frozenset()
    col_widths: Sequence[float] | None = None
    align: Sequence[str] | None = None
    split_after: int | None = None
    repeat_header: bool | None = None
    footnote: str | None = None
    rules: str | None = None  # override the style: "horizontal", "grid" or "none"
    font_size: float | None = None  # override the style's table font size
    strict_numbers: bool = True  # False: "num" cells are printed as written, not checked

    @property
    def ncols(self) -> int:
        if self.rows:
            return len(self.rows[0])
        return sum(c.cols if isinstance(c, Span) else 1 for c in self.header_rows[0])

    def column_align(self, i: int) -> str:
        if self.align is not None:
            return self.align[i]
        return "l" if i == 0 else "num"

    def validate(self) -> None:
        n = self.ncols
        for r in self.rows:
            if len(r) != n:
                raise ValueError(f"row {r!r} has {len(r)} cells, expected {n}")
        for h in self.header_rows:
            width = sum(c.cols if isinstance(c, Span) else 1 for c in h)
            if width != n:
                raise ValueError(f"header row {h!r} spans {width} columns, expected {n}")
        for i in range(n):
            if self.column_align(i) != "num" or not self.strict_numbers:
                continue
            for r in self.rows:
                cell = r[i]
                if cell in ("", "*", "-") or parse_printed(cell, allow_suffix=True) is not None:
                    continue
                raise ValueError(f"numeric column {i} has a non-number {cell!r}")


Element = Union[Heading, Paragraph, Table, PageBreak, Spacer]


@dataclass(eq=False)
class Report:
    """A mini annual report: a cover page then ``elements`` on running-header pages."""

    municipality: str = "Testby kommun"
    fiscal_year: int = 2025
    body: str = "Kommunstyrelsen"
    title: str | None = None  # default: "<body genitive> årsredovisning <year>"
    office: str = "Kommunstyrelseförvaltningen"
    elements: list[Element] = field(default_factory=list)
    cover: Sequence[tuple[str, str, float]] | None = None
    """None: the default cover; else its lines as (text, weight, size), drawn top to bottom."""

    @property
    def full_title(self) -> str:
        if self.title:
            return self.title
        genitive = self.body if self.body.endswith("s") else self.body + "s"
        return f"{genitive} årsredovisning {self.fiscal_year}"


def iter_with_context(report: Report) -> Iterator[tuple[Element, dict[int, str]]]:
    """Yield every element with the text of the latest heading of each level above it (a
    heading resets all deeper levels), e.g. ``{1: "Mål och uppdrag", 2: "Måluppföljning",
    3: "Trygga invånare"}``. Headings are yielded with the context *including* themselves."""
    ctx: dict[int, str] = {}
    for el in report.elements:
        if isinstance(el, Heading) and el.level <= 4:
            for level in [k for k in ctx if k >= el.level]:
                del ctx[level]
            ctx[el.level] = joined(el.text)
        yield el, dict(ctx)


def joined(text: str) -> str:
    """How a reader should see wrapped text: all whitespace runs collapsed to one space."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Printed numbers (ground truth from the description, never from the PDF)
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"^(?P<sign>-)?(?P<int>\d{1,3}(?: \d{3})+|\d+)(?:(?P<sep>[,.])(?P<frac>\d+))?(?P<pct>%)?$"
)


@dataclass(frozen=True)
class Printed:
    value: Decimal
    decimals: int
    percent: bool
    suffix: str = ""

    @property
    def float(self) -> float:
        return float(self.value)


def parse_printed(text: str, allow_suffix: bool = False) -> Printed | None:
    """The value of a number literal as written in a description ("1 234,1", "-0,3", "79,9%",
    "0.62", with ``allow_suffix`` also "80 mnkr"). None if the text is not a number."""
    suffix = ""
    if allow_suffix:
        m = re.match(r"^(.*\d%?) ([^\d\s]+)$", text)
        if m:
            text, suffix = m.group(1), m.group(2)
    m = _NUMBER.match(text)
    if not m:
        return None
    digits = m.group("int").replace(" ", "")
    frac = m.group("frac") or ""
    value = Decimal(digits + ("." + frac if frac else ""))
    if m.group("sign"):
        value = -value
    return Printed(value=value, decimals=len(frac), percent=bool(m.group("pct")), suffix=suffix)


# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------

PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
FONT_FAMILIES = ("Helvetica", "Times", "Courier", "Vera")


@dataclass(frozen=True)
class Style:
    name: str
    renderer: str = "reportlab"  # "reportlab" or "fpdf2"
    font: str = "Helvetica"  # one of FONT_FAMILIES
    table_font_size: float = 9.0
    body_font_size: float = 11.0
    page_size: str = "A4"
    left_margin: float = 71.0
    right_margin: float = 71.0
    rules: str = "horizontal"  # "horizontal" (between rows only), "grid" or "none"
    header_fill: bool = True
    number_align: str = "right"  # "right" or "center"
    minus: str = "-"  # "-" or MINUS
    label_valign: str = "top"  # "top": numbers on a wrapped label's first line; "middle": centred
    repeat_header: bool = True
    wrap_headers: bool = False  # True: numeric columns only as wide as the longest header word
    cell_padding: float = 4.0
    indent: float = 8.5  # left indent of ``Table.indent_rows`` labels
    symbol_font: str | None = None  # a TTF file: the characters in ``symbol_chars`` use it
    symbol_chars: str = ""

    def __post_init__(self) -> None:
        if self.renderer not in ("reportlab", "fpdf2"):
            raise ValueError(f"unknown renderer {self.renderer!r}")
        if self.font not in FONT_FAMILIES:
            raise ValueError(f"unknown font {self.font!r}")
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"unknown page size {self.page_size!r}")
        if self.rules not in ("horizontal", "grid", "none"):
            raise ValueError(f"unknown rules {self.rules!r}")
        if self.number_align not in ("right", "center"):
            raise ValueError(f"unknown number_align {self.number_align!r}")
        if self.label_valign not in ("top", "middle"):
            raise ValueError(f"unknown label_valign {self.label_valign!r}")
        if self.minus not in ("-", MINUS):
            raise ValueError("minus must be '-' or MINUS")
        if self.minus == MINUS and self.font != "Vera":
            raise ValueError("the unicode minus needs the TTF font (font='Vera')")

    @property
    def page_width(self) -> float:
        return PAGE_SIZES[self.page_size][0]

    @property
    def page_height(self) -> float:
        return PAGE_SIZES[self.page_size][1]

    def describe(self) -> str:
        return (f"{self.renderer}/{self.font} {self.table_font_size:g}pt/{self.page_size} "
                f"margin {self.left_margin:g}/{self.rules} rules/{self.number_align}/"
                f"minus {'U+2212' if self.minus == MINUS else 'hyphen'}/"
                f"{self.label_valign}/{'repeat' if self.repeat_header else 'no-repeat'} header"
                f"{'/wrapped headers' if self.wrap_headers else ''}")


STYLES: dict[str, Style] = {s.name: s for s in [
    # Close to the sample: horizontal rules, filled header, right-aligned numbers.
    Style("sample_like"),
    # Times on US Letter with a narrow margin, every cell bordered, numbers centred vertically
    # between the lines of a wrapped label, column headers wrapped ("Utfall" / "2024").
    Style("times_grid_letter", font="Times", table_font_size=10, page_size="Letter",
          left_margin=54, right_margin=54, rules="grid", label_valign="middle",
          wrap_headers=True),
    # Monospaced, 7.5 pt, no rules and no fill at all (whitespace-aligned), no repeated header,
    # wrapped column headers.
    Style("courier_bare", font="Courier", table_font_size=7.5, body_font_size=10,
          left_margin=60, right_margin=50, rules="none", header_fill=False,
          repeat_header=False, wrap_headers=True, cell_padding=3),
    # TTF font with the U+2212 minus, centred numbers, wide margin.
    Style("vera_unicode_minus", font="Vera", table_font_size=8, body_font_size=10,
          left_margin=90, right_margin=60, number_align="center", minus=MINUS,
          label_valign="middle"),
    # Second producer: fpdf2, large 11 pt tables on Letter.
    Style("fpdf_helvetica_letter", renderer="fpdf2", table_font_size=11, page_size="Letter",
          left_margin=50, right_margin=50, cell_padding=5),
    # fpdf2 with the TTF font: 7 pt grid, centred numbers, U+2212, no repeated header.
    Style("fpdf_vera_grid", renderer="fpdf2", font="Vera", table_font_size=7,
          body_font_size=10, rules="grid", number_align="center", minus=MINUS,
          label_valign="middle", repeat_header=False, cell_padding=3),
    # fpdf2, Times without any rules, centred-label rows, Letter, wide left margin.
    Style("fpdf_times_bare", renderer="fpdf2", font="Times", table_font_size=8.5,
          page_size="Letter", left_margin=80, right_margin=60, rules="none",
          header_fill=False, label_valign="middle"),
]}


# ---------------------------------------------------------------------------------------------
# Fonts and metrics
# ---------------------------------------------------------------------------------------------

def reportlab_font_dir() -> str:
    import reportlab

    return os.path.join(os.path.dirname(reportlab.__file__), "fonts")


VERA_FILES = {"regular": "Vera.ttf", "bold": "VeraBd.ttf", "italic": "VeraIt.ttf"}
RL_FONTS = {
    "Helvetica": {"regular": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique"},
    "Times": {"regular": "Times-Roman", "bold": "Times-Bold", "italic": "Times-Italic"},
    "Courier": {"regular": "Courier", "bold": "Courier-Bold", "italic": "Courier-Oblique"},
    "Vera": {"regular": "Vera", "bold": "Vera-Bold", "italic": "Vera-Italic"},
}
_registered_vera = False


def _register_vera() -> None:
    global _registered_vera
    if _registered_vera:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for weight, file in VERA_FILES.items():
        pdfmetrics.registerFont(TTFont(RL_FONTS["Vera"][weight],
                                       os.path.join(reportlab_font_dir(), file)))
    _registered_vera = True


def _measure_fn(style: Style) -> Callable[[str, str, float], float]:
    from reportlab.pdfbase import pdfmetrics

    if style.font == "Vera":
        _register_vera()
    names = RL_FONTS[style.font]

    def measure(text: str, weight: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, names[weight], size)

    if not style.symbol_font:
        return measure
    names = {**names, "symbol": _register_symbol_font(style.symbol_font)}

    def measure_runs(text: str, weight: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(run, names[w], size)
                   for run, w in symbol_runs(text, weight, style))

    return measure_runs


_registered_symbol_fonts: dict[str, str] = {}


def _register_symbol_font(path: str) -> str:
    """Register a symbol TTF with reportlab once; its font name (from the file's content, so
    the same font file always gets the same name and renders stay byte-for-byte stable)."""
    import hashlib

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]
    if digest not in _registered_symbol_fonts:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = f"Symbols-{digest}"
        pdfmetrics.registerFont(TTFont(name, path))
        _registered_symbol_fonts[digest] = name
    return _registered_symbol_fonts[digest]


def symbol_runs(text: str, weight: str, style: Style) -> list[tuple[str, str]]:
    """``text`` cut into runs of (chars, weight): ``style.symbol_chars`` get weight "symbol"."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        w = "symbol" if ch in style.symbol_chars else weight
        if runs and runs[-1][1] == w:
            runs[-1] = (runs[-1][0] + ch, w)
        else:
            runs.append((ch, w))
    return runs


def printed_text(cell: str, align: str, style: Style) -> str:
    """How a described cell is printed: numeric cells ("num" columns) get the style's minus."""
    if align != "num" or cell in ("", "*", "-"):
        return cell
    return style.minus + cell[1:] if cell.startswith("-") else cell


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------

class LayoutError(ValueError):
    pass


HEADING_COLOR = (0.12, 0.29, 0.49)
BLACK = (0.0, 0.0, 0.0)
HEADER_FILL = (0.8627, 0.902, 0.9412)


@dataclass
class TextOp:
    x: float
    baseline: float
    text: str
    weight: str
    size: float
    color: tuple = BLACK


@dataclass
class LineOp:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.5


@dataclass
class RectOp:
    x: float
    top: float
    w: float
    h: float
    fill: tuple = HEADER_FILL


Op = Union[TextOp, LineOp, RectOp]

TOP_MARGIN = 64.0
BOTTOM_MARGIN = 72.0
RUNNING_HEADER_BASELINE = 35.0
FOOTER_OFFSET = 30.0  # footer baseline = page height - FOOTER_OFFSET


@dataclass
class _CellBox:
    x0: float
    x1: float
    lines: list[str]
    align: str  # "l", "r", "c"
    weight: str
    indent: float = 0.0


@dataclass
class _RowBox:
    cells: list[_CellBox]
    nlines: int
    height: float
    is_header: bool
    boundaries: list[float]  # x positions of the vertical cell borders of this row


class _Layout:
    def __init__(self, style: Style, report: Report, measure):
        self.style = style
        self.report = report
        self.measure = measure
        self.width = style.page_width
        self.height = style.page_height
        self.left = style.left_margin
        self.right = self.width - style.right_margin
        self.top = TOP_MARGIN
        self.bottom = self.height - BOTTOM_MARGIN
        self.pages: list[list[Op]] = []
        self.page_dims: list[tuple[float, float]] = []
        self.orientation = "portrait"
        self.y = self.top
        self.placements: dict[int, int] = {}
        self.line_counts: dict[int, int] = {}
        self.rows: dict[int, list[int]] = {}
        self.header_pages: dict[int, list[int]] = {}
        self.row_lines: dict[int, list[int]] = {}
        self.header_lines: dict[int, list[int]] = {}

    # -- helpers ----------------------------------------------------------------------------
    @property
    def page(self) -> int:
        return len(self.pages)

    def new_page(self) -> None:
        self.pages.append([])
        self.page_dims.append((self.width, self.height))
        self.y = self.top

    def set_orientation(self, orientation: str) -> None:
        """Pages from the next one on (or this one, while it is empty) in ``orientation``."""
        if orientation not in ("portrait", "landscape"):
            raise ValueError(f"unknown orientation {orientation!r}")
        w, h = self.style.page_width, self.style.page_height
        self.width, self.height = (h, w) if orientation == "landscape" else (w, h)
        self.right = self.width - self.style.right_margin
        self.bottom = self.height - BOTTOM_MARGIN
        self.orientation = orientation

    def at_page_top(self) -> bool:
        return abs(self.y - self.top) < 1e-6

    def emit(self, op: Op) -> None:
        self.pages[-1].append(op)

    def text(self, x, baseline, text, weight, size, color=BLACK) -> None:
        st = self.style
        if text and st.symbol_font and st.symbol_chars and any(c in st.symbol_chars for c in text):
            for run, w in symbol_runs(text, weight, self.style):
                self.emit(TextOp(x, baseline, run, w, size, color))
                x += self.measure(run, w, size)
        elif text:
            self.emit(TextOp(x, baseline, text, weight, size, color))

    def wrap(self, text: str, width: float, weight: str, size: float) -> list[str]:
        out: list[str] = []
        for para in text.split("\n"):
            words = para.split()
            if not words:
                out.append("")
                continue
            line = words[0]
            for w in words[1:]:
                candidate = line + " " + w
                if self.measure(candidate, weight, size) <= width + 0.01:
                    line = candidate
                else:
                    out.append(line)
                    line = w
            out.append(line)
        return out

    # -- cover ------------------------------------------------------------------------------
    def cover(self) -> None:
        r = self.report
        self.new_page()
        x = self.left
        if r.cover is not None:
            top = 193.5
            for text, weight, size in r.cover:
                self.text(x, top + 0.8 * size, text, weight, size)
                top += size * 1.6
            return
        first, sep, rest = r.full_title.rpartition(" årsredovisning ")
        if sep:
            genitive, rest = first, "årsredovisning " + rest
        else:
            genitive, _, rest = r.full_title.partition(" ")
        items = [
            (193.5, r.municipality, "bold", 14.0),
            (217.8, genitive, "bold", 28.0),
            (254.8, rest, "bold", 28.0),
            (305.1, r.body, "regular", 16.0),
            (331.7, f"Årsredovisning januari–december {r.fiscal_year}", "regular", 12.0),
            (611.9, r.office, "regular", 10.0),
        ]
        for top, text, weight, size in items:
            self.text(x, top + 0.8 * size, text, weight, size)

    # -- flowing elements -------------------------------------------------------------------
    def flow(self, el: Element) -> None:
        if isinstance(el, PageBreak):
            if el.orientation is not None and el.orientation != self.orientation:
                self.set_orientation(el.orientation)
                if self.at_page_top():  # the current page is still empty: turn it
                    self.page_dims[-1] = (self.width, self.height)
            if not self.at_page_top():
                self.new_page()
            self.placements[id(el)] = self.page
        elif isinstance(el, Spacer):
            self.y += el.height
            self.placements[id(el)] = self.page
        elif isinstance(el, Heading):
            self.heading(el)
        elif isinstance(el, Paragraph):
            self.paragraph(el)
        elif isinstance(el, Table):
            self.table(el)
        else:
            raise TypeError(f"cannot lay out {el!r}")

    def heading(self, el: Heading) -> None:
        size = HEADING_SIZES[el.level]
        before = {1: 20, 2: 16, 3: 12, 4: 12, 5: 8}[el.level]
        after = {1: 10, 2: 8, 3: 6, 4: 6, 5: 3}[el.level]
        lh = size * 1.25
        lines = self.wrap(el.text, self.right - self.left, "bold", size)
        keep = 3 * self.style.body_font_size * 1.4  # keep with the next three lines
        if not self.at_page_top():
            if self.y + before + len(lines) * lh + keep > self.bottom:
                self.new_page()
            else:
                self.y += before
        self.placements[id(el)] = self.page
        self.line_counts[id(el)] = len(lines)
        color = HEADING_COLOR if el.level <= 3 else BLACK
        for line in lines:
            self.text(self.left, self.y + 0.8 * size + (lh - size) / 2, line, "bold", size, color)
            self.y += lh
        self.y += after

    def paragraph(self, el: Paragraph) -> None:
        size = el.size or self.style.body_font_size
        weight = "bold" if el.bold else "italic" if el.italic else "regular"
        lh = size * 1.4
        lines = self.wrap(el.text, self.right - self.left, weight, size)
        self.line_counts[id(el)] = len(lines)
        first = True
        for line in lines:
            if self.y + lh > self.bottom:
                self.new_page()
            if first:
                self.placements[id(el)] = self.page
                first = False
            self.text(self.left, self.y + 0.8 * size + (lh - size) / 2, line, weight, size)
            self.y += lh
        self.y += size * 0.6

    # -- tables -----------------------------------------------------------------------------
    def display(self, cell: str, align: str) -> str:
        return printed_text(cell, align, self.style)

    def table(self, t: Table) -> None:
        t.validate()
        st = self.style
        size = t.font_size or st.table_font_size
        rules = t.rules or st.rules
        lh = size * 1.22
        vpad = max(2.0, size * 0.3)
        hpad = st.cell_padding
        n = t.ncols
        aligns = [t.column_align(i) for i in range(n)]
        num_align = "r" if st.number_align == "right" else "c"
        draw_align = [num_align if a == "num" else a for a in aligns]
        while True:  # like an author would: shrink a table that is too wide for the page
            try:
                widths = self.column_widths(t, size, hpad, aligns)
                break
            except LayoutError:
                if size <= 6.5:
                    raise
                size -= 0.5
        lh = size * 1.22
        vpad = max(2.0, size * 0.3)
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + w)

        def cell_box(text, x0, x1, align, weight, indent=0.0):
            lines = self.wrap(text, x1 - x0 - 2 * hpad - indent, weight, size) if text else []
            return _CellBox(x0, x1, lines, align, weight, indent)

        header_boxes: list[_RowBox] = []
        for hrow in t.header_rows:
            cells, col, bounds = [], 0, [xs[0]]
            for c in hrow:
                span = c.cols if isinstance(c, Span) else 1
                text = c.text if isinstance(c, Span) else c
                x0, x1 = xs[col], xs[col + span]
                align = "c" if span > 1 else ("l" if aligns[col] == "l" else draw_align[col])
                cells.append(cell_box(text, x0, x1, align, "bold"))
                bounds.append(x1)
                col += span
            nl = max([len(c.lines) for c in cells] + [1])
            header_boxes.append(_RowBox(cells, nl, nl * lh + 2 * vpad, True, bounds))
        body_boxes: list[_RowBox] = []
        for i, row in enumerate(t.rows):
            weight = "bold" if i in t.bold_rows else "regular"
            cells = []
            for j, cell in enumerate(row):
                indent = st.indent if (j == 0 and i in t.indent_rows) else 0.0
                cells.append(cell_box(self.display(cell, aligns[j]), xs[j], xs[j + 1],
                                      draw_align[j], weight, indent))
            nl = max([len(c.lines) for c in cells] + [1])
            body_boxes.append(_RowBox(cells, nl, nl * lh + 2 * vpad, False, list(xs)))

        header_h = sum(b.height for b in header_boxes)
        caption_h = (size + 1) * 1.4 if t.caption else 0.0
        first_h = body_boxes[0].height if body_boxes else 0.0
        if not self.at_page_top() and self.y + 6 + caption_h + header_h + first_h > self.bottom:
            self.new_page()
        elif not self.at_page_top():
            self.y += 6
        self.placements[id(t)] = self.page
        if t.caption:
            self.text(self.left, self.y + 0.8 * (size + 1), t.caption, "bold", size + 1)
            self.y += caption_h
        repeat = st.repeat_header if t.repeat_header is None else t.repeat_header
        row_pages: list[int] = []
        header_pages: list[int] = []

        def draw_header():
            if not header_boxes:
                return
            header_pages.append(self.page)
            top = self.y
            if st.header_fill:
                self.emit(RectOp(self.left, top, xs[-1] - self.left, header_h))
            if rules in ("horizontal", "grid"):
                self.emit(LineOp(self.left, top, xs[-1], top))
            for b in header_boxes:
                self.draw_row(b, lh, vpad, size, rules, first_on_page=False)
            if rules == "horizontal":
                self.emit(LineOp(self.left, self.y, xs[-1], self.y))

        draw_header()
        first_on_page = not header_boxes
        for i, b in enumerate(body_boxes):
            forced = t.split_after is not None and i == t.split_after
            if forced or self.y + b.height > self.bottom:
                self.new_page()
                first_on_page = True
                if repeat:
                    draw_header()
                    first_on_page = False
            self.draw_row(b, lh, vpad, size, rules, first_on_page=first_on_page)
            first_on_page = False
            row_pages.append(self.page)
        if t.footnote:
            fs = 8.0
            if self.y + fs * 1.6 > self.bottom:
                self.new_page()
            self.text(self.left, self.y + 2 + 0.8 * fs + 1.5, t.footnote, "italic", fs)
            self.y += fs * 1.6 + 2
        self.y += 8
        self.rows[id(t)] = row_pages
        self.row_lines[id(t)] = [b.nlines for b in body_boxes]
        self.header_lines[id(t)] = [b.nlines for b in header_boxes]
        self.header_pages[id(t)] = header_pages

    def draw_row(self, b: _RowBox, lh, vpad, size, rules, first_on_page) -> None:
        top = self.y
        bottom = top + b.height
        for c in b.cells:
            offset = 0.0
            if self.style.label_valign == "middle" and len(c.lines) < b.nlines:
                offset = (b.nlines - max(len(c.lines), 1)) * lh / 2
            for k, line in enumerate(c.lines):
                base = top + vpad + offset + k * lh + 0.8 * size + (lh - size) / 2
                w = self.measure(line, c.weight, size)
                hpad = self.style.cell_padding
                if c.align == "r":
                    x = c.x1 - hpad - w
                elif c.align == "c":
                    x = (c.x0 + c.x1 - w) / 2
                else:
                    x = c.x0 + hpad + c.indent
                self.text(x, base, line, c.weight, size)
        x_left, x_right = b.boundaries[0], b.boundaries[-1]
        if rules == "grid":
            if first_on_page:
                self.emit(LineOp(x_left, top, x_right, top))
            self.emit(LineOp(x_left, bottom, x_right, bottom))
            for x in b.boundaries:
                self.emit(LineOp(x, top, x, bottom))
        elif rules == "horizontal" and not b.is_header:
            self.emit(LineOp(x_left, bottom, x_right, bottom))
        self.y = bottom

    def column_widths(self, t: Table, size, hpad, aligns) -> list[float]:
        total = self.right - self.left
        n = t.ncols
        if t.col_widths:
            s = sum(t.col_widths)
            return [total * w / s for w in t.col_widths]
        numeric = [i for i in range(n) if aligns[i] == "num"]
        natural = [0.0] * n
        for i in range(n):
            for r_i, row in enumerate(t.rows):
                weight = "bold" if r_i in t.bold_rows else "regular"
                for line in self.display(row[i], aligns[i]).split("\n"):
                    natural[i] = max(natural[i], self.measure(line, weight, size))
            for hrow in t.header_rows:
                col = 0
                for c in hrow:
                    span = c.cols if isinstance(c, Span) else 1
                    if span == 1:
                        text = c.text if isinstance(c, Span) else c
                        wrap = i in numeric and self.style.wrap_headers
                        words = text.split() if wrap else [text]
                        if col == i:
                            for w in words:
                                natural[i] = max(natural[i], self.measure(w, "bold", size))
                    col += span
        if not numeric:
            s = sum(natural) or 1.0
            return [total * w / s for w in natural]
        common = max(natural[i] for i in numeric) + 2 * hpad
        others = [i for i in range(n) if i not in numeric]
        other_natural = sum(natural[i] + 2 * hpad for i in others)
        min_other = sum(min(natural[i] + 2 * hpad, 100.0) for i in others)
        if total - common * len(numeric) < min_other:
            raise LayoutError(f"table too wide for the page in style {self.style.name} at "
                              f"{size:g} pt")
        # numeric columns get up to 1.6 times their natural width when the labels fit unwrapped
        num_w = min(common * 1.6, max(common, (total - other_natural) / len(numeric)))
        rest = total - num_w * len(numeric)
        widths = []
        other_total = sum(natural[i] + 2 * hpad for i in others) or 1.0
        for i in range(n):
            if i in numeric:
                widths.append(num_w)
            else:
                widths.append(rest * (natural[i] + 2 * hpad) / other_total)
        return widths

    # -- running header and footer ----------------------------------------------------------
    def decorate(self) -> None:
        total = len(self.pages)
        for number, ops in enumerate(self.pages, start=1):
            if number == 1:
                continue  # the cover
            width, height = self.page_dims[number - 1]
            right_edge = width - self.style.right_margin
            right = f"{number} ({total})"
            w = self.measure(right, "regular", 9.0)
            ops.insert(0, TextOp(self.left, RUNNING_HEADER_BASELINE, self.report.municipality,
                                 "regular", 9.0))
            ops.insert(1, TextOp(right_edge - w, RUNNING_HEADER_BASELINE, right, "regular", 9.0))
            ops.append(TextOp(self.left, height - FOOTER_OFFSET, self.report.full_title,
                              "regular", 8.0))


# ---------------------------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------------------------

FIXED_DATE = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)


class _ReportlabBackend:
    def __init__(self, style: Style, path: Path, report: Report):
        from reportlab.pdfgen import canvas

        if style.font == "Vera":
            _register_vera()
        self.style = style
        self.fonts = RL_FONTS[style.font]
        if style.symbol_font:
            self.fonts = {**self.fonts, "symbol": _register_symbol_font(style.symbol_font)}
        self.h = style.page_height
        self.size = (style.page_width, style.page_height)
        self.c = canvas.Canvas(str(path), pagesize=(style.page_width, style.page_height),
                               invariant=1)
        self.c.setTitle(report.full_title)
        self.c.setAuthor(report.municipality)

    def draw_page(self, ops: list[Op], size: tuple[float, float] | None = None) -> None:
        c = self.c
        if size is not None and size != self.size:
            c.setPageSize(size)
            self.size, self.h = size, size[1]
        for op in ops:
            if isinstance(op, TextOp):
                c.setFillColorRGB(*op.color)
                c.setFont(self.fonts[op.weight], op.size)
                c.drawString(op.x, self.h - op.baseline, op.text)
            elif isinstance(op, LineOp):
                c.setStrokeColorRGB(0, 0, 0)
                c.setLineWidth(op.width)
                c.line(op.x0, self.h - op.y0, op.x1, self.h - op.y1)
            elif isinstance(op, RectOp):
                c.setFillColorRGB(*op.fill)
                c.rect(op.x, self.h - op.top - op.h, op.w, op.h, stroke=0, fill=1)
        c.showPage()

    def save(self) -> None:
        self.c.save()


class _FpdfBackend:
    CORE = {"Helvetica": "helvetica", "Times": "times", "Courier": "courier"}
    STYLE = {"regular": "", "bold": "B", "italic": "I"}

    def __init__(self, style: Style, path: Path, report: Report):
        from fpdf import FPDF

        self.style = style
        self.path = path
        self.pdf = FPDF(unit="pt", format=(style.page_width, style.page_height))
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.core_fonts_encoding = "windows-1252"
        self.pdf.set_creation_date(FIXED_DATE)
        self.pdf.set_title(report.full_title)
        self.pdf.set_author(report.municipality)
        if style.font == "Vera":
            for weight, file in VERA_FILES.items():
                self.pdf.add_font("Vera", self.STYLE[weight],
                                  os.path.join(reportlab_font_dir(), file))
            self.family = "Vera"
        else:
            self.family = self.CORE[style.font]
        if style.symbol_font:
            self.pdf.add_font("Symbols", "", style.symbol_font)

    def draw_page(self, ops: list[Op], size: tuple[float, float] | None = None) -> None:
        pdf = self.pdf
        if size is not None and size != (self.style.page_width, self.style.page_height):
            pdf.add_page(orientation="L" if size[0] > size[1] else "P")
        else:
            pdf.add_page()
        for op in ops:
            if isinstance(op, TextOp):
                pdf.set_text_color(*[round(v * 255) for v in op.color])
                if op.weight == "symbol":
                    pdf.set_font("Symbols", "", op.size)
                else:
                    pdf.set_font(self.family, self.STYLE[op.weight], op.size)
                pdf.text(op.x, op.baseline, op.text)
            elif isinstance(op, LineOp):
                pdf.set_draw_color(0, 0, 0)
                pdf.set_line_width(op.width)
                pdf.line(op.x0, op.y0, op.x1, op.y1)
            elif isinstance(op, RectOp):
                pdf.set_fill_color(*[round(v * 255) for v in op.fill])
                pdf.rect(op.x, op.top, op.w, op.h, style="F")

    def save(self) -> None:
        self.pdf.output(str(self.path))


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------

@dataclass
class RenderResult:
    path: Path
    style: Style
    report: Report
    page_count: int
    _placements: dict[int, int]
    _rows: dict[int, list[int]]
    _header_pages: dict[int, list[int]]
    _line_counts: dict[int, int]
    _row_lines: dict[int, list[int]]
    _header_lines: dict[int, list[int]]
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    """(width, height) of every page in points (landscape pages are wider than high)."""

    def page_of(self, element: Element) -> int:
        """1-based page on which ``element`` starts (the cover is page 1)."""
        return self._placements[id(element)]

    def row_pages(self, table: Table) -> list[int]:
        """1-based page of every body row of ``table``."""
        return list(self._rows[id(table)])

    def line_count(self, element: Heading | Paragraph) -> int:
        """How many lines a heading or paragraph was wrapped into."""
        return self._line_counts[id(element)]

    def row_line_counts(self, table: Table) -> list[int]:
        """How many text lines every body row of ``table`` has (its tallest cell)."""
        return list(self._row_lines[id(table)])

    def header_line_counts(self, table: Table) -> list[int]:
        """How many text lines every header row of ``table`` has."""
        return list(self._header_lines[id(table)])

    def header_pages(self, table: Table) -> list[int]:
        """Pages on which ``table``'s header was drawn (more than one when repeated)."""
        return list(self._header_pages[id(table)])

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


def render(report: Report, style: Style, path: Path | str) -> RenderResult:
    """Lay out ``report`` in ``style`` and write the PDF to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    layout = _Layout(style, report, _measure_fn(style))
    layout.cover()
    layout.new_page()
    for el in report.elements:
        layout.flow(el)
    if not layout.pages[-1]:
        layout.pages.pop()
        layout.page_dims.pop()
    layout.decorate()
    backend_cls = _ReportlabBackend if style.renderer == "reportlab" else _FpdfBackend
    backend = backend_cls(style, path, report)
    for ops, size in zip(layout.pages, layout.page_dims):
        backend.draw_page(ops, size)
    backend.save()
    return RenderResult(path, style, report, len(layout.pages), layout.placements,
                        layout.rows, layout.header_pages, layout.line_counts, layout.row_lines,
                        layout.header_lines, list(layout.page_dims))


def with_style(style: Style, **changes) -> Style:
    """A copy of ``style`` with some attributes changed (and a derived name)."""
    name = changes.pop("name", None) or style.name + "+" + "+".join(
        f"{k}={v}" for k, v in sorted(changes.items()))
    return replace(style, name=name, **changes)


def _demo_report() -> Report:
    return Report(municipality="Demoby kommun", fiscal_year=2025, elements=[
        Heading("Mål och uppdrag", 1),
        Paragraph("En kort inledning till demorapporten."),
        Heading("Måluppföljning", 2),
        Heading("Trygga invånare", 3),
        Table(header_rows=[["KF-indikatorer", "Utfall 2023", "Utfall 2024", "Utfall 2025",
                            "Mål 2027"]],
              rows=[["Anmälda brott per 1000\ninvånare", "41,2", "-38,9", "*", "35,0"],
                    ["Trygghet i skolan, årskurs 9", "78,4%", "79,9%", "-", "85,0%"],
                    ["Kostnad, kr/inv.", "1 512", "1 498", "*", "1 300"]],
              footnote="*Utfall levereras senare under 2026."),
    ])


if __name__ == "__main__":  # pragma: no cover - manual inspection helper
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "pdf_factory_demo")
    for s in STYLES.values():
        res = render(_demo_report(), s, out / f"demo-{s.name}.pdf")
        print(res.path, res.page_count, s.describe())
