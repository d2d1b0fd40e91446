"""Every bad input fails with a clear error (what happened, what to do) and leaves the warehouse
exactly as it was.

Each bad input is generated in a temporary folder and fed to the command line (`arw ingest PATH
--warehouse W`) against a copy of a warehouse that already holds the sample report; afterwards
every raw table must hold byte-for-byte what it held before. Most cases run in-process (typer's
CliRunner); a few run as real processes too (what a shell sees: the exit code, no traceback),
started together when the module begins while the others run. The extraction errors themselves
are also checked directly (fast) against `extract_report`.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable
from unittest import mock

import duckdb
import pytest

from cli_harness import arw_in_process, arw_process
from conftest import RUN_SUMMARY
from warehouse_harness import copy_warehouse

import pdf_factory as pf
from expected import SAMPLE_PDF
from extract.errors import (
    DamagedPdfError, EmptyFileError, EncryptedPdfError, ExtractionError, HtmlPageError, NoTextLayerError,
    NotAnAnnualReportError, NotAPdfError, PageReadError, TooManyPagesError, TruncatedPdfError,
    UnreadableFileError,
)
from extract.report import extract_report
from extract.settings import ExtractSettings

CLI_TIMEOUT = 600
CLI_WORKERS = 2  # concurrent `arw ingest` processes


# --- bad inputs, generated ---------------------------------------------------------------------

def small_report(path: Path, encrypt=None) -> Path:
    """A two-page report (cover + one KF indicator table) drawn by reportlab, optionally encrypted."""
    report = pf.Report(municipality="Provby kommun", fiscal_year=2025, elements=[
        pf.Heading("Mål och uppdrag", 1), pf.Paragraph("En kort inledning till rapporten."),
        pf.Heading("Trygga invånare", 3),
        pf.Table(header_rows=[["KF-indikatorer", "Utfall 2024", "Utfall 2025", "Mål 2027"]],
                 rows=[["Trygghet i skolan", "78,4%", "79,9%", "85,0%"],
                       ["Kostnad, kr/inv.", "1 512", "1 498", "1 300"]]),
    ])
    from reportlab.pdfgen import canvas

    original = canvas.Canvas
    with mock.patch.object(canvas, "Canvas", partial(original, encrypt=encrypt) if encrypt else original):
        pf.render(report, pf.STYLES["sample_like"], path)
    return path


def encrypted(path: Path, user_password: str) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return small_report(path, StandardEncryption(user_password, ownerPassword="owner-secret"))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def zero_byte(d: Path) -> Path:
    return write(d / "zero-byte.pdf", b"")


def random_bytes(d: Path) -> Path:
    return write(d / "random-bytes.pdf", bytes(range(256)) * 40 + os.urandom(2000))


def html_page(d: Path) -> Path:
    return write(d / "arsredovisning-2024.pdf", b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                 b"<body><h1>Sidan kunde inte hittas</h1></body></html>\n")


def truncated(d: Path) -> Path:
    data = SAMPLE_PDF.read_bytes()
    return write(d / "truncated.pdf", data[: len(data) // 2])


def broken_xref_offsets(d: Path) -> Path:
    """Every xref entry points at byte 1: pdfminer finds no pages; PDFium rebuilds the table."""
    data = small_report(d / "clean.pdf").read_bytes()
    start = data.rfind(b"\nxref")
    return write(d / "broken-xref.pdf", data[:start] + re.sub(rb"\d{10} 00000 n", b"0000000001 00000 n", data[start:]))


def broken_startxref(d: Path) -> Path:
    """startxref points past the end of the file: pdfminer scans the file for objects instead."""
    data = small_report(d / "clean.pdf").read_bytes()
    at = data.rfind(b"startxref")
    end = data.index(b"\n", at + 10)
    return write(d / "broken-startxref.pdf", data[: at + 10] + b"999999" + data[end:])


def damaged_beyond_repair(d: Path) -> Path:
    """A complete file (it ends with %%EOF) whose objects are all unreadable: no parser can recover."""
    data = small_report(d / "clean.pdf").read_bytes()
    return write(d / "damaged.pdf", re.sub(rb"(\d+) 0 obj", rb"\1 0 jbo", data))


def damaged_page(d: Path) -> Path:
    """The content stream of page 2 holds bytes its ASCII85 filter cannot decode."""
    data = small_report(d / "clean.pdf").read_bytes()
    streams = [m.span(1) for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S)]
    start, end = streams[1]
    middle = (start + end) // 2
    return write(d / "damaged-page.pdf", data[:middle] + b"\xff\xfe" + data[middle + 2:])


def encrypted_with_password(d: Path) -> Path:
    return encrypted(d / "password.pdf", "secret")


def encrypted_with_empty_password(d: Path) -> Path:
    return encrypted(d / "empty-password.pdf", "")


def no_text_layer(d: Path) -> Path:
    """Three 'scanned' pages: each only an image, no characters."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    path = d / "scanned.pdf"
    c = canvas.Canvas(str(path))
    image = ImageReader(Image.new("L", (240, 320), 200))
    for _ in range(3):
        c.drawImage(image, 40, 60, 515, 720)
        c.showPage()
    c.save()
    return path


