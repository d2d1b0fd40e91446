"""How arw shows values: numbers in Swedish format for people (tables, markdown, `arw check`),
plain values for machines (csv, json, parquet).

Everything here is a pure function of its arguments (no console, no warehouse), so that the
formats are tested on their own.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

MINUS = "\u2212"  # − : the minus sign Swedish typesetting prints, not the hyphen
GROUP = " "  # thousands separator: a space, as the reports print it (661 304)
COMMA = ","  # decimal comma


def is_number(value: Any) -> bool:
    """An int, float or Decimal (DuckDB's numeric types as Python returns them), not a bool."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def swedish_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """A number as a Swedish report prints it: 661304.0 -> '661 304', -1234.5 -> '−1 234,5',
    0.25 -> '0,25'; with `decimals` (how many the report printed) exactly that many: (7.8, 1) ->
    '7,8', (12.0, 2) -> '12,00'. Without `decimals`, the fewest decimals that represent the value
    (a float to 15 significant digits, so that binary noise does not show).

    Fractional types (float, Decimal) are amounts and always grouped in thousands; integers are
    years, pages, counts and ids, grouped only from five digits (2024 stays '2024', 12345 becomes
    '12 345'), as Swedish style has it for four-digit numbers."""
    if not is_number(value):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("∞" if value > 0 else f"{MINUS}∞")
    # a float to 15 significant digits: what it was computed from, without binary noise (a sum of
    # printed figures is -6540.9, not -6540.900000000001)
    if isinstance(value, float):
        exact = Decimal(format(value, ".15g"))
    else:
        exact = Decimal(value) if isinstance(value, int) else value
    with localcontext() as context:
        context.prec = max(50, len(exact.as_tuple().digits) + 10)
        if decimals is not None and decimals >= 0:
            exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        elif not isinstance(value, int):
            exact = exact.normalize()
        text = format(abs(exact), "f")
    whole, _, fraction = text.partition(".")
    if not isinstance(value, int) or len(whole) > 4:
        whole = group_thousands(whole)
    sign = MINUS if exact < 0 else ""  # -0.0 and values rounded to zero print no sign
    return sign + whole + (COMMA + fraction if fraction else "")


def group_thousands(digits: str) -> str:
    """'1234567' -> '1 234 567'."""
    head = len(digits) % 3 or 3
    return GROUP.join([digits[:head], *(digits[i:i + 3] for i in range(head, len(digits), 3))])


def decimals_columns(columns: Sequence[str], rows: Sequence[Sequence[Any]] = ()) -> dict[int, int]:
    """Which column says how many decimals another one was printed with: value column index ->
    decimals column index. `decimals` applies to the numeric column next to it (the one before it,
    else the one after: fct_budget's amount, fct_indicators' value); `<x>_decimals` applies to
    column `<x>` or `<x>_value`."""
    names = [str(c).lower() for c in columns]
    pairs: dict[int, int] = {}
    for j, name in enumerate(names):
        if name == "decimals":
            for i in (j - 1, j + 1):
                if 0 <= i < len(names) and not names[i].endswith("decimals") and _holds_numbers(rows, i):
                    pairs.setdefault(i, j)
                    break
        elif name.endswith("_decimals"):
            stem = name.removesuffix("_decimals")
            for target in (stem, f"{stem}_value", f"{stem}_amount"):
                if target in names:
                    pairs.setdefault(names.index(target), j)
                    break
    return pairs


def _holds_numbers(rows: Sequence[Sequence[Any]], index: int) -> bool:
    values = [row[index] for row in rows if row[index] is not None]
    return not rows or not values or any(is_number(v) for v in values)


def display_value(value: Any, decimals: Any = None) -> str:
    """One value as the table view shows it: numbers in Swedish format, NULL as '', booleans as
    DuckDB prints them, everything else as str()."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return swedish_number(value, decimals if isinstance(decimals, int) and not isinstance(decimals, bool) else None)
    return str(value)


def display_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[list[str]]:
    """Rows as the table view shows them, each value with the decimals its row says were printed."""
    rows = list(rows)
    pairs = decimals_columns(columns, rows)
    return [[display_value(v, row[pairs[i]] if i in pairs else None) for i, v in enumerate(row)] for row in rows]


def numeric_columns(rows: Sequence[Sequence[Any]], width: int) -> set[int]:
    """Indexes of the columns whose non-NULL values are all numbers (right-aligned in tables)."""
    found = set()
    for i in range(width):
        values = [row[i] for row in rows if row[i] is not None]
        if values and all(is_number(v) for v in values):
            found.add(i)
    return found


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured markdown table, numbers in Swedish format and right-aligned (markdown
    is read by people: it goes into issues, wikis and reports)."""
    numeric = numeric_columns(rows, len(columns))
    cells = [[_markdown_cell(v) for v in row] for row in display_rows(columns, rows)]
    header = [_markdown_cell(str(c)) for c in columns]
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---:" if i in numeric else "---" for i in range(len(columns))) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a header row; numbers as Python writes them (1234.5), NULL as an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def json_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A JSON array of objects; numbers stay numbers (DECIMAL too), NaN becomes null, dates and
    other values are strings."""
    records = [{str(c): _json_value(v) for c, v in zip(columns, row)} for row in rows]
    return json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (datetime, date, time)):
        return str(value)
    return value


