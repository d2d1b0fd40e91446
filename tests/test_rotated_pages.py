"""Rotated pages read upright: a page with /Rotate 90, 180 or 270 over upright content (or with
its text drawn sideways) gives the same lines, tables and cells as the upright page.

Every page is read in the frame where its text runs left to right (extract.layout.Turn); the
bounding boxes in the frames are then put back on the page *as displayed* (pdfplumber's
coordinates with /Rotate applied: what a viewer shows and what the review page crops). So a
cell's text and values equal the upright version's, and its box, turned by the page's rotation,
is the upright version's box; the characters printed inside it are the same.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pdfplumber
import pypdfium2 as pdfium
import pytest

import pdf_factory as pf

from extract.frames import BBOX, FRAME_NAMES
from extract.layout import Turn, page_turn, text_angle
from extract.report import extract_report, read_document
from extract.settings import DEFAULT_SETTINGS
from pdf_factory import Heading, PageBreak, Paragraph, Report, Table
from schemas import validate_report

PROSE = "Kommunen har under året arbetat vidare med sina mål och följt upp verksamheten noga. " * 4
IDENTITY = ("municipality", "body", "fiscal_year", "report_type", "organisation", "page_count")


def statement_report() -> Report:
    """A cover, a page of prose with an indicator table, and a page holding a Resultaträkning
    (section rows, bold totals, a footnoted amount, a missing value, words in a value cell)."""
    return Report(municipality="Provby kommun", fiscal_year=2025, elements=[
        Heading("Mål och uppdrag", 1), Paragraph(PROSE),
        Heading("Trygga invånare", 3),
        Table(header_rows=[["KF-indikatorer", "Utfall 2024", "Utfall 2025", "Mål 2027"]],
              rows=[["Trygghet i skolan", "78,4%", "79,9%", "85,0%"],
                    ["Kostnad, kr/inv.", "1 512", "*", "1 300"]]),
        Paragraph("Intäkterna uppgick till 1 240,1 mnkr vilket var 3,9 mnkr mer än budget."),
        PageBreak(),
        Heading("Resultaträkning", 2),
        Table(header_rows=[["Belopp i tkr", "Utfall 2025", "Utfall 2024", "Förändring"]],
              rows=[["Verksamhetens intäkter", "1 234,1", "1 198,0", "36,1"],
                    ["Verksamhetens kostnader", "-6 279,0", "-6 104,2", "-174,8"],
                    ["Avskrivningar", "-400*", "-385,5", "-"],
                    ["Verksamhetens nettokostnader", "-5 444,9", "-5 291,7", "-153,2"],
                    ["Generella statsbidrag", "Ej aktuellt", "-", "-"],
                    ["Årets resultat", "80,4", "-2,3", "82,7"]],
              bold_rows={3, 5}, strict_numbers=False, footnote="* Preliminärt belopp."),
    ])


STYLES = ["sample_like", "times_grid_letter", "fpdf_vera_grid"]  # two producers; grids: vertical rulings
ROTATIONS = [("table page", 90), ("table page", 180), ("table page", 270),
             ("every page", 90), ("every page", 180), ("every page", 270)]


def rotated(source: Path, target: Path, pages: list[int], angle: int) -> Path:
    """A copy of `source` with /Rotate `angle` on `pages` (1-based), written by PDFium."""
    document = pdfium.PdfDocument(str(source))
    try:
        for number in pages:
            document[number - 1].set_rotation(angle)
        document.save(str(target))
    finally:
        document.close()
    return target


@pytest.fixture(scope="module", params=STYLES)
def upright(request, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp(f"rotated-{request.param}")
    report = statement_report()
    result = pf.render(report, pf.STYLES[request.param], folder / "provby.pdf")
    statement = report.elements[-1]
    extracted = extract_report(result.path)
    return {"folder": folder, "path": result.path, "pages": result.page_count,
            "table_page": result.page_of(statement), "extracted": extracted,
            "validated": validate_report(extracted)}


def without_boxes(frame: pd.DataFrame) -> pd.DataFrame:
    """What was read, without where (and without the report id: the sha256 of other bytes)."""
    return frame.drop(columns=[*BBOX, "report_id"]).reset_index(drop=True)


def turned_box(box: tuple[float, ...], angle: int, width: float, height: float) -> tuple[float, ...]:
    """An upright box on a page displayed turned clockwise by `angle` (`width` x `height`: the
    displayed page): written out here, independently of extract.layout.Turn."""
    x0, top, x1, bottom = box
    if angle == 90:
        return (width - bottom, x0, width - top, x1)
    if angle == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return (top, height - x1, bottom, height - x0)


def printed_chars(page, box: tuple[float, ...]) -> Counter:
    """The characters a page prints inside a box (by their centres), spaces left out."""
    x0, top, x1, bottom = box
    return Counter(c["text"] for c in page.chars if c["text"].strip()
                   and x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5
                   and top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= bottom + 0.5)


@pytest.mark.parametrize(("which", "angle"), ROTATIONS, ids=[f"{w.replace(' ', '-')}-{a}" for w, a in ROTATIONS])
def test_a_rotated_page_reads_as_the_upright_page(upright, which, angle) -> None:
    pages = [upright["table_page"]] if which == "table page" else list(range(1, upright["pages"] + 1))
    path = rotated(upright["path"], upright["folder"] / f"rotated-{which.replace(' ', '-')}-{angle}.pdf", pages, angle)
    extracted = extract_report(path)  # accepted: raises NotAnAnnualReportError when the table is garbled
    expected = upright["extracted"]

    assert {k: extracted.report[k] for k in IDENTITY} == {k: expected.report[k] for k in IDENTITY}
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(without_boxes(extracted.frame(name)), without_boxes(expected.frame(name)),
                                      check_dtype=False, obj=name)
    statement = extracted.frame("cells").query("family == 'income_statement'")
    assert set(statement["row_label"]) >= {"Verksamhetens intäkter", "Årets resultat"}
    assert statement.query("row_label == 'Avskrivningar' and col_index == 1")[["value", "note"]].values.tolist() \
        == [[-400.0, "*"]]
    validated = validate_report(extracted)
    assert validated.quarantine["reason"].tolist() == upright["validated"].quarantine["reason"].tolist()

    # boxes: on the displayed page, the upright box turned by the rotation, over the same characters
    with pdfplumber.open(path) as turned_pdf, pdfplumber.open(upright["path"]) as upright_pdf:
        for name in ("tables", "cells"):
            got, want = extracted.frame(name), expected.frame(name)
            for (_, row), (_, original) in zip(got.iterrows(), want.iterrows()):
                box, original_box = tuple(row[BBOX]), tuple(original[BBOX])
                if row["page"] not in pages:
                    assert box == pytest.approx(original_box)
                    continue
                page = turned_pdf.pages[row["page"] - 1]
                assert page.rotation == angle
                assert box == pytest.approx(turned_box(original_box, angle, float(page.width), float(page.height)),
                                            abs=0.01)
                assert printed_chars(page, box) == printed_chars(upright_pdf.pages[row["page"] - 1], original_box)


# --- text drawn sideways, with or without a /Rotate that shows it upright ------------------------

LANDSCAPE = (841.8898, 595.2756)
LINES = [  # (text, x, baseline from the top, bold) of a small landscape table
    ("Resultaträkning", 72, 80, True),
    ("Belopp i tkr", 72, 120, True), ("Utfall 2025", 420, 120, True), ("Utfall 2024", 560, 120, True),
    ("Verksamhetens intäkter", 72, 140, False), ("1 234,1", 440, 140, False), ("1 198,0", 580, 140, False),
    ("Verksamhetens kostnader", 72, 160, False), ("-6 279,0", 436, 160, False), ("-6 104,2", 576, 160, False),
]


def draw_landscape(path: Path, sideways: bool) -> Path:
    """The landscape table drawn upright on a landscape page, or (`sideways`) drawn turned a
    quarter on a portrait page, its lines running up the page, as some producers print wide tables."""
    from reportlab.pdfgen import canvas

    width, height = LANDSCAPE
    c = canvas.Canvas(str(path), pagesize=(height, width) if sideways else (width, height), invariant=1)
    if sideways:  # content x runs up the portrait page, content y to its left
        c.translate(height, 0)
        c.rotate(90)
    for text, x, baseline, bold in LINES:
        c.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
        c.drawString(x, height - baseline, text)
    c.line(72, height - 126, 640, height - 126)
    c.showPage()
    c.save()
    return path


def page_lines(path: Path):
    pages, _ = read_document(path, DEFAULT_SETTINGS)
    return pages[0]


@pytest.mark.parametrize("rotate", [None, 90], ids=["no-Rotate", "Rotate-90-shows-it-upright"])
def test_text_drawn_sideways_reads_upright(tmp_path, rotate) -> None:
    upright = page_lines(draw_landscape(tmp_path / "upright.pdf", sideways=False))
    path = draw_landscape(tmp_path / "sideways.pdf", sideways=True)
    if rotate:
        path = rotated(path, tmp_path / "sideways-rotated.pdf", [1], rotate)
    turned = page_lines(path)
    assert turned.turn.angle == (0 if rotate else 270)
    assert (turned.width, turned.height) == pytest.approx(LANDSCAPE)
    texts = [[c.text for c in line.cells] for line in turned.lines]
    assert texts == [[c.text for c in line.cells] for line in upright.lines]
    assert texts[2] == ["Verksamhetens intäkter", "1 234,1", "1 198,0"]
    for line, original in zip(turned.lines, upright.lines):
        for cell, original_cell in zip(line.cells, original.cells):
            assert (cell.x0, cell.top, cell.x1, cell.bottom, cell.bold, cell.size) == pytest.approx(
                (original_cell.x0, original_cell.top, original_cell.x1, original_cell.bottom, original_cell.bold,
                 original_cell.size), abs=0.01)
    assert [r.orientation for r in turned.rulings] == [r.orientation for r in upright.rulings] == ["h"]
    for ruling, original in zip(turned.rulings, upright.rulings):
        assert (ruling.x0, ruling.top, ruling.x1, ruling.bottom) == pytest.approx(
            (original.x0, original.top, original.x1, original.bottom), abs=0.01)


# --- the turn of a page, and its geometry --------------------------------------------------------

@pytest.mark.parametrize(("matrix", "angle"), [
    ((1, 0, 0, 1, 0, 0), 0), ((9, 0, 1.8, 9, 0, 0), 0),  # upright; italic shear
    ((0, -1, 1, 0, 0, 0), 90), ((-1, 0, 0, -1, 0, 0), 180), ((0, 1, -1, 0, 0, 0), 270),
    ((0, 0, 0, 0, 0, 0), None),
])
def test_text_angle_is_the_baseline_direction_on_the_displayed_page(matrix, angle) -> None:
    assert text_angle(matrix) == angle


@pytest.mark.parametrize("angle", [0, 90, 180, 270])
def test_a_turn_maps_points_there_and_back(angle) -> None:
    turn = Turn(angle, 842.0, 595.0)
    for point in [(0.0, 0.0), (10.0, 20.0), (842.0, 595.0), (300.5, 17.25)]:
        assert turn.displayed(*turn.upright(*point)) == pytest.approx(point)
    width, height = turn.size
    assert all(0 <= v <= limit for v, limit in zip(turn.upright(842.0, 595.0), (width, height)))
    box = (100.0, 50.0, 160.0, 59.0)
    assert turn.displayed_box(*turn.upright_box(*box)) == pytest.approx(box)


def chars(angle_matrix: tuple, count: int) -> list[dict]:
    return [{"text": "a", "matrix": angle_matrix} for _ in range(count)]


def test_a_page_turns_only_when_most_of_its_text_is_turned() -> None:
    upright, down = (1, 0, 0, 1, 0, 0), (0, -1, 1, 0, 0, 0)
    settings = DEFAULT_SETTINGS
    assert page_turn(chars(upright, 200) + chars(down, 30), 595, 842, settings).angle == 0  # a margin note
    assert page_turn(chars(upright, 40) + chars(down, 300), 842, 595, settings).angle == 90
    assert page_turn(chars(down, 50) + chars(upright, 50), 842, 595, settings).angle == 0  # no majority
    assert page_turn([{"text": " ", "matrix": down}] * 9, 842, 595, settings).angle == 0  # spaces print nothing
    assert page_turn([], 595, 842, settings) == Turn(0, 595.0, 842.0)
