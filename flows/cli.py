"""The `arw` command line: ingest report PDFs, query the warehouse, inspect a PDF's tables.

Exit codes: 0 everything loaded, 1 some input failed (the others were still loaded), 2 usage
error (bad option, nothing to ingest, an empty query).

Habits borrowed from DuckDB's and dbt's command lines: `arw query` without SQL is an interactive
shell (flows/shell.py); listings take --format table|csv|json|markdown|parquet and --output FILE
(written atomically); tables show numbers the way the reports print them (flows/display.py);
errors are one line; help shows names (SQL, PDF_OR_URL..., FILE), not type placeholders.
"""
from __future__ import annotations

import io
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from flows.progress import RunLog
from flows.settings import drop_interrupt_noise, heartbeats_only_if_asked, warehouse_path


# --- help without type placeholders ------------------------------------------------------------
# typer 0.29 prints a type after every parameter (<bool> after flags, <str>, <list[str]>, <path>)
# and braces around required arguments in the usage line ({paths}...). arw's help shows what to
# type instead: an argument's name (SQL, PDF_OR_URL..., [REPORT]), an option's metavar (FILE, N),
# the choices of an option (table|csv|json), nothing after a flag.

class PlainArgument(TyperArgument):
    """An argument shown by its metavar alone: `SQL`, `PDF_OR_URL...`, `[REPORT]`."""

    def display_type_rich(self, ctx) -> str | None:
        return None

    def get_usage_pieces(self, ctx) -> list[str]:
        name = self.metavar or (self.name or "").upper()
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return [name if self.required else f"[{name}]"]


class PlainOption(TyperOption):
    """An option followed by its metavar or its choices; a flag by nothing."""

    def display_type_rich(self, ctx) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        shown = super().display_type_rich(ctx)
        return shown.replace("<", "").replace(">", "") if shown else None


class PlainHelp:
    """Mixin for typer's command classes: their parameters render as PlainArgument/PlainOption
    (the help option too, which typer creates lazily; hence get_params, not __init__)."""

    def get_params(self, ctx):
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if type(param) is TyperArgument:
                param.__class__ = PlainArgument
            elif type(param) is TyperOption:
                param.__class__ = PlainOption
        return params


class ArwGroup(PlainHelp, TyperGroup):
    pass


class ArwCommand(PlainHelp, TyperCommand):
    pass


SQL_COMMENT = re.compile(r"--(?![A-Za-z0-9])")  # "-- a comment", "---", "--\n": never an option name


class QueryCommand(ArwCommand):
    """`arw query "-- budget lines\nselect …"`: SQL that starts with a comment is the SQL
    argument, not an unknown option (an option name never follows -- with a blank)."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if "--" not in args:
            sql = [a for a in args if a != "--" and SQL_COMMENT.match(a)]
            if sql:
                args = [a for a in args if a not in sql] + ["--", *sql]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=ArwGroup, add_completion=False, no_args_is_help=True, help="arw — the annual report warehouse")
console = Console()
errors = Console(stderr=True, soft_wrap=True)  # messages stay on one line: greppable in logs


@contextmanager
def reported_errors() -> Iterator[None]:
    """A WarehouseError is for the user to act on: one red line saying what to do, exit 1."""
    from warehouse.errors import WarehouseError

    try:
        yield
    except WarehouseError as error:
        errors.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(1)


def note_if_behind(path: Path) -> None:
    """Say so when the marts lag the loaded reports (a build failed or was interrupted), and how
    to catch up: what a command shows then misses the latest changes."""
    from warehouse.errors import WarehouseError
    from warehouse.read import BEHIND_MESSAGE, marts_behind

    try:
        if marts_behind(path):
            errors.print(f"[yellow]Note: {BEHIND_MESSAGE}[/yellow]")
    except WarehouseError:
        pass  # the command itself reports what is wrong with the warehouse


def show_version(value: bool) -> None:
    """--version: the installed package's version."""
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            console.print(f"arw {version('arw')}", highlight=False)
        except PackageNotFoundError:  # run from a checkout that was not installed
            console.print("arw (not installed: run `make install`)")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                          help="print arw's version and exit")] = False,
) -> None:
    """arw — the annual report warehouse: annual-report PDFs in, checked figures out."""


WarehouseOption = Annotated[
    Optional[Path],
    typer.Option("--warehouse", "-w", metavar="FILE",
                 help="DuckDB file (default: $ARW_WAREHOUSE or warehouse/arw.duckdb)"),
]


class Format(str, Enum):
    """The formats of `arw tables` (a PDF's grids, not rows of the warehouse)."""
    table = "table"
    csv = "csv"
    json = "json"


class OutputFormat(str, Enum):
    """The formats of the listings: table and markdown for people, csv, json and parquet for programs."""
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    parquet = "parquet"


SUFFIX_FORMATS = {".csv": OutputFormat.csv, ".json": OutputFormat.json, ".md": OutputFormat.markdown,
                  ".markdown": OutputFormat.markdown, ".parquet": OutputFormat.parquet}

FormatOption = Annotated[
    Optional[OutputFormat],
    typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                 help="table (the default: numbers as the reports print them), csv, json, markdown, or "
                      "parquet (needs --output); with --output the file's suffix chooses (.csv, .json, "
                      ".md, .parquet)"),
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", metavar="FILE", show_default=False,
                 help="write to FILE instead of the terminal (atomically: all or nothing)"),
]


def usage_error(message: str) -> None:
    """A usage error as one red line, exit 2."""
    errors.print(f"[red]{escape(message)}[/red]", highlight=False)
    raise typer.Exit(2)


