"""The typed frames that extraction produces: one column list per frame.

These names are the contract between `extract` (producer), `schemas` (validation),
`warehouse` (raw_* tables) and `dbt_project` (sources). Every frame carries provenance:
the report id (sha256 of the PDF bytes) and the page the value was printed on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REPORT_COLUMNS = [
    "report_id", "file_name", "source", "municipality", "body", "report_type",
    "fiscal_year", "page_count",
]

BBOX = ["x0", "top", "x1", "bottom"]  # where the value is printed on its page (points, origin top left)

FRAME_COLUMNS: dict[str, list[str]] = {
    # every table found in the PDF, one row per cell, with its bounding box
    "tables": [
        "report_id", "table_id", "family", "page", "row_index", "col_index", "is_header",
        "text", "x0", "top", "x1", "bottom",
    ],
    "budget": [
        "report_id", "table_id", "statement", "line_item", "line_order", "is_total", "measure",
        "fiscal_year", "amount", "decimals", "unit", "page", *BBOX,
    ],
    "indicators": [
        "report_id", "table_id", "goal_area", "level", "entity", "indicator", "year", "value",
        "decimals", "value_status", "is_target", "unit", "page", *BBOX,
    ],
    "suppliers": [
        "report_id", "table_id", "supplier", "investment_tkr", "operating_tkr", "total_tkr", "page", *BBOX,
    ],
    "procurements": [
        "report_id", "table_id", "description", "contract_value_mnkr", "decimals", "page", *BBOX,
    ],
    "goals": ["report_id", "goal_area", "goal_id", "title", "assessment", "page", *BBOX],
    "internal_controls": [
        "report_id", "table_id", "risk", "control", "frequency", "result", "page", *BBOX,
    ],
    # figures stated in the running text, with their sentence (rules match on it) and position in it
    "text_figures": [
        "report_id", "page", "sentence", "figure_index", "value", "decimals", "unit", "text", *BBOX,
    ],
}

FRAME_NAMES = tuple(FRAME_COLUMNS)


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame with the columns of `name`, so absent tables still load cleanly."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in FRAME_COLUMNS[name]})


@dataclass
class ExtractedReport:
    """Everything read from one PDF: the report's identity and one frame per table family."""

    report: dict
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    # what had to be done to read the file, for the user (e.g. "encrypted with an empty password:
    # read anyway", a repaired cross-reference table); empty for a clean PDF
    notes: list[str] = field(default_factory=list)

    @property
    def report_id(self) -> str:
        return self.report["report_id"]

    def frame(self, name: str) -> pd.DataFrame:
        return self.frames.get(name, empty_frame(name))
