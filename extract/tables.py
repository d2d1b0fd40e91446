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

from extract.layout import HYPHEN_KEEPS_SPACE, Cell, Line, Ruling, join_wrapped
from extract.numbers import is_value_text
from extract.settings import DEFAULT_SETTINGS, ExtractSettings

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
    # the header printed again on a later page the table continues on: page -> its lines
    repeated_headers: dict[int, list[Line]] = field(default_factory=dict)

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
        while end + 1 < len(lines):
            if _continues_block(lines[start : end + 1], lines[end + 1], settings):
                end += 1
                continue
            bridged = _section_bridge(lines[start : end + 1], lines, end + 1, settings)
            if not bridged:
                break
            end += bridged
        block = list(lines[start : end + 1])
        if sum(len(l.cells) >= 2 for l in block) >= 2 and not _is_list(block) and not is_justified_prose(block):
            blocks.append(block)
        floor = i = end + 1
    return blocks


def _is_list(block: Sequence[Line]) -> bool:
    """A bulleted or numbered list: its 'first column' is only bullet marks."""
    return all(BULLET.match(l.cells[0].text) for l in block if len(l.cells) >= 2)


def is_justified_prose(block: Sequence[Line], align_tolerance: float = 1.5) -> bool:
    """Running text set justified: its wide, stretched word gaps split each line into 'cells'
    of a word or two, mostly lower-case words, and nothing lines up from one line to the next,
    where a table's columns do (left edges of text, right edges of numbers)."""
    multi = [l for l in block if len(l.cells) >= 2]
    cells = [c for l in multi for c in l.cells[1:]]
    if not cells or sum(len(c.words) for c in cells) > 1.5 * len(cells):
        return False
    if sum(c.text[:1].islower() for c in cells) < 0.6 * len(cells):
        return False
    aligned = 0
    for index, line in enumerate(multi):
        others = [c for j, l in enumerate(multi) if j != index for c in l.cells]
        aligned += sum(any(abs(c.x0 - o.x0) <= align_tolerance or abs(c.x1 - o.x1) <= align_tolerance for o in others)
                       for c in line.cells[1:])
    return aligned < 0.34 * len(cells)


def _close_below(upper: Line, lower: Line, settings: ExtractSettings) -> bool:
    gap = lower.top - upper.bottom
    size = max(upper.size, lower.size)
    return -size <= gap <= settings.max_row_gap_ratio * size  # overlap: numbers centred on a wrapped label


def _is_header_fragment(line: Line, below: Line, settings: ExtractSettings) -> bool:
    """A lone cell above the first multi-cell line, over the value columns («Utfall»)."""
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
    if abs(text_size(line) - median(text_size(l) for l in multi)) > settings.size_tolerance:
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


def _section_bridge(block: Sequence[Line], lines: Sequence[Line], index: int, settings: ExtractSettings) -> int:
    """How many lines from `index` on continue the block across section headings, else 0.

    A financial statement sets its section headings ('Omsättningstillgångar', larger
    'TILLGÅNGAR') in the label column with wide gaps around them, and its header well above the
    first row, and may set a total apart from the rows above it. Such label-column lines, and
    a line with values that lines up with the table's columns after them (or after the wide
    gap alone), belong to the table."""
    multi = [l for l in block if len(l.cells) >= 2]
    size = median(text_size(l) for l in multi)
    left = min(l.x0 for l in multi)
    first_value_x = min(l.cells[1].x0 for l in multi)
    reach = settings.section_gap_ratio * size
    previous, end = block[-1], index
    while end < len(lines) and _is_section_line(lines[end], left, first_value_x, size, settings):
        if lines[end].top - previous.bottom > reach:
            return 0
        previous, end = lines[end], end + 1
    if end >= len(lines) or lines[end].top - previous.bottom > reach:
        return 0
    return end - index + 1 if _resumes_table(multi, lines[end], settings) else 0


