"""Tables -> plain grids, for `arw tables`: what a table looks like to someone who only wants
its cells (any PDF, not only annual reports).

A grid is one table on one page: its bounding box, its header rows first, then its body rows,
each a list of cell texts (None for an empty cell). A header cell printed across several
columns ('2024' over 'Budget' and 'Utfall') has its text in every column it covers; the lines
of one wrapped header cell are one row. A table continued on the next page is one grid per page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from extract.layout import Cell, Line, Turn, join_wrapped
from extract.settings import ExtractSettings
from extract.tables import Row, Span, Table, join_header, split_at_slots

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
    """One grid per page the table is printed on; the header rows go with the first."""
    turns = turns or {}
    header = header_rows(table.header_lines, table.columns, settings)
    grids = []
    for page in dict.fromkeys(table.pages or [table.page]):
        body = [row for row in table.rows if row.page == page]
        head = header if page == table.page else []
        cells = [c for row in body for cs in row.cells for c in cs]
        if page == table.page:
            cells += [c for line in table.header_lines for c in line.cells]
        if not cells:
            continue
        box = _box(cells)
        turn = turns.get(page)
        if turn is not None and turn.angle:
            box = turn.displayed_box(*box)
        grids.append(Grid(page, box, len(head), head + [body_row(row, table.columns) for row in body]))
    return grids


def header_rows(lines: Sequence[Line], columns: Sequence[Span], settings: ExtractSettings) -> list[list[str | None]]:
    """The header lines as rows of the table's columns: a line that wraps the cells of the line
    above (same columns, set right below it) joins that row, any other line starts one."""
    rows: list[list[list[str]]] = []
    previous: tuple[Line, list[tuple[int, ...]]] | None = None
    for number, line in enumerate(lines):
        cells = [cell for c in line.cells for cell in split_at_slots(c, columns)]
        spans = centred_spans(cells, columns) if number < len(lines) - 1 else [covered(c, columns) for c in cells]
        placed = list(zip(spans, cells))
        if previous is None or not _wraps(previous, line, spans, settings):
            rows.append([[] for _ in columns])
        for span, cell in placed:
            for index in span:
                rows[-1][index].append(cell.text)
        previous = (line, spans)
    return [[join_header(parts) or None for parts in row] for row in rows]


def body_row(row: Row, columns: Sequence[Span]) -> list[str | None]:
    """A row's texts; a cell that reaches over empty neighbouring columns has its text in them too."""
    texts = list(row.texts)
    for cells in row.cells:
        for cell in cells:
            own = join_wrapped([c.text for c in cells])
            for index in covered(cell, columns):
                if texts[index] is None:
                    texts[index] = own
    return texts


def centred_spans(cells: Sequence[Cell], columns: Sequence[Span]) -> list[tuple[int, ...]]:
    """The columns each cell of an upper header line stands over. A cell set centred over
    several columns ('Helår 2025' over Budget and Utfall) spans them even where its text is
    narrower than they are: among the runs of columns around the ones it touches that no other
    cell of the line touches, the one whose middle is nearest the cell's middle."""
    touched = [covered(cell, columns) for cell in cells]
    spans = []
    for index, (cell, own) in enumerate(zip(cells, touched)):
        taken = {i for other, span in enumerate(touched) if other != index for i in span}
        middle = (cell.x0 + cell.x1) / 2
        best, best_offset = own, abs(middle - _middle(columns, own))
        for first in range(own[0], -1, -1):
            if first < own[0] and first in taken:
                break
            for last in range(own[-1], len(columns)):
                if last > own[-1] and last in taken:
                    break
                run = tuple(range(first, last + 1))
                offset = abs(middle - _middle(columns, run))
                if offset < best_offset - 0.5:
                    best, best_offset = run, offset
        spans.append(best)
    return spans


def _middle(columns: Sequence[Span], run: tuple[int, ...]) -> float:
    return (columns[run[0]].x0 + columns[run[-1]].x1) / 2


def covered(cell: Cell, columns: Sequence[Span]) -> tuple[int, ...]:
    """The columns a cell is printed over (the nearest one when it overlaps none)."""
    touched = tuple(i for i, col in enumerate(columns) if col.overlap(cell.x0, cell.x1) > 0)
    if touched:
        return touched
    return (min(range(len(columns)), key=lambda i: columns[i].distance(cell.x0, cell.x1)),)


def _wraps(previous: tuple[Line, list[tuple[int, ...]]], line: Line, spans: list[tuple[int, ...]],
           settings: ExtractSettings) -> bool:
    above, above_spans = previous
    close = line.top - above.bottom <= settings.wrap_gap_ratio * max(line.size, 1.0)
    return close and all(span in above_spans for span in spans)


def _box(cells: Sequence[Cell]) -> Box:
    return (min(c.x0 for c in cells), min(c.top for c in cells),
            max(c.x1 for c in cells), max(c.bottom for c in cells))
