"""Swedish report numbers as printed: value, printed decimals and status.

A printed number is a rounded figure; its number of decimals is kept so that checks can treat
it as the interval [x - h, x + h), h = 0.5 * 10**-decimals, never as an exact value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

REPORTED, PENDING, MISSING = "reported", "pending", "missing"

MINUS_SIGNS = "\u2212\u2013\u2014\u2012"  # unicode minus, en dash, em dash, figure dash
SPACES = " \u00a0\u202f\u2009"  # thousands separators seen in Word/LibreOffice output
PENDING_MARKS = {"*", "**", "…", "..."}
MISSING_MARKS = {"", "-", "--", "x", "n/a", "saknas", "–", "—", "−"}

_NUMBER = re.compile(
    rf"""^(?P<sign>[+\-])?\s*
    (?P<int>\d{{1,3}}(?:[{SPACES}]\d{{3}})+|\d+)
    (?:[,.](?P<frac>\d+))?
    \s*(?P<suffix>%|procent|mnkr|mkr|tkr|kr|st|ggr)?\.?$""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class PrintedValue:
    """One printed cell: the number (if any), its printed decimals, status and suffix."""

    text: str
    status: str
    value: float | None = None
    decimals: int | None = None
    suffix: str | None = None

    @property
    def is_number(self) -> bool:
        return self.value is not None

    @property
    def is_percent(self) -> bool:
        return self.suffix in ("%", "procent")


def normalise(text: str) -> str:
    """Fold the many minus and space characters of PDF producers into ASCII ones."""
    text = text.strip()
    for sign in MINUS_SIGNS:
        if text.startswith(sign) and len(text) > 1:
            text = "-" + text[1:]
    return text


def parse_value(text: str | None) -> PrintedValue | None:
    """Parse a table cell; None when the text is not a number nor a value mark."""
    raw = "" if text is None else text
    cleaned = normalise(raw)
    if cleaned in PENDING_MARKS:
        return PrintedValue(raw, PENDING)
    if cleaned.lower() in MISSING_MARKS:
        return PrintedValue(raw, MISSING)
    match = _NUMBER.match(cleaned)
    if not match:
        return None
    digits = re.sub(rf"[{SPACES}]", "", match["int"])
    frac = match["frac"] or ""
    value = float(f"{digits}.{frac}" if frac else digits)
    if match["sign"] == "-":
        value = -value
    suffix = match["suffix"].lower() if match["suffix"] else None
    return PrintedValue(raw, REPORTED, value + 0.0, len(frac), suffix)


def is_value_text(text: str) -> bool:
    """True for a number, '*' or '-' as printed in a value cell (not for a year alone)."""
    parsed = parse_value(text)
    return parsed is not None and not is_year(text)


YEAR = r"(?:1[89]|2[01])\d\d"  # wide on purpose: a misprinted year must reach validation


def is_year(text: str) -> bool:
    return re.fullmatch(YEAR, text.strip()) is not None


def years_in(text: str) -> list[int]:
    return [int(y) for y in re.findall(rf"(?<!\d)({YEAR})(?!\d)", text)]


def is_thousands_group(left: str, right: str) -> bool:
    """'1' + '234,1' is one number printed with a space as thousands separator."""
    left, right = normalise(left), right.strip()
    return (
        re.fullmatch(r"[+\-]?(\d{1,3}(?: \d{3})*)", left) is not None
        and re.fullmatch(r"\d{3}(?:[,.]\d+)?%?", right) is not None
    )