def not_an_annual_report(d: Path) -> Path:
    """A readable PDF with text and even a table, but no table of a known family."""
    report = pf.Report(municipality="Provby kommun", fiscal_year=2025, elements=[
        pf.Heading("Protokoll", 1), pf.Paragraph("Sammanträde med styrelsen. Närvarande ledamöter."),
        pf.Table(header_rows=[["Ledamot", "Parti", "Närvaro"]],
                 rows=[["Anna Andersson", "A-partiet", "Ja"], ["Bertil Berg", "B-partiet", "Nej"]],
                 align=["l", "l", "l"]),
    ])
    return pf.render(report, pf.STYLES["sample_like"], d / "protokoll.pdf").path


def many_pages(d: Path, pages: int = 2000) -> Path:
    from reportlab.pdfgen import canvas

    path = d / f"{pages}-pages.pdf"
    c = canvas.Canvas(str(path))
    for number in range(1, pages + 1):
        c.drawString(72, 770, f"Sida {number}")
        c.showPage()
    c.save()
    return path


def missing_path(d: Path) -> Path:
    return d / "no-such-report.pdf"


def empty_folder(d: Path) -> Path:
    folder = d / "inbox"
    folder.mkdir()
    (folder / "readme.txt").write_text("no PDFs here")
    return folder


# --- fast: extract_report alone ------------------------------------------------------------------

EXTRACTION_CASES: list[tuple[str, Callable[[Path], Path], type[ExtractionError], list[str]]] = [
    ("zero-byte", zero_byte, EmptyFileError, ["zero-byte.pdf", "is empty (0 bytes)", "download or export"]),
    ("random-bytes", random_bytes, NotAPdfError, ["random-bytes.pdf", "is not a PDF", "fetch the report's PDF"]),
    ("html-page", html_page, HtmlPageError, ["is an HTML page", "download the report's PDF itself"]),
    ("truncated", truncated, TruncatedPdfError, ["truncated.pdf", "truncated", "download the report again"]),
    ("damaged", damaged_beyond_repair, DamagedPdfError, ["damaged.pdf", "could not be repaired", "a new copy"]),
    ("damaged-page", damaged_page, PageReadError, ["damaged-page.pdf", "page 2 could not be read", "a new copy"]),
    ("password", encrypted_with_password, EncryptedPdfError,
     ["password.pdf is password-protected", "save an unencrypted copy and ingest that"]),
    ("no-text-layer", no_text_layer, NoTextLayerError, ["scanned.pdf", "no text layer", "OCR it first (e.g. ocrmypdf)"]),
    ("not-a-report", not_an_annual_report, NotAnAnnualReportError,
     ["protokoll.pdf", "no annual-report table was found", "nothing was loaded"]),
    ("2000-pages", many_pages, TooManyPagesError,
     ["2000-pages.pdf has 2000 pages, more than the limit of 500", "raise --max-pages"]),
    ("missing", missing_path, UnreadableFileError, ["no-such-report.pdf does not exist", "check the path"]),
    ("folder", empty_folder, UnreadableFileError, ["is a folder, not a PDF"]),
]


@pytest.mark.parametrize("make, error, fragments", [c[1:] for c in EXTRACTION_CASES],
                         ids=[c[0] for c in EXTRACTION_CASES])