def resolve_format(fmt: OutputFormat | None, output: Path | None) -> OutputFormat:
    """--format, else what the --output file's suffix says, else table; parquet needs a file."""
    if fmt is None:
        fmt = SUFFIX_FORMATS.get(output.suffix.lower(), OutputFormat.table) if output else OutputFormat.table
    if fmt == OutputFormat.parquet and output is None:
        usage_error("--format parquet writes a binary file: add --output FILE.parquet")
    return fmt


class Runner(str, Enum):
    process = "process"
    thread = "thread"
    dask = "dask"


@app.command(cls=ArwCommand)
def ingest(
    paths: Annotated[list[str], typer.Argument(metavar="PDF_OR_URL...", show_default=False,
                                               help="report PDFs, folders of PDFs, or http(s) URLs")],
    warehouse: WarehouseOption = None,
    force: Annotated[bool, typer.Option("--force", help="re-fetch and re-ingest reports already loaded")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, metavar="N", help="reports extracted in parallel")] = max(1, min(4, os.cpu_count() or 1)),
    task_runner: Annotated[Runner, typer.Option("--task-runner", help="process pool, threads, or a Dask cluster")] = Runner.process,
    dask_address: Annotated[Optional[str], typer.Option("--dask-address", metavar="ADDRESS", help="tcp://scheduler:8786 (default: a LocalCluster)")] = None,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, metavar="N", help="refuse PDFs with more pages")] = 500,
    municipality: Annotated[Optional[str], typer.Option(
        "--municipality", metavar="NAME", help='publisher of the reports of this run, e.g. "Haninge kommun", instead of what '
                               'the reports say (every report of the run; add --force for reports already loaded)')] = None,
    body: Annotated[Optional[str], typer.Option(
        "--body", metavar="NAME", help='reporting body of the reports of this run, e.g. "Kommunstyrelsen"')] = None,
    year: Annotated[Optional[int], typer.Option(
        "--year", min=1990, max=2100, metavar="YEAR", help="fiscal year of the reports of this run")] = None,
) -> None:
    """Extract, validate and load report PDFs, then build the warehouse models (dbt)."""
    from flows.sources import SourceError, expand_local
    from warehouse.read import mart_summary

    overrides = identity_overrides(municipality, body, year)
    try:
        names = expand_local(paths)
    except SourceError as error:
        raise typer.BadParameter(str(error), param_hint="PATH")
    target = warehouse_path(warehouse)
    unread = local_files_to_read(names, target, force)
    if unread is None:
        if overrides:
            errors.print("--municipality/--body/--year were not applied: every report is already loaded "
                         "(add --force to ingest them again with these values)")
        raise typer.Exit(0)
    from flows.worker import reading_ahead

    processes = extraction_processes(task_runner, workers)
    ahead = unread if task_runner == Runner.process else []
    try:
        with reading_ahead(ahead, processes, max_pages, overrides), prefect_server():
            summary = run_ingest(names, target, force, workers, task_runner, dask_address, max_pages, overrides)
    except KeyboardInterrupt:  # before the run started (the run handles its own)
        interrupted(target)
    from flows.progress import clock

    clock.print_if_asked()
    show_outcomes(summary)
    if summary.record_problem:
        errors.print(f"[red]{summary.record_problem}[/red]")
    from flows.outcomes import FAILED

    loaded = [o.report_id for o in summary.outcomes if o.status not in (FAILED, "skipped") and o.report_id]
    if loaded and summary.dbt_error is None:
        show_rows(["mart", "rows", "pages"], mart_summary(target, loaded), title="Warehouse marts for these reports")
    if summary.dbt_error:
        errors.print(f"[red]The warehouse models could not be built:[/red] {escape(summary.dbt_error)}")
    elif loaded:
        console.print(f"{summary.inconsistencies} inconsistencies found: `arw check` lists them, `arw report` shows them")
    raise typer.Exit(0 if summary.ok else 1)


def run_ingest(names: list[str], target: Path, force: bool, workers: int, task_runner: Runner,
               dask_address: str | None, max_pages: int, overrides: dict):
    """The ingest flow with progress bars; its RunSummary. Ctrl-C: one line, exit 130."""
    from flows.interrupts import ctrl_c_noticed
    from flows.pipeline import ingest_flow, summary_of
    from flows.progress import set_progress

    drop_interrupt_noise()
    flow = ingest_flow.with_options(task_runner=make_task_runner(task_runner, workers, dask_address, len(names)))
    with IngestProgress(names) as bars, ctrl_c_noticed() as ctrl_c, heartbeats_only_if_asked():
        set_progress(bars)
        try:
            return summary_of(flow(names, str(target), force=force, max_pages=max_pages, return_state=True,
                                   processes=extraction_processes(task_runner, workers),
                                   **({"overrides": overrides} if overrides else {})))
        except KeyboardInterrupt:
            interrupted(target)
        except Exception:
            if ctrl_c.is_set():  # DuckDB turns Ctrl-C inside a query into "Query interrupted"
                interrupted(target)
            raise
        finally:
            set_progress(None)


def interrupted(warehouse: Path) -> None:
    """Ctrl-C: one line saying what was kept, exit 130 (a report is loaded whole or not at all)."""
    from warehouse.read import marts_behind

    try:
        behind = marts_behind(warehouse)
    except Exception:  # noqa: BLE001 (the warehouse may be mid-write by another process)
        behind = False
    kept = ("the reports loaded so far are kept, but the marts are behind: run `arw build`" if behind
            else "every report is either loaded whole or not at all; run the same command again to go on")
    errors.print(f"Interrupted: {kept}", highlight=False)
    raise typer.Exit(130)


