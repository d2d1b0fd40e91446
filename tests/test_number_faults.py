"""Numbers that are not numbers: a value cell printed like an amount that no Swedish report
prints ('1e30', '12,3,4', a 310-digit number) is quarantined with a reason naming the cell and
the printed text, never loaded as a silent NULL or as inf; what reports really print (words,
marks, dates, '(123)', '-400*') reads exactly as before.

The bound: every loaded value is below extract.numbers.MAX_MAGNITUDE = 1e15 in magnitude (at
most 15 digits before the decimal comma: what a DOUBLE holds exactly, and far above any figure
of a Swedish public body).
"""
from __future__ import annotations

import json
import math

import duckdb
import pandas as pd
import pytest

import pdf_factory as pf
from extract.cells import read_cell
from extract.frames import FRAME_COLUMNS
from extract.numbers import MAX_MAGNITUDE, MISSING, PENDING, REPORTED, UNREADABLE, number_fault
from extract.report import extract_report
from extract.vocabulary import is_reference_column
from pdf_factory import Heading, PageBreak, Paragraph, Report, Table
from schemas import validate_frame, validate_report
from warehouse.store import load_report

RID = "5c" * 32
DIGITS_310 = "9" * 310


# --- what is a fault, and what is not ------------------------------------------------------------

@pytest.mark.parametrize(("printed", "why"), [
    ("1e30", "scientific notation"),
    ("-1,5E-3", "scientific notation"),
    ("1e30 (1)", "scientific notation"),  # a footnote mark does not make it a number
    ("12,3,4", "more than one decimal separator"),
    ("12,3,4*", "more than one decimal separator"),
    ("1.234,5", "more than one decimal separator"),
    ("1,234.5", "more than one decimal separator"),
    ("1 234,5,6", "more than one decimal separator"),
    ("1.234.567", "dots as thousands separators"),
    ("inf", "not a finite number"),
    ("-Infinity", "not a finite number"),
    ("NaN", "not a finite number"),
    ("#DIV/0!", "a spreadsheet error"),
    ("#SAKNAS!", "a spreadsheet error"),
    ("#N/A", "a spreadsheet error"),
    (DIGITS_310, "a magnitude of 1e+15 or more"),
    ("1 000 000 000 000 000", "a magnitude of 1e+15 or more"),
    ("−10000000000000000,5", "a magnitude of 1e+15 or more"),
])
def test_printed_like_a_number_but_not_one_is_a_fault(printed: str, why: str) -> None:
    assert number_fault(printed).startswith(why)
    cell = read_cell(printed)
    assert (cell.value.status, cell.value.value, cell.value.decimals, cell.note) == (UNREADABLE, None, None, None)


# (printed, status, value, decimals, note) exactly as extraction read them before
AS_BEFORE = [
    ("1 234,1", REPORTED, 1234.1, 1, None),
    ("- 6 279", REPORTED, -6279.0, 0, None),
    ("\u22120,3", REPORTED, -0.3, 1, None),
    ("–4,2", REPORTED, -4.2, 1, None),
    ("661\u00a0304", REPORTED, 661304.0, 0, None),
    ("80,4%", REPORTED, 80.4, 1, None),
    ("287,6 %", REPORTED, 287.6, 1, None),
    ("2,7 mnkr", REPORTED, 2.7, 1, None),
    ("-400*", REPORTED, -400.0, 0, "*"),
    ("12,5¹", REPORTED, 12.5, 1, "¹"),
    ("0.62", REPORTED, 0.62, 2, None),
    ("11,12", REPORTED, 11.12, 2, None),  # read as a decimal number, as before
    ("2024", REPORTED, 2024.0, 0, None),
    ("999 999 999 999 999", REPORTED, 999_999_999_999_999.0, 0, None),  # 15 digits: the largest loaded
    ("*", PENDING, None, None, None),
    ("-", MISSING, None, None, None),
    ("–", MISSING, None, None, None),
    ("(123)", "text", None, None, None),
    ("Ej aktuellt", "text", None, None, None),
    ("Stängt", "text", None, None, None),
    ("s. 12", "text", None, None, None),
    ("Not 11,12", "text", None, None, None),
    ("2024-10-07", "text", None, None, None),
    ("13.05.2024", "text", None, None, None),  # a date with dots, not dotted thousands
    ("1.1.2", "text", None, None, None),  # a goal or section number
    ("193.183.61.34", "text", None, None, None),
    ("10, 15", "text", None, None, None),  # a list of notes
    ("1985 - 1986", "text", None, None, None),
    ("10-40 år", "text", None, None, None),
    ("-1 058 424 -5 220 160", "text", None, None, None),  # two columns the geometry did not split
    ("1 23", "text", None, None, None),
    ("#1", "text", None, None, None),
]


