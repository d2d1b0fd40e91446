"""ingest_runs: one row per report per run, so users can see what each run did."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from warehouse.store import connect, load_wait_seconds, read_wait_seconds

INGEST_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS main.ingest_runs (
    run_id VARCHAR, report_id VARCHAR, source VARCHAR, status VARCHAR, message VARCHAR,
    rows_loaded VARCHAR, started_at TIMESTAMP, duration_seconds DOUBLE
)"""


@dataclass
class RunRecord:
    run_id: str
    source: str
    status: str  # loaded | skipped | failed | quarantined
    started_at: datetime
    duration_seconds: float
    report_id: str | None = None
    message: str | None = None
    rows_loaded: dict[str, int] = field(default_factory=dict)


def record_runs(warehouse: Path, records: list[RunRecord]) -> None:
    """Append the run's records (the caller holds the writer lock)."""
    if not records:
        return
    with connect(warehouse, read_only=False, wait_seconds=load_wait_seconds()) as con:
        con.execute(INGEST_RUNS_DDL)
        con.executemany(
            "INSERT INTO main.ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [[r.run_id, r.report_id, r.source, r.status, r.message, json.dumps(r.rows_loaded),
              r.started_at, round(r.duration_seconds, 3)] for r in records],
        )


def latest_runs(warehouse: Path, limit: int = 20) -> tuple[list[str], list[tuple]]:
    with connect(warehouse, read_only=True, wait_seconds=read_wait_seconds()) as con:
        exists = con.execute("select count(*) from information_schema.tables where table_schema = 'main' "
                             "and table_name = 'ingest_runs'").fetchone()[0]
        if not exists:
            return [], []
        cursor = con.execute(
            "select run_id, started_at, status, source, report_id, message, rows_loaded, duration_seconds "
            "from main.ingest_runs order by started_at desc limit ?", [limit])
        return [d[0] for d in cursor.description], cursor.fetchall()
