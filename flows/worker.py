"""The code that runs on extraction workers (processes or Dask): no Prefect, no shared state.

Kept in its own small module so that worker processes and Dask pickle it by reference.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module before anything heavy: the workers read the PDFs
    from extract.frames import ExtractedReport
    from extract.report import PageReading
    from extract.settings import ExtractSettings
    from schemas.validate import ValidatedReport

# A long report is read in parts, one per extraction process, none shorter than this: each part
# opens the file once more, and its pages then go to one process that puts the report together.
PAGES_PER_PART = 40


@dataclass(frozen=True)
class ExtractionFailure:
    """A report that could not be read or validated, as a value: an expected outcome, not a crash
    (a raised error would make Prefect log a traceback, and parser exceptions often cannot be
    pickled)."""

    message: str


def extract_file(path: str, source: str, max_pages: int, overrides: dict | None = None,
                 parts: list[PageReading] | None = None) -> ExtractedReport | ExtractionFailure:
    """Runs in a worker process or on a Dask worker; wrapped as a Prefect task in flows.pipeline.
    `overrides` (arw ingest --municipality/--body/--year) replace what the report says of itself;
    `parts` are its pages when other processes read them (_read_part)."""
    from extract.errors import ExtractionError
    from extract.report import extract_report

    try:
        return extract_report(Path(path), source=source, settings=_settings(max_pages), overrides=overrides,
                              parts=parts)
    except ExtractionError as error:
        return ExtractionFailure(str(error))
    except Exception as error:  # a bug in arw: still one input's failure, never the run's
        return ExtractionFailure(f"{source}: extraction failed unexpectedly ({type(error).__name__}: {error})")


def _settings(max_pages: int) -> ExtractSettings:
    from extract.settings import DEFAULT_SETTINGS, ExtractSettings

    return ExtractSettings(**{**DEFAULT_SETTINGS.__dict__, "max_pages": max_pages})


def read_file(path: str, source: str, max_pages: int,
              overrides: dict | None = None) -> ValidatedReport | ExtractionFailure:
    """extract_file, then its frames validated in the same worker: validation is a good part of
    a report's work, and the run's own process, which loads every report, is the one all wait for."""
    return _read_timed(path, source, max_pages, overrides)[0]


def _read_timed(path: str, source: str, max_pages: int, overrides: dict | None = None,
                parts: list[PageReading] | None = None) -> tuple[ValidatedReport | ExtractionFailure, dict[str, float]]:
    """read_file, with the seconds its extraction and its validation took (ARW_TIMINGS shows them:
    they run beside the run's own process, not in it)."""
    started = time.monotonic()
    extracted = extract_file(path, source, max_pages, overrides, parts)
    seconds = {"extract": time.monotonic() - started}
    if isinstance(extracted, ExtractionFailure):
        return extracted, seconds
    from schemas.validate import validate_report

    try:
        return validate_report(extracted), seconds
    except ValueError as error:  # a report row or frame that cannot be validated at all
        return ExtractionFailure(str(error)), seconds
    except Exception as error:  # a bug in arw: still one input's failure, never the run's
        message = f"{source}: validation failed unexpectedly ({type(error).__name__}: {error})"
        return ExtractionFailure(message), seconds
    finally:
        seconds["validate"] = time.monotonic() - started - seconds["extract"]


def _read_part(path: str, max_pages: int, first: int, last: int) -> tuple[PageReading | None, float]:
    """Pages first..last of a long report, in a worker, and the seconds it took; None when they
    cannot be read (the whole file is then read the usual way, which says what is wrong)."""
    from extract.report import read_page_range

    started = time.monotonic()
    try:
        return read_page_range(Path(path), _settings(max_pages), first, last), time.monotonic() - started
    except Exception:  # noqa: BLE001 - told by the reading of the whole file that follows
        return None, time.monotonic() - started


def page_parts(page_count: int, at_most: int, least: int = PAGES_PER_PART) -> list[tuple[int, int]]:
    """The page ranges (first, last) a report of `page_count` pages is read in: `at_most` of
    them (one per process), none shorter than `least` pages; one, the whole report, when it is
    short."""
    count = max(1, min(at_most, page_count // least))
    size, longer = divmod(page_count, count)
    ranges, first = [], 1
    for index in range(count):
        last = first + size - 1 + (index < longer)
        ranges.append((first, last))
        first = last + 1
    return ranges


def spare_cores() -> int:
    """Cores left for reading one report's pages in parts: the run's own process needs one while
    it starts (Prefect and dbt imported, seconds of CPU). On two cores, parts would only take
    turns with it (measured: 400 pages in two parts, 21,7 s against 19,2 s read whole)."""
    return max(1, (os.cpu_count() or 1) - 1)


def page_count(path: str) -> int:
    """The file's pages as PDFium counts them (milliseconds), 0 when it cannot open it: such a
    file is read whole, which says what is wrong with it."""
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(path)
    except Exception:  # noqa: BLE001
        return 0
    try:
        return len(document)
    finally:
        document.close()


class _Reading:
    """One report being read and validated in the run's extraction processes: whole in one of
    them, or, when it is long, its pages in parts across them, then put together and validated in
    one (a part that fails makes the whole file be read the usual way)."""

    def __init__(self, pool: ProcessPoolExecutor, parts: int, path: str, source: str, max_pages: int,
                 overrides: dict | None) -> None:
        self.pool, self.args = pool, (path, source, max_pages, overrides)
        ranges = page_parts(page_count(path), parts, PAGES_PER_PART) if parts > 1 else []
        self.parts = [pool.submit(_read_part, path, max_pages, *pages) for pages in ranges] if len(ranges) > 1 else []
        self.whole = None if self.parts else pool.submit(_read_timed, *self.args)

    def result(self) -> tuple[ValidatedReport | ExtractionFailure, dict[str, float]]:
        if self.whole is not None:
            return self.whole.result()
        parts = [part.result() for part in self.parts]
        if any(reading is None for reading, _ in parts):
            return self.pool.submit(_read_timed, *self.args).result()
        result, seconds = self.pool.submit(_read_timed, *self.args, [reading for reading, _ in parts]).result()
        seconds["extract"] += sum(spent for _, spent in parts)
        return result, seconds


# The run's extraction processes, when it has them (flows.pipeline sets them for the run, or the
# CLI before the run starts: see reading_ahead): the Prefect task of each report runs in a thread
# and hands the parsing to one of these processes, which import no Prefect (no API client, no
# server of their own) and ignore Ctrl-C (the run stops them).
_processes: ProcessPoolExecutor | None = None
_ahead: dict[str, _Reading] = {}  # source -> its reading, started before the run


def read_in_worker(path: str, source: str, max_pages: int,
                   overrides: dict | None = None) -> ValidatedReport | ExtractionFailure:
    """read_file in one of the run's extraction processes (taking the result of a reading
    started ahead of the run when there is one), or here when the run has none (threads, Dask,
    or a single report)."""
    from flows.progress import clock

    ahead = _ahead.pop(source, None)
    try:
        if _processes is None and ahead is None:
            result, seconds = _read_timed(path, source, max_pages, overrides)
        else:
            reading = ahead or _Reading(_processes, 1, path, source, max_pages, overrides)
            result, seconds = reading.result()
    except (BrokenProcessPool, CancelledError, RuntimeError):  # the run was stopped (Ctrl-C)
        return ExtractionFailure(f"{source}: not read: the extraction processes were stopped "
                                 "(Ctrl-C, or one crashed)")
    clock.beside(seconds)
    return result


@contextmanager
def extraction_processes(count: int) -> Iterator[None]:
    """`count` extraction processes for the block (none when count < 2; those already started
    by reading_ahead when there are). On Ctrl-C or any error they are stopped at once instead
    of finishing the reports still queued."""
    if count < 2 or _processes is not None:
        yield
        return
    with _pool(count):
        yield


@contextmanager
def reading_ahead(sources: list[str], count: int, max_pages: int, overrides: dict | None) -> Iterator[None]:
    """Start reading these local files now, in `count` extraction processes (at least one),
    while Prefect and the pipeline are imported and the run starts (seconds, on one core, with
    the other one idle): the run's extract tasks take these results instead of reading again.
    One long report alone is read in parts by several processes, when cores are to spare."""
    if not sources:
        yield
        return
    parts = min(count, spare_cores()) if len(sources) == 1 else 1
    with _pool(max(count, 1)) as pool:
        for source in sources:
            _ahead[source] = _Reading(pool, parts, source, source, max_pages, overrides)
        try:
            yield
        finally:
            _ahead.clear()


def reading_done() -> None:
    """Every report of the run is read: the extraction processes started ahead of the run exit
    now, while the run builds the marts, rather than when the command ends, which then waits
    for them (a few hundred ms)."""
    if _processes is not None:
        _processes.shutdown(wait=False)


@contextmanager
def _pool(count: int) -> Iterator[ProcessPoolExecutor]:
    """`count` extraction processes, started as work comes (a run of one short report starts one)."""
    global _processes
    _processes = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                                     initializer=_ignore_interrupts)
    try:
        yield _processes
    except BaseException:
        _stop(_processes)
        raise
    finally:
        _processes.shutdown(wait=True, cancel_futures=True)
        _processes = None


def _ignore_interrupts() -> None:
    """A terminal's Ctrl-C reaches the whole process group: the run stops its workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the running extractions now."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
