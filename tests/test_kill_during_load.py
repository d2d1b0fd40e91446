"""A load killed half-way (SIGKILL: no clean-up, no rollback by arw) leaves the warehouse as it was.

A child process loads a report big enough that DuckDB writes a lot of uncommitted data (the
sample's `tables` frame repeated many times) and stops inside the load's transaction, right after
the raw_tables insert, where the parent kills it. Then the warehouse must open, hold exactly the
rows it held before (none of the killed report's), and the same load must complete when re-run.
"""
from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from schemas.validate import validate_report
from warehouse.store import load_report

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent
REPEAT = 200  # copies of the sample's cells: ~150,000 rows in one transaction, more than a DuckDB row group
NEW_ID = "f" * 64

CHILD = """
import pickle, sys, time
from pathlib import Path
import warehouse.store as store

warehouse, pickled = Path(sys.argv[1]), Path(sys.argv[2])
validated = pickle.loads(pickled.read_bytes())
original = store._insert_frame

def insert_then_stall(con, table, frame, *args, **kwargs):
    original(con, table, frame, *args, **kwargs)
    if table == "raw_tables":  # inside the transaction, after the biggest insert
        print("inserted raw_tables", flush=True)
        time.sleep(600)

store._insert_frame = insert_then_stall
store.load_report(warehouse, validated, wait_seconds=5)
print("committed", flush=True)
"""


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "and (table_name like 'raw\\_%' escape '\\' or table_name = 'quarantine') order by 1").fetchall()]
        return {name: con.execute(f"select * from raw.{name} order by all").fetchall() for name in names}


def big_version(validated, report_id: str | None = None, fiscal_year: int | None = None):
    """The validated sample with its cell frame repeated REPEAT times (and optionally a new identity)."""
    frames = dict(validated.frames)
    frames["tables"] = pd.concat([frames["tables"]] * REPEAT, ignore_index=True)
    report = dict(validated.report)
    if report_id:
        frames = {name: frame.assign(report_id=report_id) if len(frame) else frame for name, frame in frames.items()}
        report.update(report_id=report_id, fiscal_year=fiscal_year, file_name="other-year.pdf")
    return replace(validated, report=report, frames=frames)


@pytest.fixture(scope="module")
def validated_sample(sample_report):
    return validate_report(sample_report)


@pytest.mark.parametrize("variant", ["re-ingest of the loaded report", "a new report"])
def test_a_load_killed_mid_transaction_changes_nothing_and_can_be_rerun(tmp_path, validated_sample, variant):
    warehouse = tmp_path / "arw.duckdb"
    load_report(warehouse, validated_sample)
    before = snapshot(warehouse)

    new = variant == "a new report"
    big = big_version(validated_sample, NEW_ID, 2099) if new else big_version(validated_sample)
    pickled = tmp_path / "report.pickle"
    pickled.write_bytes(pickle.dumps(big))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(warehouse), str(pickled)], cwd=PROJECT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        marker = child.stdout.readline().strip()
        assert marker == "inserted raw_tables", f"child did not reach the load: {marker!r}\n{child.stderr.read()}"
        assert child.poll() is None
        size_at_kill = warehouse.stat().st_size + sum(p.stat().st_size for p in tmp_path.glob("arw.duckdb.wal"))
        os.kill(child.pid, signal.SIGKILL)  # mid-transaction, no chance to roll back
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    after = snapshot(warehouse)  # the warehouse opens (DuckDB replays or discards its WAL) ...
    assert after == before  # ... and holds exactly what it held before the killed load
    if new:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            for table in after:
                assert con.execute(f"select count(*) from raw.{table} where report_id = ?", [NEW_ID]).fetchone()[0] == 0

    started = time.monotonic()
    result = load_report(warehouse, big)  # the re-run completes
    rerun_seconds = time.monotonic() - started
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cells = con.execute("select count(*) from raw.raw_tables where report_id = ?", [big.report_id]).fetchone()[0]
        reports = con.execute("select count(*) from raw.raw_reports").fetchone()[0]
    assert cells == len(big.frames["tables"]) == result.rows["raw_tables"]
    assert reports == (2 if new else 1)
    print(f"{variant}: killed after inserting {len(big.frames['tables'])} cells (files: {size_at_kill} bytes); "
          f"re-run took {rerun_seconds:.1f} s")