def _is_section_line(line: Line, left: float, first_value_x: float, size: float, settings: ExtractSettings) -> bool:
    """One cell in the label column, at most moderately larger than the table's text."""
    return (
        len(line.cells) == 1
        and line.x0 <= left + settings.label_indent_tolerance
        and line.x1 <= first_value_x + 1.0
        and line.size <= settings.section_max_size_ratio * size
        and not FOOTNOTE_START.match(line.text)
    )


def _resumes_table(multi: Sequence[Line], line: Line, settings: ExtractSettings) -> bool:
    """A line with values, set like the table's lines, whose value cells sit under its columns."""
    if not _holds_values(line) or abs(text_size(line) - median(text_size(l) for l in multi)) > settings.size_tolerance:
        return False
    spans = [(c.x0, c.x1) for l in multi for c in l.cells[1:]]
    return any(min(x1, c.x1) > max(x0, c.x0) for c in line.cells[1:] for x0, x1 in spans)


def text_size(line: Line) -> float:
    """The size of most of a line's cells, each cell counted once: a title may share its line
    with the column headers («Resultaträkning  Not  2023-01-01») and, broken into several
    words by stray glyphs, would otherwise outweigh them."""
    return median(c.size for c in line.cells)


def _holds_values(line: Line) -> bool:
    return len(line.cells) >= 2 and any(is_value_text(c.text) for c in line.cells[1:])


# ---------------------------------------------------------------- block -> table
def split_header(
    block: Sequence[Line], settings: ExtractSettings = DEFAULT_SETTINGS
) -> tuple[list[Line], list[Line]]:
    """Header = the lines before the first line holding a value; text tables: the first line.

    A period's second line ('2023-01-01' over '-2023-12-31') holds no value, and a number that
    starts a line ('1' under the note column's title 'Not') is not one either: values follow a
    label. Label-only lines just above the first values are rows (`_starts_first_row`)."""
    for index, line in enumerate(block):
        if _holds_values(line):
            start = index
            while start > 1 and _starts_first_row(block, start - 1, settings):
                start -= 1
            return list(block[:start]), list(block[start:])
    return list(block[:1]), list(block[1:])


def _starts_first_row(block: Sequence[Line], index: int, settings: ExtractSettings = DEFAULT_SETTINGS) -> bool:
    """A label-only line between the header and the first values is a row: a section heading
    that does not continue the label-column text above it, or the first lines of a label
    printed around (centred on) its numbers, nearer to them than to the header."""
    line = block[index]
    left = min(l.x0 for l in block[index:])  # the rows' label column ('Not 4' may stand left of it)
    if len(line.cells) != 1 or line.x0 > left + 1.0:
        return False
    gap_above = line.top - block[index - 1].bottom
    gap_below = block[index + 1].top - line.bottom
    labelled = [l for l in block[:index] if _label_cell(l, left, settings) is not None]
    return gap_below <= gap_above or not (labelled and _carries_on(labelled[-1], line, left, settings))


def column_spans(body: Sequence[Line], settings: ExtractSettings) -> list[Span]:
    """Columns = horizontal extents of body cells merged where they overlap (text strategy).

    A cell that reaches into a span by less than half its width, while its own line has another
    cell in that span, starts a column of its own: a long label ending over the note column
    must not merge the labels with the note numbers ('Not 2' beside 'Nettoomsättning')."""
    line_of = {id(c): index for index, line in enumerate(body) for c in line.cells}
    cells = sorted((c for line in body for c in line.cells), key=lambda c: c.x0)
    spans: list[Span] = []
    members: list[set[int]] = []  # the lines with a cell in each span
    for cell in cells:
        line = line_of[id(cell)]
        if spans and cell.x0 <= spans[-1].x1 + settings.column_merge_tolerance and not (
            line in members[-1] and spans[-1].overlap(cell.x0, cell.x1) < (cell.x1 - cell.x0) / 2
        ):
            spans[-1] = Span(spans[-1].x0, max(spans[-1].x1, cell.x1))
            members[-1].add(line)
        else:
            spans.append(Span(cell.x0, cell.x1))
            members.append({line})
    return spans


