"""Lines -> table blocks -> columns -> rows -> tables, for ruled and whitespace-aligned tables.

A table is found from the text alone (lines with several cells, aligned in columns); rulings,
where a renderer draws them, only refine where one row ends and the next begins. A table
cut by a page break is joined back into one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median
from typing import Sequence

from extract.layout import Cell, Line, Ruling, join_wrapped
from extract.numbers import is_value_text
from extract.settings import ExtractSettings

FOOTNOTE_START = re.compile(r"^[*¹²³†]")
BULLET = re.compile(r"^([-–•·▪●○◦*]|\d{1,2}[.)])$")


@dataclass(frozen=True)
class Span:
    x0: float
    x1: float

    def overlap(self, x0: float, x1: float) -> float:
        return min(self.x1, x1) - max(self.x0, x0)

    def distance(self, x0: float, x1: float) -> float:
        return max(0.0, max(self.x0, x0) - min(self.x1, x1))


@dataclass
class Row:
    """One table row: a text per column (None = empty cell) and the cells it came from."""

    page: int
    texts: list[str | None]
    cells: list[list[Cell]]
    bold: bool

    @property
    def label(self) -> str:
        return self.texts[0] or ""

    @property
    def values(self) -> list[str | None]:
        return self.texts[1:]

    @property
    def top(self) -> float:
        return min(c.top for cs in self.cells for c in cs)

    @property
    def bottom(self) -> float:
        return max(c.bottom for cs in self.cells for c in cs)


@dataclass
class Table:
    page: int
    columns: list[Span]
    header: list[str]
    header_cells: list[list[Cell]]
    rows: list[Row]
    top: float
    bottom: float
    pages: list[int] = field(default_factory=list)
    header_lines: list[Line] = field(default_factory=list)
    row_lines: list[list[Line]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def header_text(self) -> str:
        return " ".join(h for h in self.header if h)


# ---------------------------------------------------------------- lines -> blocks
def find_blocks(lines: Sequence[Line], settings: ExtractSettings) -> list[list[Line]]:
    """Maximal runs of lines that form a table: several multi-cell lines plus their fragments."""
    blocks: list[list[Line]] = []
    floor, i = 0, 0
    while i < len(lines):
        if len(lines[i].cells) < 2:
            i += 1
            continue
        start = i
        while start > floor and _is_header_fragment(lines[start - 1], lines[start], settings):
            start -= 1
        end = i
        while end + 1 < len(lines) and _continues_block(lines[start : end + 1], lines[end + 1], settings):
            end += 1
        block = list(lines[start : end + 1])
        if sum(len(l.cells) >= 2 for l in block) >= 2 and not _is_list(block):
            blocks.append(block)
        floor = i = end + 1
    return blocks


def _is_list(block: Sequence[Line]) -> bool:
    """A bulleted or numbered list: its 'first column' is only bullet marks."""
    return all(BULLET.match(l.cells[0].text) for l in block if len(l.cells) >= 2)


def _close_below(upper: Line, lower: Line, settings: ExtractSettings) -> bool:
    gap = lower.top - upper.bottom
    size = max(upper.size, lower.size)
    return -size <= gap <= settings.max_row_gap_ratio * size  # overlap: numbers centred on a wrapped label


def _is_header_fragment(line: Line, below: Line, settings: ExtractSettings) -> bool:
    """A lone cell above the first multi-cell line, over the value columns ('Utfall')."""
    return (
        len(line.cells) == 1
        and line.x0 > below.x0 + settings.label_indent_tolerance
        and abs(line.size - below.size) <= settings.size_tolerance
        and _close_below(line, below, settings)
    )


def _continues_block(block: Sequence[Line], line: Line, settings: ExtractSettings) -> bool:
    multi = [l for l in block if len(l.cells) >= 2]
    if not _close_below(block[-1], line, settings):
        return False
    if abs(line.size - median(l.size for l in multi)) > settings.size_tolerance:
        return False
    if len(line.cells) >= 2:
        return True
    left = min(l.x0 for l in multi)
    first_value_x = min(l.cells[1].x0 for l in multi)
    if FOOTNOTE_START.match(line.text) and line.x0 <= left + settings.label_indent_tolerance:
        return False
    in_label_column = line.x1 <= first_value_x + 1.0
    in_value_columns = line.x0 >= first_value_x - settings.label_indent_tolerance
    return in_label_column or in_value_columns


# ---------------------------------------------------------------- block -> table
def split_header(block: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    """Header = the lines before the first line holding a value; text tables: the first line."""
    for index, line in enumerate(block):
        if len(line.cells) >= 2 and any(is_value_text(c.text) for c in line.cells[1:]):
            start = index
            while start > 1 and _starts_first_row(block, start - 1):
                start -= 1
            return list(block[:start]), list(block[start:])
    return list(block[:1]), list(block[1:])


def _starts_first_row(block: Sequence[Line], index: int) -> bool:
    """A label-only line just above the first values, nearer to them than to the header:
    the first lines of a label printed around (centred on) its numbers."""
    line = block[index]
    if len(line.cells) != 1 or line.x0 > min(l.x0 for l in block) + 1.0:
        return False
    gap_above = line.top - block[index - 1].bottom
    gap_below = block[index + 1].top - line.bottom
    return gap_below <= gap_above


def column_spans(body: Sequence[Line], settings: ExtractSettings) -> list[Span]:
    """Columns = horizontal extents of body cells merged where they overlap (text strategy)."""
    cells = sorted((c for line in body for c in line.cells), key=lambda c: c.x0)
    spans: list[Span] = []
    for cell in cells:
        if spans and cell.x0 <= spans[-1].x1 + settings.column_merge_tolerance:
            spans[-1] = Span(spans[-1].x0, max(spans[-1].x1, cell.x1))
        else:
            spans.append(Span(cell.x0, cell.x1))
    return spans


def with_header_only_columns(columns: list[Span], header: Sequence[Line]) -> list[Span]:
    """A column left empty in every row still has its title on the header's last line."""
    if not header:
        return columns
    titles = [c for c in header[-1].cells if not any(col.overlap(c.x0, c.x1) > 0 for col in columns)]
    return sorted(columns + [Span(c.x0, c.x1) for c in titles], key=lambda col: col.x0)


