"""Swedish report numbers as printed: value, printed decimals and status.

A printed number is a rounded figure; its number of decimals is kept so that checks can treat
it as the interval [x - h, x + h), h = 0.5 * 10**-decimals, never as an exact value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

REPORTED, PENDING, MISSING = "reported", "pending", "missing"
UNREADABLE = "unreadable"  # printed like an amount, but not one a report prints: never a value

MINUS_SIGNS = "\u2212\u2013\u2014\u2012"  # unicode minus, en dash, em dash, figure dash
SPACES = " \u00a0\u202f\u2009"  # thousands separators seen in Word/LibreOffice output
PENDING_MARKS = {"*", "**", "…", "..."}
MISSING_MARKS = {"", "-", "--", "x", "n/a", "saknas", "–", "—", "−"}

SUFFIX = r"%|procent|mnkr|mkr|tkr|kr|st|ggr"  # a unit printed in the cell itself
_INT = rf"\d{{1,3}}(?:[{SPACES}]\d{{3}})+|\d+"  # '1 234' is one integer part, '1 23' is not
_NUMBER = re.compile(
    rf"""^(?P<sign>[+\-])?\s*
    (?P<int>{_INT})
    (?:[,.](?P<frac>\d+))?
    \s*(?P<suffix>{SUFFIX})?\.?$""",
    re.VERBOSE | re.IGNORECASE,
)
# a footnote mark after a number: '-350*', '12,5¹', '1 234 (2)'
NOTE_MARK = re.compile(r"^(?P<number>.*?\d)\s*(?P<note>\*+|[¹²³⁴⁵⁶⁷⁸⁹]+|\(\d\))$")

# The largest magnitude an amount may have: every loaded value is below 10**15, i.e. has at most
# 15 digits before the decimal comma. Why this bound: below it a DOUBLE (float64, how the
# warehouse stores values) holds every integer exactly and gives back any printed figure of up
# to 15 significant digits (DBL_DIG = 15), so the value is the number printed; and no Swedish
# public body prints a figure near it (the largest balance sheets are about 10**12 kr, Sweden's
# GDP about 6 * 10**12 kr). A bigger number is a misread or a corrupt cell, and sums or
# differences of such numbers end in inf and nan.
MAX_MAGNITUDE = 1e15

_CELL_END = rf"\s*(?:{SUFFIX})?\.?"
# Shapes of cells printed like a number that no Swedish report prints, with why. Only these are
# faults: words, dates ('2024-10-07', '13.05.2024'), ranges ('10-40'), references ('1.1.2',
# '3, 4, 5'), '(123)' and several numbers in one cell ('-1 058 424 -5 220 160': columns the
# geometry did not split) stay text, as before.
MALFORMED_NUMBERS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern + _CELL_END, re.IGNORECASE), why) for pattern, why in (
        (r"[+\-]?\d+(?:[,.]\d+)?e[+\-]?\d+", "scientific notation"),
        (rf"[+\-]?(?:{_INT})(?=[.\d]*,)(?:[,.]\d+){{2,}}", "more than one decimal separator"),
        (r"[+\-]?\d{1,3}(?:\.\d{3}){2,}", "dots as thousands separators"),
        (r"[+\-]?(?:inf(?:inity)?|nan)", "not a finite number"),
        (r"#(?:n/a|[a-zåäö][a-zåäö0-9/.]*[!?])", "a spreadsheet error"),
    ))


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


def number_fault(text: str) -> str | None:
    """Why a cell printed like an amount cannot be loaded as one ('1e30': scientific notation;
    '12,3,4': more than one decimal separator; 400 digits: beyond MAX_MAGNITUDE), or None: a
    number within the bound, a value mark and words are no fault. A footnote mark is ignored."""
    cleaned = normalise(text)
    marked = NOTE_MARK.match(cleaned)
    candidates = [cleaned, marked["number"]] if marked else [cleaned]
    for candidate in candidates:
        parsed = parse_value(candidate)
        if parsed is not None:
            if parsed.is_number and not abs(parsed.value) < MAX_MAGNITUDE:  # inf too
                return f"a magnitude of {MAX_MAGNITUDE:.0e} or more: over 15 digits before the decimal comma"
            return None
    return next((why for shape, why in MALFORMED_NUMBERS if any(shape.fullmatch(c) for c in candidates)), None)


def is_value_text(text: str) -> bool:
    """True for a number, '*' or '-' as printed in a value cell (not for a year alone), also as
    tables from elsewhere print figures: what a table's structure takes for a row's figures.

    Those forms are a negative in parentheses and a currency sign ('(987,654)', '$ 1,234',
    '1 234 €'), and commas or dots grouping thousands ('1,234,567.5'). They are never values
    arw loads: in a Swedish report '(1 100)' is often last year's figure beside this year's."""
    inner = _accounting_figure(text) or text
    parsed = parse_value(inner)
    if parsed is not None:
        return not is_year(inner)
    return _GROUPED.fullmatch(normalise(inner)) is not None


_CURRENCY = "$€£"
_ACCOUNTING = re.compile(
    rf"^[{_CURRENCY}]?\s*(?:\((?P<negative>[^()]*\d[^()]*)\)|(?P<plain>[^()]*\d[^()]*?))\s*[{_CURRENCY}]?$")
_GROUPED = re.compile(  # '1,234,567.5', '1.234.567', '1 234 567': groups of three, one separator
    rf"[+\-]?\d{{1,3}}(?:([,.{SPACES}])\d{{3}})(?:\1\d{{3}})*(?:[,.]\d+)?\s*(?:{SUFFIX})?", re.IGNORECASE)


def _accounting_figure(text: str) -> str | None:
    """The number inside a negative in parentheses or beside a currency sign ('(987,654)' ->
    '987,654', '$ 1,234' -> '1,234'), or None for any other text."""
    cleaned = normalise(text)
    match = _ACCOUNTING.match(cleaned)
    if match is None or not (match["negative"] or cleaned[:1] in _CURRENCY or cleaned[-1:] in _CURRENCY):
        return None
    return normalise((match["negative"] or match["plain"]).strip(" " + _CURRENCY))


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