def with_header_only_columns(columns: list[Span], header: Sequence[Line]) -> list[Span]:
    """A column left empty in every row still has its title on the header's last line."""
    if not header:
        return columns
    titles = [c for c in header[-1].cells if not any(col.overlap(c.x0, c.x1) > 0 for col in columns)]
    return sorted(columns + [Span(c.x0, c.x1) for c in titles], key=lambda col: col.x0)


def columns_under(cell: Cell, columns: Sequence[Span]) -> tuple[int, ...]:
    """The columns a cell is printed over (the nearest one when it overlaps none)."""
    touched = tuple(i for i, col in enumerate(columns) if col.overlap(cell.x0, cell.x1) > 0)
    return touched or (column_of(cell, columns),)


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
    together («Utfall Förändring» in a tight Courier header)."""
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
            for index in columns_under(cell, columns):
                cells[index].append(cell)
    texts = [join_header([c.text for c in col if c.text.strip("*")]) for col in cells]
    return texts, cells


def join_header(parts: Sequence[str]) -> str:
    """A column's header cells, top to bottom, joined by spaces; a word hyphenated at a line end
    is one word again («Budget-» / «avvikelse» -> «Budgetavvikelse», «IT-» / «kostnader» ->
    'IT-kostnader'), but a hyphen that elides a word before a conjunction keeps its space."""
    text = ""
    for part in (p.strip() for p in parts):
        broken = (
            text.endswith("-") and len(text) > 1 and text[-2].isalpha() and part[:1].islower()
            and part.split(" ")[0] not in HYPHEN_KEEPS_SPACE
        )
        if broken:
            text = text[:-1] + part if text[-2].islower() else text + part
        else:
            text = f"{text} {part}" if text else part
    return text.strip()


def row_groups(
    body: Sequence[Line], rulings: Sequence[Ruling], settings: ExtractSettings
) -> list[list[Line]]:
    """Group body lines into rows: by rulings where they separate rows, else by proximity."""
    by_rulings = _groups_by_rulings(body, rulings, settings)
    if by_rulings is None:
        return _groups_by_proximity(body, settings)
    return [group for band in by_rulings for group in _rows_of_band(band, settings)]


def _rows_of_band(band: list[Line], settings: ExtractSettings) -> list[list[Line]]:
    """The lines between two rulings form rows by proximity, as in a table without rulings:
    rulings may set off only some rows (a rule above each total), and a heading may share a
    band with the row above it. A band of text only (no values) is one row: its wrapped cells
    cannot be told apart line by line."""
    if not any(_holds_values(line) for line in band):
        return [band]
    return _groups_by_proximity(band, settings)


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


def _groups_by_proximity(body: Sequence[Line], settings: ExtractSettings = DEFAULT_SETTINGS) -> list[list[Line]]:
    """Single-cell lines (wrapped labels or values) and wrapped text lines join a neighbouring row;
    a section heading (a label with no values that continues neither neighbour) is a row alone.

    The lines between two rows form chains of lines that continue each other (`_carries_on`).
    The first chain may continue the row above (a label wrapped below its numbers), the last
    the row below (a label printed above or around its numbers); a chain that can do both is
    cut at its widest gap. A chain that continues neither is a row of its own.
    """
    anchors = [i for i, line in enumerate(body) if len(line.cells) >= 2 and not _wraps_previous(body, i, settings)]
    if not anchors:
        return [[line] for line in body]
    left = min(l.x0 for l in body)
    owner = {a: a for a in anchors}
    bounds = [-1] + anchors + [len(body)]
    for above, below in zip(bounds, bounds[1:]):
        run = list(range(above + 1, below))
        if run:
            owner.update(_owners_of_run(body, owner, above, run, below, left, settings))
    spanning = _row_spanning_labels(body, set(anchors), left, settings)
    groups: dict[int, list[Line]] = {}
    for i, line in enumerate(body):
        for row in spanning.get(i, (owner[i],)):
            groups.setdefault(row, []).append(line)
    return [groups[k] for k in sorted(groups)]


def _row_spanning_labels(
    body: Sequence[Line], anchors: set[int], left: float, settings: ExtractSettings
) -> dict[int, tuple[int, int]]:
    """Labels printed once for the two rows around them ('2024' centred beside its 'Budget' and
    'Outcome' rows, which have no label of their own): each index with the two rows it labels.
    A label that continues one of its neighbours' labels, or sits nearer one of them, is not."""
    spanning = {}
    for i in range(1, len(body) - 1):
        line, above, below = body[i], body[i - 1], body[i + 1]
        if i in anchors or i - 1 not in anchors or i + 1 not in anchors or len(line.cells) != 1:
            continue
        if _label_cell(line, left, settings) is None or any(_label_cell(l, left, settings) for l in (above, below)):
            continue
        gap_above, gap_below = line.top - above.bottom, below.top - line.bottom
        if abs(gap_above - gap_below) <= settings.row_span_centre_ratio * line.size:
            spanning[i] = (i - 1, i + 1)
    return spanning