def identity_overrides(municipality: str | None, body: str | None, year: int | None) -> dict:
    """--municipality, --body and --year as `extract.identity.apply_overrides` takes them (only
    those given; {} for none), checked here so that a bad value is a usage error."""
    from extract.identity import apply_overrides

    given = {key: value for key, value in (("municipality", municipality), ("body", body), ("fiscal_year", year))
             if value is not None}
    try:
        apply_overrides({}, given)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    return given


def local_files_to_read(names: list[str], warehouse: Path, force: bool) -> list[str] | None:
    """The local PDFs this run will read (those not loaded yet; every one with --force), which
    extraction starts on before Prefect does; or None when every input is a local file already
    loaded: said and recorded here, without starting Prefect (fast)."""
    import uuid

    from flows.outcomes import RunSummary, record, skip_known_files
    from flows.sources import Source, SourceError, is_url, local_file
    from warehouse.errors import WarehouseError
    from warehouse.lock import writer_lock
    from warehouse.read import loaded_report_ids, marts_behind

    def readable(name: str) -> bool:
        try:
            return local_file(name).is_file()
        except SourceError:
            return False  # the run fails it, with its reason, before anything reads it

    local = [name for name in names if not is_url(name) and readable(name)]
    if force:
        return local
    try:
        with writer_lock(warehouse, on_wait=errors.print):
            behind = marts_behind(warehouse)  # then the run rebuilds what an earlier run left behind
            known = loaded_report_ids(warehouse)
    except WarehouseError:
        return []  # the run reports the problem in full
    todo, skipped = skip_known_files([Source(n, Path(n)) for n in local], known)
    if todo or behind or len(local) < len(names):
        return [source.name for source in todo]
    summary = RunSummary(str(uuid.uuid4()), str(warehouse), skipped)
    problem = record(summary, on_wait=errors.print)
    show_outcomes(summary)
    if problem:
        errors.print(problem)
    return None


def make_task_runner(kind: Runner, workers: int, dask_address: str | None, inputs: int):
    """Extraction is CPU-bound (pdfplumber): processes by default, a Dask cluster to scale out."""
    from prefect.task_runners import ThreadPoolTaskRunner

    if kind == Runner.dask:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return ThreadPoolTaskRunner(max_workers=workers)  # with `process`, each task hands the parsing to a process


def extraction_processes(kind: Runner, workers: int) -> int:
    """How many extraction processes the run may start: `workers` for --task-runner process with
    more than one worker (started as work comes: one short report starts one; one long local file
    read ahead may be read in parts by several), else none (the tasks' threads or Dask parse)."""
    return workers if kind == Runner.process and workers > 1 else 0


class IngestProgress(RunLog):
    """A rich progress bar per report (fetch, extract and validate, load) and one for the run."""

    def __init__(self, names: list[str]) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bars = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                             TextColumn("{task.fields[stage]}"), TimeElapsedColumn(), console=errors,
                             transient=False, disable=not errors.is_terminal,
                             redirect_stdout=False, redirect_stderr=False)  # Dask pickles the streams
        self.total = self.bars.add_task(f"{len(names)} report(s)", total=len(names), stage="")
        self.tasks = {name: self.bars.add_task(_short(name), total=4, stage="waiting") for name in names}

    def __enter__(self) -> "IngestProgress":
        self.bars.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bars.__exit__(*exc)

    def stage(self, source: str, stage: str) -> None:
        from flows.outcomes import STAGES

        super().stage(source, stage)
        if source in self.tasks:
            self.bars.update(self.tasks[source], completed=STAGES.index(stage), stage=stage)

    def finished(self, outcome) -> None:
        super().finished(outcome)
        if outcome.source in self.tasks:
            self.bars.update(self.tasks[outcome.source], completed=4, stage=outcome.status)
        self.bars.advance(self.total)

    def message(self, text: str) -> None:
        super().message(text)
        self.bars.console.print(text)


def _short(name: str) -> str:
    return name if len(name) <= 40 else "…" + name[-39:]


def show_outcomes(summary) -> None:
    table = RichTable(title=f"Ingested into {summary.warehouse}")
    for column in ("file", "status", "pages", "rows loaded", "quarantined", "seconds"):
        table.add_column(column)
    for o in summary.outcomes:
        rows = ", ".join(f"{k.removeprefix('raw_')} {v}" for k, v in o.rows.items() if v and k != "raw_reports")
        colour = {"loaded": "green", "skipped": "cyan"}.get(o.status, "red")
        table.add_row(_short(Path(o.source).name if not o.source.startswith("http") else o.source),
                      f"[{colour}]{o.status}[/{colour}]", str(o.pages or ""),
                      rows or (o.error or "; ".join(o.notes)), str(o.quarantined), f"{o.seconds:.1f}")
    console.print(table)
    for o in summary.outcomes:
        if o.status == "failed":
            errors.print(f"[red]failed[/red] {escape(o.source)}: {escape(o.error or '')}")
        for old in o.replaced:
            console.print(f"{Path(o.source).name} replaces the earlier version {old[:12]}… of the same report")
        for note in o.notes if o.status != "skipped" else []:
            console.print(f"note on {Path(o.source).name}: {note}")
        if o.quarantine_summary:
            errors.print(f"[yellow]{Path(o.source).name}[/yellow]: {o.quarantine_summary}")


