"""The extraction processes of a run (flows/worker.py): each report is read and validated there,
a report that cannot be is a value saying why, and the processes started ahead of the run exit
as soon as every report is read."""
from __future__ import annotations

import time
from pathlib import Path

import flows.worker as worker
from flows.progress import StageClock, clock
from flows.worker import (
    ExtractionFailure, page_parts, read_file, read_in_worker, reading_ahead, reading_done,
)
from schemas.errors import SchemaContractError
from schemas.validate import ValidatedReport
from expected import SAMPLE_PDF
from test_ingest_operations import small_report


def test_a_report_read_ahead_comes_back_validated_and_the_processes_exit_once_all_is_read(tmp_path: Path) -> None:
    pdf = str(small_report(tmp_path / "provby.pdf"))
    with reading_ahead([pdf], 1, 500, None):
        processes = list(worker._processes._processes.values())
        before = dict(clock.elsewhere)
        read = read_in_worker(pdf, pdf, 500)
        # the seconds it took there come back for ARW_TIMINGS
        assert all(clock.elsewhere[step] > before.get(step, 0) for step in ("extract", "validate"))
        assert isinstance(read, ValidatedReport) and read.report["file_name"] == "provby.pdf"
        assert read.report["municipality"] == "Provby kommun" and len(read.frames["cells"]) == 3
        assert processes and all(p.is_alive() for p in processes)
        reading_done()
        deadline = time.monotonic() + 20
        while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(p.is_alive() for p in processes)  # gone before the run ends
    assert worker._processes is None


def test_a_report_that_cannot_be_validated_is_a_failure_that_says_why(tmp_path: Path, monkeypatch) -> None:
    import schemas.validate

    def refuse(extracted):
        raise SchemaContractError("unknown frames ['extra']: expected only …")

    monkeypatch.setattr(schemas.validate, "validate_report", refuse)
    pdf = str(small_report(tmp_path / "provby.pdf"))
    assert read_file(pdf, "provby.pdf", 500) == ExtractionFailure("unknown frames ['extra']: expected only …")


def test_the_clock_shows_what_ran_in_the_extraction_processes_apart() -> None:
    timings = StageClock()
    with timings.timing("load"):
        pass
    timings.beside({"extract": 1.25, "validate": 0.5})
    timings.beside({"extract": 0.75, "validate": 0.25})
    shown = timings.report()
    assert shown.startswith("timings: load 0.00 s, orchestration and the rest 0.00 s; total 0.00 s")
    assert shown.endswith("; meanwhile in the extraction processes: extract 2.00 s, validate 0.75 s")


def test_a_long_report_is_shared_among_the_processes_in_parts_of_at_least_40_pages() -> None:
    assert page_parts(40, 2) == [(1, 40)]  # short: read whole, by one process
    assert page_parts(79, 4) == [(1, 79)]
    assert page_parts(80, 2) == [(1, 40), (41, 80)]
    assert page_parts(161, 2) == [(1, 81), (82, 161)]
    assert page_parts(130, 4) == [(1, 44), (45, 87), (88, 130)]  # no part under 40 pages
    assert page_parts(0, 2) == [(1, 0)]  # unknown (PDFium could not count): read whole


def test_a_long_report_read_in_parts_by_two_processes_is_the_report_read_whole(monkeypatch) -> None:
    monkeypatch.setattr(worker, "spare_cores", lambda: 2)  # a machine of three cores or more
    monkeypatch.setattr(worker, "PAGES_PER_PART", 20)  # the sample's 40 pages are a long report
    pdf = str(SAMPLE_PDF)
    whole = read_file(pdf, pdf, 500)
    with reading_ahead([pdf], 2, 500, None):
        assert len(worker._ahead[pdf].parts) == 2  # read in two parts
        in_parts = read_in_worker(pdf, pdf, 500)
        assert len(worker._processes._processes) == 2  # both read a part
    assert isinstance(in_parts, ValidatedReport) and in_parts.report == whole.report
    assert in_parts.report["page_count"] == 40 and in_parts.notes == whole.notes
    for name, frame in whole.frames.items():
        assert in_parts.frames[name].equals(frame), name
    assert in_parts.quarantine.equals(whole.quarantine) and len(whole.frames["cells"]) > 500


def test_a_long_report_whose_parts_cannot_be_read_fails_as_when_read_whole(monkeypatch) -> None:
    monkeypatch.setattr(worker, "spare_cores", lambda: 2)
    monkeypatch.setattr(worker, "PAGES_PER_PART", 20)
    pdf = str(SAMPLE_PDF)
    with reading_ahead([pdf], 2, 30, None):
        assert worker._ahead[pdf].parts
        failed = read_in_worker(pdf, pdf, 30)
    assert failed == read_file(pdf, pdf, 30) and "40 pages, more than the limit of 30" in failed.message


def test_on_two_cores_or_in_a_batch_a_long_report_is_read_whole(tmp_path: Path, monkeypatch) -> None:
    """Parts would take turns with the run's own start-up on two cores, and with the other
    reports of a batch: one process reads the report then."""
    import pypdfium2 as pdfium

    blank = pdfium.PdfDocument.new()  # 80 pages, read in no time: only how it is shared matters
    for _ in range(80):
        blank.new_page(595, 842)
    blank.save(str(tmp_path / "long.pdf"))
    pdf, other = str(tmp_path / "long.pdf"), str(small_report(tmp_path / "provby.pdf"))
    monkeypatch.setattr(worker, "spare_cores", lambda: 1)
    with reading_ahead([pdf], 2, 500, None):
        assert not worker._ahead[pdf].parts
    monkeypatch.setattr(worker, "spare_cores", lambda: 3)
    with reading_ahead([pdf, other], 2, 500, None):
        assert not worker._ahead[pdf].parts
    with reading_ahead([pdf], 2, 500, None):
        assert len(worker._ahead[pdf].parts) == 2
