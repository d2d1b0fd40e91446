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
from extract.numbers import PrintedValue, normalise, parse_value
from extract.periods import Period, period_of
from extract.stream import TableContext
from extract.tables import Row, Table
from extract.vocabulary import unit_in

PATH_SEPARATOR = " > "
NOTE_MARK = re.compile(r"^(?P<number>.*?\d)\s*(?P<note>\*+|[¹²³⁴⁵⁶⁷⁸⁹]+|\(\d\))$")
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\ufffe\ufeff\u200b\x00"), None)
TEXT = "text"  # a value cell holding words ('Ej aktuellt', 'Stängt')


def clean_text(text: str | None) -> str:
    """Drop soft hyphens, zero-width marks and U+FFFE/NUL artefacts of broken ligatures."""
    return re.sub(r"\s+", " ", (text or "").translate(INVISIBLE)).strip()


@dataclass(frozen=True)
class ColumnHeader:
    """A value column's header: its own text, the group headers spanning it and others, and the
    text on its lowest header line (the line the column's own period is printed on)."""

    own: str
    groups: tuple[str, ...]
    lowest: str = ""
    above: str = ""  # every header text printed above the lowest line, groups included

    @property
    def path(self) -> str:
        return PATH_SEPARATOR.join([*self.groups, self.own] if self.own else self.groups)

    @property
    def period(self) -> Period | None:
        """The column's own period: printed on its lowest line ('Utfall 2023', a date), or
        over several lines when the whole own text is a period ('2023-01-01' / '-2023-12-31')."""
        lowest = period_of(self.lowest)
        if lowest is None:
            return None
        whole = period_of(self.own)
        return whole if whole is not None and whole.year == lowest.year else lowest

    @property
    def group_period(self) -> Period | None:
        """A period printed above the column's lowest line ('Helår 2023' centred over a group):
        it may date outcome and budget columns under it, never a change or a deviation."""
        return period_of(self.above) if self.period is None else None


def column_headers(table: Table) -> list[ColumnHeader]:
    """Per column: header cells over this column only are its own text; cells that touch
    several columns are group headers ('Årets investeringar' over Budget | Utfall)."""
    headers = []
    for cells in table.header_cells:
        own = [c for c in cells if _columns_touched(c, table) == 1]
        groups = [c for c in cells if _columns_touched(c, table) > 1]
        lowest_top = max((c.top for c in cells), default=0.0)
        lowest = [c for c in own if c.top >= lowest_top - 1.0]
        above = [c for c in cells if c.top < lowest_top - 1.0]
        headers.append(ColumnHeader(_joined(own), tuple(dict.fromkeys(_joined([g]) for g in groups)),
                                    _joined(lowest), _joined(above)))
    return headers


def _columns_touched(cell: Cell, table: Table) -> int:
    return sum(1 for column in table.columns if column.overlap(cell.x0, cell.x1) > 0)


def _joined(cells: list[Cell]) -> str:
    """Header lines top to bottom; a word hyphenated at a line end is joined ('Budget-' 'avvikelse')."""
    text = ""
    for cell in sorted(cells, key=lambda c: (round(c.top), c.x0)):
        part = clean_text(cell.text)
        if text.endswith("-") and part[:1].islower():
            text = text[:-1] + part
        else:
            text = f"{text} {part}".strip()
    return text


@dataclass(frozen=True)
class PrintedCell:
    value: PrintedValue
    note: str | None


def read_cell(text: str) -> PrintedCell:
    """A value cell as printed: '-350*' is -350 with note '*'; words are kept as text."""
    cleaned = clean_text(text)
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
    open section, of which it is the total ('Summa bundet eget kapital')."""
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


def value_cell_rows(table: Table, table_id: int, family: str | None, context: TableContext,
                    report_unit: str | None) -> list[dict]:
    """One record per non-empty value cell (columns after the label column)."""
    headers = column_headers(table)
    caption = clean_text(context.caption or context.heading) or None
    default_unit = table_unit(table, context) or report_unit
    labels = [clean_text(row.label) for row in table.rows]
    records = []
    for row_index, (row, place) in enumerate(zip(table.rows, row_places(table.rows)), start=1):
        label = labels[row_index - 1]
        for col_index in range(1, len(row.texts)):
            text = row.texts[col_index]
            if not text:
                continue
            header = headers[col_index] if col_index < len(headers) else ColumnHeader("", ())
            cell = read_cell(text)
            own_period, group_period = header.period, header.group_period
            records.append({
                "table_id": table_id, "family": family, "page": row.page, "caption": caption,
                "header_text": clean_text(table.header_text), "first_header": clean_text(table.header[0] if table.header else ""),
                "row_index": row_index, "row_label": label,
                "row_path": PATH_SEPARATOR.join([*place.path, label]), "row_depth": len(place.path),
                "row_bold": row.bold, "col_index": col_index,
                "column_header": header.own, "column_path": header.path,
                "period": own_period.text if own_period else None,
                "period_year": own_period.year if own_period else None,
                "group_period_year": group_period.year if group_period else None,
                "printed": clean_text(text), "value": cell.value.value, "decimals": cell.value.decimals,
                "value_status": cell.value.status, "note": cell.note,
                "unit": _cell_unit(cell.value, label, header, default_unit),
                **_bbox(row.cells[col_index]),
            })
    return records


def _cell_unit(printed: PrintedValue, label: str, header: ColumnHeader, default: str | None) -> str | None:
    """The unit printed nearest the value: in the cell, its row label, its column, the table."""
    return unit_in(printed.suffix) or unit_in(label) or unit_in(header.path) or default


def _bbox(cells: list[Cell]) -> dict:
    return {"x0": min(c.x0 for c in cells), "top": min(c.top for c in cells),
            "x1": max(c.x1 for c in cells), "bottom": max(c.bottom for c in cells)}
