"""Tables of a known family -> typed rows (dicts with the frame columns of extract.frames).

Indicator tables: the words that give a column or row its meaning (Mål 2026, KF-indikatorer,
kr/inv, an organisation's name) are data (dbt_project/seeds/vocab_indicators.csv); the printed
value itself gives its decimals and status ('%', '*' or '-'); never a column's position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import MISSING, REPORTED, PrintedValue, parse_value, years_in
from extract.stream import TableContext
from extract.tables import Row, Table
from extract.vocabulary import indicator_term


@dataclass(frozen=True)
class ReportFacts:
    """What the whole report says about itself, needed to read some tables."""

    report_id: str
    municipality: str | None  # the entity of KF and nämnd indicators
    administration: str | None  # the entity of a staff table's own rows


def bbox_of(cells) -> dict:
    """Where a value is printed (PDF points, origin top left): provenance for highlighting."""
    cells = list(cells)
    if not cells:
        return {"x0": None, "top": None, "x1": None, "bottom": None}
    return {
        "x0": min(c.x0 for c in cells), "top": min(c.top for c in cells),
        "x1": max(c.x1 for c in cells), "bottom": max(c.bottom for c in cells),
    }


def row_bbox(row: Row) -> dict:
    return bbox_of(c for column in row.cells for c in column)


# ------------------------------------------------------------------ indicators
def indicator_unit(label: str, caption: str, printed: list[PrintedValue]) -> str:
    if any(p.is_percent for p in printed):
        return "percent"
    return indicator_term("unit", f"{label} {caption}") or "count"


def indicator_level(table: Table, family: str) -> str:
    if family == "staff_indicators":
        return "förvaltning"
    return indicator_term("level", table.header[0] or "") or "nämnd"


def indicator_rows(table: Table, family: str, context: TableContext, facts: ReportFacts) -> list[dict]:
    level = indicator_level(table, family)
    goal_area = context.goal_area if context.chapter_has_goals and level != "förvaltning" else context.chapter
    caption = context.caption or ""
    rows: list[dict] = []
    for row in table.rows:
        label = clean_label(row.label)
        entity, indicator = facts.municipality, label
        if level == "förvaltning":
            if indicator_term("entity", label):
                entity, indicator = label, clean_label(table.header[0])
            else:
                entity = facts.administration
        cells = [
            (column, header, parse_value(text) if text is not None else PrintedValue("", MISSING))
            for column, (header, text) in enumerate(zip(table.header[1:], row.values), start=1)
        ]
        cells = [(c, h, p) for c, h, p in cells if p is not None and years_in(h)]
        unit = indicator_unit(indicator, caption, [p for _, _, p in cells])
        for column, header, printed in cells:
            rows.append({
                "goal_area": goal_area or "",
                "level": level,
                "entity": entity or "",
                "indicator": indicator,
                "year": years_in(header)[-1],
                "value": printed.value if printed.status == REPORTED else None,
                "decimals": printed.decimals if printed.status == REPORTED else None,
                "value_status": printed.status,
                "is_target": indicator_term("target", header) is not None,
                "unit": unit,
                "page": row.page,
                **(bbox_of(row.cells[column]) if row.cells[column] else row_bbox(row)),
            })
    return rows


def clean_label(label: str) -> str:
    """Strip footnote marks glued to a label ('Budgetföljsamhet*', 'Låneskuld ... (tkr) *')."""
    return re.sub(r"\s*[*¹²³]+$", "", label).strip()
