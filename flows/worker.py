"""The code that runs on extraction workers (processes or Dask): no Prefect, no shared state.

Kept in its own small module so that worker processes and Dask pickle it by reference.
"""
from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module before anything heavy: the workers read the PDFs
    from extract.frames import ExtractedReport
    from schemas.validate import ValidatedReport


@dataclass(frozen=True)
class ExtractionFailure:
    """A report that could not be read or validated, as a value: an expected outcome, not a crash
    (a raised error would make Prefect log a traceback, and parser exceptions often cannot be
    pickled)."""

    message: str


def extract_file(path: str, source: str, max_pages: int,
                 overrides: dict | None = None) -> ExtractedReport | ExtractionFailure:
    """Runs in a worker process or on a Dask worker; wrapped as a Prefect task in flows.pipeline.
    `overrides` (arw ingest --municipality/--body/--year) replace what the report says of itself."""
    from extract.errors import ExtractionError
    from extract.report import extract_report
    from extract.settings import DEFAULT_SETTINGS, ExtractSettings

    settings = ExtractSettings(**{**DEFAULT_SETTINGS.__dict__, "max_pages": max_pages})
    try:
        return extract_report(Path(path), source=source, settings=settings, overrides=overrides)
    except ExtractionError as error:
        return ExtractionFailure(str(error))
    except Exception as error:  # a bug in arw: still one input's failure, never the run's
        return ExtractionFailure(f"{source}: extraction failed unexpectedly ({type(error).__name__}: {error})")


def read_file(path: str, source: str, max_pages: int,
              overrides: dict | None = None) -> ValidatedReport | ExtractionFailure:
    """extract_file, then its frames validated in the same worker: validation is a good part of
    a report's work, and the run's own process, which loads every report, is the one all wait for."""
    return _read_timed(path, source, max_pages, overrides)[0]


def _read_timed(path: str, source: str, max_pages: int,
                overrides: dict | None = None) -> tuple[ValidatedReport | ExtractionFailure, dict[str, float]]:
    """read_file, with the seconds its extraction and its validation took (ARW_TIMINGS shows them:
    they run beside the run's own process, not in it)."""
    started = time.monotonic()
    extracted = extract_file(path, source, max_pages, overrides)
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


# The run's extraction processes, when it has them (flows.pipeline sets them for the run, or the
# CLI before the run starts: see reading_ahead): the Prefect task of each report runs in a thread
# and hands the parsing to one of these processes, which import no Prefect (no API client, no
# server of their own) and ignore Ctrl-C (the run stops them).
_processes: ProcessPoolExecutor | None = None
_ahead: dict[str, Future] = {}  # source -> its extraction, started before the run


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
            result, seconds = (ahead or _processes.submit(_read_timed, path, source, max_pages, overrides)).result()
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
    the other one idle): the run's extract tasks take these results instead of reading again."""
    if not sources:
        yield
        return
    with _pool(max(count, 1)) as pool:
        for source in sources:
            _ahead[source] = pool.submit(_read_timed, source, source, max_pages, overrides)
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
