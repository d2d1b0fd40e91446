"""Validate extracted frames row by row: good rows continue, bad rows go to quarantine.

A bad row never stops a report from loading; it is kept, with the reason, in the
quarantine frame. Only contract breaks that no row can explain (missing or unknown
columns, an unknown frame, a malformed report dict) raise `SchemaContractError`.
"""
from __future__ import annotations

import json
import math
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from extract.frames import FRAME_COLUMNS, FRAME_NAMES, REPORT_COLUMNS, ExtractedReport
from schemas.errors import SchemaContractError
from schemas.models import MODELS, REPORT_ID_PATTERN, ROW_CHECK_DESCRIPTIONS, ROW_CHECK_REASONS, YEAR_RANGE

QUARANTINE_COLUMNS = ["report_id", "frame", "row_number", "record", "reason"]


@dataclass
class ValidatedReport:
    """A report whose frames passed validation, plus the rows that did not."""

    report: dict
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    quarantine: pd.DataFrame = field(default_factory=lambda: empty_quarantine())
    notes: list[str] = field(default_factory=list)  # the extraction's notes, for the user

    @property
    def report_id(self) -> str:
        return self.report["report_id"]


def empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame({
        "report_id": pd.Series(dtype="str"), "frame": pd.Series(dtype="str"),
        "row_number": pd.Series(dtype="int64"), "record": pd.Series(dtype="str"),
        "reason": pd.Series(dtype="str"),
    })


# --- cell coercion --------------------------------------------------------------------------
# Done here rather than by pandera because pandera cannot always say which row failed to
# coerce (it reports index None), which would turn one bad cell into a failed report.

def _is_null(value: Any) -> bool:
    return bool(pd.isna(value)) if pd.api.types.is_scalar(value) else False


def _to_int(value: Any) -> int:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    raise ValueError


def _to_float(value: Any) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise ValueError


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral) and int(value) in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError


def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise ValueError  # a number in a text column is a mis-parse, not a name


def _converter(dtype: Any) -> tuple[str, Callable[[Any], Any]]:
    if isinstance(dtype, pd.Int64Dtype):
        return "integer", _to_int
    if isinstance(dtype, pd.BooleanDtype):
        return "boolean", _to_bool
    if isinstance(dtype, pd.StringDtype):
        return "text", _to_str
    return "float", _to_float


