"""The bundled sample report extracts to exactly the expected values of every table.

Goals are typed by the extractor; the indicators (fct_indicators), the statements (fct_budget)
and the supplier, procurement and internal-control lists (fct_suppliers, fct_procurements,
fct_internal_controls) are built by dbt from the `cells` frame and the vocabulary seeds, so they
are compared in the sample warehouse (extract -> validate -> load -> dbt build, once)."""
import hashlib
import math

import pytest

from expected import SAMPLE_PDF, SPECS, actual_rows, expected_rows
from warehouse_harness import fct_budget, query_df, raw_cells

BUDGET_STATEMENTS = {"budget_adjustments", "operating_summary", "income_statement", "operating_by_department",
                     "investments"}


@pytest.fixture(scope="module")
def budget(sample_warehouse, sample_report):
    """fct_budget of the sample report."""
    return fct_budget(sample_warehouse, sample_report.report_id)


# fixtures dbt builds from the cells frame, and the mart each is compared with
MARTS = {"indicators": "fct_indicators", "suppliers": "fct_suppliers", "procurements": "fct_procurements",
         "internal_controls": "fct_internal_controls"}


@pytest.fixture(scope="module")
def marts(sample_warehouse, sample_report):
    """The sample report's rows of the marts dbt builds from its indicator and list tables' cells."""
    return {name: query_df(sample_warehouse, f"select * from {mart} where report_id = ?", [sample_report.report_id])
            for name, mart in MARTS.items()}


@pytest.fixture(scope="module")
def frames(sample_report, budget, marts):
    """What each expected fixture is compared with: the typed frames, fct_budget, fct_indicators
    and the list marts."""
    return {**sample_report.frames, "budget": budget, **marts}


def test_report_identity(sample_report):
    report = sample_report.report
    assert report["report_id"] == hashlib.sha256(SAMPLE_PDF.read_bytes()).hexdigest()
    assert (report["municipality"], report["body"], report["report_type"], report["fiscal_year"]) == (
        "Haninge kommun", "Kommunstyrelsen", "årsredovisning", 2024,
    )
    assert report["page_count"] == 40


@pytest.mark.parametrize("frame", list(SPECS))
def test_every_expected_row_and_no_other(frames, frame):
    actual = actual_rows(frame, frames[frame])
    expected = expected_rows(frame)
    assert sorted(expected - actual, key=str) == [], "missing rows"
    assert sorted(actual - expected, key=str) == [], "extra rows"
    assert len(frames[frame]) == len(expected), "duplicate rows"


def test_the_python_extractor_no_longer_types_statements(sample_report):
    assert "budget" not in sample_report.frames
    cells = sample_report.frames["cells"]
    assert BUDGET_STATEMENTS <= set(cells["family"].dropna())


def test_the_python_extractor_no_longer_types_lists(sample_report):
    """Indicators, suppliers, procurements and internal controls reach the warehouse as value
    cells only."""
    assert not set(MARTS) & set(sample_report.frames)
    cells = sample_report.frames["cells"]
    assert set(MARTS) <= set(cells["family"].dropna())