@pytest.mark.parametrize(("printed", "status", "value", "decimals", "note"), AS_BEFORE)
def test_what_reports_print_reads_as_before(printed, status, value, decimals, note) -> None:
    assert number_fault(printed) is None
    cell = read_cell(printed)
    assert (cell.value.status, cell.value.decimals, cell.note) == (status, decimals, note)
    assert cell.value.value == (pytest.approx(value) if value is not None else None)


def test_the_bound_is_fifteen_digits_before_the_comma() -> None:
    assert MAX_MAGNITUDE == 1e15
    assert number_fault("999 999 999 999 999,9") is None
    assert number_fault("1 000 000 000 000 000") is not None
    # every integer below the bound is exact as a DOUBLE: the value is the number printed
    assert float(999_999_999_999_999) == 999_999_999_999_999


def test_a_column_of_note_references_keeps_its_lists() -> None:
    """'3,4,5' under 'Not' lists notes 3, 4 and 5 (dbt leaves the column out as note_ref)."""
    assert is_reference_column("Not") and is_reference_column("Noter") and is_reference_column("", "Not.")
    assert not is_reference_column("Utfall 2024", "Helår 2024 > Utfall 2024")
    assert read_cell("3,4,5", amounts=False).value.status == "text"
    assert read_cell("3,4,5").value.status == UNREADABLE


# --- validation: the reason names the cell --------------------------------------------------------

def cell(row_index: int, col_index: int, printed: str, value: float | None, status: str, **extra) -> dict:
    record = dict(report_id=RID, table_id=4, family="income_statement", page=9, chapter="Ekonomi",
                  heading="Resultaträkning", goal_area=None, caption="Resultaträkning",
                  header_text="Belopp i tkr Utfall 2025 Utfall 2024", first_header="Belopp i tkr",
                  row_index=row_index, row_label=f"Rad {row_index}", row_path=f"Rad {row_index}", row_depth=0,
                  row_bold=False, col_index=col_index, column_header=f"Utfall {2026 - col_index}",
                  column_path=f"Utfall {2026 - col_index}", period=str(2026 - col_index),
                  period_year=2026 - col_index, group_period_year=None, printed=printed, value=value,
                  decimals=None if value is None else 0, value_status=status, note=None, unit="tkr",
                  x0=300.0, top=200.0 + 12 * row_index, x1=340.0, bottom=209.0 + 12 * row_index)
    return {**record, **extra}


def test_an_unreadable_cell_is_quarantined_with_the_cell_and_its_text() -> None:
    frame = pd.DataFrame([cell(1, 1, "1 234", 1234.0, REPORTED), cell(1, 2, "1e30", None, UNREADABLE),
                          cell(2, 1, DIGITS_310, None, UNREADABLE)]).reindex(columns=FRAME_COLUMNS["cells"])
    valid, quarantined = validate_frame("cells", frame, RID)
    assert valid.index.tolist() == [0]
    reasons = dict(zip(quarantined["row_number"], quarantined["reason"]))
    assert reasons[1] == ("printed '1e30' is not a number in Swedish report format (scientific notation): "
                          "table 4, row 1 'Rad 1', column 2 'Utfall 2024', page 9")
    assert reasons[2].startswith("printed '" + "9" * 28 + "…" + "9" * 28 + "' (310 characters) is not a number")
    assert "a magnitude of 1e+15 or more" in reasons[2]
    assert "table 4, row 2 'Rad 2', column 1 'Utfall 2025'" in reasons[2]
    assert json.loads(quarantined.iloc[1]["record"])["printed"] == DIGITS_310  # the record keeps all of it