def column_of(cell: Cell, columns: Sequence[Span]) -> int:
    """The column a cell overlaps most, or else the nearest one."""
    best = max(range(len(columns)), key=lambda i: columns[i].overlap(cell.x0, cell.x1))
    if columns[best].overlap(cell.x0, cell.x1) > 0:
        return best
    return min(range(len(columns)), key=lambda i: columns[i].distance(cell.x0, cell.x1))


def slot_of(x: float, columns: Sequence[Span]) -> int:
    """The column whose slot holds x; slots meet halfway between neighbouring columns."""
    for index, (left, right) in enumerate(zip(columns, columns[1:])):
        if x < (left.x1 + right.x0) / 2:
            return index
    return len(columns) - 1


def split_at_slots(cell: Cell, columns: Sequence[Span]) -> list[Cell]:
    """A cell whose words fall in different column slots is several cells printed too close
    together ('Utfall Förändring' in a tight Courier header)."""
    pieces: list[tuple[int, list]] = []
    for word in cell.words:
        slot = slot_of((word.x0 + word.x1) / 2, columns)
        if pieces and (slot == pieces[-1][0] or not _over(word, columns[slot])):
            pieces[-1][1].append(word)
        else:
            pieces.append((slot, [word]))
    if len(pieces) > 1 and not _over(Cell(tuple(pieces[0][1])), columns[pieces[0][0]]):
        pieces[1:2] = [(pieces[1][0], pieces[0][1] + pieces[1][1])]
        del pieces[0]
    return [Cell(tuple(words)) for _, words in pieces] if len(pieces) > 1 else [cell]


