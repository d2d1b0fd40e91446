"""Where a run reports its progress; the CLI plugs in rich progress bars.

Kept out of flows.pipeline on purpose: Prefect ships the flow's function (by value) to Dask
workers together with the globals it uses, and a live terminal display cannot be pickled.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from flows.outcomes import ReportOutcome


class Progress(Protocol):
    """Where the flow reports progress (the CLI shows it as rich progress bars)."""

    def stage(self, source: str, stage: str) -> None: ...
    def finished(self, outcome: ReportOutcome) -> None: ...
    def message(self, text: str) -> None: ...


class _Silent:
    def stage(self, source: str, stage: str) -> None:
        pass

    def finished(self, outcome: ReportOutcome) -> None:
        pass

    def message(self, text: str) -> None:
        pass


_reporter: Progress = _Silent()


def progress() -> Progress:
    return _reporter


def set_progress(reporter: Progress | None) -> None:
    global _reporter
    _reporter = reporter or _Silent()
