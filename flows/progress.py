"""Where a run reports its progress; the CLI plugs in rich progress bars.

Kept out of flows.pipeline on purpose: Prefect ships the flow's function (by value) to Dask
workers together with the globals it uses, and a live terminal display cannot be pickled.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
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


class StageClock:
    """Wall seconds a run spends in each stage, printed on stderr at its end when ARW_TIMINGS is
    set (`make bench` breaks a cold ingest down with it). Time spent waiting for a stage counts
    to it; what no stage claims is start-up, imports and orchestration."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.spent: dict[str, float] = defaultdict(float)
        self.elsewhere: dict[str, float] = defaultdict(float)  # in the extraction processes, meanwhile

    def beside(self, seconds: dict[str, float]) -> None:
        """Seconds of stages that ran in another process (extraction and validation), added up
        and shown apart: they overlap the run's own stages."""
        for stage, spent in seconds.items():
            self.elsewhere[stage] += spent

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        begun = time.monotonic()
        try:
            yield
        finally:
            self.spent[stage] += time.monotonic() - begun

    def mark(self, stage: str) -> None:
        """The time from the start until now counts to `stage` (e.g. start-up and imports)."""
        self.spent[stage] = time.monotonic() - self.started - sum(self.spent.values())

    def report(self) -> str:
        total = time.monotonic() - self.started
        parts = [*self.spent.items(), ("orchestration and the rest", total - sum(self.spent.values()))]
        elsewhere = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in self.elsewhere.items())
        return ("timings: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in parts) + f"; total {total:.2f} s"
                + (f"; meanwhile in the extraction processes: {elsewhere}" if elsewhere else ""))

    def print_if_asked(self) -> None:
        if os.environ.get("ARW_TIMINGS"):
            print(self.report(), file=sys.stderr)


clock = StageClock()
