"""Periods as printed in column headers: a year, a closing date, a date range or a split year.

A period's year is the year it closes in ("2022-07-01 – 2023-06-30" and "2022 - 2023" are
2023), which is what a fiscal year means in Swedish reports with a broken financial year.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import YEAR

DATE = re.compile(rf"(?<!\d)({YEAR})-(0[1-9]|1[0-2])-([0-2]\d|3[01])(?!\d)")
SPLIT_YEAR = re.compile(rf"(?<!\d)({YEAR})\s*[-–—/]\s*({YEAR}|\d\d)(?![\d-])")
BARE_YEAR = re.compile(rf"(?<![\d-])({YEAR})(?![\d-])")


@dataclass(frozen=True)
class Period:
    text: str  # normalised: '2024', '2023-12-31', '2023-01-01–2023-12-31', '2022–2023'
    year: int  # the year the period closes in


def period_of(header: str | None) -> Period | None:
    """The period a column header names, or None («Avvikelse», «Not»)."""
    if not header:
        return None
    text = header.replace("\u2212", "-")
    dates = [m.group(0) for m in DATE.finditer(text)]
    if len(dates) >= 2:
        return Period(f"{dates[-2]}–{dates[-1]}", int(dates[-1][:4]))
    if dates:
        return Period(dates[0], int(dates[0][:4]))
    split = SPLIT_YEAR.search(text)
    if split:
        first, second = int(split[1]), split[2]
        closing = int(second) if len(second) == 4 else first - first % 100 + int(second)
        if closing == first + 1:
            return Period(f"{first}–{closing}", closing)
    years = BARE_YEAR.findall(text)
    return Period(years[-1], int(years[-1])) if years else None
