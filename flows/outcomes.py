"""What a run did with each input: plain data, shared by the flow and the CLI (no Prefect here)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from extract.digest import sha256_of
from flows.sources import Source
from warehouse.errors import WarehouseError
from warehouse.lock import writer_lock
from warehouse.runs import RunRecord, record_runs

if TYPE_CHECKING:
    from flows.dbt_build import DbtBuildResult

LOADED, FAILED, SKIPPED = "loaded", "failed", "skipped"
STAGES = ("fetch", "extract", "load")  # extract: read and validated, in a worker


@dataclass
class ReportOutcome:
    """What happened to one input in a run."""

    source: str
    status: str
    report_id: str | None = None
    pages: int | None = None
    rows: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    quarantine_reasons: list[str] = field(default_factory=list)
    quarantine_summary: str | None = None
    error: str | None = None
    replaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))
    seconds: float = 0.0


@dataclass
class RunSummary:
    run_id: str
    warehouse: str
    outcomes: list[ReportOutcome]
    dbt: "DbtBuildResult | None" = None
    dbt_error: str | None = None
    inconsistencies: int = 0
    record_problem: str | None = None  # the run could not be written to ingest_runs

    @property
    def failed(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failed and self.dbt_error is None and self.record_problem is None

    def describe(self) -> str:
        """'2 loaded, 1 skipped, 1 failed; 3 inconsistencies': the run in one line."""
        counts = Counter(o.status for o in self.outcomes)
        done = ", ".join(f"{n} {status}" for status, n in counts.items()) or "nothing to ingest"
        return f"{done}; {self.inconsistencies} inconsistencies" if counts.get(LOADED) else done


def skip_known_files(sources: list[Source], known: set[str]) -> tuple[list[Source], list[ReportOutcome]]:
    """Split sources into those still to ingest and those whose sha256 is already loaded.

    Only a regular file is hashed: reading /dev/zero or a FIFO never ends, and a missing file (or a
    name that is not UTF-8) would raise; such a source stays to do, and the run fails it on its own
    (flows.sources.local_file) instead of hanging or aborting before anything is recorded."""
    todo, skipped = [], []
    for source in sources:
        report_id = sha256_of(source.path) if source.path.is_file() else None
        if report_id in known:
            skipped.append(ReportOutcome(source.name, SKIPPED, report_id=report_id,
                                         notes=["already in the warehouse (same sha256): use --force to re-ingest"]))
        else:
            todo.append(source)
    return todo, skipped


def record(summary: RunSummary, on_wait: Callable[[str], None] | None = None) -> str | None:
    """One ingest_runs row per input of the run; returns a message if it could not be recorded."""
    records = [
        RunRecord(summary.run_id, o.source, o.status, o.started_at, o.seconds, o.report_id,
                  "; ".join(filter(None, [o.error, o.quarantine_summary, *(f"replaces report {r}" for r in o.replaced),
                                          *o.notes])) or None,
                  {k: v for k, v in o.rows.items() if v})
        for o in summary.outcomes
    ]
    try:
        with writer_lock(Path(summary.warehouse), on_wait=on_wait):
            record_runs(Path(summary.warehouse), records)
    except WarehouseError as error:  # e.g. the warehouse file is not a DuckDB database
        return f"could not record the run: {error}"
    return None