def _owners_of_run(
    body: Sequence[Line], owner: dict[int, int], above: int, run: list[int], below: int, left: float,
    settings: ExtractSettings,
) -> dict[int, int]:
    """The row (index of its anchor line, or of its own first line) of each line in a run of
    non-anchor lines between the anchors `above` and `below` (-1 and len(body) at the edges);
    `owner` holds the rows of the lines above the run."""
    chains = [[run[0]]]
    for i in run[1:]:
        if _carries_on(body[i - 1], body[i], left, settings):
            chains[-1].append(i)
        else:
            chains.append([i])
    owners: dict[int, int] = {}
    for k, chain in enumerate(chains):
        up = k == 0 and above >= 0 and _continues_row_above(body, owner, above, chain[0], left, settings)
        down = k == len(chains) - 1 and below < len(body) and _carries_on(body[chain[-1]], body[below], left, settings)
        if up and down:
            owners.update(_split_chain(body, above, chain, below, left, settings))
        else:
            owners.update({i: above if up else below if down else chain[0] for i in chain})
    return owners


def _continues_row_above(
    body: Sequence[Line], owner: dict[int, int], anchor: int, index: int, left: float, settings: ExtractSettings
) -> bool:
    """Whether line `index` may continue the row of the anchor line just above it. Under figures
    standing on a line of their own, a label line continues only the label printed above those
    figures ('Av- och nedskrivningar av …' / figures / 'anläggningstillgångar'); a row with no
    label at all (a subtotal) is not continued by the heading under it. Figures centred
    between the two label lines (overlapping both) make them one label whatever the case of
    the second ('Samhällsbyggnadsbolaget AB/' / figures / 'Fastighetspartner')."""
    figures, line = body[anchor], body[index]
    if not _carries_on(figures, line, left, settings):
        return False
    label = _label_cell(line, left, settings)
    if label is None or _label_cell(figures, left, settings) is not None:
        return True
    labelled = [i for i in range(anchor) if owner.get(i) == anchor and _label_cell(body[i], left, settings)]
    if not labelled:
        return False
    row_label = body[labelled[-1]]
    centred = figures.top < row_label.bottom and line.top < figures.bottom
    capital_starts_label = len(row_label.cells) == 1 and not centred
    return _label_runs_on(_label_cell(row_label, left, settings), label, capital_starts_label, settings)


def _split_chain(
    body: Sequence[Line], above: int, chain: list[int], below: int, left: float, settings: ExtractSettings
) -> dict[int, int]:
    """Lines that may continue both neighbouring rows. A chain that starts with a capital before
    a row whose label does not is the start of that row's label ('Av- och nedskrivningar av' /
    'anläggningstillgångar  -899 311'); otherwise the chain is cut at its widest gap: the lines
    above the cut belong to the row above (labels wrap below their numbers), the rest to the row
    below (labels centred around their numbers)."""
    first = _label_cell(body[chain[0]], left, settings)
    next_label = _label_cell(body[below], left, settings)
    next_starts_label = next_label is not None and _starts_upper(next_label.text)
    if first is not None and _starts_upper(first.text) and not next_starts_label:
        return {i: below for i in chain}
    edges = [above] + chain + [below]
    gaps = [body[b].top - body[a].bottom for a, b in zip(edges, edges[1:])]
    cut = max(range(len(gaps)), key=lambda k: (gaps[k], k))
    return {i: above if k < cut else below for k, i in enumerate(chain)}


