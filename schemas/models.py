"""Pandera models: one per extracted frame (see extract.frames.FRAME_COLUMNS).

Columns are typed with pandas nullable dtypes (Int64, boolean, str) so that missing values
survive coercion; `schemas.validate` coerces cell by cell before these models run, so every
failure pandera reports here can be traced back to a row.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

REPORT_ID_PATTERN = r"^[0-9a-f]{64}\Z"  # sha256 hex digest of the PDF bytes
GOAL_ID_PATTERN = r"^\d+(\.\d+)*\Z"  # "1", "1.1", "8.1.2"

STATEMENTS = [
    "budget_adjustments", "operating_summary", "income_statement", "operating_by_department",
    "investments",
]
MEASURES = [
    "outcome", "budget", "deviation", "deviation_pct", "change", "change_pct",
    "consumption_pct", "ks", "ks_reserve", "total",
]
UNITS = ["mnkr", "percent"]
TEXT_UNITS = ["mnkr", "tkr", "kr", "percent"]
LEVELS = ["KF", "nämnd", "förvaltning"]
VALUE_STATUSES = ["reported", "pending", "missing"]
ASSESSMENTS = ["high", "partial", "not_met"]

YEAR_RANGE = {"min_value": 1990, "max_value": 2100}
DECIMALS_RANGE = {"min_value": 0, "max_value": 6}


def _not_blank(series: pd.Series) -> pd.Series:
    return series.str.strip().str.len() > 0


class _Frame(pa.DataFrameModel):
    """Provenance every frame carries: which PDF, which page, and where on it."""

    report_id: Series[str] = pa.Field(str_matches=REPORT_ID_PATTERN)
    page: Series[pd.Int64Dtype] = pa.Field(ge=1)
    x0: Series[float] = pa.Field(nullable=True)  # where on the page the value is printed
    top: Series[float] = pa.Field(nullable=True)
    x1: Series[float] = pa.Field(nullable=True)
    bottom: Series[float] = pa.Field(nullable=True)

    class Config:
        coerce = True
        strict = True  # unknown columns mean the extraction contract drifted


class _TableFrame(_Frame):
    """Frames read from a PDF table; table_id points into raw_tables (absent for prose)."""

    table_id: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)


class Tables(_Frame):
    table_id: Series[pd.Int64Dtype] = pa.Field(ge=0)
    family: Series[str] = pa.Field(nullable=True)  # None for tables no parser claimed
    row_index: Series[pd.Int64Dtype] = pa.Field(ge=0)
    col_index: Series[pd.Int64Dtype] = pa.Field(ge=0)
    is_header: Series[pd.BooleanDtype]
    text: Series[str] = pa.Field(nullable=True)  # "" or None: pdfplumber's empty/merged cells
    x0: Series[float]
    top: Series[float]
    x1: Series[float]
    bottom: Series[float]

    @pa.dataframe_check(name="bbox_x0_le_x1")
    def _x_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["x0"] <= df["x1"]

    @pa.dataframe_check(name="bbox_top_le_bottom")
    def _y_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["top"] <= df["bottom"]


class Budget(_TableFrame):
    statement: Series[str] = pa.Field(isin=STATEMENTS)
    line_item: Series[str]
    line_order: Series[pd.Int64Dtype] = pa.Field(ge=1)
    is_total: Series[pd.BooleanDtype]
    measure: Series[str] = pa.Field(isin=MEASURES)
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(in_range=YEAR_RANGE)
    amount: Series[float] = pa.Field(nullable=True)
    decimals: Series[pd.Int64Dtype] = pa.Field(in_range=DECIMALS_RANGE, nullable=True)
    unit: Series[str] = pa.Field(isin=UNITS)

    @pa.check("line_item", name="not_blank")
    def _line_item_not_blank(cls, series: pd.Series) -> pd.Series:
        return _not_blank(series)

    @pa.check("line_item", name="stripped")
    def _line_item_stripped(cls, series: pd.Series) -> pd.Series:
        return series == series.str.strip()

    @pa.dataframe_check(name="decimals_present_with_amount")
    def _decimals_with_amount(cls, df: pd.DataFrame) -> pd.Series:
        return df["amount"].isna() | df["decimals"].notna()

    @pa.dataframe_check(name="percent_unit_iff_pct_measure")
    def _percent_unit(cls, df: pd.DataFrame) -> pd.Series:
        is_pct = df["measure"].str.endswith("_pct").fillna(False).astype(bool)
        return (df["unit"] == "percent").fillna(False).astype(bool) == is_pct

    class Config:
        unique = ["report_id", "statement", "line_item", "line_order", "measure", "fiscal_year"]


class Indicators(_TableFrame):
    goal_area: Series[str]
    level: Series[str] = pa.Field(isin=LEVELS)
    entity: Series[str]
    indicator: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(in_range=YEAR_RANGE)
    value: Series[float] = pa.Field(nullable=True)
    decimals: Series[pd.Int64Dtype] = pa.Field(in_range=DECIMALS_RANGE, nullable=True)
    value_status: Series[str] = pa.Field(isin=VALUE_STATUSES)
    is_target: Series[pd.BooleanDtype]
    unit: Series[str]

    @pa.check("goal_area", "entity", "indicator", "unit", name="not_blank")
    def _text_not_blank(cls, series: pd.Series) -> pd.Series:
        return _not_blank(series)

    @pa.dataframe_check(name="value_present_iff_reported")
    def _value_iff_reported(cls, df: pd.DataFrame) -> pd.Series:
        return df["value"].notna() == (df["value_status"] == "reported").fillna(False).astype(bool)

    class Config:
        unique = ["report_id", "goal_area", "level", "entity", "indicator", "year", "is_target"]


class Suppliers(_TableFrame):
    supplier: Series[str]
    investment_tkr: Series[float] = pa.Field(ge=0, nullable=True)
    operating_tkr: Series[float] = pa.Field(ge=0, nullable=True)
    total_tkr: Series[float] = pa.Field(ge=0, nullable=True)

    @pa.check("supplier", name="not_blank")
    def _supplier_not_blank(cls, series: pd.Series) -> pd.Series:
        return _not_blank(series)

    @pa.dataframe_check(name="some_amount_present")
    def _some_amount(cls, df: pd.DataFrame) -> pd.Series:
        return df[["investment_tkr", "operating_tkr", "total_tkr"]].notna().any(axis=1)

    class Config:
        unique = ["report_id", "supplier"]


class Procurements(_TableFrame):
    description: Series[str]
    contract_value_mnkr: Series[float] = pa.Field(ge=0)
    decimals: Series[pd.Int64Dtype] = pa.Field(in_range=DECIMALS_RANGE)

    @pa.check("description", name="not_blank")
    def _description_not_blank(cls, series: pd.Series) -> pd.Series:
        return _not_blank(series)


class Goals(_Frame):
    goal_area: Series[str] = pa.Field(nullable=True)
    goal_id: Series[str] = pa.Field(str_matches=GOAL_ID_PATTERN)
    title: Series[str]
    assessment: Series[str] = pa.Field(isin=ASSESSMENTS)

    @pa.check("title", name="not_blank")
    def _title_not_blank(cls, series: pd.Series) -> pd.Series:
        return _not_blank(series)

    class Config:
        unique = ["report_id", "goal_id"]


class InternalControls(_TableFrame):
    risk: Series[str]
    control: Series[str]
    frequency: Series[str]
    result: Series[str]

    @pa.check("risk", "control", "frequency", "result", name="not_blank")
    def _text_not_blank(cls, series: pd.Series) -> pd.Series:
        return _not_blank(series)


class TextFigures(_Frame):
    """Figures stated in the running text; rules select them by sentence and position in it."""

    sentence: Series[str]
    figure_index: Series[pd.Int64Dtype] = pa.Field(ge=1)
    value: Series[float]
    decimals: Series[pd.Int64Dtype] = pa.Field(in_range=DECIMALS_RANGE)
    unit: Series[str] = pa.Field(isin=TEXT_UNITS, nullable=True)  # None: a bare decimal (an index, a score)
    text: Series[str]

    @pa.check("sentence", "text", name="not_blank")
    def _text_not_blank(cls, series: pd.Series) -> pd.Series:
        return _not_blank(series)

    class Config:
        unique = ["report_id", "page", "sentence", "figure_index"]


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "tables": Tables,
    "budget": Budget,
    "indicators": Indicators,
    "suppliers": Suppliers,
    "procurements": Procurements,
    "goals": Goals,
    "internal_controls": InternalControls,
    "text_figures": TextFigures,
}

# Human wording for the row-wide checks, used in quarantine reasons.
ROW_CHECK_REASONS: dict[str, str] = {
    "bbox_x0_le_x1": "bounding box has x0 > x1",
    "bbox_top_le_bottom": "bounding box has top > bottom",
    "decimals_present_with_amount": "decimals must be present when amount is present",
    "percent_unit_iff_pct_measure": "unit must be 'percent' exactly when measure ends with '_pct'",
    "value_present_iff_reported": "value must be present exactly when value_status is 'reported'",
    "some_amount_present": "at least one of investment_tkr, operating_tkr, total_tkr must be present",
}
