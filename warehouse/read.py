"""Read-only access for users: SQL queries that cannot write, attach or read local files."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError
from warehouse.store import connect, generations, read_wait_seconds, relations

MARTS = (
    "dim_reports", "fct_table_cells", "fct_budget", "fct_indicators", "fct_suppliers", "fct_procurements",
    "fct_goals", "fct_internal_controls", "fct_text_figures", "fct_quarantine",
)
SAFE_CONFIG = {"enable_external_access": False, "lock_configuration": True}


class QueryRefusedError(WarehouseError):
    """The statement would write, attach or read files: `arw query` only reads the warehouse."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def open_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with file system access switched off and locked."""
    con = connect(warehouse, read_only=True, wait_seconds=read_wait_seconds())
    for name, value in SAFE_CONFIG.items():
        con.execute(f"SET {name} = {str(value).lower()}")
    return con


class EmptyQueryError(WarehouseError):
    """The SQL holds no statement: nothing but blanks, comments or semicolons."""


@dataclass(frozen=True)
class TypedQueryResult(QueryResult):
    """A query's result with the DuckDB type of each column (a parquet file keeps them)."""
    types: list[str] = field(default_factory=list)


DEFAULT_QUERY_TIMEOUT_SECONDS = float(os.environ.get("ARW_QUERY_TIMEOUT_SECONDS", "300"))


class QueryTimeoutError(WarehouseError):
    """A query ran past its time limit and was stopped (a reader must not hold the file forever:
    a writer waits for it)."""


def run_query(warehouse: Path, sql: str, params: list | None = None,
              timeout: float | None = DEFAULT_QUERY_TIMEOUT_SECONDS) -> TypedQueryResult:
    """Run SQL (and its `?` parameters) on a read-only connection without file access; the result
    of the last statement. Refusals raise QueryRefusedError, SQL without a statement EmptyQueryError,
    a query still running after `timeout` seconds (None: no limit) QueryTimeoutError."""
    with open_read_only(warehouse) as con:
        timer = threading.Timer(timeout, con.interrupt) if timeout else None
        if timer:
            timer.start()
        try:
            return _execute(con, sql, params)
        except duckdb.InterruptException as error:
            raise QueryTimeoutError(f"the query was stopped after {timeout:g} s: give it more time with "
                                    "--timeout SECONDS (0: no limit), or narrow it") from error
        finally:
            if timer:
                timer.cancel()


def _execute(con: duckdb.DuckDBPyConnection, sql: str, params: list | None) -> TypedQueryResult:
    try:
        cursor = con.execute(sql) if params is None else con.execute(sql, params)
    except (duckdb.PermissionException, duckdb.InvalidInputException) as error:
        raise QueryRefusedError(f"refused: {first_line(error)} — arw query only reads the warehouse") from error
    except duckdb.InterruptException:
        raise
    except duckdb.Error as error:
        if "read-only" in str(error).lower():
            raise QueryRefusedError(f"refused: the warehouse is opened read-only ({first_line(error)})") from error
        raise WarehouseError(f"query failed: {first_line(error)}") from error
    if cursor is None:  # DuckDB runs nothing for "", ";" or a comment
        raise EmptyQueryError("the query is empty: it holds no SQL statement, only blanks, comments or ;")
    if cursor.description is None:
        return TypedQueryResult([], [], [])
    return TypedQueryResult([d[0] for d in cursor.description], cursor.fetchall(),
                            [str(d[1]) for d in cursor.description])


def mart_summary(warehouse: Path, report_ids: list[str]) -> list[tuple[str, int, str]]:
    """Rows and pages per mart for the given reports: what a run loaded, as users query it."""
    if not report_ids:
        return []
    summary = []
    with open_read_only(warehouse) as con:
        existing = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        for mart in (m for m in MARTS if m in existing):
            has_page = mart not in ("dim_reports", "fct_quarantine")
            page_expr = "string_agg(DISTINCT page::VARCHAR, ',')" if has_page else "NULL"
            count, pages = con.execute(
                f"select count(*), {page_expr} from main.{mart} where report_id in (select unnest(?))",
                [report_ids],
            ).fetchone()
            summary.append((mart, count, compress_pages(pages)))
    return summary


