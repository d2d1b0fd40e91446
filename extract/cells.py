"""Every table of every report in one general form: one record per value cell.

Geometry and number formats only: the row's label and its place under the section rows above
it (row_path), the column's header levels (column_path) and period, the printed text with its
value, decimals, status, footnote mark and unit. What a column or row *means* (measure, total,
statement) is decided by dbt from the vocabulary seeds, so the same cells serve any template.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.layout import Cell
from extract.numbers import NOTE_MARK, UNREADABLE, PrintedValue, normalise, number_fault, parse_value
from extract.periods import Period, period_of
from extract.stream import TableContext
from extract.tables import Row, Table
from extract.vocabulary import dataset_of, is_reference_column, unit_in

PATH_SEPARATOR = " > "
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\ufffe\ufeff\u200b\x00"), None)
TEXT = "text"  # a value cell holding words ('Ej aktuellt', 'Stängt')
EMPTY = "empty"  # a value cell with nothing printed: kept (an indicator's year not reported), never a value


def clean_text(text: str | None) -> str:
    """Drop soft hyphens, zero-width marks and U+FFFE/NUL artefacts of broken ligatures."""
    return re.sub(r"\s+", " ", (text or "").translate(INVISIBLE)).strip()


@dataclass(frozen=True)
class ColumnHeader:
    """A value column's header as levels, top to bottom: group headers spanning it and other
    columns, then its own lines (a line that merely wraps the one above joins it). `own` is its
    lowest level; `lowest` the text on its lowest line (where its own period is printed)."""

    levels: tuple[str, ...]
    own: str
    lowest: str = ""
    above: str = ""  # every header text printed above the lowest line, groups included

    @property
    def path(self) -> str:
        return PATH_SEPARATOR.join(self.levels)

    @property
    def period(self) -> Period | None:
        """The column«s own period: printed on its lowest line (»Utfall 2023', a date), or
        over several lines when the whole own text is a period ('2023-01-01' / '-2023-12-31')."""
        lowest = period_of(self.lowest)
        if lowest is None:
            return None
        whole = period_of(self.own)
        return whole if whole is not None and whole.year == lowest.year else lowest

    @property
    def group_period(self) -> Period | None:
        """A period printed above the column«s lowest line (»Helår 2023« over »Utfall'): it
        may date outcome and budget columns under it, never a change or a deviation."""
        return period_of(self.above) if self.period is None else None


EMPTY_HEADER = ColumnHeader((), "")


def column_headers(table: Table) -> list[ColumnHeader]:
    """Per column, its header levels: a header line starting with a capital letter under another
    line is a level of its own («Bokslut 2024» > «Summa tkr»), unless the line above ends in a
    hyphen; any other line continues the one above («Utfall» «2023», «2023-01-01» «-2023-12-31»,
    «Budget-» «avvikelse»). A group header (touching several columns, or centred over them on
    a sparser line: see group_cells) is a level of every column under it."""
    groups = group_cells(table)
    headers = []
    for index, cells in enumerate(table.header_cells):
        cells = list(dict.fromkeys([*cells, *groups.get(index, ())]))
        grouped = {id(c) for c in groups.get(index, ())}
        levels: list[tuple[str, bool]] = []
        for line in _header_lines(cells):
            text = _joined(line)
            is_group = any(id(c) in grouped or _columns_touched(c, table) > 1 for c in line)
            if levels and not is_group and not levels[-1][1] and _wraps(levels[-1][0], text):
                levels[-1] = (_joined_texts(levels[-1][0], text), False)
            else:
                levels.append((text, is_group))
        lowest_top = max((c.top for c in cells), default=0.0)
        own = next((text for text, is_group in reversed(levels) if not is_group), "")
        lowest = [c for c in cells if c.top >= lowest_top - 1.0 and id(c) not in grouped
                  and _columns_touched(c, table) == 1]
        above = [c for c in cells if c.top < lowest_top - 1.0]
        headers.append(ColumnHeader(tuple(t for t, _ in levels if t), own, _joined(lowest), _joined(above)))
    return headers


def group_cells(table: Table) -> dict[int, list[Cell]]:
    """Group headers printed centred over their columns but narrower than them ('Årets
    investeringar' over Budget | Utfall | Avvikelse): cells of an upper header line holding at
    least two cells but fewer than the value columns, each with a new level (a capitalised
    line) under it. Each value column takes the nearest such cell of that line."""
    cells = list({id(c): c for column in table.header_cells for c in column}.values())
    lines = _header_lines(cells)
    if len(lines) < 2:
        return {}
    value_columns = range(1, len(table.columns))
    assigned: dict[int, list[Cell]] = {}
    for line, below in zip(lines, lines[1:]):
        candidates = [c for c in line if c.x0 > table.columns[0].x1 and _opens_level(c, below)]
        if len(candidates) < 2 or len(candidates) >= len(value_columns):
            continue
        for column in value_columns:
            middle = (table.columns[column].x0 + table.columns[column].x1) / 2
            nearest = min(candidates, key=lambda c: abs((c.x0 + c.x1) / 2 - middle))
            assigned.setdefault(column, []).append(nearest)
    return assigned


def _opens_level(cell: Cell, below: list[Cell]) -> bool:
    """A header cell whose next line (under its own extent) starts a new level, not a wrap."""
    under = [c for c in below if min(c.x1, cell.x1) - max(c.x0, cell.x0) > 0 or c.x0 >= cell.x0 - 1.0]
    return bool(under) and not any(_wraps(clean_text(cell.text), clean_text(c.text)) for c in under[:1])


def _header_lines(cells: list[Cell]) -> list[list[Cell]]:
    """Header cells grouped by the line they are printed on, top to bottom."""
    lines: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: (c.top, c.x0)):
        if lines and abs(cell.top - lines[-1][0].top) <= 1.0:
            lines[-1].append(cell)
        else:
            lines.append([cell])
    return lines


def _wraps(upper: str, lower: str) -> bool:
    return upper.endswith("-") or not lower[:1].isupper()


def _columns_touched(cell: Cell, table: Table) -> int:
    return sum(1 for column in table.columns if column.overlap(cell.x0, cell.x1) > 0)


def _joined(cells: list[Cell]) -> str:
    """Header lines top to bottom; a word hyphenated at a line end is joined («Budget-» «avvikelse»)."""
    text = ""
    for cell in sorted(cells, key=lambda c: (round(c.top), c.x0)):
        text = _joined_texts(text, clean_text(cell.text))
    return text


def _joined_texts(upper: str, lower: str) -> str:
    if upper.endswith("-") and lower[:1].islower():
        return upper[:-1] + lower
    return f"{upper} {lower}".strip()


@dataclass(frozen=True)
class PrintedCell:
    value: PrintedValue
    note: str | None


def read_cell(text: str, amounts: bool = True) -> PrintedCell:
    """A value cell as printed: '-350*' is -350 with note '*'; words are kept as text.

    In a column of amounts (`amounts`: not a column of note references), a cell printed like
    a number that is not one a report prints ('1e30', '12,3,4', 400 digits: see
    numbers.number_fault) is 'unreadable', without a value: validation quarantines it with
    the reason, where reading it as words would have loaded a silent NULL."""
    cleaned = clean_text(text)
    if amounts and number_fault(cleaned) is not None:
        return PrintedCell(PrintedValue(cleaned, UNREADABLE), None)
    parsed = parse_value(cleaned)
    if parsed is not None:
        return PrintedCell(parsed, None)
    marked = NOTE_MARK.match(normalise(cleaned))
    if marked:
        parsed = parse_value(marked["number"])
        if parsed is not None and parsed.is_number:
            return PrintedCell(parsed, marked["note"])
    return PrintedCell(PrintedValue(cleaned, TEXT), None)


def _style_key(row: Row) -> tuple:
    """Typographic rank of a section row: bigger, upper-case, bold, less indented = outer."""
    cells = row.cells[0]
    size = max(w.size for c in cells for w in c.words)
    text = row.label
    return (-round(size, 1), not text.isupper(), not row.bold, round(min(c.x0 for c in cells) / 4))


def is_section_row(row: Row) -> bool:
    """A label with no value in any column: the heading of the rows below it."""
    return bool(row.label) and not any(v for v in row.values)


@dataclass(frozen=True)
class RowPlace:
    path: tuple[str, ...]  # enclosing section labels, outermost first
    is_section: bool


def row_places(rows: list[Row]) -> list[RowPlace]:
    """Each row's enclosing sections. A section row opens a section (closing any open one of
    the same or a weaker rank); a bold row with values after detail rows closes the innermost
    open section, of which it is the total («Summa bundet eget kapital»)."""
    stack: list[tuple[tuple, str]] = []
    places: list[RowPlace] = []
    details_since_section = 0
    for row in rows:
        if is_section_row(row):
            key = _style_key(row)
            while stack and stack[-1][0] >= key:
                stack.pop()
            places.append(RowPlace(tuple(label for _, label in stack), True))
            stack.append((key, clean_text(row.label)))
            details_since_section = 0
            continue
        places.append(RowPlace(tuple(label for _, label in stack), False))
        if row.bold and stack and details_since_section:
            stack.pop()
            details_since_section = 0
        else:
            details_since_section += 1
    return places


def table_unit(table: Table, context: TableContext) -> str | None:
    """The unit of the table's amounts, named in its header, its caption, or its first row's label."""
    first_label = table.rows[0].label if table.rows else ""
    texts = (table.header_text, context.caption or context.heading, first_label)
    return next((unit for unit in (unit_in(text, amounts_only=True) for text in texts) if unit), None)


@dataclass(frozen=True)
class TablePlace:
    """What every cell of one table shares: where the table stands and what names its unit."""

    table_id: int
    family: str | None
    chapter: str | None
    heading: str | None
    caption: str | None  # the nearest heading of any kind, or a caption line right above
    goal_area: str | None
    header_text: str
    first_header: str
    default_unit: str | None


def table_place(table: Table, table_id: int, family: str | None, context: TableContext,
                report_unit: str | None) -> TablePlace:
    # the report's "all amounts in tkr" speaks of its statements, not of e.g. a table of visits
    default_unit = table_unit(table, context) or (report_unit if dataset_of(family) == "budget" else None)
    return TablePlace(
        table_id, family, clean_text(context.chapter) or None, clean_text(context.heading) or None,
        clean_text(context.caption) or None,
        (clean_text(context.goal_area) or "") if context.chapter_has_goals else None,
        clean_text(table.header_text), clean_text(table.header[0] if table.header else ""), default_unit)


def value_cell_rows(table: Table, table_id: int, family: str | None, context: TableContext,
                    report_unit: str | None) -> list[dict]:
    """One record per value cell (columns after the label column) of every row but a section
    row; a cell with nothing printed has status 'empty' and its row's bounding box."""
    where = table_place(table, table_id, family, context, report_unit)
    headers = column_headers(table)
    records = []
    for row_index, (row, place) in enumerate(zip(table.rows, row_places(table.rows)), start=1):
        if place.is_section:
            continue
        for col_index in range(1, len(row.texts)):
            header = headers[col_index] if col_index < len(headers) else EMPTY_HEADER
            records.append(cell_record(where, row, row_index, place, col_index, header))
    return records


def cell_record(where: TablePlace, row: Row, row_index: int, place: RowPlace, col_index: int,
                header: ColumnHeader) -> dict:
    """One value cell with its row, its column and what was printed in it."""
    text = row.texts[col_index]
    label = clean_text(row.label)
    amounts = not is_reference_column(header.own, header.path)
    cell = read_cell(text, amounts) if text else PrintedCell(PrintedValue("", EMPTY), None)
    own_period, group_period = header.period, header.group_period
    period = own_period or group_period
    return {
        "table_id": where.table_id, "family": where.family, "page": row.page, "chapter": where.chapter,
        "heading": where.heading, "goal_area": where.goal_area, "caption": where.caption,
        "header_text": where.header_text, "first_header": where.first_header,
        "row_index": row_index, "row_label": label, "row_path": PATH_SEPARATOR.join([*place.path, label]),
        "row_depth": len(place.path), "row_bold": row.bold,
        "col_index": col_index, "column_header": header.own, "column_path": header.path,
        "period": period.text if period else None,
        "period_year": own_period.year if own_period else None,
        "group_period_year": group_period.year if group_period else None,
        "printed": clean_text(text), "value": cell.value.value, "decimals": cell.value.decimals,
        "value_status": cell.value.status, "note": cell.note,
        "unit": _cell_unit(cell.value, label, header, where.default_unit) if text else None,
        **bbox_of(row.cells[col_index] or [c for column in row.cells for c in column]),
    }


def _cell_unit(printed: PrintedValue, label: str, header: ColumnHeader, default: str | None) -> str | None:
    """The unit printed nearest the value: in the cell, its row label, its column, the table.
    Words in a value cell ('Ej aktuellt', a symbol) take only the column's or table's unit: a
    goal's title saying 'procent' is not the unit of its judgement."""
    if printed.status == TEXT:
        return unit_in(header.path) or default
    return unit_in(printed.suffix) or unit_in(label) or unit_in(header.path) or default


def bbox_of(cells: list[Cell]) -> dict:
    """Where cells are printed (PDF points, origin top left): provenance for highlighting."""
    return {"x0": min(c.x0 for c in cells), "top": min(c.top for c in cells),
            "x1": max(c.x1 for c in cells), "bottom": max(c.bottom for c in cells)}
