"""Property tests (hypothesis): the number parser, table assembly from random grids, and
extraction of random or corrupted bytes.

- `parse_value` never raises, whatever the text, and reads back every number as a Swedish report
  prints it (thousands groups, decimal comma, minus signs, % suffix) with its printed decimals.
- A random grid (labels + numbers at column positions, left- or right-aligned) drawn as lines of
  words comes back from `find_blocks` + `build_table` with the same header, rows and columns.
- `extract_report` on random bytes, truncations and byte flips of a small valid report either
  succeeds or raises an `ExtractionError` subclass: never a raw pdfminer/pdfplumber exception.
"""
from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extract.errors import ExtractionError, ExtractorBugError
from extract.layout import Line, Word, split_cells
from extract.numbers import MISSING, PENDING, REPORTED, parse_value
from extract.report import extract_report
from extract.settings import DEFAULT_SETTINGS as S
from extract.tables import build_table, find_blocks

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- numbers -------------------------------------------------------------------------------------

@FUZZ
@given(st.one_of(st.none(), st.text(), st.text(alphabet="0123456789 ,.-−–%*+ \u00a0\u202fmnkrtst")))
def test_parse_value_never_raises(text):
    parsed = parse_value(text)
    assert parsed is None or parsed.status in (REPORTED, PENDING, MISSING)
    if parsed is not None and parsed.is_number:
        assert parsed.decimals is not None and parsed.decimals >= 0


def printed(integer: int, fraction: str, negative: bool, minus: str, separator: str, suffix: str) -> str:
    """A number as a Swedish report prints it: '−1 234,50 %'."""
    groups = f"{integer:,}".replace(",", separator)
    text = groups + ("," + fraction if fraction else "")
    return (minus if negative else "") + text + suffix


@FUZZ
@given(
    integer=st.integers(min_value=0, max_value=10**12),
    fraction=st.text(alphabet="0123456789", max_size=4),
    negative=st.booleans(),
    minus=st.sampled_from(["-", "\u2212", "\u2013"]),
    separator=st.sampled_from([" ", "\u00a0", "\u202f", ""]),
    suffix=st.sampled_from(["", "%", " %", " mnkr", " tkr"]),
)
def test_printed_numbers_round_trip(integer, fraction, negative, minus, separator, suffix):
    text = printed(integer, fraction, negative, minus, separator, suffix)
    parsed = parse_value(text)
    assert parsed is not None and parsed.status == REPORTED, text
    expected = Decimal(f"{integer}.{fraction}" if fraction else str(integer)) * (-1 if negative else 1)
    assert parsed.value == float(expected), text
    assert parsed.decimals == len(fraction), text
    assert parsed.suffix == (suffix.strip() or None), text


# --- tables from random grids ------------------------------------------------------------------

CHAR_WIDTH, WORD_GAP, SIZE, LINE_HEIGHT, COLUMN_GAP = 5.0, 2.5, 10.0, 14.0, 20.0

LABEL_WORDS = ["Intäkter", "Kostnader", "Personal", "Lokaler", "Övrigt", "Trygghet", "Skolan", "Andel",
               "Invånare", "Nettokostnad", "Avskrivningar", "Bidrag", "Taxor", "Avgifter", "Summa", "Netto"]
HEADER_WORDS = ["Utfall", "Budget", "Avvikelse", "Prognos", "Förändring", "Mål", "Helår", "Period"]


def text_width(text: str) -> float:
    tokens = text.split(" ")
    return sum(CHAR_WIDTH * len(t) for t in tokens) + WORD_GAP * (len(tokens) - 1)


def line_at(cells: list[tuple[str, float]], top: float) -> Line:
    """A line from (text, x0) cells; the words of a cell are WORD_GAP apart (as test_tables' line_of)."""
    words = []
    for text, x0 in cells:
        x = x0
        for token in text.split(" "):
            words.append(Word(token, x, x + CHAR_WIDTH * len(token), top, top + SIZE, SIZE, False))
            x = words[-1].x1 + WORD_GAP
    return Line(1, tuple(split_cells(words, S)))