def test_a_value_beyond_the_bound_never_loads() -> None:
    """A frame that reports a huge value (not from extract_report, which calls it unreadable) is
    quarantined by the schema itself, naming the cell; inf keeps its own reason."""
    frame = pd.DataFrame([cell(1, 1, "x", 1e20, REPORTED), cell(1, 2, "y", -1e15, REPORTED),
                          cell(2, 1, "z", 999_999_999_999_999.0, REPORTED),
                          cell(2, 2, "w", math.inf, REPORTED)]).reindex(columns=FRAME_COLUMNS["cells"])
    valid, quarantined = validate_frame("cells", frame, RID)
    assert valid.index.tolist() == [2]
    reasons = dict(zip(quarantined["row_number"], quarantined["reason"]))
    assert reasons[0].startswith("value 1e+20 (printed 'x') is not below 1e+15 in magnitude")
    assert reasons[0].endswith("table 4, row 1 'Rad 1', column 1 'Utfall 2025', page 9")
    assert reasons[1].startswith("value -1e+15 (printed 'y')")
    assert reasons[3] == "value must be a finite number"


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e300])
def test_text_figures_never_load_a_non_finite_or_huge_value(value: float) -> None:
    frame = pd.DataFrame([dict(report_id=RID, page=3, sentence="Intäkterna var 1 kr.", figure_index=1,
                               value=value, decimals=0, unit="kr", text="1 kr", x0=1.0, top=2.0, x1=3.0,
                               bottom=4.0)]).reindex(columns=FRAME_COLUMNS["text_figures"])
    valid, quarantined = validate_frame("text_figures", frame, RID)
    assert valid.empty and len(quarantined) == 1
    reason = quarantined.iloc[0]["reason"]
    if math.isnan(value):
        assert reason == "column 'value' is null but required"
    elif math.isinf(value):
        assert reason == "value must be a finite number"
    else:
        assert reason == ("value 1e+300 (printed '1 kr') is not below 1e+15 in magnitude, more than any report "
                          "prints (a misread number?): page 3, in the sentence 'Intäkterna var 1 kr.'")


# --- a generated report, extracted, validated and loaded -----------------------------------------

PROSE = "Kommunen har under året arbetat vidare med sina mål och följt upp verksamheten noga. " * 4
NORMAL = {  # row label -> (2025, 2024) as printed; the values a report prints
    "Verksamhetens intäkter": ("1 234,1", "1 198,0"),
    "Verksamhetens kostnader": ("- 6 279", "-6 104"),
    "Avskrivningar": ("-400*", "−0,3"),
    "Generella statsbidrag": ("Ej aktuellt", "-"),
    "Finansiella poster": ("(123)", "80,4%"),
}
BAD = {  # row label -> the 2024 cell (the 2025 cell is a normal number)
    "Skatteintäkter": "1e30",
    "Kommunal utjämning": "12,3,4",
    "Årets resultat": DIGITS_310,
}


def bad_report() -> Report:
    """A Resultaträkning whose 2024 column holds three numbers that are not numbers. The
    310-digit number only fits a landscape page in 3 pt type, in a wide last column."""
    rows = [[label, *cells] for label, cells in NORMAL.items()]
    rows += [[label, "512", printed] for label, printed in BAD.items()]
    return Report(municipality="Provby kommun", fiscal_year=2025, elements=[
        Heading("Ekonomi", 1), Paragraph(PROSE), PageBreak(orientation="landscape"),
        Heading("Resultaträkning", 2),
        Table(header_rows=[["Belopp i tkr", "Utfall 2025", "Utfall 2024"]], rows=rows, strict_numbers=False,
              font_size=3.0, col_widths=[100, 60, 540]),
    ])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("number-faults")
    pdf = pf.render(bad_report(), pf.STYLES["sample_like"], folder / "provby.pdf").path
    extracted = extract_report(pdf)
    validated = validate_report(extracted)
    warehouse = folder / "arw.duckdb"
    result = load_report(warehouse, validated)
    return {"extracted": extracted, "validated": validated, "warehouse": warehouse, "result": result}