def _over(item, column: Span) -> bool:
    return column.overlap(item.x0, item.x1) > 0


def header_texts(header: Sequence[Line], columns: Sequence[Span]) -> tuple[list[str], list[list[Cell]]]:
    """Each column's header: the header cells above it, top to bottom, joined by spaces."""
    cells: list[list[Cell]] = [[] for _ in columns]
    for line in header:
        for cell in (piece for c in line.cells for piece in split_at_slots(c, columns)):
            touched = [i for i, col in enumerate(columns) if col.overlap(cell.x0, cell.x1) > 0]
            for index in touched or [column_of(cell, columns)]:
                cells[index].append(cell)
    texts = [" ".join(c.text for c in col if c.text.strip("*")).strip() for col in cells]
    return texts, cells


def row_groups(
    body: Sequence[Line], rulings: Sequence[Ruling], settings: ExtractSettings
) -> list[list[Line]]:
    """Group body lines into rows: by rulings where they separate rows, else by proximity."""
    by_rulings = _groups_by_rulings(body, rulings, settings)
    return by_rulings if by_rulings is not None else _groups_by_proximity(body)


def _groups_by_rulings(
    body: Sequence[Line], rulings: Sequence[Ruling], settings: ExtractSettings
) -> list[list[Line]] | None:
    if not body:
        return []
    x0, x1 = min(l.x0 for l in body), max(l.x1 for l in body)
    width = max(x1 - x0, 1.0)
    ys = sorted(
        {
            round((r.top + r.bottom) / 2, 1)
            for r in rulings
            if r.orientation == "h" and (min(r.x1, x1) - max(r.x0, x0)) >= settings.ruling_min_width_share * width
            and body[0].top - 3 <= r.top <= body[-1].bottom + 3
        }
    )
    if not any(body[0].bottom <= y <= body[-1].top for y in ys):
        return None  # no ruling between body lines
    groups: dict[int, list[Line]] = {}
    for line in body:
        middle = (line.top + line.bottom) / 2
        band = sum(1 for y in ys if y < middle)
        groups.setdefault(band, []).append(line)
    result = [groups[k] for k in sorted(groups)]
    if len(result) == 1 and sum(len(l.cells) >= 2 for l in body) > 1:
        return None  # rulings only frame the body (e.g. under the header): they do not separate rows
    return result


def _groups_by_proximity(body: Sequence[Line]) -> list[list[Line]]:
    """Single-cell lines (wrapped labels or values) and wrapped text lines join a neighbouring row.

    A run of such lines between two rows is cut at its widest vertical gap: the lines above the
    cut belong to the row above (labels wrap below their numbers), the rest to the row below
    (labels centred around their numbers).
    """
    anchors = [i for i, line in enumerate(body) if len(line.cells) >= 2 and not _wraps_previous(body, i)]
    if not anchors:
        return [[line] for line in body]
    owner = {a: a for a in anchors}
    bounds = [-1] + anchors + [len(body)]
    for above, below in zip(bounds, bounds[1:]):
        run = list(range(above + 1, below))
        if not run:
            continue
        if above < 0 or below >= len(body):
            for i in run:
                owner[i] = below if above < 0 else above
            continue
        edges = [above] + run + [below]
        gaps = [body[b].top - body[a].bottom for a, b in zip(edges, edges[1:])]
        cut = max(range(len(gaps)), key=lambda k: (gaps[k], k))
        for k, i in enumerate(run):
            owner[i] = above if k < cut else below
    groups: dict[int, list[Line]] = {}
    for i, line in enumerate(body):
        groups.setdefault(owner[i], []).append(line)
    return [groups[k] for k in sorted(groups)]