@app.command(cls=ArwCommand)
def serve(
    inbox: Annotated[Path, typer.Option("--inbox", metavar="FOLDER", help="folder that staff drop report PDFs into")],
    urls: Annotated[Optional[Path], typer.Option("--urls", metavar="FILE", help="file with one report URL per line")] = None,
    cron: Annotated[Optional[str], typer.Option("--cron", metavar="CRON", help='schedule, e.g. "0 6 * * *"')] = None,
    interval: Annotated[Optional[float], typer.Option("--interval", min=1, metavar="SECONDS", help="or every N seconds")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Ingest the inbox (and URLs) on a schedule: a Prefect deployment served until Ctrl-C."""
    from flows.serve import serve_inbox

    if (cron is None) == (interval is None):
        raise typer.BadParameter("give exactly one of --cron or --interval")
    if not inbox.is_dir():
        raise typer.BadParameter(f"{inbox} is not a folder", param_hint="--inbox")
    if urls is not None and not urls.is_file():
        raise typer.BadParameter(f"{urls} does not exist", param_hint="--urls")
    target = warehouse_path(warehouse)
    try:
        with prefect_server(show_ui=True):
            serve_inbox(inbox.resolve(), target, urls, cron, interval)
    except KeyboardInterrupt:
        console.print("Stopped serving.")


@contextmanager
def prefect_server(show_ui: bool = False) -> Iterator[str]:
    """The Prefect API for this command (PREFECT_API_URL, else arw's local server, started on
    first use); says where its UI is when starting it or when asked; a server that will not
    start is one red line and exit 1."""
    from flows.server import ServerError, running_server, use_server

    starting = not os.environ.get("PREFECT_API_URL") and running_server() is None
    if starting:
        errors.print("Starting arw's local Prefect server on 127.0.0.1 (kept for the next commands; "
                     "`arw server stop` ends it) …")
    try:
        api_url = use_server()
    except ServerError as error:
        errors.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(1)
    if starting or show_ui:
        errors.print(f"Prefect UI: {api_url.removesuffix('/api')} (schedules, runs, artifacts)", highlight=False)
    yield api_url


server_app = typer.Typer(cls=ArwGroup, no_args_is_help=True,
                         help="arw's local Prefect server: the runs' history and UI, kept between commands")
app.add_typer(server_app, name="server")


@server_app.command("start", cls=ArwCommand)
def server_start() -> None:
    """Start the local Prefect server (arw ingest and arw serve start it on first use)."""
    from flows.server import ServerError, start_server

    try:
        server = start_server()
    except ServerError as error:
        errors.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(1)
    show_server(server)


def show_server(server) -> None:
    console.print(f"Prefect server running (pid {server.pid})\n  UI  {server.ui_url}\n  API {server.api_url}",
                  highlight=False)


@server_app.command("status", cls=ArwCommand)
def server_status() -> None:
    """Whether the local Prefect server runs, and where (exit 1 when it does not)."""
    from flows.server import running_server

    server = running_server()
    if server is None:
        console.print("No local Prefect server is running: `arw server start` starts it (arw ingest does too)")
        raise typer.Exit(1)
    show_server(server)


@server_app.command("stop", cls=ArwCommand)
def server_stop() -> None:
    """Stop the local Prefect server (its runs' history stays in the state directory)."""
    from flows.server import stop_server

    server = stop_server()
    console.print(f"Stopped the Prefect server (pid {server.pid})" if server else "No local Prefect server was running",
                  highlight=False)


@app.command(cls=ArwCommand)
def status(warehouse: WarehouseOption = None,
           limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", help="runs to show")] = 20,
           fmt: FormatOption = None,
           output: OutputOption = None) -> None:
    """The latest ingest runs: one row per report per run, and how much of each report was checked."""
    from flows.sources import is_url
    from warehouse.read import coverage_of
    from warehouse.runs import latest_runs

    chosen = resolve_format(fmt, output)
    with reported_errors():
        path = warehouse_path(warehouse)
        columns, rows = latest_runs(path, limit)
        coverage = coverage_of(path) if rows and chosen == OutputFormat.table else []
    note_if_behind(path)

    def table(out: Console) -> None:
        shown = [(r[0][:8], str(r[1])[:16], r[2], _short(r[3] if is_url(r[3]) else Path(r[3]).name),
                  (r[4] or "")[:12], r[5] or "", None if r[7] is None else round(r[7], 1)) for r in rows]
        show_rows(["run", "started", "status", "source", "report", "message", "seconds"], shown,
                  title="Latest ingest runs", out=out)
        listed = {r[4] for r in rows} | {r[3] for r in rows}
        if rows:
            show_coverage([c for c in coverage if c["report_id"] in listed or c["source"] in listed], out)

    deliver(columns, rows, chosen, output, table=table)


@app.command(cls=QueryCommand)
def query(
    sql: Annotated[Optional[str], typer.Argument(
        metavar="SQL", show_default=False,
        help="a read-only SQL query; leave it out for the interactive shell")] = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", metavar="SECONDS", min=0, show_default=False,
        help="stop a query that runs longer (default 300, or $ARW_QUERY_TIMEOUT_SECONDS; 0: no limit): "
             "a writer such as arw ingest waits while a query reads")] = None,
) -> None:
    """Run a read-only SQL query against the warehouse; without SQL, an interactive shell.

    The shell reads statements ending with ; from the terminal, or piped in.

    Shell commands: .tables, .schema TABLE, .format, .maxwidth, .width, .maxrows, .help, .quit.

    SQL may start with a comment: arw query $'-- revenue\\nselect …' (or after --: arw query -- "…")."""
    from warehouse.read import EmptyQueryError, run_query

    path = warehouse_path(warehouse)
    if sql is None:
        if output is not None or fmt == OutputFormat.parquet:
            usage_error("--output and --format parquet need SQL: arw query \"select …\" --output FILE")
        raise typer.Exit(run_shell(path, fmt, timeout))
    chosen = resolve_format(fmt, output)
    note_if_behind(path)
    with reported_errors():
        try:
            result = run_query(path, sql, **time_limit(timeout))
        except EmptyQueryError:
            usage_error("the query is empty: give a SQL statement, e.g. arw query \"select * from dim_reports\", "
                        "or no SQL at all for the interactive shell")
    types = getattr(result, "types", None)
    deliver(result.columns, result.rows, chosen, output, types=types,
            table=lambda out: show_result(result.columns, result.rows, types, out))


def time_limit(timeout: float | None) -> dict:
    """run_query's timeout argument for --timeout: its default when not given, none for 0."""
    return {} if timeout is None else {"timeout": timeout or None}


def run_shell(path: Path, fmt: OutputFormat | None, timeout: float | None) -> int:
    """`arw query` without SQL: the shell on the warehouse (flows/shell.py). Its exit code."""
    from flows import shell
    from flows.settings import STATE_DIR
    from warehouse.read import run_query

    with reported_errors():
        run_query(path, "select 1")  # the warehouse exists and opens: say so before any prompt
    note_if_behind(path)
    session = shell.Shell(path, console, errors, format=fmt.value if fmt else "table", show_table=show_result,
                          limit=time_limit(timeout))
    banner = (f"arw query shell on {path} (read-only). Statements end with ;  "
              f".help lists the commands, .quit or Ctrl-D leaves.")
    return shell.run(session, sys.stdin, STATE_DIR, banner)


class Severity(str, Enum):
    error = "error"
    warning = "warning"


CHECK_COLUMNS = [
    "report_id", "rule_id", "severity", "description", "left_value", "right_value", "difference",
    "tolerance", "left_ref", "right_ref", "other_report_id",
]


@app.command(cls=ArwCommand)
def check(
    warehouse: WarehouseOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    fail_on: Annotated[Optional[Severity], typer.Option(
        "--fail-on", help="exit 1 if a finding at this severity or worse exists, a report was not checked, or the "
                          "marts are behind the loaded reports")] = None,
    allow_unchecked: Annotated[bool, typer.Option(
        "--allow-unchecked", help="with --fail-on: a report arw could not check does not fail")] = False,
) -> None:
    """List the inconsistencies found in the loaded reports, and which reports were not checked.

    A report arw could not read or check is "not checked", with the reason.

    The table format shows one finding per block: both sides with their figures and pages, the difference."""
    from warehouse.read import coverage_of, marts_behind, run_query

    chosen = resolve_format(fmt, output)
    shown_columns = CHECK_COLUMNS + (["left_terms", "right_terms"] if chosen == OutputFormat.table else [])
    with reported_errors():
        path = warehouse_path(warehouse)
        result = run_query(path, f"select {', '.join(shown_columns)} from inconsistencies "
                           "order by report_id, severity, rule_id, left_ref")
        coverage = coverage_of(path)
        behind = marts_behind(path)
    note_if_behind(path)
    unchecked = [c for c in coverage if c["status"] != "checked"]
    deliver(result.columns, result.rows, chosen, output, types=getattr(result, "types", None),
            table=lambda out: show_findings(result.rows, coverage, out))
    if chosen != OutputFormat.table or output is not None:
        for c in unchecked:
            errors.print(f"not checked: {c['file_name']}: {c['reason']}", highlight=False)
    severities = {row[2] for row in result.rows}
    failing = {"error": {"error"}, "warning": {"error", "warning"}}.get(fail_on.value if fail_on else "", set())
    raise typer.Exit(1 if severities & failing or (fail_on and (unchecked or behind) and not allow_unchecked) else 0)


def show_findings(rows: list[tuple], coverage: list[dict], out: Console) -> None:
    """`arw check` for people: one block per finding, no line wider than the terminal
    (flows/display.finding_lines), then the coverage of every report."""
    from flows.display import finding_lines

    checked = sum(1 for c in coverage if c["status"] == "checked")
    names = {c["report_id"]: c["file_name"] for c in coverage if c.get("report_id")}
    out.print(f"{len(rows)} inconsistencies in {checked} checked report(s)", highlight=False)
    for row in rows:
        finding = dict(zip(CHECK_COLUMNS + ["left_terms", "right_terms"], row))
        lines = finding_lines(finding, out.width, names.get(finding["report_id"]))
        style = {"error": "bold red", "warning": "bold yellow"}.get(finding["severity"], "bold")
        out.print()
        out.print(Text(lines[0], style=style), soft_wrap=True)
        for line in lines[1:]:
            out.print(Text(line), soft_wrap=True)
    out.print()
    show_coverage(coverage, out)


def show_coverage(coverage: list[dict], out: Console | None = None) -> None:
    """One paragraph per report, wrapped to the width: what was read and checked, or why not."""
    from flows.display import wrap

    out = out or console
    if not coverage:
        out.print("Coverage: no report in the warehouse yet.")
        return
    out.print("Coverage:")
    for c in coverage:
        if c["status"] == "checked":
            quarantined = f", {c['rows_quarantined']} rows quarantined" if c["rows_quarantined"] else ""
            text = (f"{c['file_name']}: checked — {c['tables_recognised']} of {c['tables_found']} tables recognised, "
                    f"{c['facts_loaded']} figures{quarantined}, {c['checks_passed']} of {c['checks_evaluated']} "
                    f"checks passed, {c['findings']} findings")
        else:
            text = f"{c['file_name']}: not checked — {c['reason']}"
        for line in wrap(text, out.width, "  ", "    "):
            shown = Text(line)
            if c["status"] != "checked":
                shown.highlight_words(["not checked"], "yellow")
            out.print(shown, soft_wrap=True)


@app.command(cls=ArwCommand)
def changes(
    report: Annotated[Optional[str], typer.Argument(
        metavar="REPORT",
        help="a report id (or its first characters) or a file name of any version; all reports if left out",
        show_default=False)] = None,
    warehouse: WarehouseOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List what changed between versions of a report: figures, and findings fixed, kept or new."""
    from warehouse.read import changes_of

    chosen = resolve_format(fmt, output)
    with reported_errors():
        result = changes_of(warehouse_path(warehouse), report)
    note_if_behind(warehouse_path(warehouse))

    def table(out: Console) -> None:
        if not result.rows:
            out.print("No changes: no report in the warehouse has a second version" if not report
                      else f"No changes: {escape(report)} has one version only, or its versions print the same figures")
            return
        groups: dict[tuple, list[dict]] = {}
        for row in result.rows:
            value = dict(zip(result.columns, row))
            key = (value["municipality"], value["body"], value["report_type"], value["fiscal_year"],
                   value["from_version"], value["to_version"])
            groups.setdefault(key, []).append(value)
        for (municipality, body, kind, year, old, new), values in groups.items():
            shown = [(f"{v['change']} {v['status']}",
                      " · ".join(filter(None, [v["table_name"], v["row_path"], v["column_path"]]))
                      if v["change"] == "figure" else f"{v['rule_id']}: {v['check_key']}",
                      f"{v['old_printed'] or '–'} → {v['new_printed'] or '–'}" if v["change"] == "figure" else "",
                      " → ".join("–" if p is None else str(p) for p in (v["old_page"], v["new_page"])))
                     for v in values]
            show_rows(["change", "where", "printed", "page"], shown, out=out,
                      title=f"{municipality} · {body} · {kind} {year}: version {old} → {new}, {len(values)} changes")

    deliver(result.columns, result.rows, chosen, output, table=table)


@app.command(cls=ArwCommand)
def reports(warehouse: WarehouseOption = None,
            fmt: FormatOption = None,
            output: OutputOption = None) -> None:
    """List the reports the warehouse holds: every version, with pages, figures, findings and source."""
    from warehouse.read import reports_of

    chosen = resolve_format(fmt, output)
    with reported_errors():
        result = reports_of(warehouse_path(warehouse))
    note_if_behind(warehouse_path(warehouse))

    def table(out: Console) -> None:  # one block per report: readable at 80 columns
        out.print(f"{len(result.rows)} report(s)", highlight=False)
        for r in result.rows:
            title = " · ".join(str(v) for v in r[1:5] if v is not None) or Path(str(r[12])).name
            counts = ", ".join(f"{n} {what}" for n, what in ((r[8], "pages"), (r[9], "figures"), (r[10], "findings"))
                               if n is not None)
            out.print(f"\n[bold]{escape(title)}[/bold] — version {r[5]} of {r[6]}, {r[11]}", highlight=False)
            out.print(f"  {r[0][:12]}… · {counts} · ingested {str(r[13])[:16]}", highlight=False)
            out.print(f"  {escape(str(r[12]))}", highlight=False, overflow="fold")

    deliver(result.columns, result.rows, chosen, output, table=table)


@app.command(cls=ArwCommand)
def remove(
    report: Annotated[str, typer.Argument(metavar="REPORT", help="a report id (or its first characters) or a file name",
                                          show_default=False)],
    warehouse: WarehouseOption = None,
) -> None:
    """Delete a report and everything derived from it, then rebuild the marts.

    The version it superseded, if any, becomes current again. The ingest history is kept."""
    from flows.dbt_build import DbtBuildError, build
    from warehouse.lock import writer_lock
    from warehouse.read import report_ids_named
    from warehouse.store import remove_report

    path = warehouse_path(warehouse)
    with reported_errors():
        named = report_ids_named(path, report)
        if len(named) != 1:
            listed = "; ".join(f"{rid[:12]}… {name}" for rid, name in named)
            errors.print(f"[red]{report!r} names {len(named)} reports[/red]"
                         + (f": {listed}; give more of the report id" if named else ": `arw reports` lists them"))
            raise typer.Exit(1)
        report_id, name = named[0]
        with writer_lock(path, on_wait=errors.print):
            deleted, restored = remove_report(path, report_id)
            try:
                with console.status("Rebuilding the warehouse models …"):
                    build(path)
            except DbtBuildError as error:
                errors.print(f"[red]Removed {name}, but the marts could not be rebuilt:[/red] {error}")
                raise typer.Exit(1)
    rows = sum(deleted.values())
    console.print(f"Removed {name} (report {report_id[:12]}…): {rows} rows; the marts are rebuilt", highlight=False)
    for old in restored:
        console.print(f"The earlier version {old[:12]}… is current again", highlight=False)


@app.command(cls=ArwCommand)
def build(warehouse: WarehouseOption = None) -> None:
    """Rebuild the warehouse models (dbt) from the loaded reports.

    arw ingest builds them itself; run this after a build failed or was interrupted, or after changing the vocabulary seeds."""
    from flows.dbt_build import DbtBuildError, build as build_models
    from warehouse.errors import WarehouseError
    from warehouse.lock import writer_lock

    path = warehouse_path(warehouse)
    if not path.exists():
        errors.print(f"[red]warehouse {path} does not exist yet: run `arw ingest` first[/red]")
        raise typer.Exit(1)
    with reported_errors():
        with writer_lock(path, on_wait=errors.print), console.status("Building the warehouse models …"):
            try:
                result = build_models(path, whole_project=True)
            except DbtBuildError as error:
                raise WarehouseError(f"the build failed, the marts stay behind: {error}") from error
    console.print(f"Built {result.models_passed} models; {result.tests_passed} tests passed, "
                  f"{result.tests_warned} found rows to look at", highlight=False)
    for warning in result.warnings:
        console.print(f"  {warning.describe()}", highlight=False)


@app.command(cls=ArwCommand)
def docs(
    warehouse: WarehouseOption = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="FOLDER", show_default=False,
        help="write the site to FOLDER (index.html, and static_index.html: one file that works offline) "
             "instead of serving it")] = None,
    port: Annotated[int, typer.Option("--port", metavar="N", min=0, max=65535,
                                      help="port on 127.0.0.1 to serve on (0: a free one)")] = 0,
) -> None:
    """The warehouse's documentation: every mart and column with its description, the tests and
    the lineage from the PDF's cells to the marts (dbt docs), served on loopback until Ctrl-C."""
    import tempfile

    from flows.docs import serve_folder

    path = warehouse_path(warehouse)
    if out is not None:
        page = generate_docs_site(path, out)
        console.print(f"Wrote {page} (and {page.with_name('static_index.html')}, one file that works offline)")
        return
    with tempfile.TemporaryDirectory(prefix="arw-docs-") as scratch:
        generate_docs_site(path, Path(scratch))
        server = serve_folder(Path(scratch), port)
        console.print(f"Documentation at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            console.print("Stopped serving the documentation.")
        finally:
            server.shutdown()


def generate_docs_site(warehouse: Path, folder: Path) -> Path:
    """dbt docs of the warehouse into folder; a failure is one red line and exit 1."""
    from flows.dbt_build import DbtBuildError
    from flows.docs import write_docs

    with reported_errors():
        try:
            with console.status("Generating the documentation (dbt docs) …"):
                return write_docs(warehouse, folder, on_wait=errors.print)
        except DbtBuildError as error:
            errors.print(f"[red]{escape(str(error))}[/red]")
            raise typer.Exit(1)


@app.command(cls=ArwCommand)
def report(
    warehouse: WarehouseOption = None,
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="folder for inconsistencies.html")] = Path("report"),
) -> None:
    """Write a self-contained HTML page of the inconsistencies, with the PDF regions highlighted."""
    from flows.sources import CACHE_DIR
    from warehouse.review import write_review

    with reported_errors():
        with console.status("Rendering the pages involved …"):
            page = write_review(warehouse_path(warehouse), out, download_cache=CACHE_DIR)
    note_if_behind(warehouse_path(warehouse))
    console.print(f"Wrote {page}")


@app.command(cls=ArwCommand)
def tables(
    pdfs: Annotated[list[str], typer.Argument(metavar="PDF...", help="PDFs, or folders searched for *.pdf",
                                              show_default=False)],
    output: Annotated[Optional[Format], typer.Option("--format", "-f", help="table to read; json or csv for programs "
                                           "(json with --out unless chosen)")] = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="DIR", help="write one file per PDF into DIR, named "
                                             "after it (report.pdf -> DIR/report.json)", file_okay=False)] = None,
) -> None:
    """Every table found in any PDF as grids of cells: page, bounding box, header rows, rows."""
    from flows.sources import SourceError, expand_local

    try:
        paths = [Path(name) for name in expand_local(pdfs) if not name.startswith(("http://", "https://"))]
    except SourceError as error:
        raise typer.BadParameter(str(error), param_hint="PDF") from error
    output = output or (Format.json if out else Format.table)
    if out is None and output != Format.table and len(paths) > 1:
        usage_error(f"{len(paths)} PDFs as {output.value}: give --out DIR to write one file per PDF")
    if out is not None:
        if output == Format.table:
            usage_error("--out writes files for programs: choose --format json or csv")
        clash = _same_stems(paths)
        if clash:
            usage_error(f"{clash[0]} and {clash[1]} would both be written to {clash[0].stem}.{output.value}: "
                        "give them in separate runs")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            usage_error(f"cannot create {out}: {error.strerror or error}")
    failed = 0
    for path in paths:
        failed += not _tables_of(path, output, out)
    if out is not None:
        errors.print(f"Wrote {len(paths) - failed} of {len(paths)} file(s) to {out}"
                     + (f"; {failed} PDF(s) could not be read (above)" if failed else ""))
    if failed:
        raise typer.Exit(1)