def test_normal_cells_load_with_their_values(loaded) -> None:
    with duckdb.connect(str(loaded["warehouse"]), read_only=True) as con:
        rows = con.execute("select row_label, col_index, printed, value, decimals, value_status, note "
                           "from raw.raw_cells order by row_index, col_index").fetchall()
    got = {(label, col): (printed, value, decimals, status, note)
           for label, col, printed, value, decimals, status, note in rows}
    assert got[("Verksamhetens intäkter", 1)] == ("1 234,1", 1234.1, 1, REPORTED, None)
    assert got[("Verksamhetens kostnader", 1)] == ("- 6 279", -6279.0, 0, REPORTED, None)
    assert got[("Verksamhetens kostnader", 2)] == ("-6 104", -6104.0, 0, REPORTED, None)
    assert got[("Avskrivningar", 1)] == ("-400*", -400.0, 0, REPORTED, "*")
    assert got[("Avskrivningar", 2)][1:4] == (-0.3, 1, REPORTED)
    assert got[("Generella statsbidrag", 1)] == ("Ej aktuellt", None, None, "text", None)
    assert got[("Generella statsbidrag", 2)] == ("-", None, None, MISSING, None)
    assert got[("Finansiella poster", 1)] == ("(123)", None, None, "text", None)
    assert got[("Finansiella poster", 2)] == ("80,4%", 80.4, 1, REPORTED, None)
    for label in BAD:
        assert got[(label, 1)] == ("512", 512.0, 0, REPORTED, None)  # the row's other cell loads
        assert (label, 2) not in got  # the bad cell does not: it is in quarantine
    assert len(got) == 2 * len(NORMAL) + len(BAD)


def test_each_bad_cell_is_quarantined_naming_the_cell_and_its_text(loaded) -> None:
    assert loaded["result"].quarantined == len(BAD)  # counted, as `arw ingest` reports it
    with duckdb.connect(str(loaded["warehouse"]), read_only=True) as con:
        quarantined = con.execute("select frame, record, reason from raw.quarantine order by row_number").fetchall()
    assert [frame for frame, _, _ in quarantined] == ["cells"] * len(BAD)
    records = [json.loads(record) for _, record, _ in quarantined]
    assert [(r["row_label"], r["printed"], r["value_status"]) for r in records] == [
        (label, printed, UNREADABLE) for label, printed in BAD.items()]
    table_id = records[0]["table_id"]
    whys = ["scientific notation", "more than one decimal separator", "a magnitude of 1e+15 or more"]
    for (_, _, reason), record, why in zip(quarantined, records, whys):
        shown = repr(record["printed"]) if len(record["printed"]) < 60 else "'" + "9" * 28 + "…"
        assert reason.startswith(f"printed {shown}"), reason
        assert f"({why}" in reason
        assert reason.endswith(f"table {table_id}, row {record['row_index']} {record['row_label']!r}, "
                               f"column 2 'Utfall 2024', page {record['page']}")


def test_nothing_non_finite_or_beyond_the_bound_reaches_the_warehouse(loaded) -> None:
    with duckdb.connect(str(loaded["warehouse"]), read_only=True) as con:
        for table in ("raw_cells", "raw_text_figures"):
            bad = con.execute(f"select count(*) from raw.{table} where value is not null and "
                              f"(isnan(value) or isinf(value) or abs(value) >= ?)", [MAX_MAGNITUDE]).fetchone()[0]
            assert bad == 0, table
        assert con.execute("select count(*) from raw.raw_cells where value_status = ?", [UNREADABLE]).fetchone()[0] == 0


def test_the_extracted_frame_holds_no_non_finite_value(loaded) -> None:
    """Extraction itself never produces inf: the 310-digit cell is unreadable, without a value."""
    cells = loaded["extracted"].frames["cells"]
    values = cells["value"].dropna().astype(float)
    assert values.map(math.isfinite).all() and (values.abs() < MAX_MAGNITUDE).all()
    assert sorted(cells.loc[cells["value_status"] == UNREADABLE, "printed"]) == sorted(BAD.values())


@pytest.mark.slow
def test_the_marts_hold_no_non_finite_number(loaded, tmp_path) -> None:
    """dbt computes differences and sums over the cells: none of them may end in inf or nan."""
    from warehouse_harness import build_warehouse

    warehouse = tmp_path / "arw.duckdb"
    build_warehouse(warehouse, [loaded["extracted"]])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute("select table_name, column_name from information_schema.columns "
                              "where table_schema = 'main' and data_type in ('DOUBLE', 'FLOAT')").fetchall()
        assert columns
        for table, column in columns:
            bad = con.execute(f'select count(*) from main."{table}" where isnan("{column}") or isinf("{column}")'
                              ).fetchone()[0]
            assert bad == 0, f"{table}.{column}"
        assert con.execute("select count(*) from fct_quarantine where frame = 'cells'").fetchone()[0] == len(BAD)
