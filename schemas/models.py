"""Pandera models: one per extracted frame (see extract.frames.FRAME_COLUMNS).

Columns are typed with pandas nullable dtypes (Int64, boolean, str) so that missing values
survive coercion; `schemas.validate` coerces cell by cell before these models run, so every
failure pandera reports here can be traced back to a row.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from extract.numbers import MAX_MAGNITUDE, UNREADABLE, number_fault
from extract.vocabulary import known_units

REPORT_ID_PATTERN = r"^[0-9a-f]{64}\Z"  # sha256 hex digest of the PDF bytes
GOAL_ID_PATTERN = r"^\d+(\.\d+)*\Z"  # "1", "1.1", "8.1.2"

TEXT_UNITS = ["mnkr", "tkr", "kr", "percent"]
LEVELS = ["KF", "nämnd", "förvaltning"]
VALUE_STATUSES = ["reported", "pending", "missing"]
CELL_STATUSES = [*VALUE_STATUSES, "text", "empty"]  # words in a value cell ('Ej aktuellt'); nothing printed
# what extraction may say of a cell: also 'unreadable' (printed like an amount, but '1e30' or
# '12,3,4'), which the check number_is_readable quarantines, so it never loads
EXTRACTED_CELL_STATUSES = [*CELL_STATUSES, UNREADABLE]
ASSESSMENTS = ["high", "partial", "not_met"]

YEAR_RANGE = {"min_value": 1990, "max_value": 2100}
PRINTED_YEAR_RANGE = {"min_value": 1800, "max_value": 2199}  # any year a header prints (a building's)
DECIMALS_RANGE = {"min_value": 0, "max_value": 6}


def _not_blank(series: pd.Series) -> pd.Series:
    return series.str.strip().str.len() > 0


def _finite(value: pd.Series) -> pd.Series:
    """True where the value is absent or a finite number (inf, -inf and NaN never load)."""
    return value.isna() | value.abs().lt(float("inf"))


def _within_bound(value: pd.Series) -> pd.Series:
    """True where the value is absent, non-finite (value_is_finite says so) or below
    MAX_MAGNITUDE (extract.numbers: the largest amount a DOUBLE holds as printed)."""
    return value.isna() | np.isinf(value) | value.abs().lt(MAX_MAGNITUDE)


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


class _Figures(_Frame):
    """Frames that hold figures read from printed numbers (`value`): every one finite and below
    the bound, whether it came from a table or from the running text."""

    # each check's method has its check's name: pandera names a check inherited by a second
    # model after its method instead of its `name`
    @pa.dataframe_check(name="value_is_finite")
    def value_is_finite(cls, df: pd.DataFrame) -> pd.Series:
        return _finite(df["value"])

    @pa.dataframe_check(name="value_within_bound")
    def value_within_bound(cls, df: pd.DataFrame) -> pd.Series:
        return _within_bound(df["value"])


class _TableFrame(_Figures):
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


class Cells(_TableFrame):
    """Every value cell of every table, as printed; the unit must be one the vocabulary knows
    (dbt_project/seeds/units.csv): an unknown unit is quarantined with its name."""

    family: Series[str] = pa.Field(nullable=True)
    chapter: Series[str] = pa.Field(nullable=True)  # the headings above the table
    heading: Series[str] = pa.Field(nullable=True)
    goal_area: Series[str] = pa.Field(nullable=True)
    caption: Series[str] = pa.Field(nullable=True)
    header_text: Series[str] = pa.Field(nullable=True)
    first_header: Series[str] = pa.Field(nullable=True)
    row_index: Series[pd.Int64Dtype] = pa.Field(ge=1)
    row_label: Series[str] = pa.Field(nullable=True)
    row_path: Series[str] = pa.Field(nullable=True)
    row_depth: Series[pd.Int64Dtype] = pa.Field(ge=0)
    row_bold: Series[pd.BooleanDtype]
    col_index: Series[pd.Int64Dtype] = pa.Field(ge=1)
    column_header: Series[str] = pa.Field(nullable=True)
    column_path: Series[str] = pa.Field(nullable=True)
    period: Series[str] = pa.Field(nullable=True)
    period_year: Series[pd.Int64Dtype] = pa.Field(in_range=PRINTED_YEAR_RANGE, nullable=True)
    group_period_year: Series[pd.Int64Dtype] = pa.Field(in_range=PRINTED_YEAR_RANGE, nullable=True)
    printed: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    decimals: Series[pd.Int64Dtype] = pa.Field(in_range=DECIMALS_RANGE, nullable=True)
    value_status: Series[str] = pa.Field(isin=EXTRACTED_CELL_STATUSES)
    note: Series[str] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(isin=list(known_units()), nullable=True)

    @pa.dataframe_check(name="value_present_iff_reported")
    def _value_iff_reported(cls, df: pd.DataFrame) -> pd.Series:
        return df["value"].notna() == (df["value_status"] == "reported").fillna(False).astype(bool)

    @pa.dataframe_check(name="decimals_present_with_amount")
    def _decimals_with_value(cls, df: pd.DataFrame) -> pd.Series:
        return df["value"].isna() | df["decimals"].notna()

    @pa.dataframe_check(name="number_is_readable")
    def _readable(cls, df: pd.DataFrame) -> pd.Series:
        return df["value_status"] != UNREADABLE

    class Config:
        unique = ["report_id", "table_id", "row_index", "col_index"]


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


class TextFigures(_Figures):
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
    "cells": Cells,
    "goals": Goals,
    "text_figures": TextFigures,
}

# Human wording for the row-wide checks, used in quarantine reasons.
ROW_CHECK_REASONS: dict[str, str] = {
    "bbox_x0_le_x1": "bounding box has x0 > x1",
    "bbox_top_le_bottom": "bounding box has top > bottom",
    "decimals_present_with_amount": "decimals must be present when the number is present",
    "value_is_finite": "value must be a finite number",
    "value_present_iff_reported": "value must be present exactly when value_status is 'reported'",
}


def _printed_where(row: Mapping[str, Any]) -> str:
    """Where a value was printed, for a reader to find it: a table cell (table, row, column,
    page) or a figure of the running text (page, sentence)."""
    if "col_index" in row:
        return (f"table {row.get('table_id')}, row {row.get('row_index')} {row.get('row_label')!r}, "
                f"column {row.get('col_index')} {row.get('column_header')!r}, page {row.get('page')}")
    return f"page {row.get('page')}, in the sentence {row.get('sentence')!r}"


def _printed(row: Mapping[str, Any]) -> str:
    return str(row.get("printed", row.get("text")))


def _shown(text: str, limit: int = 60) -> str:
    """The printed text quoted, its middle elided when long (the record keeps all of it)."""
    if len(text) <= limit:
        return repr(text)
    half = limit // 2 - 2
    return f"{text[:half] + '…' + text[-half:]!r} ({len(text)} characters)"


def _unreadable_reason(row: Mapping[str, Any]) -> str:
    printed = _printed(row)
    why = number_fault(printed) or "not a number"
    return f"printed {_shown(printed)} is not a number in Swedish report format ({why}): {_printed_where(row)}"


def _beyond_bound_reason(row: Mapping[str, Any]) -> str:
    value = row.get("value")
    shown = f"{value:g}" if isinstance(value, float) else repr(value)  # '1e+20', not 20 digits
    return (f"value {shown} (printed {_shown(_printed(row))}) is not below {MAX_MAGNITUDE:.0e} in "
            f"magnitude, more than any report prints (a misread number?): {_printed_where(row)}")


# Reasons that name the row's cell (table, row, column, page, printed text), from the row as given.
ROW_CHECK_DESCRIPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "number_is_readable": _unreadable_reason,
    "value_within_bound": _beyond_bound_reason,
}