def _carries_on(upper: Line, lower: Line, left: float, settings: ExtractSettings) -> bool:
    """Whether `lower` may continue the row of `upper`: it is set tight under it and, where both
    have a label, the label runs on (`_label_runs_on`). Geometry, typography and letter case only."""
    if lower.top - upper.bottom > settings.wrap_gap_ratio * max(upper.size, lower.size):
        return False
    above, below = _label_cell(upper, left, settings), _label_cell(lower, left, settings)
    if above is None or below is None:
        return True
    return _label_runs_on(above, below, len(upper.cells) == 1, settings)


def _label_runs_on(above: Cell, below: Cell, capital_starts_label: bool, settings: ExtractSettings) -> bool:
    """A label continued on the next line keeps its style where the text breaks (not a bold
    heading over a regular label). Under a label-only line (`capital_starts_label`), a line
    starting with a capital after one that does too is another label (the heading
    'OMSÄTTNINGSTILLGÅNGAR' over the heading 'Kortfristiga fordringar'); a capital after a
    line that itself continues a label is only a sentence going on."""
    end, start = _break_style(above, at_end=True), _break_style(below, at_end=False)
    if end[:2] != start[:2] or abs(end[2] - start[2]) > settings.size_tolerance:
        return False
    return not (capital_starts_label and _starts_upper(above.text) and _starts_upper(below.text))


def _break_style(cell: Cell, at_end: bool) -> tuple[str, bool, float]:
    """Font, weight and size where a wrapped label breaks: its last word, or the first word of
    its next line. Text runs on in one style across the break, even in a label that starts
    with a bold term; a stray glyph from another font subset (a broken 'ö') is skipped."""
    words = [w for w in cell.words if sum(ch.isalnum() for ch in w.text) >= 2] or list(cell.words)
    word = words[-1] if at_end else words[0]
    return word.font, word.bold, word.size


def _label_cell(line: Line, left: float, settings: ExtractSettings) -> Cell | None:
    first = line.cells[0]
    return first if first.x0 <= left + settings.label_indent_tolerance else None


def _starts_upper(text: str) -> bool:
    return text[:1].isupper()


def _wraps_previous(body: Sequence[Line], index: int, settings: ExtractSettings = DEFAULT_SETTINGS) -> bool:
    """A text line set tight under another row line and starting in lower case continues that
    row in every column ('…100 000 kronor' / 'avseende avtalstrohet …' | 'årsbokslut')."""
    line = body[index]
    previous = next((l for l in reversed(body[:index]) if len(l.cells) >= 2), None)
    if previous is None or any(is_value_text(c.text) for c in line.cells):
        return False
    left = min(l.x0 for l in body)
    first = line.cells[0]
    continues_label = first.x0 > left + 1.0 or first.text[:1].islower()
    tight = settings.wrap_gap_ratio * line.size
    return continues_label and line.top - previous.bottom <= tight + _between(body, previous, line)


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
    header, body = split_header(block, settings)
    columns = with_header_only_columns(column_spans(body or block, settings), header)
    texts, cells = header_texts(header, columns)
    groups = row_groups(body, rulings, settings)
    page = block[0].page
    table = Table(page, columns, texts, cells, [], block[0].top, block[-1].bottom, [page], header)
    table.rows = [build_row(group, columns) for group in groups]
    table.row_lines = groups
    return table