def refused_by_models(warehouse: Path, report_ids: list[str]) -> dict[str, list[str]]:
    """Per report, the rows dbt's models refused (fct_quarantine, refused_by dbt), each as
    '<frame> row <n>: <reason>' like validation's."""
    if not report_ids:
        return {}
    with open_read_only(warehouse) as con:
        rows = con.execute("select report_id, frame, row_number, reason from main.fct_quarantine "
                           "where refused_by = 'dbt' and report_id in (select unnest(?)) "
                           "order by report_id, frame, row_number", [report_ids]).fetchall()
    refused: dict[str, list[str]] = {}
    for report_id, frame, row_number, reason in rows:
        refused.setdefault(report_id, []).append(f"{frame} row {row_number}: {reason}")
    return refused


def inconsistencies_of(warehouse: Path, report_ids: list[str]) -> list[dict]:
    """The findings of the given reports, as dicts (for run summaries and artifacts)."""
    with open_read_only(warehouse) as con:
        cursor = con.execute(
            "select * exclude (left_terms, right_terms) from inconsistencies "
            "where report_id in (select unnest(?)) order by report_id, severity, rule_id", [report_ids])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


CHANGE_COLUMNS = [
    "municipality", "body", "report_type", "fiscal_year", "from_version", "to_version", "report_id",
    "previous_report_id", "change", "status", "table_name", "row_path", "column_path", "old_printed",
    "new_printed", "old_page", "new_page", "rule_id", "check_key", "description",
]


class NoSuchReportError(WarehouseError):
    """A report named on the command line that the warehouse does not hold."""


REPORT_COLUMNS = [
    "report_id", "municipality", "body", "report_type", "fiscal_year", "version", "versions", "is_current",
    "page_count", "facts_loaded", "findings", "status", "source", "ingested_at",
]


def reports_of(warehouse: Path) -> QueryResult:
    """Every report the warehouse holds, every version, with what was read and found in it."""
    with open_read_only(warehouse) as con:
        try:
            cursor = con.execute("""
                select v.report_id, v.municipality, v.body, v.report_type, v.fiscal_year, v.version, v.versions,
                       v.is_current, v.page_count, c.facts_loaded, c.findings,
                       coalesce(c.status, case when v.is_current then 'not checked' else 'superseded' end),
                       v.source, v.ingested_at
                from dim_report_versions as v left join fct_coverage as c using (report_id)
                order by v.municipality, v.body, v.fiscal_year, v.version""")
        except duckdb.CatalogException as error:
            raise WarehouseError(f"{warehouse} holds no built reports yet: run `arw ingest` "
                                 f"({first_line(error)})") from error
        return QueryResult(REPORT_COLUMNS, cursor.fetchall())


def _named(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[str, str]]:
    """(report_id, file_name) of every report (any version) that `name` names: a report id or its
    first characters, a file name, or a source."""
    return con.execute(
        "select report_id, file_name from raw.raw_reports where starts_with(report_id, lower(?)) "
        "or file_name = ? or source = ? order by ingested_at", [name, name, name]).fetchall()


def report_ids_named(warehouse: Path, name: str) -> list[tuple[str, str]]:
    """(report_id, file_name) of every report (any version) that `name` names."""
    with open_read_only(warehouse) as con:
        return _named(con, name)


def changes_of(warehouse: Path, report: str | None = None) -> QueryResult:
    """What changed between consecutive versions of every report, or of the one `report` names
    (a report id or its first characters, a file name or a source, of any of its versions)."""
    with open_read_only(warehouse) as con:
        try:
            where, params = "", []
            if report:
                keys = [r[0] for r in con.execute(
                    "select distinct report_key from dim_report_versions where report_id in (select unnest(?))",
                    [[report_id for report_id, _ in _named(con, report)]]).fetchall()]
                if not keys:
                    raise NoSuchReportError(
                        f"no report in {warehouse} matches {report!r}: give a report id (or its first "
                        f"characters) or a file name; `arw query \"select report_id, file_name from "
                        f"dim_report_versions\"` lists them")
                where, params = "where v.report_key in (select unnest(?))", [keys]
            cursor = con.execute(f"""
                select v.municipality, v.body, v.report_type, v.fiscal_year, p.version as from_version,
                       v.version as to_version, c.report_id, c.previous_report_id, c.change, c.status,
                       c.table_name, c.row_path, c.column_path, c.old_printed, c.new_printed, c.old_page,
                       c.new_page, c.rule_id, c.check_key, c.description
                from report_changes as c
                join dim_report_versions as v on v.report_id = c.report_id
                join dim_report_versions as p on p.report_id = c.previous_report_id
                {where}
                order by v.report_key, v.version, c.change desc, c.status, c.table_name, c.row_path,
                         c.column_path, c.check_key""", params)
            return QueryResult(CHANGE_COLUMNS, cursor.fetchall())
        except duckdb.CatalogException as error:
            raise WarehouseError(f"{warehouse} has no report versions yet (made by an older arw?): run "
                                 f"`arw ingest` once to build them ({first_line(error)})") from error


