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


class _RunLog:
    """Without the CLI's bars (a scheduled run of `arw serve`), progress goes to the run's log,
    which the Prefect UI shows: arw's own lines, one per report and stage."""

    def stage(self, source: str, stage: str) -> None:
        _log(f"{_name(source)}: {stage}")

    def finished(self, outcome: ReportOutcome) -> None:
        detail = f": {outcome.error.splitlines()[0]}" if outcome.error else ""
        _log(f"{_name(outcome.source)}: {outcome.status}{detail}")

    def message(self, text: str) -> None:
        _log(text)


def _name(source: str) -> str:
    return source if "://" in source else source.rsplit("/", 1)[-1]


def _log(text: str) -> None:
    """Into the current Prefect run's log (logger "arw", which flows.settings makes one of
    Prefect's extra loggers: its records go to the run's log in the API, not to the console)."""
    logger = logging.getLogger("arw")
    logger.setLevel(logging.INFO)
    logger.info(text)


_reporter: Progress = _RunLog()


def progress() -> Progress:
    return _reporter


def set_progress(reporter: Progress | None) -> None:
    global _reporter
    _reporter = reporter or _RunLog()
