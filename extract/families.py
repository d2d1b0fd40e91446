"""Recognise each table's family from its header and the headings above it.

The rules are data (dbt_project/seeds/vocab_tables.csv, see extract.vocabulary): which caption,
header or row labels make a table which statement or list. Nothing here looks at page numbers
or coordinates, so next year's report, or another municipality's, is recognised the same way.
One fallback is about shape, not words: a headerless list of amounts with a unit (procurements).
"""
from __future__ import annotations

from extract.cells import clean_text
from extract.numbers import parse_value
from extract.stream import TableContext
from extract.tables import Table
from extract.vocabulary import table_rules, unit_in


def classify(table: Table, context: TableContext) -> str | None:
    """The family of a table, or None for a table we do not know (kept as raw cells only)."""
    header = clean_text(table.header_text)
    first = clean_text(table.header[0] if table.header else "")
    caption = clean_text(context.heading)
    labels = " | ".join(clean_text(row.label) for row in table.rows)
    for rule in table_rules():
        if rule.matches(caption, header, first, labels):
            return rule.family
    if is_amount_list(table):
        return "procurements"
    return None


def is_amount_list(table: Table) -> bool:
    """A headerless two-column list of 'description ... N mnkr' (procurements over a threshold)."""
    if table.width != 2 or any(table.header[1:]) or len(table.rows) < 2:
        return False
    parsed = [parse_value(row.values[0] or "") for row in table.rows]
    return all(p is not None and p.is_number and unit_in(p.suffix) not in (None, "percent") for p in parsed)
