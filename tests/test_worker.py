"""The extraction processes of a run (flows/worker.py): each report is read and validated there,
a report that cannot be is a value saying why, and the processes started ahead of the run exit
as soon as every report is read."""
from __future__ import annotations

import time
from pathlib import Path

import flows.worker as worker
from flows.progress import StageClock, clock
from flows.worker import ExtractionFailure, read_file, read_in_worker, reading_ahead, reading_done
from schemas.errors import SchemaContractError
from schemas.validate import ValidatedReport
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