def test_extraction_refuses_with_a_precise_error(tmp_path, make, error, fragments):
    path = make(tmp_path)
    with pytest.raises(ExtractionError) as raised:
        extract_report(path)
    assert type(raised.value) is error, f"{type(raised.value).__name__}: {raised.value}"
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "Traceback" not in message and "PdfminerException" not in message


def test_any_readable_pdf_still_shows_its_tables_when_a_report_is_not_required(tmp_path):
    """`arw tables` lists the tables of any PDF: only ingesting requires an annual report."""
    cells = extract_report(not_an_annual_report(tmp_path), require_report=False).frame("tables")
    assert {"Ledamot", "Anna Andersson", "B-partiet"} <= set(cells["text"])
    assert cells["family"].isna().all()


def test_a_truncated_report_never_yields_a_partial_report(tmp_path):
    data = SAMPLE_PDF.read_bytes()
    for share in (0.1, 0.5, 0.9, 0.999):
        path = write(tmp_path / f"cut-{share}.pdf", data[: int(len(data) * share)])
        with pytest.raises(TruncatedPdfError, match="truncated"):
            extract_report(path)


def test_the_page_limit_is_checked_before_any_page_is_parsed(tmp_path):
    path = many_pages(tmp_path)
    started = time.monotonic()
    with pytest.raises(TooManyPagesError, match="has 2000 pages, more than the limit of 500"):
        extract_report(path)
    assert time.monotonic() - started < 2.0  # counted from the page tree, not by building 2,000 pages
    with pytest.raises(TooManyPagesError, match="more than the limit of 10: raise --max-pages"):
        extract_report(path, settings=ExtractSettings(max_pages=10))


def test_an_empty_user_password_is_read_with_a_note(tmp_path):
    clean = extract_report(small_report(tmp_path / "clean.pdf"))
    read = extract_report(encrypted_with_empty_password(tmp_path))
    assert read.notes == ["encrypted with an empty password: read anyway"]
    assert clean.notes == []
    assert_same_frames(read, clean)
    cells = read.frame("cells")  # the KF indicator table's 2 rows × 3 year columns, typed later by dbt
    assert len(cells[cells["family"] == "indicators"]) == 6


@pytest.mark.parametrize("make, note", [
    (broken_startxref, "pdfminer rebuilt it by scanning the file"),
    (broken_xref_offsets, "arw read a copy repaired by PDFium"),
], ids=["startxref", "xref-offsets"])
def test_a_broken_xref_table_is_repaired_and_the_repair_is_noted(tmp_path, make, note):
    clean = extract_report(small_report(tmp_path / "reference.pdf"))
    repaired = extract_report(make(tmp_path))
    assert len(repaired.notes) == 1 and note in repaired.notes[0]
    assert_same_frames(repaired, clean)


def assert_same_frames(left, right) -> None:
    for name, frame in right.frames.items():
        other = left.frame(name)
        assert other.drop(columns="report_id").equals(frame.drop(columns="report_id")), name


# --- slow: the real command line against a warehouse holding the sample ------------------------

@dataclass
class CliCase:
    id: str
    make: Callable[[Path], Path]
    exit_code: int
    fragments: list[str]  # all must appear in stdout + stderr (whitespace-normalised)
    warehouse: str = "copy"  # "copy" of the sample warehouse, "not-duckdb", "locked"
    args: list[str] = field(default_factory=list)
    loads: bool = False  # a success: the new report is added, the sample's rows stay as they were
    process: bool = False  # run as a real process (what a shell sees), else in-process


def valid_report(d: Path) -> Path:
    return small_report(d / "provby-2025.pdf")