number_texts = st.builds(
    printed,
    integer=st.integers(min_value=0, max_value=99_999_999),
    fraction=st.text(alphabet="0123456789", max_size=2),
    negative=st.booleans(),
    minus=st.just("-"),
    separator=st.just(" "),
    suffix=st.sampled_from(["", "", "%"]),
)
value_texts = st.one_of(number_texts, number_texts, number_texts, st.sampled_from(["*", "-"]))
labels = st.lists(st.sampled_from(LABEL_WORDS), min_size=1, max_size=3).map(" ".join)


@st.composite
def grids(draw):
    columns = draw(st.integers(min_value=1, max_value=6))  # value columns, besides the label column
    rows = draw(st.integers(min_value=1, max_value=12))
    header = ["Post"] + [f"{draw(st.sampled_from(HEADER_WORDS))} {2020 + i}" for i in range(columns)]
    body = [[draw(labels)] + [draw(value_texts) for _ in range(columns)] for _ in range(rows)]
    right_aligned = draw(st.booleans())
    return header, body, right_aligned


def draw_grid(header: list[str], body: list[list[str]], right_aligned: bool) -> list[Line]:
    """Lay the grid out like a report: label column at the margin, value columns COLUMN_GAP apart."""
    rows = [header] + body
    widths = [max(text_width(row[i]) for row in rows) for i in range(len(header))]
    lefts = [70.0]
    for width in widths[:-1]:
        lefts.append(lefts[-1] + width + COLUMN_GAP)
    lines = []
    for r, row in enumerate(rows):
        cells = []
        for i, text in enumerate(row):
            x0 = lefts[i] if i == 0 or not right_aligned else lefts[i] + widths[i] - text_width(text)
            cells.append((text, x0))
        lines.append(line_at(cells, 100.0 + r * LINE_HEIGHT))
    return lines


@FUZZ
@given(grids())
def test_a_random_grid_comes_back_as_the_same_table(grid):
    header, body, right_aligned = grid
    lines = draw_grid(header, body, right_aligned)
    blocks = find_blocks(lines, S)
    assert len(blocks) == 1 and len(blocks[0]) == len(lines)
    table = build_table(blocks[0], [], S)
    assert table.header == header
    assert len(table.rows) == len(body)
    assert [row.texts for row in table.rows] == body


# --- extraction of random and corrupted bytes --------------------------------------------------

@pytest.fixture(scope="module")
def valid_pdf(tmp_path_factory) -> bytes:
    from test_bad_inputs import small_report

    return small_report(tmp_path_factory.mktemp("fuzz") / "valid.pdf").read_bytes()


def mutations(data: bytes):
    random_bytes = st.binary(max_size=4096)
    with_header = st.binary(max_size=4096).map(lambda b: b"%PDF-1.4\n" + b)
    truncation = st.integers(min_value=0, max_value=len(data)).map(lambda n: data[:n])
    flips = st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1, max_size=20).map(
        lambda changes: _flip(data, changes))
    splice = st.tuples(st.integers(0, len(data)), st.integers(0, 300), st.binary(max_size=300)).map(
        lambda t: data[: t[0]] + t[2] + data[t[0] + t[1]:])
    return st.one_of(random_bytes, with_header, truncation, flips, flips, splice)


def _flip(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in changes:
        buffer[position] = value
    return bytes(buffer)


@pytest.mark.slow
def test_random_and_corrupted_bytes_raise_only_extraction_errors(valid_pdf):
    outcomes: dict[str, int] = {}

    @settings(max_examples=50, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutations(valid_pdf))
    def extract(data):
        assume(data != valid_pdf)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "fuzzed.pdf"
            path.write_bytes(data)
            try:
                extracted = extract_report(path)
                outcome = "read" + (" with notes" if extracted.notes else "")
            except ExtractionError as error:
                assert not isinstance(error, ExtractorBugError), f"a bug in arw, not a bad file: {error}"
                assert str(error).startswith(("fuzzed.pdf", str(path))), str(error)
                outcome = type(error).__name__
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    extract()
    print("outcomes of corrupted PDFs:", dict(sorted(outcomes.items())))