def build_tables(block: Sequence[Line], rulings: Sequence[Ruling], settings: ExtractSettings) -> list[Table]:
    """The block's table, or the two tables set side by side in it: the same header twice over
    on one line ('Mnkr 2024 2023  Mnkr 2024 2023') with row labels again under the second
    one. Each is read alone, so no row of one continues a row of the other."""
    table = build_table(block, rulings, settings)
    half = _side_by_side_at(table)
    if half is None:
        return [table]
    boundary = (table.columns[half - 1].x1 + table.columns[half].x0) / 2
    parts = ([Line(line.page, tuple(c for c in line.cells if (c.x0 + c.x1) / 2 < boundary)) for line in block],
             [Line(line.page, tuple(c for c in line.cells if (c.x0 + c.x1) / 2 >= boundary)) for line in block])
    return [build_table([line for line in part if line.cells], rulings, settings) for part in parts]


def _side_by_side_at(table: Table) -> int | None:
    """The first column of the second of two tables side by side: where the header repeats
    itself, over a column of row labels (words, never figures); None for one table."""
    header, half = _norm(table.header), table.width // 2
    if table.width % 2 or half < 2 or header[:half] != header[half:] or not all(header[1:half]):
        return None
    labels = [row.texts[half] for row in table.rows]
    figures, words = sum(bool(t) and is_value_text(t) for t in labels), sum(bool(t) for t in labels)
    return half if not figures and words * 2 >= len(labels) else None


# ---------------------------------------------------------------- page breaks
def continues_on_next_page(first: Table, second: Table) -> bool:
    """A table at the top of the next page continues the one that ended its page when it
    repeats the header (at least over the value columns: a balance sheet's liabilities page
    may name its own section in the label column), or has none and its columns line up with
    the first part's. A part with values under a header of its own is another table."""
    if second.page != first.pages[-1] + 1:
        return False
    if first.width == second.width and _norm(first.header) == _norm(second.header):
        return True
    if repeats_value_headers(first, second):
        return True
    if _has_own_value_headers(second):
        return False
    return _columns_line_up(first, second)


def repeats_value_headers(first: Table, second: Table) -> bool:
    """Both parts have the same columns with the same (non-empty) headers over the values."""
    return (
        bool(second.header_lines) and first.width == second.width
        and any(_norm(first.header[1:])) and _norm(first.header[1:]) == _norm(second.header[1:])
    )


def _has_own_value_headers(table: Table) -> bool:
    """Header text over the value columns, above rows that hold values (in a text table the
    first row cannot be told from a header)."""
    holds_values = any(_holds_values(line) for group in table.row_lines for line in group)
    return holds_values and bool(table.header_lines) and any(_norm(table.header[1:]))


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
    and its first lines are rows, not a header, unless they repeat the header. A repeated
    header whose label column names a new section ('Eget kapital och skulder') keeps that
    name as a section row."""
    groups = list(second.row_lines)
    if repeats_value_headers(first, second):
        section = _section_of_header(first, second)
        groups = ([section] if section else []) + groups
    elif second.header_lines and _norm(first.header) != _norm(second.header):
        lines = second.header_lines + [line for group in groups for line in group]
        groups = row_groups(lines, rulings, settings)
    joined = Table(
        first.page, first.columns, first.header, first.header_cells,
        first.rows + [build_row(group, first.columns) for group in groups],
        first.top, second.bottom, first.pages + second.pages, first.header_lines,
    )
    joined.row_lines = first.row_lines + groups
    joined.repeated_headers = {**first.repeated_headers, **second.repeated_headers}
    if repeats_value_headers(first, second):
        joined.repeated_headers[second.page] = second.header_lines
    return joined


def _section_of_header(first: Table, second: Table) -> list[Line]:
    """The label-column part of the second part's header, when it differs from the first's."""
    lines = []
    for line in second.header_lines:
        cells = tuple(c for c in line.cells if column_of(c, first.columns) == 0)
        if cells:
            lines.append(Line(line.page, cells))
    text = " ".join(line.text for line in lines)
    return lines if text and _norm([text]) != _norm(first.header[:1]) else []