def _tables_of(path: Path, output: "Format", out: Path | None) -> bool:
    """One PDF's grids, shown or written; False (after saying why) when it cannot be read."""
    from extract.errors import ExtractionError
    from extract.report import read_grids
    from flows import export

    started = time.monotonic()
    try:
        grids = read_grids(path)
    except ExtractionError as error:
        errors.print(f"[red]{escape(str(error))}[/red]")
        return False
    if output == Format.table:
        for number, grid in enumerate(grids, start=1):
            head = grid.rows[: grid.header_rows] or [[None] * len(grid.rows[0])]
            show_rows([" / ".join(dict.fromkeys(t for t in column if t)) for column in zip(*head)],
                      [[t or "" for t in row] for row in grid.rows[grid.header_rows:]],
                      title=f"{path.name} · table {number} · page {grid.page} · bbox {[round(v, 1) for v in grid.bbox]}")
        return True
    text = grids_json(grids) if output == Format.json else grids_csv(grids)
    if out is None:
        sys.stdout.write(text)
        return True
    try:
        target = export.write_text(out / f"{path.stem}.{output.value}", text)
    except export.ExportError as error:
        errors.print(f"[red]{escape(str(error))}[/red]")
        return False
    errors.print(f"{path.name}: {len(grids)} table(s) -> {target.name} ({time.monotonic() - started:.1f} s)")
    return True


