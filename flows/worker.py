"""The code that runs on extraction workers (processes or Dask): no Prefect, no shared state.

Kept in its own small module so that worker processes and Dask pickle it by reference.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.errors import ExtractionError
from extract.frames import ExtractedReport
from extract.report import extract_report
from extract.settings import DEFAULT_SETTINGS, ExtractSettings


@dataclass(frozen=True)
class ExtractionFailure:
    """A report that could not be read, as a value: an expected outcome, not a crash (a raised
    error would make Prefect log a traceback, and parser exceptions often cannot be pickled)."""

    message: str


def extract_file(path: str, source: str, max_pages: int,
                 overrides: dict | None = None) -> ExtractedReport | ExtractionFailure:
    """Runs in a worker process or on a Dask worker; wrapped as a Prefect task in flows.pipeline.
    `overrides` (arw ingest --municipality/--body/--year) replace what the report says of itself."""
    settings = ExtractSettings(**{**DEFAULT_SETTINGS.__dict__, "max_pages": max_pages})
    try:
        return extract_report(Path(path), source=source, settings=settings, overrides=overrides)
    except ExtractionError as error:
        return ExtractionFailure(str(error))
    except Exception as error:  # a bug in arw: still one input's failure, never the run's
        return ExtractionFailure(f"{source}: extraction failed unexpectedly ({type(error).__name__}: {error})")
