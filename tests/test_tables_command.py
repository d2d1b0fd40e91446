"""`arw tables PDF... [--format json|csv] [--out DIR]`: the tables of any PDF as grids, one file
per PDF, all in one process (in-process here, with typer's CliRunner)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pdfplumber
import pytest
from typer.testing import CliRunner

import pdf_factory as pf
from flows.cli import app

runner = CliRunner()

HEADER = [["", pf.Span("Helår 2025", 2), "Mål"], ["Nämnd", "Budget", "Utfall", "2027"]]
ROWS = [["Kommunstyrelsen", "-412,0", "-398,5", "-400"], ["Tekniska nämnden", "-96,3", "-101,2", "-95"],
        ["Summa", "-508,3", "-499,7", "-495"]]


def budget_pdf(path: Path) -> Path:
    """A report whose one table has a two-level header: 'Helår 2025' over Budget and Utfall."""
    report = pf.Report(municipality="Provby kommun", fiscal_year=2025, elements=[
        pf.Heading("Driftredovisning", 1), pf.Paragraph("Belopp i miljoner kronor."),
        pf.Table(header_rows=HEADER, rows=ROWS),
    ])
    return pf.render(report, pf.STYLES["sample_like"], path).path


def arw(*args: str):
    return runner.invoke(app, ["tables", *args], prog_name="arw")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really\n")
    return {"budget": budget_pdf(folder / "budget.pdf"), "broken": broken,
            "other": budget_pdf(folder / "other" / "driftredovisning.pdf")}


def test_json_gives_page_bbox_header_rows_and_spanning_cells_repeated(pdfs):
    result = arw(str(pdfs["budget"]), "--format", "json")
    assert result.exit_code == 0, result.output
    tables = json.loads(result.stdout)
    assert len(tables) == 1
    table = tables[0]
    assert table["page"] == 2  # page 1 is the cover: any page is read, the first too
    assert table["header_rows"] == 2
    assert table["rows"] == [
        [None, "Helår 2025", "Helår 2025", "Mål"],
        ["Nämnd", "Budget", "Utfall", "2027"],
        *ROWS,
    ]
    x0, top, x1, bottom = table["bbox"]
    with pdfplumber.open(pdfs["budget"]) as pdf:
        words = {w["text"]: w for w in pdf.pages[1].extract_words()}
    for text in ("Helår", "Nämnd", "Summa", "-495"):
        word = words[text]
        assert x0 - 0.5 <= word["x0"] and word["x1"] <= x1 + 0.5, text
        assert top - 0.5 <= word["top"] and word["bottom"] <= bottom + 0.5, text
    assert words["Belopp"]["bottom"] < top  # the paragraph above is not in the table


def test_out_writes_one_file_per_pdf_and_a_broken_pdf_fails_alone(pdfs, tmp_path):
    out = tmp_path / "grids"
    result = arw(str(pdfs["budget"]), str(pdfs["broken"]), str(pdfs["other"]), "--out", str(out))
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["budget.json", "driftredovisning.json"]
    assert json.loads((out / "budget.json").read_text()) == json.loads((out / "driftredovisning.json").read_text())
    assert "broken.pdf" in result.output
    assert "Wrote 2 of 3 file(s)" in result.output
    assert "Traceback" not in result.output


def test_csv_is_one_line_per_cell_with_header_rows_marked(pdfs, tmp_path):
    result = arw(str(pdfs["budget"]), "--format", "csv", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = list(csv.DictReader(io.StringIO((tmp_path / "budget.csv").read_text())))
    assert len(lines) == 5 * 4
    first = [(l["row"], l["column"], l["is_header"], l["text"]) for l in lines[:4]]
    assert first == [("0", "0", "true", ""), ("0", "1", "true", "Helår 2025"), ("0", "2", "true", "Helår 2025"),
                     ("0", "3", "true", "Mål")]
    assert {l["page"] for l in lines} == {"2"} and {l["table"] for l in lines} == {"1"}
    assert [l["text"] for l in lines if l["row"] == "4"] == ROWS[-1]


def test_a_folder_is_searched_for_pdfs(pdfs, tmp_path):
    result = arw(str(pdfs["other"].parent), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["driftredovisning.json"]


@pytest.mark.parametrize("args, message", [
    (["--format", "table", "--out", "{tmp}"], "choose --format json or csv"),
    (["--format", "json"], "give --out DIR"),
    (["--out", "{tmp}", "{budget_again}"], "would both be written to budget.json"),
], ids=["table-to-files", "several-pdfs-to-stdout", "same-stem-twice"])
def test_usage_errors_say_what_to_do(pdfs, tmp_path, args, message):
    again = tmp_path / "elsewhere" / "budget.pdf"
    again.parent.mkdir()
    again.write_bytes(pdfs["budget"].read_bytes())
    filled = [a.format(tmp=tmp_path / "out", budget_again=again) for a in args]
    result = arw(str(pdfs["budget"]), str(pdfs["other"]), *filled)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()


def test_a_year_over_four_columns_stays_over_them_with_footnote_marks_below():
    """The sample's operating tables (pages 22 and 23): 'Helår 2024' over Utfall, Budget,
    Avvikelse and % avv., with a line of '*' marks under it, which groups nothing."""
    from expected import SAMPLE_PDF
    from extract.report import read_grids

    firsts = [grid.rows[0] for grid in read_grids(SAMPLE_PDF) if grid.page in (22, 23) and len(grid.rows[0]) == 8]
    assert firsts == [[None, "Helår 2024", "Helår 2024", "Helår 2024", "Helår 2024", "Helår 2023", None, None]] * 2


def test_column_headers_printed_upwards_are_read_as_headers_and_a_margin_note_is_left_out(tmp_path):
    """Narrow columns under headers turned a quarter (read bottom to top, one of two words, one
    on two turned lines): each header is one cell of the header line. A note printed up the margin is neither a header
    nor a column of single letters."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from extract.report import read_grids

    path = tmp_path / "turned-headers.pdf"
    pdf, height = canvas.Canvas(str(path), pagesize=A4), A4[1]
    pdf.setFont("Helvetica", 9)
    pdf.drawString(50, height - 60, "The committees' net costs, as the table below shows them.")
    pdf.drawString(50, height - 178, "Mnkr")
    for x, text in ((20, "Årsredovisning 2024 · Haninge kommun"), (230, "Kommunstyrelsen"), (275, "Barn- och"),
                    (285, "utbildningsnämnden"), (330, "Tekniska nämnden")):  # one header on two turned lines
        pdf.saveState()
        pdf.translate(x, height - (400 if x == 20 else 180))
        pdf.rotate(90)
        pdf.drawString(0, 0, text)
        pdf.restoreState()
    for i, label in enumerate(["Intäkter", "Kostnader"]):
        pdf.drawString(50, height - 194 - 13 * i, label)
        for j in range(3):
            pdf.drawRightString(240 + 50 * j, height - 194 - 13 * i, f"{11 * (i + 1) + 7 * j},{j}")
    pdf.save()
    (grid,) = read_grids(path)
    assert grid.rows == [["Mnkr", "Kommunstyrelsen", "Barn- och utbildningsnämnden", "Tekniska nämnden"],
                         ["Intäkter", "11,0", "18,1", "25,2"], ["Kostnader", "22,0", "29,1", "36,2"]]