COVERAGE_COLUMNS = [
    "report_id", "municipality", "body", "report_type", "fiscal_year", "file_name", "source", "page_count",
    "tables_found", "tables_recognised", "facts_loaded", "rows_quarantined", "checks_evaluated", "checks_passed", "findings",
    "status", "reason",
]


def coverage_of(warehouse: Path) -> list[dict]:
    """How much of every report arw read and checked (fct_coverage), and every input whose
    latest ingest failed and that the warehouse does not hold: those were not checked either."""
    with open_read_only(warehouse) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        rows: list[dict] = []
        if "fct_coverage" in tables:
            cursor = con.execute(f"select {', '.join(COVERAGE_COLUMNS)} from fct_coverage "
                                 "order by municipality, body, fiscal_year, file_name")
            rows = [dict(zip(COVERAGE_COLUMNS, r)) for r in cursor.fetchall()]
        if "ingest_runs" in tables:
            held = {r["source"] for r in rows}
            unread = con.execute("""
                select source, message from (
                    select *, row_number() over (partition by source order by started_at desc) as latest
                    from main.ingest_runs)
                where latest = 1 and status = 'failed' order by source""").fetchall()
            rows += [{**dict.fromkeys(COVERAGE_COLUMNS), "file_name": Path(source).name, "source": source,
                      "status": "not checked", "reason": f"could not be read: {message}"}
                     for source, message in unread if source not in held]
    return rows


def compress_pages(pages: str | None) -> str:
    """'7,8,9,11' -> '7-9, 11'."""
    if not pages:
        return ""
    numbers = sorted({int(p) for p in pages.split(",")})
    ranges, start = [], numbers[0]
    for previous, current in zip(numbers, numbers[1:] + [None]):
        if current is None or current != previous + 1:
            ranges.append(f"{start}-{previous}" if previous != start else str(start))
            start = current
    return ", ".join(ranges)


def first_line(error: Exception | str) -> str:
    return str(error).strip().splitlines()[0]


BEHIND_MESSAGE = ("the warehouse models are behind the loaded reports (the last build failed or was "
                  "interrupted): run `arw build` to rebuild them; until then the marts miss the latest changes")


def marts_behind(warehouse: Path) -> bool:
    """Whether a load or removal came after the last build that finished (False for a warehouse
    that does not exist yet or has no state table)."""
    if not Path(warehouse).exists():
        return False
    with open_read_only(warehouse) as con:
        found = generations(con)
    return bool(found and found.behind)


def loaded_report_ids(warehouse: Path) -> set[str]:
    """The sha256 ids of every report the warehouse holds and has built its marts from (none when
    it does not exist yet). A report whose raw rows are in but whose build did not finish is not
    counted, so ingesting it again loads and builds it instead of skipping it."""
    if not Path(warehouse).exists():
        return set()
    with open_read_only(warehouse) as con:
        tables = relations(con)
        if not {"raw.raw_reports", "main.dim_report_versions"} <= tables:
            return set()  # nothing built yet, or a warehouse of an older layout (migrated on load)
        last_run_failed = "false"
        if "main.ingest_runs" in tables:  # the run that loaded it could not build the marts
            last_run_failed = ("coalesce((select i.status = 'failed' from main.ingest_runs as i where i.report_id = "
                               "r.report_id order by i.started_at desc limit 1), false)")
        return {row[0] for row in con.execute(
            f"select r.report_id from raw.raw_reports as r where r.report_id in "
            f"(select report_id from main.dim_report_versions) and not {last_run_failed}").fetchall()}
