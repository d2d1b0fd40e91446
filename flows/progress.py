"""Where a run reports its progress; the CLI plugs in rich progress bars.

Kept out of flows.pipeline on purpose: Prefect ships the flow's function (by value) to Dask
workers together with the globals it uses, and a live terminal display cannot be pickled.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from flows.outcomes import ReportOutcome


class Progress(Protocol):
    """Where the flow reports progress (the CLI shows it as rich progress bars)."""

    def stage(self, source: str, stage: str) -> None: ...
    def finished(self, outcome: ReportOutcome) -> None: ...
    def message(self, text: str) -> None: ...


class RunLog:
    """Progress as lines of the run's log, which the Prefect UI shows: arw's own lines, one per
    report and stage (the CLI's bars add to this; a scheduled run of `arw serve` has only this)."""

    def stage(self, source: str, stage: str) -> None:
        log_line(f"{_name(source)}: {stage}")

    def finished(self, outcome: ReportOutcome) -> None:
        detail = f": {outcome.error.splitlines()[0]}" if outcome.error else ""
        log_line(f"{_name(outcome.source)}: {outcome.status}{detail}")

    def message(self, text: str) -> None:
        log_line(text)


def _name(source: str) -> str:
    return source if "://" in source else source.rsplit("/", 1)[-1]


def log_line(text: str) -> None:
    """Into the current Prefect run's log (logger "arw", which flows.settings makes one of
    Prefect's extra loggers): to the API only, not to the console, where the CLI has its bars."""
    logger = logging.getLogger("arw")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.info(text)


_reporter: Progress = RunLog()


def progress() -> Progress:
    return _reporter


def set_progress(reporter: Progress | None) -> None:
    global _reporter
    _reporter = reporter or RunLog()
