"""The bundled sample report extracts to exactly the expected values of every table."""
import hashlib

import pytest

from expected import SAMPLE_PDF, SPECS, actual_rows, expected_rows


def test_report_identity(sample_report):
    report = sample_report.report
    assert report["report_id"] == hashlib.sha256(SAMPLE_PDF.read_bytes()).hexdigest()
    assert (report["municipality"], report["body"], report["report_type"], report["fiscal_year"]) == (
        "Haninge kommun", "Kommunstyrelsen", "årsredovisning", 2024,
    )
    assert report["page_count"] == 40


@pytest.mark.parametrize("frame", list(SPECS))
def test_every_expected_row_and_no_other(sample_report, frame):
    actual = actual_rows(frame, sample_report.frames[frame])
    expected = expected_rows(frame)
    assert sorted(expected - actual, key=str) == [], "missing rows"
    assert sorted(actual - expected, key=str) == [], "extra rows"
    assert len(sample_report.frames[frame]) == len(expected), "duplicate rows"


def test_values_carry_the_page_they_are_printed_on(sample_report):
    budget = sample_report.frames["budget"]
    pages = budget.groupby("statement")["page"].unique().map(sorted).to_dict()
    assert pages == {
        "budget_adjustments": [22], "operating_summary": [22], "income_statement": [23],
        "operating_by_department": [24], "investments": [25],
    }
    suppliers = sample_report.frames["suppliers"].set_index("supplier")["page"]
    assert suppliers["Tornbergets Fastighetsförvaltning AB"] == 39 and suppliers["Event City"] == 40
    indicators = sample_report.frames["indicators"].set_index(["indicator", "year", "is_target"])["page"]
    assert indicators[("Kostnad ekonomiskt bistånd, kr/inv.", 2022, False)] == 9
    assert indicators[("Total sjukfrånvaro", 2024, False)].tolist() == [28, 28]


def test_every_table_is_kept_as_cells_with_a_bounding_box(sample_report):
    cells = sample_report.frames["tables"]
    families = cells.groupby("table_id")["family"].first()
    assert families.value_counts().to_dict() == {
        "indicators": 11, "internal_controls": 6, "staff_indicators": 2, "budget_adjustments": 1,
        "operating_summary": 1, "income_statement": 1, "operating_by_department": 1, "investments": 1,
        "suppliers": 1, "procurements": 1,
    }
    assert families.notna().all(), "a non-table (e.g. a bulleted list) was taken for a table"
    assert ((cells["x0"] <= cells["x1"]) & (cells["top"] <= cells["bottom"])).all()
    supplier_cells = cells[cells["family"] == "suppliers"]
    assert sorted(supplier_cells["page"].unique()) == [39, 40]
    header = supplier_cells[supplier_cells["is_header"]].sort_values("col_index")["text"].tolist()
    assert header == ["Leverantör", "Inv. projekt tkr", "Drift tkr", "Totalt tkr"]
