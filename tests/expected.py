"""The sample report's ground truth (tests/fixtures/haninge-ks-2024/*.csv) as comparable rows.

The CSVs print every number with the decimals the report printed ('764.0', '0', '3.70'), so
the expected `decimals` of each value is read from its text.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "haninge-ks-2024"
SAMPLE_PDF = Path(__file__).parent.parent / "data" / "samples" / "haninge-ks-arsredovisning-2024.pdf"

# fixture -> (key columns, numeric columns carrying printed decimals, other compared columns).
# "budget", "indicators", "suppliers", "procurements" and "internal_controls" are compared with the
# marts dbt builds from the `cells` frame (fct_budget, fct_<name>); "goals" with the extractor's
# frame of that name and with its mart (fct_goals).
SPECS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "budget": (["statement", "line_item", "line_order", "measure", "fiscal_year"], ["amount"], ["is_total", "unit"]),
    "indicators": (
        ["goal_area", "level", "entity", "indicator", "year", "is_target"], ["value"], ["value_status", "unit"],
    ),
    "suppliers": (["supplier"], ["investment_tkr", "operating_tkr", "total_tkr"], []),
    "procurements": (["description"], ["contract_value_mnkr"], []),
    "goals": (["goal_id"], [], ["goal_area", "title", "assessment"]),
    "internal_controls": (["risk", "control"], [], ["frequency", "result"]),
}
WITH_DECIMALS = {"budget": "decimals", "indicators": "decimals", "procurements": "decimals"}


def printed(text: str) -> tuple[float, int] | None:
    """'764.0' -> (764.0, 1); '' -> None."""
    if text == "":
        return None
    return float(text), len(text.split(".")[1]) if "." in text else 0


def expected_rows(frame: str) -> set[tuple]:
    keys, numbers, others = SPECS[frame]
    with (FIXTURES / f"{frame}.csv").open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    rows = set()
    for r in records:
        key = tuple(_canon(r[k]) for k in keys)
        values = []
        for n in numbers:
            value = printed(r[n])
            values.append(value[0] if value else None)
            if frame in WITH_DECIMALS:
                values.append(value[1] if value else None)
        rows.add(key + tuple(values) + tuple(_canon(r[o]) for o in others))
    return rows


def actual_rows(frame: str, df) -> set[tuple]:
    keys, numbers, others = SPECS[frame]
    rows = set()
    for r in df.to_dict("records"):
        key = tuple(_canon(r[k]) for k in keys)
        values = []
        for n in numbers:
            values.append(_number(r[n]))
            if frame in WITH_DECIMALS:
                values.append(None if _number(r[WITH_DECIMALS[frame]]) is None else int(r[WITH_DECIMALS[frame]]))
        rows.add(key + tuple(values) + tuple(_canon(r[o]) for o in others))
    return rows


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return round(float(value), 6)


def _canon(value) -> str:
    """Compare as text: booleans as 'true'/'false', integers without '.0'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text.lower() if text in ("True", "False") else text