CLI_CASES = [
    CliCase("zero-byte", zero_byte, 1, ["zero-byte.pdf", "is empty (0 bytes)", "download or export the report again"],
            process=True),
    CliCase("random-bytes", random_bytes, 1, ["random-bytes.pdf", "is not a PDF", "fetch the report's PDF itself"]),
    CliCase("html-page", html_page, 1, ["arsredovisning-2024.pdf is an HTML page", "download the report's PDF itself"]),
    CliCase("truncated", truncated, 1, ["truncated.pdf is truncated", "download the report again"]),
    CliCase("damaged-beyond-repair", damaged_beyond_repair, 1,
            ["damaged.pdf is damaged and could not be repaired", "save (or print to PDF) a new copy"]),
    CliCase("damaged-page", damaged_page, 1, ["damaged-page.pdf: page 2 could not be read", "a new copy"],
            process=True),
    CliCase("password", encrypted_with_password, 1,
            ["password.pdf is password-protected", "save an unencrypted copy and ingest that"]),
    CliCase("no-text-layer", no_text_layer, 1, ["scanned.pdf has no text layer", "OCR it first"]),
    CliCase("not-an-annual-report", not_an_annual_report, 1,
            ["protokoll.pdf: no annual-report table was found", "nothing was loaded"]),
    CliCase("2000-pages", many_pages, 1, ["2000-pages.pdf has 2000 pages, more than the limit of 500",
                                          "raise --max-pages"]),
    CliCase("2000-pages-max-10", many_pages, 1, ["has 2000 pages, more than the limit of 10"], args=["--max-pages", "10"]),
    CliCase("missing-path", missing_path, 2, ["no-such-report.pdf", "does not exist"]),
    CliCase("folder-without-pdfs", empty_folder, 2, ["inbox", "no PDF"]),
    CliCase("not-a-duckdb-warehouse", valid_report, 1, ["is not a DuckDB database"], warehouse="not-duckdb"),
    CliCase("locked-warehouse", valid_report, 1, ["locked"], warehouse="locked"),
    # not errors: read anyway, loaded, and the user is told what was done
    CliCase("empty-password", encrypted_with_empty_password, 0, ["encrypted with an empty password: read anyway"],
            loads=True, process=True),
    CliCase("broken-xref", broken_xref_offsets, 0, ["repaired by PDFium"], loads=True),
]
CASES_BY_ID = {case.id: case for case in CLI_CASES}
TRIED: list[str] = []


@dataclass
class CliResult:
    returncode: int
    output: str  # stdout + stderr
    seconds: float
    before: dict
    after: dict
    warehouse: Path
    warehouse_bytes: tuple[bytes, bytes] | None = None  # not-duckdb: the file before and after