def grids_json(grids) -> str:
    """A JSON list of the tables, one table per line (easy to diff and grep)."""
    tables = [json.dumps(g.as_json(), ensure_ascii=False) for g in grids]
    return "[\n" + ",\n".join(tables) + "\n]\n" if tables else "[]\n"


def grids_csv(grids) -> str:
    """One line per cell: table (1-based), page, row and column (0-based, header rows first)."""
    from flows.display import csv_text

    rows = [(number, g.page, r, c, "true" if r < g.header_rows else "false", text)
            for number, g in enumerate(grids, start=1)
            for r, row in enumerate(g.rows) for c, text in enumerate(row)]
    return csv_text(["table", "page", "row", "column", "is_header", "text"], rows)


def _same_stems(paths: list[Path]) -> tuple[Path, Path] | None:
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen:
            return seen[path.stem], path
        seen[path.stem] = path
    return None


def deliver(columns: list[str], rows: list, fmt: OutputFormat, output: Path | None, *,
            types: list[str] | None = None, table: Callable[[Console], None] | None = None) -> None:
    """Rows to the terminal or, with --output, to a file in the chosen format: csv, json and
    parquet for programs (plain numbers), table and markdown for people (numbers as printed).
    `table` draws the command's own table view on a console (a plain table of the rows if None).
    A file is written whole or not at all, then "Wrote N rows to FILE" (on stderr)."""
    from flows import display, export

    try:
        if fmt == OutputFormat.parquet:
            assert output is not None  # resolve_format refuses parquet without a file
            export.write_parquet(output, columns, rows, types or [])
        elif fmt == OutputFormat.table:
            draw = table or (lambda out: show_rows(columns, rows, out=out))
            if output is None:
                draw(console)
                return
            buffer = io.StringIO()
            draw(Console(file=buffer, width=console.width, color_system=None, force_terminal=False,
                         force_interactive=False, emoji=False))
            export.write_text(output, buffer.getvalue())
        else:
            text = {OutputFormat.csv: display.csv_text, OutputFormat.json: display.json_text,
                    OutputFormat.markdown: display.markdown_table}[fmt](columns, rows)
            if output is None:
                sys.stdout.write(text)
                return
            export.write_text(output, text)
    except export.ExportError as error:
        errors.print(f"[red]{escape(str(error))}[/red]", highlight=False)
        raise typer.Exit(1)
    errors.print(f"Wrote {len(rows)} row{'' if len(rows) == 1 else 's'} to {output}", highlight=False)