def _wraps_previous(body: Sequence[Line], index: int) -> bool:
    """A text line set tight under another row line and starting in lower case continues that
    row in every column ('…100 000 kronor' / 'avseende avtalstrohet …' | 'årsbokslut')."""
    line = body[index]
    previous = next((l for l in reversed(body[:index]) if len(l.cells) >= 2), None)
    if previous is None or any(is_value_text(c.text) for c in line.cells):
        return False
    left = min(l.x0 for l in body)
    first = line.cells[0]
    continues_label = first.x0 > left + 1.0 or first.text[:1].islower()
    return continues_label and line.top - previous.bottom <= 0.6 * line.size + _between(body, previous, line)


def _between(body: Sequence[Line], upper: Line, lower: Line) -> float:
    """Height of lines printed between two lines (a cell centred between wrapped lines)."""
    return sum(l.bottom - l.top for l in body if upper.bottom <= l.top and l.bottom <= lower.top)


def build_row(lines: Sequence[Line], columns: Sequence[Span]) -> Row:
    cells: list[list[Cell]] = [[] for _ in columns]
    for line in lines:
        for cell in (piece for c in line.cells for piece in split_at_slots(c, columns)):
            cells[column_of(cell, columns)].append(cell)
    texts = [join_wrapped([c.text for c in col]) if col else None for col in cells]
    bold = bool(cells[0]) and all(c.bold for c in cells[0])
    return Row(lines[0].page, texts, cells, bold)


def build_table(block: Sequence[Line], rulings: Sequence[Ruling], settings: ExtractSettings) -> Table:
    header, body = split_header(block)
    columns = with_header_only_columns(column_spans(body or block, settings), header)
    texts, cells = header_texts(header, columns)
    groups = row_groups(body, rulings, settings)
    page = block[0].page
    table = Table(page, columns, texts, cells, [], block[0].top, block[-1].bottom, [page], header)
    table.rows = [build_row(group, columns) for group in groups]
    table.row_lines = groups
    return table


# ---------------------------------------------------------------- page breaks
def continues_on_next_page(first: Table, second: Table) -> bool:
    """A table at the top of the next page continues the one that ended its page when it
    repeats the header, or has none and its columns line up with the first part's."""
    if second.page != first.pages[-1] + 1:
        return False
    if first.width == second.width and _norm(first.header) == _norm(second.header):
        return True
    return _columns_line_up(first, second)


def _columns_line_up(first: Table, second: Table) -> bool:
    """Every cell of the second part (its 'header' included) sits in a column of the first."""
    lines = second.header_lines + [l for group in second.row_lines for l in group]
    cells = [piece for line in lines for c in line.cells for piece in split_at_slots(c, first.columns)]
    used = {column_of(c, first.columns) for c in cells}
    overlapping = all(first.columns[column_of(c, first.columns)].overlap(c.x0, c.x1) > 0 for c in cells)
    return overlapping and 0 in used and len(used) >= min(2, first.width) and not _is_same_header(first, second)


def _is_same_header(first: Table, second: Table) -> bool:
    return bool(second.header_lines) and _norm(first.header) == _norm(second.header)


def _norm(header: Sequence[str]) -> list[str]:
    return [re.sub(r"\W+", "", h).lower() for h in header]


def join_tables(first: Table, second: Table, rulings: Sequence[Ruling], settings: ExtractSettings) -> Table:
    """One table from two parts; the second part is re-read with the first part's columns,
    and its first lines are rows, not a header, unless they repeat the header."""
    groups = list(second.row_lines)
    if second.header_lines and _norm(first.header) != _norm(second.header):
        lines = second.header_lines + [line for group in groups for line in group]
        groups = row_groups(lines, rulings, settings)
    joined = Table(
        first.page, first.columns, first.header, first.header_cells,
        first.rows + [build_row(group, first.columns) for group in groups],
        first.top, second.bottom, first.pages + second.pages, first.header_lines,
    )
    joined.row_lines = first.row_lines + groups
    return joined
