"""Run `dbt build` for the warehouse in-process and turn its results into a small report.

In-process (dbtRunner) rather than a subprocess so the flow needs no `dbt` on PATH and gets
structured results back; dbt keeps global state, hence one invocation at a time.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dbt.cli.main import dbtRunner

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
LOCKED_RETRY_SECONDS = 60.0
_DBT_LOCK = threading.Lock()  # dbt's flags/event state is process-global: never run two at once


class DbtBuildError(RuntimeError):
    """dbt build failed: a model errored, a test failed, or dbt could not run at all."""

    def __init__(self, message: str, result: DbtBuildResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class NodeFailure:
    """A model or test that did not pass, with dbt's message (e.g. 'Got 2 results ...')."""

    name: str
    resource_type: str
    status: str
    message: str


@dataclass(frozen=True)
class DbtBuildResult:
    """Counts per outcome plus every node that errored or failed (warnings do not fail a build)."""

    success: bool
    models_passed: int
    models_failed: int
    tests_passed: int
    tests_failed: int
    tests_warned: int
    skipped: int
    failures: tuple[NodeFailure, ...]


def build(warehouse: Path, select: str | None = None) -> DbtBuildResult:
    """Run `dbt build` (models then tests) against the DuckDB file `warehouse`.

    `select` is a dbt selector (e.g. "fct_budget+"). Raises DbtBuildError naming the failing
    models/tests. No other process may hold `warehouse` open meanwhile (DuckDB's file lock).
    """
    args = [
        "build",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--log-level", "warn",
        "--no-use-colors",
    ]
    if select:
        args += ["--select", select]
    deadline = time.monotonic() + LOCKED_RETRY_SECONDS
    while True:
        with _DBT_LOCK, _env("ARW_WAREHOUSE", str(Path(warehouse).resolve())):
            try:
                outcome = dbtRunner().invoke(args)
            finally:
                _release_warehouse()
        # a reader (e.g. `arw query`) holding the file for a moment: wait and build again
        if not (_locked(outcome) and time.monotonic() < deadline):
            break
        time.sleep(1.0)
    if outcome.exception is not None or outcome.result is None:
        raise DbtBuildError(f"dbt build did not run: {outcome.exception}") from outcome.exception
    result = _summarise(outcome.result.results)
    if not result.success:
        listed = "\n".join(f"  {f.resource_type} {f.name} [{f.status}]: {f.message}" for f in result.failures)
        raise DbtBuildError(f"dbt build failed ({len(result.failures)} node(s)):\n{listed}", result)
    return result


def _locked(outcome) -> bool:
    text = str(outcome.exception or "") + " ".join(
        str(getattr(r, "message", "")) for r in getattr(outcome.result, "results", []) or [])
    return "lock" in text.lower() and "conflicting" in text.lower() or "could not set lock" in text.lower()


def _release_warehouse() -> None:
    """dbt-duckdb caches its DuckDB connection per process; close it so the file is free
    for the next reader or writer (DuckDB allows one configuration per file and process)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def _summarise(node_results: list) -> DbtBuildResult:
    """Count dbt's RunResults by resource type and status."""
    counts: dict[tuple[str, str], int] = {}
    failures = []
    for node_result in node_results:
        kind, status = str(node_result.node.resource_type), str(node_result.status)
        counts[kind, status] = counts.get((kind, status), 0) + 1
        if status in ("error", "fail"):
            failures.append(NodeFailure(node_result.node.name, kind, status, str(node_result.message or "")))
    return DbtBuildResult(
        success=not failures,
        models_passed=counts.get(("model", "success"), 0),
        models_failed=counts.get(("model", "error"), 0),
        tests_passed=counts.get(("test", "pass"), 0),
        tests_failed=counts.get(("test", "fail"), 0) + counts.get(("test", "error"), 0),
        tests_warned=counts.get(("test", "warn"), 0),
        skipped=sum(n for (_, status), n in counts.items() if status == "skipped"),
        failures=tuple(failures),
    )


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    """Set one environment variable (read by profiles.yml) for a block, then restore it."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous
