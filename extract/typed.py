"""Tables of a known family -> typed rows (dicts with the frame columns of extract.frames).

Column meaning comes from header words (Utfall, Budget, Avvikelse, Mål 2026, Drift tkr, ...)
and the printed value itself (its decimals, '%', '*' or '-'), never from a column's position
on the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import MISSING, REPORTED, PrintedValue, parse_value, years_in
from extract.stream import TableContext
from extract.tables import Row, Table


@dataclass(frozen=True)
class ReportFacts:
    """What the whole report says about itself, needed to read some tables."""

    report_id: str
    fiscal_year: int | None
    municipality: str | None
    body: str | None
    administration: str | None


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


# ------------------------------------------------------------------ budget statements
TOTAL_LABEL = re.compile(r"^((summa|totalt?|delsumma|justerad budget)\b.*|nettoresultat|intäkter|kostnader)$", re.I)
ADJUSTMENT_MEASURES = ((r"total", "total"), (r"reserv", "ks_reserve"), (r".", "ks"))


def budget_measures(table: Table, family: str) -> list[str | None]:
    """Measure of each value column: outcome, budget, deviation, ..., or None if unknown."""
    measures: list[str | None] = []
    for header in table.header[1:]:
        text = header.lower().replace("*", " ")
        if family == "budget_adjustments":
            measures.append(next(m for pattern, m in ADJUSTMENT_MEASURES if re.search(pattern, text)))
        elif "förbrukn" in text:
            measures.append("consumption_pct")
        elif "%" in text or "procent" in text:
            previous = next((m for m in reversed(measures) if m in ("deviation", "change")), "deviation")
            measures.append(f"{previous}_pct")
        elif re.search(r"avvikelse|avv\b", text):
            measures.append("deviation")
        elif "förändring" in text:
            measures.append("change")
        elif "budget" in text:
            measures.append("budget")
        elif "utfall" in text or "bokslut" in text:
            measures.append("outcome")
        else:
            measures.append(None)
    return measures


OWN_YEAR_ONLY = {"deviation", "deviation_pct", "change", "change_pct", "consumption_pct"}


def column_year(table: Table, column: int, measure: str, fiscal_year: int | None) -> int | None:
    """The year a column's figures are for: the year in its own header cell ('Utfall 2023'),
    else, for outcome and budget, the year of the header spanning it ('Helår 2023'), else the
    report's year. Changes and deviations always compare against the report's year."""
    cells = table.header_cells[column] if column < len(table.header_cells) else []
    lowest = max((c.top for c in cells), default=0.0)
    own = [c.text for c in cells if c.top >= lowest - 1.0]
    spanning = [c.text for c in cells if c.top < lowest - 1.0]
    years = years_in(" ".join(own)) or ([] if measure in OWN_YEAR_ONLY else years_in(" ".join(spanning)))
    return years[-1] if years else fiscal_year


def budget_rows(table: Table, family: str, facts: ReportFacts) -> list[dict]:
    measures = budget_measures(table, family)
    unit_match = re.search(r"\b(mnkr|tkr|mkr)\b", table.header_text.lower())
    amount_unit = {"mkr": "mnkr"}.get(unit_match[1], unit_match[1]) if unit_match else "mnkr"
    rows: list[dict] = []
    for order, row in enumerate(table.rows, start=1):
        for column, (measure, text) in enumerate(zip(measures, row.values), start=1):
            printed = parse_value(text) if text else None
            if measure is None or printed is None:
                continue
            rows.append({
                "statement": family,
                "line_item": row.label,
                "line_order": order,
                "is_total": row.bold or bool(TOTAL_LABEL.match(row.label)) or row.label == facts.body,
                "measure": measure,
                "fiscal_year": column_year(table, column, measure, facts.fiscal_year),
                "amount": printed.value,
                "decimals": printed.decimals,
                "unit": "percent" if measure.endswith("_pct") else amount_unit,
                "page": row.page,
                **bbox_of(row.cells[column]),
            })
    return rows


# ------------------------------------------------------------------ indicators
UNIT_RULES: tuple[tuple[str, str], ...] = (
    (r"per 1000|/ ?1000|antal 1000", "per_1000_inhabitants"),
    (r"kr/inv|kronor per invånare", "kr_per_inhabitant"),
    (r"tkr.*(invånare|inv\b)|(invånare|inv\b).*tkr", "tkr_per_inhabitant"),
    (r"kwh/m", "kwh_per_m2"),
    (r"ton co", "ton_co2"),
    (r"index|\bnki\b|\bhme\b", "index"),
    (r"kvot", "ratio"),
    (r"sjukfrånvaro|andel|procent", "percent"),
)
ORGANISATION = re.compile(r"(kommun|stad|region|förvaltning(en)?|nämnd(en)?|styrelse(n)?|\bAB)$", re.I)


def indicator_unit(label: str, caption: str, printed: list[PrintedValue]) -> str:
    if any(p.is_percent for p in printed):
        return "percent"
    text = f"{label} {caption}".lower()
    return next((unit for pattern, unit in UNIT_RULES if re.search(pattern, text)), "count")


def indicator_level(table: Table, family: str) -> str:
    if family == "staff_indicators":
        return "förvaltning"
    return "KF" if re.match(r"^\s*KF\b", table.header[0] or "") else "nämnd"


def indicator_rows(table: Table, family: str, context: TableContext, facts: ReportFacts) -> list[dict]:
    level = indicator_level(table, family)
    goal_area = context.goal_area if context.chapter_has_goals and level != "förvaltning" else context.chapter
    caption = context.caption or ""
    rows: list[dict] = []
    for row in table.rows:
        label = clean_label(row.label)
        entity, indicator = facts.municipality, label
        if level == "förvaltning":
            if ORGANISATION.search(label):
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
                "is_target": bool(re.search(r"\bmål\b|\bmålvärde|\btarget", header.lower())),
                "unit": unit,
                "page": row.page,
                **(bbox_of(row.cells[column]) if row.cells[column] else row_bbox(row)),
            })
    return rows


def clean_label(label: str) -> str:
    """Strip footnote marks glued to a label ('Budgetföljsamhet*', 'Låneskuld ... (tkr) *')."""
    return re.sub(r"\s*[*¹²³]+$", "", label).strip()


# ------------------------------------------------------------------ lists
SUPPLIER_COLUMNS = ((r"inv", "investment_tkr"), (r"drift", "operating_tkr"), (r"tot", "total_tkr"))


def supplier_rows(table: Table) -> list[dict]:
    targets = [_match_column(h, SUPPLIER_COLUMNS) for h in table.header[1:]]
    rows = []
    for row in table.rows:
        record = {"supplier": row.label, "investment_tkr": None, "operating_tkr": None, "total_tkr": None}
        for target, text in zip(targets, row.values):
            printed = parse_value(text) if text else None
            if target and printed is not None and printed.is_number:
                record[target] = printed.value
        rows.append({**record, "page": row.page, **row_bbox(row)})
    return rows


def procurement_rows(table: Table) -> list[dict]:
    rows = []
    for row in table.rows:
        printed = parse_value(row.values[0] or "")
        rows.append({
            "description": row.label,
            "contract_value_mnkr": printed.value if printed else None,
            "decimals": printed.decimals if printed else None,
            "page": row.page,
            **row_bbox(row),
        })
    return rows


CONTROL_COLUMNS = ((r"kontroll", "control"), (r"frekvens|när", "frequency"), (r"resultat|utfall", "result"))


def internal_control_rows(table: Table, context: TableContext) -> list[dict]:
    targets = [_match_column(h, CONTROL_COLUMNS) for h in table.header]
    rows = []
    for row in table.rows:
        record = {"risk": context.heading or "", "control": "", "frequency": "", "result": ""}
        for target, text in zip(targets, row.texts):
            if target and text:
                record[target] = text
        rows.append({**record, "page": row.page, **row_bbox(row)})
    return rows


def _match_column(header: str, rules: tuple[tuple[str, str], ...]) -> str | None:
    text = header.lower()
    return next((target for pattern, target in rules if re.search(pattern, text)), None)
