"""The DuckDB warehouse: raw.raw_* tables (one per extracted frame), loads and connections.

Each report is loaded in a single transaction that first deletes everything stored for
its report_id, so a re-ingest replaces the report and a failed load changes nothing. A new
version of a report (other bytes, same organisation, body, type and year) supersedes the
current one, which is kept (raw_reports.superseded_by) for the history of changes.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # not imported at run time: reading the warehouse needs neither pandas nor pandera
    import pandas as pd

    from schemas.validate import ValidatedReport

import duckdb

from extract.frames import FRAME_CONTRACT, FRAME_NAMES, REPORT_COLUMNS
from warehouse.errors import NotAWarehouseError, WarehouseError, WarehouseLockedError

def load_wait_seconds() -> float:
    """How long a write waits for another process's DuckDB lock (ARW_LOAD_WAIT_SECONDS, default
    60; concurrent `arw ingest` runs queue for it), read when it waits."""
    return float(os.environ.get("ARW_LOAD_WAIT_SECONDS", "60"))


def read_wait_seconds() -> float:
    """A reader waits for a writer at most 10 s, and never longer than a writer would."""
    return min(10.0, load_wait_seconds())

RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    "raw_reports": [
        ("report_id", "VARCHAR PRIMARY KEY"), ("file_name", "VARCHAR"), ("source", "VARCHAR"),
        ("municipality", "VARCHAR"), ("body", "VARCHAR"), ("report_type", "VARCHAR"),
        ("fiscal_year", "INTEGER"), ("page_count", "INTEGER"), ("ingested_at", "TIMESTAMP"),
        # last, so that a warehouse made by an older arw gains them (ensure_schema) in the same order
        ("organisation", "VARCHAR"), ("organisation_number", "VARCHAR"), ("administration", "VARCHAR"),
        # a later version of the same report (same organisation, body, type and year) supersedes
        # this one; superseded versions stay, so that what changed between versions can be shown
        ("superseded_by", "VARCHAR"),
    ],
    **{f"raw_{name}": columns for name, columns in FRAME_CONTRACT.items()},
    "quarantine": [
        ("report_id", "VARCHAR"), ("frame", "VARCHAR"), ("row_number", "INTEGER"), ("record", "VARCHAR"),
        ("reason", "VARCHAR"), ("quarantined_at", "TIMESTAMP"),
    ],
}
FRAME_TABLES = {name: f"raw_{name}" for name in FRAME_NAMES}
RAW_SCHEMA = "raw"  # the loader's tables, dbt's sources; the marts dbt builds are in `main`
# The warehouse's layout version and its generations: raw_generation counts the loads and
# removals, built_generation is the raw generation the marts were last built from in full; the
# marts are behind when it is smaller (a build failed or was interrupted). built_project is the
# fingerprint of the dbt project that last built every model (0: none, or a build of the whole
# project was started since and did not finish), so that later builds redo only what data changed.
STATE_TABLE = f"{RAW_SCHEMA}.warehouse_state"
# The reports loaded, loaded again or removed since the marts were last built, each with the raw
# generation of its change: dbt's per-report models rebuild only these (dbt_project/macros/per_report.sql).
CHANGED_REPORTS = "changed_reports"
CHANGED_TABLE = f"{RAW_SCHEMA}.{CHANGED_REPORTS}"
SCHEMA_VERSION = 2  # 1: raw tables in `main`; 2: schema `raw` and the state table


@dataclass
class LoadResult:
    report_id: str
    rows: dict[str, int] = field(default_factory=dict)  # table name -> rows inserted
    quarantined: int = 0
    replaced: list[str] = field(default_factory=list)  # earlier versions this one supersedes


# --- connections -----------------------------------------------------------------------------

LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


def lock_holder(message: str, read_only: bool) -> str:
    """Who holds DuckDB's lock, from its message ('… is held in /usr/bin/python (PID 123)').
    Every arw writer holds arw's writer lock first, so a writer is kept out by a reader (`arw
    query`, a SQL client), and a reader by a writer."""
    found = LOCK_HOLDER.search(message)
    who = f"process {found.group(1)}" if found else "another process"
    return (f"{who}, which is writing to it (`arw ingest`, `arw build`, or a read-write client)" if read_only
            else f"{who}, which has it open (a reader such as `arw query` or `arw check`, or another program)")


def _translate(path: Path, exc: duckdb.Error, read_only: bool) -> WarehouseError:
    """Turn DuckDB's open errors into messages that say what to do."""
    message = str(exc)
    if "Could not set lock" in message or "Conflicting lock" in message:
        return WarehouseLockedError(
            f"warehouse {path} is locked by {lock_holder(message, read_only)}: retry when it has "
            "finished, or close that program")
    if "not a valid DuckDB database" in message or "Is a directory" in message:
        return NotAWarehouseError(
            f"{path} is not a DuckDB database: choose another --warehouse path or move the file away")
    if isinstance(exc, duckdb.ConnectionException):
        return WarehouseError(
            f"warehouse {path} is already open in this process in another mode (read-only vs "
            f"read-write); close that connection first ({message})")
    return WarehouseError(f"cannot open warehouse {path}: {message}")


def connect(warehouse: Path, read_only: bool, wait_seconds: float = 0,
            on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting up to `wait_seconds` for another process's lock to go away
    (`on_wait` is told once whom it waits for and how long it will wait)."""
    path = Path(warehouse)
    if read_only and not path.exists():
        raise WarehouseError(f"warehouse {path} does not exist yet: run `arw ingest` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline, delay, told = time.monotonic() + wait_seconds, 0.05, False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            error = _translate(path, exc, read_only)
            remaining = deadline - time.monotonic()
            if not isinstance(error, WarehouseLockedError) or remaining <= 0:
                if isinstance(error, WarehouseLockedError) and wait_seconds:
                    error = WarehouseLockedError(f"{error} (waited {wait_seconds:.0f} s)")
                raise error from exc
            if on_wait and not told:
                on_wait(f"waiting up to {remaining:.0f} s for {lock_holder(str(exc), read_only)} to close "
                        f"{path.name} …")
                told = True
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.5)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables if missing, or bring a warehouse of an older arw up to this
    version's layout, in one transaction (a migration is all or nothing); a warehouse this arw
    cannot use is refused before anything is written. Call outside a transaction."""
    version, columns = schema_version(con), _raw_columns(con)
    _refuse_unknown_layout(version, columns)
    if version == SCHEMA_VERSION and CHANGED_REPORTS in columns and all(
            columns.get(table) == [name for name, _ in contract] for table, contract in RAW_TABLES.items()):
        return  # this version's layout, whole: nothing to create (the common case, every load)
    con.begin()
    try:
        _create_raw_tables(con)
        con.execute(f"INSERT INTO {STATE_TABLE} VALUES ('schema_version', ?), ('raw_generation', 0), "
                    "('built_generation', 0) ON CONFLICT (key) DO NOTHING", [SCHEMA_VERSION])
        con.execute(f"UPDATE {STATE_TABLE} SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION])
        con.commit()
    except BaseException:
        con.rollback()
        raise


def relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every table and view of the warehouse as schema.name."""
    return {row[0] for row in con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables").fetchall()}


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The layout version the warehouse was written with: None for a new file, 1 for the first
    layout (raw tables in `main`, no state table)."""
    found = relations(con)
    if STATE_TABLE in found:
        row = con.execute(f"SELECT value FROM {STATE_TABLE} WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None
    return 1 if {f"main.{t}" for t in RAW_TABLES} & found else None


def _raw_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Each table of the raw schema with its columns in order (one query for them all)."""
    columns: dict[str, list[str]] = {}
    for table, column in con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = ? "
                                     "ORDER BY table_name, column_index", [RAW_SCHEMA]).fetchall():
        columns.setdefault(table, []).append(column)
    return columns


def _refuse_unknown_layout(version: int | None, columns: dict[str, list[str]]) -> None:
    """A warehouse written by a newer arw, or whose raw tables hold columns this arw does not
    know (changed by hand or by another tool), is not written to: loading into it would fail
    half-way or lose what the columns mean."""
    if version is not None and version > SCHEMA_VERSION:
        raise WarehouseError(
            f"this warehouse was written by a newer arw (layout {version}; this arw knows {SCHEMA_VERSION}): "
            "upgrade arw, or choose another --warehouse; nothing was changed")
    if version != SCHEMA_VERSION:
        return  # new, or an older layout: migrated by _create_raw_tables
    for table, contract in RAW_TABLES.items():
        unknown = sorted(set(columns.get(table, [])) - {name for name, _ in contract})
        if unknown:
            raise WarehouseError(
                f"table {RAW_SCHEMA}.{table} has columns this arw does not know ({', '.join(unknown)}): the warehouse "
                "was changed by another tool; drop those columns, or ingest into a new --warehouse; nothing was changed")


def _create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    con.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (key VARCHAR PRIMARY KEY, value BIGINT)")
    con.execute(f"CREATE TABLE IF NOT EXISTS {CHANGED_TABLE} (report_id VARCHAR PRIMARY KEY, generation BIGINT)")
    existing = relations(con)
    for table, columns in RAW_TABLES.items():
        body = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} ({body})")
        if f"main.{table}" in existing and f"{RAW_SCHEMA}.{table}" not in existing:
            _move_from_main(con, table)
        for name, sql_type in columns:  # warehouses made by an older arw gain new columns
            if "PRIMARY KEY" not in sql_type:
                con.execute(f'ALTER TABLE {RAW_SCHEMA}.{table} ADD COLUMN IF NOT EXISTS "{name}" {sql_type}')


def _move_from_main(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """A warehouse made before the raw tables had their own schema keeps them in `main`: move
    their rows (by column name; columns an older arw lacked stay NULL) and drop the old table."""
    old = {row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = ?", [table]).fetchall()}
    shared = ", ".join(f'"{name}"' for name, _ in RAW_TABLES[table] if name in old)
    con.execute(f"INSERT INTO {RAW_SCHEMA}.{table} ({shared}) SELECT {shared} FROM main.{table}")
    con.execute(f"DROP TABLE main.{table}")


# --- loading ---------------------------------------------------------------------------------

def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame,
                  extra: dict[str, object] | None = None) -> None:
    """INSERT ... SELECT from the registered frame, casting each column to the table's type."""
    extra = extra or {}
    columns = [(name, sql_type.split()[0]) for name, sql_type in RAW_TABLES[table]]
    select = ", ".join(
        "?" if name in extra else f'CAST("{name}" AS {sql_type})' for name, sql_type in columns)
    names = ", ".join(f'"{name}"' for name, _ in columns)
    con.register("_arw_frame", frame)
    try:
        con.execute(f"INSERT INTO {RAW_SCHEMA}.{table} ({names}) SELECT {select} FROM _arw_frame",
                    [extra[name] for name, _ in columns if name in extra])
    finally:
        con.unregister("_arw_frame")


def load_report(warehouse: Path, validated: ValidatedReport, wait_seconds: float | None = None,
                on_wait: Callable[[str], None] | None = None) -> LoadResult:
    """Replace everything stored for this report with `validated`, atomically."""
    report_id = validated.report_id
    now = datetime.now(UTC).replace(tzinfo=None)  # TIMESTAMP columns hold UTC
    wait_seconds = load_wait_seconds() if wait_seconds is None else wait_seconds
    with connect(warehouse, read_only=False, wait_seconds=wait_seconds, on_wait=on_wait) as con:
        ensure_schema(con)
        con.begin()
        try:
            replaced = _current_versions(con, validated.report)
            for table in RAW_TABLES:
                con.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE report_id = ?", [report_id])
            con.execute("UPDATE raw.raw_reports SET superseded_by = ? WHERE report_id IN (SELECT unnest(?))",
                        [report_id, replaced])
            con.execute(
                f"INSERT INTO raw.raw_reports ({', '.join(REPORT_COLUMNS)}, ingested_at) "
                f"VALUES ({', '.join('?' * (len(REPORT_COLUMNS) + 1))})",
                [validated.report.get(column) for column in REPORT_COLUMNS] + [now])
            result = LoadResult(report_id, {"raw_reports": 1}, len(validated.quarantine), replaced)
            for name, table in FRAME_TABLES.items():
                frame = validated.frames.get(name)
                if frame is not None and len(frame):
                    _insert_frame(con, table, frame)
                result.rows[table] = 0 if frame is None else len(frame)
            if len(validated.quarantine):
                _insert_frame(con, "quarantine", validated.quarantine, {"quarantined_at": now})
            _new_generation(con, report_id)
            con.commit()
        except Exception as exc:
            con.rollback()
            raise WarehouseError(f"loading report {report_id} into {warehouse} failed, nothing was "
                                 f"changed: {exc}") from exc
    return result


def _new_generation(con: duckdb.DuckDBPyConnection, report_id: str) -> None:
    """The raw data of `report_id` changed: the marts are behind until a build of this
    generation finishes, and that report is one the next build builds again."""
    generation = con.execute(f"UPDATE {STATE_TABLE} SET value = value + 1 WHERE key = 'raw_generation' "
                             "RETURNING value").fetchone()[0]
    con.execute(f"INSERT INTO {CHANGED_TABLE} VALUES (?, ?) ON CONFLICT (report_id) DO UPDATE "
                "SET generation = excluded.generation", [report_id, generation])


@dataclass(frozen=True)
class Generations:
    """Which raw data the marts were built from: behind when a load or removal came after the
    last build that finished."""

    raw: int
    built: int
    project: int = 0

    @property
    def behind(self) -> bool:
        return self.built < self.raw


def generations(con: duckdb.DuckDBPyConnection) -> Generations | None:
    """The warehouse's generations (None for a warehouse without the state table: a new file,
    one made by an older arw, or one made by hand)."""
    if STATE_TABLE not in relations(con):
        return None
    state = dict(con.execute(f"SELECT key, value FROM {STATE_TABLE}").fetchall())
    return Generations(int(state.get("raw_generation", 0)), int(state.get("built_generation", 0)),
                       int(state.get("built_project", 0)))


def mark_built(warehouse: Path, generation: int, project: int = 0) -> None:
    """Record that the marts are built from raw generation `generation` (never moves back) by the
    dbt project with fingerprint `project`: the reports changed up to it are built."""
    with connect(warehouse, read_only=False, wait_seconds=load_wait_seconds()) as con:
        found = relations(con)
        if STATE_TABLE in found:
            con.execute(f"UPDATE {STATE_TABLE} SET value = greatest(value, ?) WHERE key = 'built_generation'",
                        [generation])
            _set_built_project(con, project)
        if CHANGED_TABLE in found:
            con.execute(f"DELETE FROM {CHANGED_TABLE} WHERE generation <= ?", [generation])


def forget_built_project(warehouse: Path) -> None:
    """Before a build of the whole project: until it finishes, no model is known to match any
    project (one that fails half-way leaves some models of the new project, some of the old)."""
    with connect(warehouse, read_only=False, wait_seconds=load_wait_seconds()) as con:
        if STATE_TABLE in relations(con):
            _set_built_project(con, 0)


def _set_built_project(con: duckdb.DuckDBPyConnection, project: int) -> None:
    con.execute(f"INSERT INTO {STATE_TABLE} VALUES ('built_project', ?) ON CONFLICT (key) DO UPDATE "
                "SET value = excluded.value", [project])


def _current_versions(con: duckdb.DuckDBPyConnection, report: dict) -> list[str]:
    """The current version of the same report (municipality, body, type, year) in another file:
    the new one supersedes it."""
    identity = [report.get(k) for k in ("municipality", "body", "report_type", "fiscal_year")]
    if None in identity:
        return []
    rows = con.execute(
        "SELECT report_id FROM raw.raw_reports WHERE municipality = ? AND body = ? AND report_type = ? "
        "AND fiscal_year = ? AND report_id <> ? AND superseded_by IS NULL",
        [*identity, report["report_id"]]).fetchall()
    return [r[0] for r in rows]


def remove_report(warehouse: Path, report_id: str,
                  wait_seconds: float | None = None) -> tuple[dict[str, int], list[str]]:
    """Delete every raw row of one report, in one transaction; the version it superseded becomes
    current again. Returns the rows deleted per table and the versions made current. (The marts
    are derived: the caller rebuilds them.)"""
    wait_seconds = load_wait_seconds() if wait_seconds is None else wait_seconds
    with connect(warehouse, read_only=False, wait_seconds=wait_seconds) as con:
        ensure_schema(con)
        con.begin()
        try:
            restored = [r[0] for r in con.execute(
                "UPDATE raw.raw_reports SET superseded_by = NULL WHERE superseded_by = ? RETURNING report_id",
                [report_id]).fetchall()]
            deleted = {table: len(con.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE report_id = ? RETURNING 1",
                                              [report_id]).fetchall()) for table in RAW_TABLES}
            _new_generation(con, report_id)
            con.commit()
        except Exception as exc:
            con.rollback()
            raise WarehouseError(f"removing report {report_id} from {warehouse} failed, nothing was changed: "
                                 f"{exc}") from exc
    return deleted, restored


def report_exists(warehouse: Path, report_id: str, wait_seconds: float = 10.0) -> bool:
    """Whether the report is already loaded (lets ingest skip PDFs it has seen)."""
    if not Path(warehouse).exists():
        return False
    with connect(warehouse, read_only=True, wait_seconds=wait_seconds) as con:
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables "
            f"WHERE table_schema = '{RAW_SCHEMA}' AND table_name = 'raw_reports'").fetchone()[0]
        if not found:
            return False
        return con.execute("SELECT count(*) FROM raw.raw_reports WHERE report_id = ?",
                           [report_id]).fetchone()[0] > 0