def show_rows(columns: list[str], rows: list, title: str | None = None, out: Console | None = None) -> None:
    """A listing as a table: numbers as the reports print them (flows/display.py), right-aligned."""
    from flows.display import display_rows, numeric_columns

    numeric = numeric_columns(rows, len(columns))
    table = RichTable(title=title)
    for i, column in enumerate(columns):
        table.add_column(escape(str(column)), justify="right" if i in numeric else "left", no_wrap=i in numeric)
    for row in display_rows(columns, rows):
        table.add_row(*(escape(v) for v in row))
    (out or console).print(table)


def show_result(columns: list[str], rows: list, types: list[str] | None, out: Console, *,
                width: int = 0, maxrows: int = 0, maxwidth: int = 0) -> None:
    """A query's result the way DuckDB's CLI shows it: the column's type under its name, numbers
    right-aligned (and as the reports print them); at most `maxrows` rows (the first and last
    halves), columns at most `width` characters, the table at most `maxwidth` (0: no limit)."""
    from flows.display import display_rows, numeric_columns

    numeric = numeric_columns(rows, len(columns))
    shown = display_rows(columns, rows)
    omitted = 0
    if maxrows and len(shown) > maxrows:
        head, tail = (maxrows + 1) // 2, maxrows // 2
        omitted = len(shown) - head - tail
        shown = shown[:head] + [["…"] * len(columns)] + (shown[-tail:] if tail else [])
    caption = (f"{len(rows)} rows ({len(rows) - omitted} shown; .maxrows 0 shows all)" if omitted
               else "0 rows" if not rows else None)
    table = RichTable(caption=caption, caption_justify="left")
    for i, column in enumerate(columns):
        kind = _short_type(types[i]) if types and i < len(types) else ""
        header = escape(str(column)) + (f"\n[dim]{escape(kind)}[/dim]" if kind else "")
        table.add_column(header, justify="right" if i in numeric else "left", no_wrap=i in numeric or bool(width),
                         max_width=width or None, overflow="ellipsis" if width else "fold")
    for row in shown:
        table.add_row(*(escape(v) for v in row))
    out.print(table, width=maxwidth or None)


def _short_type(kind: str) -> str:
    """DuckDB's type name as its CLI prints it (lower case); a long STRUCT is cut to struct(…)."""
    kind = kind.lower()
    if len(kind) > 24 and "(" in kind:
        kind = kind.split("(", 1)[0] + "(…)" + ("[]" if kind.endswith("[]") else "")
    return kind


def main() -> None:
    """Entry point of `arw` (flows.settings, imported above, keeps DuckDB's exit reports away).

    The process ends without the interpreter's finalization: once arw's output is written and
    the exit handlers have run (Prefect's queued logs and events sent, stderr silenced), tearing
    down dbt's, Prefect's and pandas' objects one by one cost a second after every ingest. An
    error that is a bug in arw still ends the usual way, with its traceback."""
    try:
        app()
        code = 0
    except SystemExit as exit:
        code = exit.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    import atexit

    atexit._run_exitfuncs()  # what the interpreter would run first, in the same order
    os._exit(code or 0)


if __name__ == "__main__":
    main()