# --- arw check: one finding per block ------------------------------------------------------

def finding_lines(finding: dict, width: int = 80, report_name: str | None = None) -> list[str]:
    """One inconsistency as a block of lines no wider than `width`:

        haninge-ks-arsredovisning-2024.pdf · sick_leave_kf_equals_staff_table · error
          KF indicator Sjukfrånvaro = the municipality's row of the sick-leave table
          left        7,7  KF Haninge kommun · Sjukfrånvaro · 2022 (p. 19)
          right       7,8  förvaltning Haninge kommun · Total sjukfrånvaro · 2022 (p. 28)
          difference −0,1  (tolerance 0,1)

    Values are shown with the decimals their figures were printed with (`left_terms` /
    `right_terms` carry them, with the pages); a finding without terms shows the fewest decimals."""
    width = max(width, 20)
    left_decimals = _printed_decimals(finding.get("left_terms"))
    right_decimals = _printed_decimals(finding.get("right_terms"))
    both = [d for d in (left_decimals, right_decimals) if d is not None]
    shown = {
        "left": _number(finding.get("left_value"), left_decimals),
        "right": _number(finding.get("right_value"), right_decimals),
        "difference": _number(finding.get("difference"), max(both) if both else None),
    }
    value_width = max(len(v) for v in shown.values())
    indent = "  "
    heading = " · ".join(str(part) for part in (report_name or str(finding.get("report_id") or "")[:12],
                                                  finding.get("rule_id"), finding.get("severity")) if part)
    lines = wrap(heading, width, "", indent)
    if finding.get("description"):
        lines += wrap(str(finding["description"]), width, indent, indent)
    for side in ("left", "right"):
        ref = _with_pages(finding.get(f"{side}_ref") or "", finding.get(f"{side}_terms"))
        prefix = f"{indent}{side:<10} {shown[side]:>{value_width}}  "
        lines += wrap(ref, width, prefix, " " * len(prefix) if len(prefix) <= width // 2 else indent * 3)
    tolerance = finding.get("tolerance")
    tail = f"(tolerance {_number(tolerance, None)})" if tolerance is not None else ""
    lines += wrap(tail, width, f"{indent}{'difference':<10} {shown['difference']:>{value_width}}  ", indent * 3)
    if finding.get("other_report_id"):
        lines += wrap(f"other report: {finding['other_report_id']}", width, indent, indent)
    return lines


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`first` + text wrapped to `width`; continuation lines start with `rest`. A page reference
    ("p. 28") stays on one line; words longer than a line are broken, so that no line is ever
    wider than `width`."""
    if not text:
        return [first.rstrip()]
    text = PAGE_REF.sub("p.\u00a0", text)  # textwrap does not break at a no-break space
    lines = textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest,
                          break_long_words=True, break_on_hyphens=False) or [first.rstrip()]
    return [line.replace("\u00a0", " ") for line in lines]


PAGE_REF = re.compile(r"\bpp?\. (?=\d)")


def _number(value: Any, decimals: int | None) -> str:
    return "–" if value is None else swedish_number(value, decimals) if is_number(value) else str(value)


def _printed_decimals(terms: Any) -> int | None:
    """The decimals a side was printed with: the most of its figures (a sum of 139,0 and 41,8
    has one)."""
    found = [t.get("decimals") for t in terms or [] if isinstance(t, dict) and isinstance(t.get("decimals"), int)]
    return max(found) if found else None


def _with_pages(ref: str, terms: Any) -> str:
    """The figures' reference, with the pages they are printed on when it does not say them."""
    pages = sorted({t["page"] for t in terms or [] if isinstance(t, dict) and isinstance(t.get("page"), int)})
    missing = [p for p in pages if f"p. {p}" not in ref]
    if not missing:
        return ref
    return f"{ref} ({'pp.' if len(missing) > 1 else 'p.'} {', '.join(str(p) for p in missing)})".strip()
