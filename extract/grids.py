"""Tables -> plain grids, for `arw tables`: what a table looks like to someone who only wants
its cells (any PDF, not only annual reports).

A grid is one table on one page: its bounding box, its header rows first, then its body rows,
each a list of cell texts (None for an empty cell). A header cell printed across several
columns (a year over the two measures printed for it) has its text in every column it covers;
the lines of one wrapped header cell are one row. A table continued on the next page is one
grid per page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from extract.layout import Cell, Line, Turn
from extract.settings import ExtractSettings
from extract.tables import Row, Span, Table, column_of, columns_under, join_header, split_at_slots

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Grid:
    page: int  # 1-based
    bbox: Box  # x0, top, x1, bottom: points, origin top left, on the page as displayed
    header_rows: int
    rows: list[list[str | None]]

    def as_json(self) -> dict:
        return {"page": self.page, "bbox": [round(v, 2) for v in self.bbox],
                "header_rows": self.header_rows, "rows": self.rows}


def table_grids(table: Table, settings: ExtractSettings, turns: dict[int, Turn] | None = None) -> list[Grid]:
    """One grid per page the table is printed on; the header rows go with the first page and
    with each later page that prints the header again."""
    turns = turns or {}
    grids = []
    for page in dict.fromkeys(table.pages or [table.page]):
        header_lines = table.header_lines if page == table.page else table.repeated_headers.get(page, [])
        head = header_rows(header_lines, table.columns, settings)
        body = [row for row in table.rows if row.page == page]
        cells = [c for row in body for cs in row.cells for c in cs] + [c for line in header_lines for c in line.cells]
        if not cells:
            continue
        box = _box(cells)
        turn = turns.get(page)
        if turn is not None and turn.angle:
            box = turn.displayed_box(*box)
        grids.append(Grid(page, box, len(head), head + [body_row(row, table.columns) for row in body]))
    return grids


def header_rows(lines: Sequence[Line], columns: Sequence[Span], settings: ExtractSettings) -> list[list[str | None]]:
    """The header lines as rows of the table's columns. A line with a cell centred over several
    columns (a group header) is a row of its own, and so is the line after it; any other line
    set right below the one above continues its row: the lines of wrapped column headers, top-
    or bottom-aligned, are one row."""
    cells_of = [_header_cells(line, columns, titled=number < len(lines) - 1) for number, line in enumerate(lines)]
    spans_of: list[list[tuple[int, ...]]] = [[] for _ in lines]
    groups_below: list[tuple[int, ...]] = []
    for number in reversed(range(len(lines))):  # a group header covers whole groups (words, not '*') below
        spans_of[number] = centred_spans(cells_of[number], columns, lines[number + 1:], groups_below)
        groups_below += [span for span, cell in zip(spans_of[number], cells_of[number])
                         if len(span) > 1 and any(ch.isalnum() for ch in cell.text)]
    rows: list[list[list[str]]] = []
    grouped_above = False
    for number, line in enumerate(lines):
        cells, spans = cells_of[number], spans_of[number]
        grouping = any(len(span) > 1 for span in spans)
        close = number > 0 and line.top - lines[number - 1].bottom <= settings.wrap_gap_ratio * max(line.size, 1.0)
        if not rows or grouping or grouped_above or not close:
            rows.append([[] for _ in columns])
        for span, cell in zip(spans, cells):
            for index in span:
                rows[-1][index].append(cell.text)
        grouped_above = grouping
    return [[join_header(parts) or None for parts in row] for row in rows]


def _header_cells(line: Line, columns: Sequence[Span], titled: bool) -> list[Cell]:
    """The line's cells, each split where its words stand over different columns (two headers
    printed too close together), except a title alone on its line above other header lines
    ('Samtliga nämnder' over years and measures): its words stand over several columns too."""
    if titled and len(line.cells) == 1:
        return list(line.cells)
    return [cell for c in line.cells for cell in split_at_slots(c, columns)]


def body_row(row: Row, columns: Sequence[Span]) -> list[str | None]:
    """A row's texts; a cell that reaches over empty neighbouring columns has its text in them too."""
    texts = list(row.texts)
    for column, cells in enumerate(row.cells):
        for index in {index for cell in cells for index in columns_under(cell, columns)}:
            if texts[index] is None:
                texts[index] = row.texts[column]
    return texts


def centred_spans(cells: Sequence[Cell], columns: Sequence[Span], below: Sequence[Line],
                  groups_below: Sequence[tuple[int, ...]] = ()) -> list[tuple[int, ...]]:
    """The columns each cell of a header line stands over: its own column, or, for a cell set
    centred over several columns that the header lines below split (a year over the two
    measures printed for it), all of them, even where its text is narrower than they are. The
    run chosen is the narrowest around its column, free of the line's other cells, whose middle
    is nearest the cell's middle (by more than half a point than a narrower run's). A run never
    cuts through a group of the lines below (`groups_below`): a title over two years, each over
    its two measures, stands over all four, not over the middle two."""
    own = [(column_of(cell, columns),) for cell in cells]
    split_below = {column_of(cell, columns) for line in below for cell in line.cells}
    spans = []
    for index, cell in enumerate(cells):
        taken = {span[0] for other, span in enumerate(own) if other != index}
        middle = (cell.x0 + cell.x1) / 2
        best = own[index]
        best_offset = abs(middle - _middle(columns, best))
        for run in _runs_around(best[0], taken, len(columns)):
            offset = abs(middle - _middle(columns, run))
            if offset < best_offset - 0.5 and len(split_below & set(run)) >= 2 and _nests(run, groups_below):
                best, best_offset = run, offset
        spans.append(best)
    return spans


def _nests(run: tuple[int, ...], groups: Sequence[tuple[int, ...]]) -> bool:
    """Each group lies wholly inside the run or wholly outside it."""
    return all(set(group) <= set(run) or not set(group) & set(run) for group in groups)


def _runs_around(column: int, taken: set[int], width: int) -> list[tuple[int, ...]]:
    """Every run of two or more neighbouring columns holding `column` and none of `taken`,
    narrowest first."""
    first = column
    while first - 1 >= 0 and first - 1 not in taken:
        first -= 1
    last = column
    while last + 1 < width and last + 1 not in taken:
        last += 1
    runs = [tuple(range(a, b + 1)) for a in range(first, column + 1) for b in range(column, last + 1) if b > a]
    return sorted(runs, key=len)  # the narrowest first: a wider run must be better centred still


def _middle(columns: Sequence[Span], run: tuple[int, ...]) -> float:
    return (columns[run[0]].x0 + columns[run[-1]].x1) / 2


def _box(cells: Sequence[Cell]) -> Box:
    return (min(c.x0 for c in cells), min(c.top for c in cells),
            max(c.x1 for c in cells), max(c.bottom for c in cells))