def snapshot(warehouse: Path, report_id: str | None = None) -> dict[str, list[tuple]]:
    """Every raw table (and quarantine) in full, ordered; with report_id: only that report's rows."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "and (table_name like 'raw\\_%' escape '\\' or table_name = 'quarantine') order by 1").fetchall()]
        where = " where report_id = ?" if report_id else ""
        return {name: con.execute(f"select * from raw.{name}{where} order by all",
                                  [report_id] if report_id else []).fetchall() for name in names}


def run_case(case: CliCase, base: Path, directory: Path, sample_id: str) -> CliResult:
    inputs = directory / "inputs"
    inputs.mkdir(parents=True)
    target = case.make(inputs)
    warehouse = directory / "arw.duckdb"
    env = {"ARW_LOAD_WAIT_SECONDS": "1", "ARW_LOCK_WAIT_SECONDS": "1"}
    holder = None
    if case.warehouse == "not-duckdb":
        warehouse.write_bytes(b"this is a spreadsheet export, not a database\n" * 100)
        original = warehouse.read_bytes()
    else:
        copy_warehouse(base, warehouse)  # the session's sample warehouse, built: no run rebuilds it
    before = snapshot(warehouse, sample_id if case.loads else None) if case.warehouse != "not-duckdb" else {}
    if case.warehouse == "locked":  # another process holds DuckDB's read-write lock for the whole run
        holder = subprocess.Popen(
            [sys.executable, "-c", "import duckdb, sys, time\n"
             "con = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(3600)", str(warehouse)],
            stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    args = ("ingest", str(target), "--warehouse", str(warehouse), *case.args)
    try:
        run = arw_process(*args, env=env, timeout=CLI_TIMEOUT) if case.process else arw_in_process(*args, env=env)
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()
    seconds = time.monotonic() - started
    if case.warehouse == "not-duckdb":
        return CliResult(run.returncode, run.output, seconds, {}, {}, warehouse, (original, warehouse.read_bytes()))
    after = snapshot(warehouse, sample_id if case.loads else None)
    return CliResult(run.returncode, run.output, seconds, before, after, warehouse)


class InProcess:
    """A case run in this process when its test first asks for it (one at a time)."""

    def __init__(self, run: Callable[[], CliResult]) -> None:
        self._run, self._result = run, None

    def result(self) -> CliResult:
        if self._result is None:
            self._result = self._run()
        return self._result


@pytest.fixture(scope="module")
def cli_runs(request, sample_warehouse, sample_report, tmp_path_factory):
    """The runs of every selected case: the real processes start now, CLI_WORKERS at a time;
    each test waits for its own."""
    selected = [item.callspec.params["case_id"] for item in request.session.items
                if item.module is sys.modules[__name__] and hasattr(item, "callspec")
                and "case_id" in item.callspec.params]
    pool = ThreadPoolExecutor(max_workers=CLI_WORKERS)
    runs: dict[str, Future | InProcess] = {}
    for case_id in dict.fromkeys(selected):
        case, folder = CASES_BY_ID[case_id], tmp_path_factory.mktemp(f"cli-{case_id}")
        start = partial(run_case, case, sample_warehouse, folder, sample_report.report_id)
        runs[case_id] = pool.submit(start) if case.process else InProcess(start)
    yield runs
    pool.shutdown(wait=True, cancel_futures=True)


# a frame of pdfminer/pdfplumber/PDFium in a printed traceback (plain or rich)
PARSER_FRAME = re.compile(r"(File \"|│ )[^\n\"]*/(pdfminer|pdfplumber|pypdfium2)/")


def flat(text: str) -> str:
    """Rich wraps long messages across lines and table cells, a long path even inside a word:
    compare without whitespace and box lines."""
    return re.sub(r"[\s│┃]+", "", text)


@pytest.mark.slow
@pytest.mark.parametrize("case_id", list(CASES_BY_ID))
def test_cli_reports_the_bad_input_and_leaves_the_warehouse_unchanged(cli_runs, case_id):
    case = CASES_BY_ID[case_id]
    result: CliResult = cli_runs[case_id].result()
    TRIED.append(case_id)
    print(f"{case_id}: exit {result.returncode} in {result.seconds:.1f} s")
    shown = flat(result.output)
    assert result.returncode == case.exit_code, result.output
    for fragment in case.fragments:
        assert flat(fragment) in shown, f"{fragment!r} not in output:\n{result.output}"
    assert not PARSER_FRAME.search(result.output), f"a PDF parser's traceback reached the user:\n{result.output}"
    if case.warehouse == "not-duckdb":
        original, now = result.warehouse_bytes
        assert now == original, "the file that is not a DuckDB database was changed"
        return
    assert result.after == result.before  # byte-for-byte the same rows in every raw table
    if case.loads:
        with duckdb.connect(str(result.warehouse), read_only=True) as con:
            provby = "(select report_id from raw.raw_reports where municipality = 'Provby kommun')"
            cells = con.execute("select count(*) from raw.raw_cells where family = 'indicators' "
                                f"and report_id in {provby}").fetchone()[0]
            loaded = con.execute(f"select count(*) from fct_indicators where report_id in {provby}").fetchone()[0]
        assert (cells, loaded) == (6, 6)


@pytest.mark.slow
@pytest.mark.parametrize("case_id", list(CASES_BY_ID))
def test_cli_prints_no_traceback_at_all(cli_runs, case_id):
    output = cli_runs[case_id].result().output
    assert "Traceback" not in output, output


@pytest.mark.slow
def test_zz_how_many_bad_inputs_were_tried(cli_runs, pytestconfig):
    """Runs last in this module (pytest keeps file order); the count is printed at the end of
    the run (conftest.pytest_terminal_summary)."""
    if set(cli_runs) != set(CASES_BY_ID):
        pytest.skip("only some cases were selected")
    failing = [c for c in CLI_CASES if not c.loads]
    pytestconfig.stash.setdefault(RUN_SUMMARY, []).append(
        f"bad-input suite: {len(TRIED)} bad inputs tried through `arw ingest` "
        f"({len(failing)} refused, {len(CLI_CASES) - len(failing)} read anyway with a note)")
    assert len(TRIED) >= 14
