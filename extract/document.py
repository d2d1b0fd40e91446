"""PDF -> pages of content lines (page furniture removed), rulings and headings.

The reading order of a report matters: a table's family, goal area or risk is named by the
headings printed before it, possibly on an earlier page.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from pdfplumber.utils import extract_words

from extract.layout import (
    Line, Ruling, Turn, Word, drop_leaders, group_lines, page_turn, rulings_from_edges, sideways_words, split_cells,
    text_angle, upright_chars, words_from_plumber,
)
from extract.primitives import PagePrimitives
from extract.settings import ExtractSettings


@dataclass(frozen=True)
class PageContent:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    rulings: tuple[Ruling, ...]
    furniture: tuple[Line, ...] = ()
    turn: Turn = Turn()  # how the displayed page is turned from the upright frame its geometry is in


@dataclass(frozen=True)
class Heading:
    page: int
    text: str
    size: float
    top: float
    level: int = 0  # 1 = chapter; larger = deeper; 0 = minor (bold at body size)
    x0: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0

    @classmethod
    def of(cls, line: Line, level: int) -> "Heading":
        return cls(line.page, line.text, line.size, line.top, level, line.x0, line.x1, line.bottom)

    def extended(self, line: Line) -> "Heading":
        """This heading wrapped onto one more line."""
        return Heading(self.page, f"{self.text} {line.text}", self.size, self.top, self.level,
                       min(self.x0, line.x0), max(self.x1, line.x1), line.bottom)


@dataclass
class DocumentStyle:
    """Font sizes that give the report its structure, measured on the document itself."""

    body_size: float
    heading_sizes: list[float] = field(default_factory=list)  # descending

    def level_of(self, size: float, tolerance: float = 0.3) -> int:
        for level, heading_size in enumerate(self.heading_sizes, start=1):
            if abs(size - heading_size) <= tolerance:
                return level
        return 0


def read_page(page: PagePrimitives, number: int, settings: ExtractSettings) -> PageContent:
    """One page's characters and edges (see extract.primitives) -> lines of cells, with the
    page's rulings.

    A turned page (/Rotate over upright content, text drawn sideways: see layout.Turn) is read
    in the frame where its text is upright, so it gives the lines and tables of the upright
    page; its width and height are that frame's, and `turn` maps positions back."""
    turn = page_turn(page.chars, page.width, page.height, settings)
    chars = drop_leaders(upright_chars(page.chars, turn), settings)
    upright = [c for c in chars if c.get("upright", True)]
    raw_words = extract_words(upright, x_tolerance=settings.x_tolerance, y_tolerance=settings.y_tolerance,
                              keep_blank_chars=False, use_text_flow=False, extra_attrs=["fontname", "size"])
    words = words_from_plumber(raw_words)
    words += sideways_words(_sideways_raw_words([c for c in chars if not c.get("upright", True)], settings),
                            words, settings)
    if turn.angle:
        box: tuple[float, ...] = (0.0, 0.0, *turn.size)
    else:
        box = page.bbox
    words = on_page(words, box, settings)
    rulings = rulings_from_edges(page.edges, turn)
    verticals = [r for r in rulings if r.orientation == "v"]
    lines = tuple(
        Line(number, tuple(split_cells(line_words, settings, verticals)))
        for line_words in group_lines(words, settings)
    )
    width, height = turn.size
    return PageContent(number, width, height, lines, tuple(rulings), turn=turn)


def _sideways_raw_words(chars: list[dict], settings: ExtractSettings) -> list[dict]:
    """pdfplumber's words of the characters printed upwards or downwards, read along them."""
    words = []
    for angle, direction in ((270, "btt"), (90, "ttb")):
        group = [{**c, "width": c["x1"] - c["x0"], "height": c["bottom"] - c["top"]} for c in chars
                 if text_angle(c.get("matrix", (1, 0))) == angle]
        if group:  # 'size' is a turned glyph's advance, not its font size: not a word boundary
            words += extract_words(group, x_tolerance=settings.x_tolerance, y_tolerance=settings.y_tolerance,
                                   keep_blank_chars=False, use_text_flow=False, line_dir_rotated="ltr",
                                   char_dir_rotated=direction, extra_attrs=["fontname"])
    return words


def on_page(words: list[Word], box: tuple[float, ...], settings: ExtractSettings) -> list[Word]:
    """Only the words inside the page box (x0, top, x1, bottom): text placed outside it (e.g. a
    line at top -430) is in the file but never printed, and would otherwise join the lines."""
    x0, top, x1, bottom = box
    slack = settings.off_page_tolerance
    return [
        w for w in words
        if w.bottom >= top - slack and w.top <= bottom + slack and w.x1 >= x0 - slack and w.x0 <= x1 + slack
    ]


def remove_furniture(pages: list[PageContent], settings: ExtractSettings) -> list[PageContent]:
    """Drop running headers/footers: text in the page margins that recurs on many pages."""
    if len(pages) < 2:
        return pages
    signatures: Counter[str] = Counter()
    for page in pages:
        signatures.update({_signature(line) for line in page.lines if _in_band(line, page, settings)})
    threshold = max(2, settings.furniture_min_share * len(pages))
    recurring = {sig for sig, count in signatures.items() if count >= threshold}
    cleaned = []
    for page in pages:
        furniture = tuple(l for l in page.lines if _in_band(l, page, settings) and _signature(l) in recurring)
        content = tuple(l for l in page.lines if l not in furniture)
        cleaned.append(replace(page, lines=content, furniture=furniture))
    return cleaned


def _in_band(line: Line, page: PageContent, settings: ExtractSettings) -> bool:
    band = settings.furniture_band * page.height
    return line.bottom <= band or line.top >= page.height - band


def _signature(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def measure_style(pages: list[PageContent], settings: ExtractSettings) -> DocumentStyle:
    """Body size = the size most running text is set in (lines of one cell: a report full of
    tables in a smaller type must not make its paragraphs look like headings); heading sizes =
    bigger sizes of short lines."""
    prose: Counter[float] = Counter()
    everything: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            everything[round(line.size, 1)] += len(line.text)
            if len(line.cells) == 1:
                prose[round(line.size, 1)] += len(line.text)
    sizes = prose or everything
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    heading_sizes = sorted(
        {
            round(line.size, 1)
            for page in pages
            for line in page.lines
            if line.size >= body + settings.heading_size_delta and len(line.cells) == 1
        },
        reverse=True,
    )
    return DocumentStyle(body, heading_sizes)


def is_heading_line(line: Line, style: DocumentStyle, settings: ExtractSettings) -> bool:
    if len(line.cells) != 1 or len(line.text) > settings.heading_max_chars:
        return False
    bigger = line.size >= style.body_size + settings.heading_size_delta
    return bigger or (line.bold and line.size >= style.body_size - settings.size_tolerance)
