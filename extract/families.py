"""Recognise each table's family from its header and the headings above it.

The rules are data: a list of (family, what the header or caption must say). Nothing here
looks at page numbers or coordinates, so next year's report, or another municipality's,
is recognised the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import is_year, parse_value
from extract.stream import TableContext
from extract.tables import Table


@dataclass(frozen=True)
class FamilyRule:
    family: str
    header: str | None = None  # regex over the joined header text
    first_header: str | None = None  # regex over the first column's header
    caption: str | None = None  # regex over the nearest heading


FAMILY_RULES: tuple[FamilyRule, ...] = (
    FamilyRule("suppliers", header=r"leverant[oö]r.*tkr"),
    FamilyRule("internal_controls", header=r"kontrollmoment"),
    FamilyRule("budget_adjustments", header=r"\breserv\b.*\btotal"),
    FamilyRule("indicators", first_header=r"indikator"),
    FamilyRule("operating_by_department", header=r"utfall.*budget", caption=r"^driftredovisning\s+per\s+(avdelning|verksamhet|enhet)"),
    FamilyRule("operating_summary", header=r"utfall.*budget", caption=r"^driftredovisning$"),
    FamilyRule("income_statement", header=r"utfall.*budget", caption=r"^resultaträkning"),
    FamilyRule("investments", header=r"utfall.*budget", caption=r"^investeringsredovisning"),
    FamilyRule("operating_by_department", header=r"utfall.*budget", first_header=r"^(ansvar|avdelning|verksamhet)"),
    FamilyRule("income_statement", header=r"utfall.*budget", first_header=r"^konto"),
    FamilyRule("investments", header=r"utfall.*budget", first_header=r"^projekt"),
    FamilyRule("operating_summary", header=r"utfall.*budget", first_header=r"^nämnd"),
)

BUDGET_STATEMENTS = {
    "budget_adjustments", "operating_summary", "income_statement", "operating_by_department", "investments",
}


def classify(table: Table, context: TableContext) -> str | None:
    """The family of a table, or None for a table we do not know (kept as raw cells only)."""
    header = table.header_text.lower()
    first = (table.header[0] if table.header else "").lower()
    caption = (context.heading or "").lower().strip()
    for rule in FAMILY_RULES:
        if rule.header and not re.search(rule.header, header):
            continue
        if rule.first_header and not re.search(rule.first_header, first):
            continue
        if rule.caption and not re.search(rule.caption, caption):
            continue
        return rule.family
    if is_year_table(table):
        return "staff_indicators"
    if is_amount_list(table):
        return "procurements"
    return None


def is_year_table(table: Table) -> bool:
    """Columns headed by years and numeric body: a staff table (HME, sick leave)."""
    year_columns = [h for h in table.header[1:] if any(is_year(t) for t in h.split())]
    numeric = all(
        parse_value(v) is not None for row in table.rows for v, h in zip(row.values, table.header[1:])
        if v and any(is_year(t) for t in h.split())
    )
    return len(year_columns) >= 2 and numeric and bool(table.rows)


def is_amount_list(table: Table) -> bool:
    """A headerless two-column list of 'description ... N mnkr' (procurements over a threshold)."""
    if table.width != 2 or any(table.header[1:]) or len(table.rows) < 2:
        return False
    parsed = [parse_value(row.values[0] or "") for row in table.rows]
    return all(p is not None and p.is_number and p.suffix in ("mnkr", "mkr") for p in parsed)