def test_list_marts_point_at_the_cells_they_were_printed_in(sample_warehouse, sample_report, marts):
    """Every supplier amount, procurement value and control text is one loaded value cell of its
    row: same page, number (or words) as printed; a control's risk is the heading above its table."""
    cells = raw_cells(sample_warehouse, sample_report.report_id)
    suppliers = cells[cells["family"] == "suppliers"]
    headers = {"investment_tkr": "Inv. projekt tkr", "operating_tkr": "Drift tkr", "total_tkr": "Totalt tkr"}
    for row in marts["suppliers"].itertuples():
        mine = suppliers[suppliers["row_label"] == row.supplier]
        assert row.page == mine["page"].min(), row
        for column, header in headers.items():
            cell = mine[mine["column_header"] == header]
            amount = getattr(row, column)
            assert len(cell) == 1, (row, column)
            if cell.iloc[0]["value_status"] == "empty":  # a blank cell is an empty cell: no amount
                assert cell.iloc[0]["printed"] == "" and math.isnan(cell.iloc[0]["value"]), (row, column)
                assert math.isnan(amount), (row, column)
            else:
                assert (cell.iloc[0]["value"], cell.iloc[0]["unit"]) == (amount, "tkr"), (row, column)
    procurements = cells[cells["family"] == "procurements"].set_index("row_label")
    for row in marts["procurements"].itertuples():
        cell = procurements.loc[row.description]
        assert (cell["page"], cell["value"], cell["decimals"], cell["unit"]) == (
            row.page, row.contract_value_mnkr, row.decimals, "mnkr"), row
    controls = cells[cells["family"] == "internal_controls"]
    for row in marts["internal_controls"].itertuples():
        mine = controls[(controls["row_label"] == row.control) & (controls["heading"] == row.risk)]
        assert mine.set_index("column_header")["printed"].to_dict() == {
            "Frekvens": row.frequency, "Resultat": row.result}, row
        assert (mine["value_status"] == "text").all() and row.page == mine["page"].min(), row


def test_values_carry_the_page_they_are_printed_on(sample_report, budget, marts):
    pages = budget.groupby("statement")["page"].unique().map(sorted).to_dict()
    assert pages == {
        "budget_adjustments": [22], "operating_summary": [22], "income_statement": [23],
        "operating_by_department": [24], "investments": [25],
    }
    assert budget.groupby("statement")["table_id"].nunique().to_dict() == dict.fromkeys(BUDGET_STATEMENTS, 1)
    suppliers = marts["suppliers"].set_index("supplier")["page"]
    assert suppliers["Tornbergets Fastighetsförvaltning AB"] == 39 and suppliers["Event City"] == 40
    assert marts["procurements"]["page"].unique().tolist() == [32]
    assert marts["internal_controls"].set_index("risk")["page"].to_dict() == {
        "Bristande hantering av förtroendekänsliga kostnader/utlägg": 34, "Bristande informationshantering": 35,
        "Bristande IT-säkerhet": 36, "Bristande kontroll av inköp av IT-system": 36,
        "Bristande hantering av anläggningsregister": 37, "Otillåten påverkan": 37}
    indicators = marts["indicators"].set_index(["indicator", "year", "is_target"]).sort_index()["page"]
    assert indicators[("Kostnad ekonomiskt bistånd, kr/inv.", 2022, False)] == 9
    assert indicators[("Total sjukfrånvaro", 2024, False)].tolist() == [28, 28]


def test_budget_figures_point_at_the_cell_they_were_printed_in(sample_warehouse, sample_report, budget):
    """Every fct_budget row is one loaded value cell: same table, row, column, page and number."""
    cells = raw_cells(sample_warehouse, sample_report.report_id).set_index(["table_id", "row_index", "col_index"])
    for row in budget.itertuples():
        cell = cells.loc[(row.table_id, row.line_order, row.column_index)]
        assert (cell["family"], cell["row_label"], cell["page"], cell["value"], cell["decimals"]) == (
            row.statement, row.line_item, row.page, row.amount, row.decimals), row
        assert cell["value_status"] == "reported"
        assert cell["x0"] <= cell["x1"] and cell["top"] <= cell["bottom"]


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


def test_every_table_is_in_the_cells_frame_with_its_family(sample_report):
    tables = sample_report.frames["tables"].groupby("table_id")["family"].first()
    value_cells = sample_report.frames["cells"]
    families = value_cells.groupby("table_id")["family"].unique()
    assert set(families.index) == set(tables.index), "every table has value cells"
    assert all(list(families[t]) == [tables[t]] for t in tables.index)
    assert ((value_cells["x0"] <= value_cells["x1"]) & (value_cells["top"] <= value_cells["bottom"])).all()
    assert not value_cells.duplicated(["table_id", "row_index", "col_index"]).any()