def _coerce(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> tuple[pd.DataFrame, dict[tuple[int, str], str]]:
    """Convert every column to the schema's dtype; failed cells become null and are reported."""
    out = frame.copy()
    failures: dict[tuple[int, str], str] = {}
    for name, column in schema.columns.items():
        target = column.dtype.type
        if out[name].dtype == target:
            continue
        kind, convert = _converter(target)
        values = []
        for row, value in zip(out.index, out[name], strict=True):
            if _is_null(value):
                values.append(None)
                continue
            try:
                values.append(convert(value))
            except (ValueError, TypeError, OverflowError):
                failures[(row, name)] = f"column '{name}' could not be read as {kind} from value {_plain(value)!r}"
                values.append(None)
        out[name] = pd.Series(values, index=out.index, dtype=target)
    return out, failures


# --- reasons ---------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """numpy/pandas scalars → plain Python, so reasons and JSON read naturally."""
    if _is_null(value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def _failure_reason(case: pd.Series, unique_key: list[str], row: pd.Series) -> str:
    """Why one row failed one check; a row-wide check about one printed value names its cell."""
    check, column = str(case["check"]), case["column"]
    if check == "multiple_fields_uniqueness":
        return f"duplicate key ({', '.join(unique_key)})"
    if case["schema_context"] == "DataFrameSchema":
        if check in ROW_CHECK_DESCRIPTIONS:
            return ROW_CHECK_DESCRIPTIONS[check]({str(k): _plain(v) for k, v in row.items()})
        return ROW_CHECK_REASONS.get(check, f"row failed check {check}")
    if check == "not_nullable":
        return f"column '{column}' is null but required"
    return f"column '{column}' failed {check} with value {_plain(case['failure_case'])!r}"


def _json_value(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _record(row: pd.Series) -> str:
    return json.dumps({str(k): _json_value(v) for k, v in row.items()}, ensure_ascii=False, default=str)


# --- public API ------------------------------------------------------------------------------

def _check_columns(name: str, frame: pd.DataFrame) -> None:
    if name not in MODELS:
        raise SchemaContractError(f"unknown frame {name!r}: expected one of {', '.join(FRAME_NAMES)}")
    expected, actual = FRAME_COLUMNS[name], list(frame.columns)
    missing = [c for c in expected if c not in actual]
    unknown = [c for c in actual if c not in expected]
    if missing or unknown or len(set(actual)) != len(actual):
        raise SchemaContractError(
            f"frame {name!r} does not match the extraction contract (extract.frames.FRAME_COLUMNS): "
            f"missing columns {missing}, unknown columns {unknown}, columns given {actual}"
        )


def validate_frame(
    name: str, frame: pd.DataFrame, report_id: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split `frame` into (valid rows, coerced to the model's dtypes; quarantined rows).

    The valid frame is indexed by the rows' positions in the input, which is also what the
    quarantine's row_number refers to. If `report_id` is given, rows of another report are
    quarantined too, and quarantine rows carry that id (so reloading a report replaces them).
    """
    _check_columns(name, frame)
    model = MODELS[name]
    schema = model.to_schema()
    original = frame.reset_index(drop=True)
    coerced, cell_failures = _coerce(original, schema)

    reasons: dict[int, list[str]] = {}
    for (row, _), reason in cell_failures.items():
        reasons.setdefault(row, []).append(reason)
    if report_id is not None:
        foreign = coerced["report_id"].notna() & (coerced["report_id"] != report_id)
        for row in coerced.index[foreign.to_numpy(dtype=bool)]:
            reasons.setdefault(row, []).append(
                f"report_id {coerced.at[row, 'report_id']!r} does not belong to report {report_id}")

    try:
        model.validate(coerced, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        unmapped = cases[cases["index"].isna()]
        if not unmapped.empty:
            problems = "; ".join(f"{c['column']}: {c['check']} ({c['failure_case']})" for _, c in unmapped.iterrows())
            raise SchemaContractError(f"frame {name!r} failed frame-level checks: {problems}") from err
        for _, case in cases.iterrows():
            row = int(case["index"])
            if case["schema_context"] == "Column" and (row, case["column"]) in cell_failures:
                continue  # already explained by the coercion failure that nulled the cell
            reasons.setdefault(row, []).append(_failure_reason(case, list(schema.unique or []), original.loc[row]))

    bad_rows = sorted(reasons)
    quarantine = empty_quarantine() if not bad_rows else pd.DataFrame({
        "report_id": [report_id or (v if isinstance(v, str) else None) for v in original.loc[bad_rows, "report_id"]],
        "frame": name,
        "row_number": bad_rows,
        "record": [_record(original.loc[row]) for row in bad_rows],
        "reason": ["; ".join(dict.fromkeys(reasons[row])) for row in bad_rows],
    }).astype(empty_quarantine().dtypes.to_dict())
    valid = coerced.drop(index=bad_rows)[FRAME_COLUMNS[name]]
    return valid, quarantine


# identity columns a report row may leave out (None: not known), e.g. one made before they existed
OPTIONAL_REPORT_KEYS = ("organisation", "organisation_number", "administration")


def validate_report_row(report: dict) -> dict:
    """Check the report's identity row; a bad one cannot be quarantined, so it raises."""
    problems = [f"missing key {key!r}" for key in REPORT_COLUMNS
                if key not in report and key not in OPTIONAL_REPORT_KEYS]
    clean = {**dict.fromkeys(OPTIONAL_REPORT_KEYS), **report}
    if not isinstance(report.get("report_id"), str) or not re.match(REPORT_ID_PATTERN, report["report_id"]):
        problems.append(f"report_id must be 64 lowercase hex chars, got {report.get('report_id')!r}")
    year = report.get("fiscal_year")
    if _is_null(year):
        clean["fiscal_year"] = None
    elif isinstance(year, numbers.Integral) and not isinstance(year, bool) \
            and YEAR_RANGE["min_value"] <= int(year) <= YEAR_RANGE["max_value"]:
        clean["fiscal_year"] = int(year)
    else:
        problems.append(f"fiscal_year must be an integer year 1990..2100 or None, got {year!r}")
    pages = report.get("page_count")
    if isinstance(pages, numbers.Integral) and not isinstance(pages, bool) and int(pages) >= 1:
        clean["page_count"] = int(pages)
    else:
        problems.append(f"page_count must be an integer >= 1, got {pages!r}")
    for key in ("file_name", "source", "municipality", "body", "report_type", *OPTIONAL_REPORT_KEYS):
        if key in report and not (report[key] is None or isinstance(report[key], str)):
            problems.append(f"{key} must be text or None, got {report[key]!r}")
    number = report.get("organisation_number")
    if isinstance(number, str) and not re.fullmatch(r"\d{6}-\d{4}", number):
        problems.append(f"organisation_number must be written like 769630-4687, got {number!r}")
    if problems:
        raise SchemaContractError(f"report {report.get('report_id')!r} is invalid: " + "; ".join(problems))
    return clean


def validate_report(extracted: ExtractedReport) -> ValidatedReport:
    """Validate the report row and every frame (absent frames count as empty)."""
    report = validate_report_row(extracted.report)
    unknown = sorted(set(extracted.frames) - set(FRAME_NAMES))
    if unknown:
        raise SchemaContractError(f"unknown frames {unknown}: expected only {', '.join(FRAME_NAMES)}")
    frames: dict[str, pd.DataFrame] = {}
    quarantines = []
    for name in FRAME_NAMES:
        frames[name], quarantined = validate_frame(name, extracted.frame(name), report["report_id"])
        quarantines.append(quarantined)
    quarantine = pd.concat(quarantines, ignore_index=True) if any(len(q) for q in quarantines) else empty_quarantine()
    return ValidatedReport(report=report, frames=frames, quarantine=quarantine, notes=list(extracted.notes))
