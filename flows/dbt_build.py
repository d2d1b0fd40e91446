"""Run `dbt build` for the warehouse in-process and turn its results into a small report.

In-process (dbtRunner) rather than a subprocess so the flow needs no `dbt` on PATH and gets
structured results back; dbt keeps global state, hence one invocation at a time.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
from dbt.cli.main import dbtRunner

from flows.interrupts import ctrl_c_noticed
from warehouse.store import (
    RAW_TABLES, SCHEMA_VERSION, Generations, connect, forget_built_project, generations, mark_built, relations,
)

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"


def project_dir() -> Path:
    """The dbt project; ARW_DBT_PROJECT_DIR points at a copy (e.g. with a user's own vocabulary)."""
    return Path(os.environ.get("ARW_DBT_PROJECT_DIR") or DBT_PROJECT_DIR)
LOCKED_RETRY_SECONDS = 60.0
_DBT_LOCK = threading.Lock()  # dbt's flags/event state is process-global: never run two at once


class DbtBuildError(RuntimeError):
    """dbt build failed: a model errored, a test failed, or dbt could not run at all."""

    def __init__(self, message: str, result: DbtBuildResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class NodeFailure:
    """A model or test that did not pass, with dbt's message (e.g. 'Got 2 results ...') and,
    for a test, the reports whose rows it found (report ids), so the user knows which one."""

    name: str
    resource_type: str
    status: str
    message: str
    reports: tuple[str, ...] = ()

    def describe(self, names: dict[str, str] | None = None) -> str:
        where = ", ".join((names or {}).get(r, r[:12]) for r in self.reports) or "reports unknown"
        return f"{self.resource_type} {self.name} [{self.status}] in {where}: {self.message}"


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
    warnings: tuple[NodeFailure, ...] = ()  # data tests that found rows (severity warn)


# What new raw data changes, when the warehouse's views and seeds were built by this very project:
# every model downstream of the raw tables except the views (a view reads the new rows as it is)
# and every test downstream of them, a view's too (with `empty`, leaving a node out leaves its
# tests in), but not the tests of the vocabulary alone.
DATA_CHANGED = ["--select", "source:*+", "--exclude", "config.materialized:view", "--indirect-selection", "empty"]
# Everything, the per-report (incremental) models for every report (macros/per_report.sql).
WHOLE = ["--full-refresh"]


def build(warehouse: Path, select: str | None = None, whole_project: bool = False) -> DbtBuildResult:
    """Run `dbt build` (models then tests) against the DuckDB file `warehouse`.

    Only what the raw data changes is rebuilt when the warehouse's models were last built in
    full by this same project (no view, seed or vocabulary test needs building again, and the
    per-report models only for the reports loaded or removed since), unless `whole_project`.
    `select` is a dbt selector (e.g. "fct_budget+") instead. Raises
    DbtBuildError naming the failing models/tests. No other process may hold `warehouse` open
    meanwhile (DuckDB's file lock).
    """
    args = [
        "build",
        "--project-dir", str(project_dir()),
        "--profiles-dir", str(project_dir()),
        "--log-level", "none",  # failures come from the results; a Ctrl-C is not a stack trace
        "--no-use-colors",
        "--no-write-json",  # the results come back in-process: no manifest.json, run_results.json
        "--target-path", str(target_path(warehouse)),
    ]
    state, project = _state(warehouse), project_fingerprint()
    chosen = selection(state, project, select, whole_project)
    if state is not None and chosen == WHOLE:  # until the whole project is built, no project is
        forget_built_project(Path(warehouse))
    args += chosen
    generation = state.raw if state is not None else None
    deadline = time.monotonic() + LOCKED_RETRY_SECONDS
    while True:
        with ctrl_c_noticed() as ctrl_c, _dbt_on(warehouse):  # the file released while a Ctrl-C is only noted
            outcome = dbtRunner(callbacks=[_stop_after(ctrl_c)]).invoke(args)
        # a reader (e.g. `arw query`) holding the file for a moment: wait and build again
        if not (_locked(outcome) and time.monotonic() < deadline):
            break
        time.sleep(1.0)
    if ctrl_c.is_set() or isinstance(outcome.exception, KeyboardInterrupt):
        raise KeyboardInterrupt  # dbt catches Ctrl-C (or loses it): it stops arw's run all the same
    if outcome.exception is not None or outcome.result is None:
        raise DbtBuildError(f"dbt build did not run: {outcome.exception}") from outcome.exception
    result = _with_reports(_summarise(outcome.result.results), outcome.result.results, Path(warehouse))
    if not result.success:
        listed = "\n".join(f"  {f.describe()}" for f in result.failures)
        raise DbtBuildError(f"dbt build failed ({len(result.failures)} node(s)):\n{listed}", result)
    if generation is not None and not select:  # the marts now match the raw data
        mark_built(Path(warehouse), generation, project)
    return result


def selection(state: Generations | None, project: int, select: str | None, whole_project: bool) -> list[str]:
    """dbt's arguments that choose what a build builds. When the warehouse was last built in full
    by this project (fingerprint `project`) and not `whole_project`: `select`, or else only what
    the raw data changes (the per-report models for the changed reports alone). Otherwise
    `select` or the whole project, with every report built again (WHOLE)."""
    same_project = state is not None and state.project == project and not whole_project
    if select:
        return ["--select", select] + ([] if same_project else WHOLE)
    return DATA_CHANGED if same_project else WHOLE


def target_path(warehouse: Path) -> Path:
    """dbt's output folder for builds of `warehouse`: one per database name (the file's name up to
    its first dot, which every model's SQL names), each with the partial parse that fits that name.
    dbt parses the whole project again (2-3 s) when the name differs from the last parse's;
    warehouses of different names used in turn now keep theirs. DBT_TARGET_PATH moves the root."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    database = DuckDBCredentials.path_derived_database_name(str(warehouse)) or "unnamed"
    return _target_root() / f"database-{database}"


def _target_root() -> Path:
    """Where this process's dbt writes: DBT_TARGET_PATH (relative to the project), else target/."""
    root = Path(os.environ.get("DBT_TARGET_PATH") or "target")
    return root if root.is_absolute() else project_dir() / root


def _stop_after(ctrl_c: threading.Event):
    """A dbt event callback that raises the KeyboardInterrupt again, in the main thread, once
    dbt has swallowed it (so a Ctrl-C while dbt reads its partial-parse file stops the build
    instead of a full parse and build, and only then the run)."""
    def callback(event) -> None:
        if ctrl_c.is_set() and threading.current_thread() is threading.main_thread():
            raise KeyboardInterrupt
    return callback


def _state(warehouse: Path) -> Generations | None:
    """The raw data's generation the build starts from and the project that last built it all
    (the caller holds the writer lock, so no load comes between); None for a warehouse without
    arw's state table. A warehouse that lacks one of the project's models or seeds (a view
    dropped by hand, say: a data-only build leaves views alone) counts as built by no project,
    so the build puts every model back."""
    if not Path(warehouse).exists():
        return None
    with connect(Path(warehouse), read_only=True, wait_seconds=LOCKED_RETRY_SECONDS) as con:
        state = generations(con)
        if state is not None and state.project and missing_relations(con):
            return replace(state, project=0)
        return state


def missing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The project's models and seeds (each named after its file, under models/ and seeds/, the
    folders dbt_project.yml names) that the warehouse has no table or view of, in any schema."""
    expected = {path.stem for path in (project_dir() / "models").rglob("*.sql")}
    expected |= {path.stem for path in (project_dir() / "seeds").rglob("*.csv")}
    return expected - {relation.split(".", 1)[1] for relation in relations(con)}


def project_fingerprint() -> int:
    """A number that changes with any file of the dbt project (models, seeds, macros, tests,
    settings), dbt's and dbt-duckdb's versions and the raw tables' columns: what the views and
    seeds of a warehouse were built from. (A BIGINT, as the warehouse's state table holds.)"""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('dbt-core')} {version('dbt-duckdb')} {SCHEMA_VERSION} {RAW_TABLES}".encode())
    root, output = project_dir(), _target_root()
    for folder, folders, files in os.walk(root):  # not dbt's own output, wherever DBT_TARGET_PATH puts it
        folders[:] = sorted(f for f in folders if not f.startswith(OUTPUT_FOLDERS) and Path(folder) / f != output)
        for name in sorted(f for f in files if not f.startswith(".")):
            path = Path(folder) / name
            digest.update(f"\0{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return int.from_bytes(digest.digest()[:8], "big") >> 1


PARSE_FILE = "partial_parse.msgpack"  # dbt's saved parse, in its target folder
OUTPUT_FOLDERS = (".", "target", "logs")  # what dbt writes into the project (target-gwN: a test process's)


def generate_docs(warehouse: Path, target: Path) -> Path:
    """Write dbt's documentation site for the warehouse into `target` (index.html with
    manifest.json and catalog.json, and static_index.html, one file that works offline) and
    return static_index.html. The catalog reads the warehouse's tables, so it must be built."""
    args = ["docs", "generate", "--static", "--project-dir", str(project_dir()), "--profiles-dir", str(project_dir()),
            "--target-path", str(Path(target).resolve()), "--log-level", "warn", "--no-use-colors"]
    saved_parse = target_path(warehouse) / PARSE_FILE
    if saved_parse.exists():  # the builds' parse serves the docs too
        shutil.copyfile(saved_parse, Path(target) / PARSE_FILE)
    with _dbt_on(warehouse):
        outcome = dbtRunner().invoke(args)
    if not outcome.success:
        raise DbtBuildError(f"dbt docs generate failed: {outcome.exception or 'see the messages above'}")
    return Path(target) / "static_index.html"


def _locked(outcome) -> bool:
    text = str(outcome.exception or "") + " ".join(
        str(getattr(r, "message", "")) for r in getattr(outcome.result, "results", []) or [])
    return "lock" in text.lower() and "conflicting" in text.lower() or "could not set lock" in text.lower()


@contextmanager
def _dbt_on(warehouse: Path) -> Iterator[None]:
    """The block's dbt invocation works on `warehouse` (profiles.yml reads ARW_WAREHOUSE), alone
    in the process, with the parse saved for any file of the same name, and leaves the file
    free at its end."""
    with _DBT_LOCK, _env("ARW_WAREHOUSE", str(Path(warehouse).resolve())), _parse_once_for_any_path():
        try:
            yield
        finally:
            _release_warehouse()


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
    failures, warnings = [], []
    for node_result in node_results:
        kind, status = str(node_result.node.resource_type), str(node_result.status)
        counts[kind, status] = counts.get((kind, status), 0) + 1
        if status in ("error", "fail", "warn"):
            node = NodeFailure(node_result.node.name, kind, status, str(node_result.message or ""))
            (warnings if status == "warn" else failures).append(node)
    return DbtBuildResult(
        success=not failures,
        models_passed=counts.get(("model", "success"), 0),
        models_failed=counts.get(("model", "error"), 0),
        tests_passed=counts.get(("test", "pass"), 0),
        tests_failed=counts.get(("test", "fail"), 0) + counts.get(("test", "error"), 0),
        tests_warned=counts.get(("test", "warn"), 0),
        skipped=sum(n for (_, status), n in counts.items() if status == "skipped"),
        failures=tuple(failures),
        warnings=tuple(warnings),
    )


def _with_reports(result: DbtBuildResult, node_results: list, warehouse: Path) -> DbtBuildResult:
    """Name the reports behind each failed or warned test: its compiled query returns the
    offending rows, and most carry report_id (a test without it stays 'reports unknown')."""
    compiled = {str(r.node.name): getattr(r.node, "compiled_code", None) for r in node_results}
    flagged = [f for f in (*result.failures, *result.warnings) if f.resource_type == "test"]
    if not flagged:
        return result

    reports: dict[str, tuple[str, ...]] = {}
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            for failure in flagged:
                try:
                    rows = con.execute(f"select distinct report_id from ({compiled[failure.name]}) "
                                       "where report_id is not null order by 1").fetchall()
                    reports[failure.name] = tuple(r[0] for r in rows)
                except (duckdb.Error, KeyError, TypeError):
                    continue  # the test's rows do not carry report_id
    except duckdb.Error:
        return result

    def named(items: tuple[NodeFailure, ...]) -> tuple[NodeFailure, ...]:
        return tuple(replace(f, reports=reports.get(f.name, f.reports)) for f in items)

    return replace(result, failures=named(result.failures), warnings=named(result.warnings))


@contextmanager
def _parse_once_for_any_path() -> Iterator[None]:
    """dbt parses the project again (2-3 s) whenever the connection it checks for partial parsing
    changes, and dbt-duckdb counts the file's path in it, though nothing dbt parses depends on it
    (the models name the database, which is the file's name and still counted). Left out, one
    parse serves every warehouse: another warehouse, or the same one elsewhere, builds at once."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    keys = DuckDBCredentials._connection_keys
    DuckDBCredentials._connection_keys = lambda self: tuple(k for k in keys(self) if k != "path")
    try:
        yield
    finally:
        DuckDBCredentials._connection_keys = keys


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
