"""The typed frames that extraction produces: one column list per frame.

These names are the contract between `extract` (producer), `schemas` (validation),
`warehouse` (raw_* tables) and `dbt_project` (sources). Every frame carries provenance:
the report id (sha256 of the PDF bytes) and the page the value was printed on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are made: `arw ingest`'s skip path stays light
    import pandas as pd

REPORT_COLUMNS = [
    "report_id", "file_name", "source", "municipality", "body", "report_type",
    "fiscal_year", "page_count", "organisation", "organisation_number", "administration",
]

# where the value is printed on its page (points, origin top left)
BBOX_TYPES = [("x0", "DOUBLE"), ("top", "DOUBLE"), ("x1", "DOUBLE"), ("bottom", "DOUBLE")]
BBOX = [name for name, _ in BBOX_TYPES]

# The contract, declared once: frame -> (column, DuckDB type). The raw_* tables are made from
# it (warehouse.store), the pandera models check it (schemas.models, strict), dbt reads them.
FRAME_CONTRACT: dict[str, list[tuple[str, str]]] = {
    # every table found in the PDF, one row per cell, with its bounding box
    "tables": [
        ("report_id", "VARCHAR"), ("table_id", "INTEGER"), ("family", "VARCHAR"), ("page", "INTEGER"),
        ("row_index", "INTEGER"), ("col_index", "INTEGER"), ("is_header", "BOOLEAN"), ("text", "VARCHAR"),
        *BBOX_TYPES,
    ],
    # every value cell of every table in one general form (see extract.cells); dbt gives the
    # cells their meaning (measure, row role, statement) and builds fct_budget from them
    "cells": [
        ("report_id", "VARCHAR"), ("table_id", "INTEGER"), ("family", "VARCHAR"), ("page", "INTEGER"),
        ("chapter", "VARCHAR"), ("heading", "VARCHAR"), ("goal_area", "VARCHAR"), ("caption", "VARCHAR"),
        ("header_text", "VARCHAR"), ("first_header", "VARCHAR"),
        ("row_index", "INTEGER"), ("row_label", "VARCHAR"), ("row_path", "VARCHAR"),
        ("row_depth", "INTEGER"), ("row_bold", "BOOLEAN"), ("col_index", "INTEGER"),
        ("column_header", "VARCHAR"), ("column_path", "VARCHAR"), ("period", "VARCHAR"),
        ("period_year", "INTEGER"), ("group_period_year", "INTEGER"), ("printed", "VARCHAR"),
        ("value", "DOUBLE"), ("decimals", "INTEGER"), ("value_status", "VARCHAR"), ("note", "VARCHAR"),
        ("unit", "VARCHAR"), *BBOX_TYPES,
    ],
    "goals": [
        ("report_id", "VARCHAR"), ("goal_area", "VARCHAR"), ("goal_id", "VARCHAR"),
        ("title", "VARCHAR"), ("assessment", "VARCHAR"), ("page", "INTEGER"), *BBOX_TYPES,
    ],
    # figures stated in the running text, with their sentence (rules match on it) and position in it
    "text_figures": [
        ("report_id", "VARCHAR"), ("page", "INTEGER"), ("sentence", "VARCHAR"), ("figure_index", "INTEGER"),
        ("value", "DOUBLE"), ("decimals", "INTEGER"), ("unit", "VARCHAR"), ("text", "VARCHAR"), *BBOX_TYPES,
    ],
}

FRAME_COLUMNS: dict[str, list[str]] = {
    frame: [name for name, _ in columns] for frame, columns in FRAME_CONTRACT.items()
}

FRAME_NAMES = tuple(FRAME_COLUMNS)


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame with the columns of `name`, so absent tables still load cleanly."""
    import pandas as pd

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
