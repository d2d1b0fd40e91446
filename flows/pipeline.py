"""The ingestion flow: sources -> extract and validate (in parallel) -> load (one at a time)
-> one dbt build per run -> ingest_runs.

Orchestration only: each task calls one layer (extract, schemas, warehouse, dbt). A report that
fails is recorded and the others still load; a report already loaded (same sha256) is skipped.
Every write to the warehouse happens under its writer lock, so concurrent runs queue.
"""
from __future__ import annotations

import re
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from flows import settings  # noqa: F401  (configures Prefect before it is imported)
from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

from extract.errors import ExtractionError
from extract.settings import DEFAULT_SETTINGS
from flows.dbt_build import DbtBuildError, DbtBuildResult, build
from flows.outcomes import FAILED, LOADED, ReportOutcome, RunSummary, record, skip_known_files
from flows.progress import clock, progress
from flows.sources import Source, SourceError, fetch, is_url, local_file
from flows.worker import ExtractionFailure, extraction_processes, read_in_worker, reading_done
from warehouse.errors import WarehouseError
from warehouse.lock import writer_lock
from warehouse.read import coverage_of, first_line, inconsistencies_of, loaded_report_ids, marts_behind, refused_by_models
from warehouse.store import LoadResult, load_report

if TYPE_CHECKING:  # validated in the extraction workers: this process needs no pandera
    from schemas.validate import ValidatedReport


def run_name(stage: str):
    """A task run's name saying what it works on ('extract haninge-ks-2024.pdf', not
    'extract-3a1'): the file of its `source` parameter or of the report it carries."""
    def name() -> str:
        from prefect.runtime import task_run

        parameters = task_run.parameters or {}
        carried = parameters.get("validated")
        source = parameters.get("source") or (carried.report.get("file_name") if carried is not None else None)
        return f"{stage} {Path(str(source)).name}" if source else stage
    return name


def flow_run_name() -> str:
    """'ingest haninge-ks-2024.pdf' or 'ingest a.pdf and 4 more' (the inbox: 'ingest inbox/')."""
    from prefect.runtime import flow_run as this_run

    parameters = this_run.parameters or {}
    if "inbox" in parameters:
        return f"ingest {Path(str(parameters['inbox'])).name}/"
    sources = [Path(str(s)).name for s in parameters.get("sources") or []]
    more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
    return f"ingest {sources[0]}{more}" if sources else "ingest (nothing)"


# extract and validate: runs in the run's extraction processes or on Dask (the function lives in
# flows.worker); pandera is imported there, not in the run's own process
extract_task = task(name="extract", task_run_name=run_name("extract"), cache_policy=NO_CACHE)(read_in_worker)


@task(name="load", task_run_name=run_name("load"), cache_policy=NO_CACHE)
def load_task(warehouse: str, validated: ValidatedReport) -> LoadResult | str:
    """The load result, or the reason it failed (nothing of the report was written then)."""
    try:
        with writer_lock(Path(warehouse), on_wait=progress().message):
            return load_report(Path(warehouse), validated, on_wait=progress().message)
    except WarehouseError as error:
        return str(error)


@task(name="dbt-build", task_run_name="dbt build", cache_policy=NO_CACHE)
def dbt_task(warehouse: str) -> DbtBuildResult | DbtBuildError:
    """The build's result, or its failure as a value: a failed build is an outcome arw reports
    (the run ends Failed with it), not a crash for Prefect to log with a traceback."""
    with writer_lock(Path(warehouse), on_wait=progress().message):
        try:
            return build(Path(warehouse))
        except DbtBuildError as error:
            return error


@task(name="publish-inconsistencies", task_run_name="publish inconsistencies", cache_policy=NO_CACHE)
def publish_inconsistencies(warehouse: str, report_ids: list[str]) -> int:
    """Prefect table artifacts (shown in the Prefect UI) of this run's reports: how much of each
    was checked, and the inconsistencies found. A report that was not checked is never shown as
    having none."""
    coverage = [c for c in coverage_of(Path(warehouse)) if c["report_id"] in report_ids]
    create_table_artifact(key="arw-coverage", table=[
        {"report": c["file_name"], "status": c["status"], "tables recognised": f"{c['tables_recognised']} of "
         f"{c['tables_found']}", "figures": c["facts_loaded"], "checks passed": f"{c['checks_passed']} of "
         f"{c['checks_evaluated']}", "findings": c["findings"], "reason": c["reason"] or ""} for c in coverage],
        description=f"How much of each of the {len(coverage)} report(s) arw read and checked")
    findings = inconsistencies_of(Path(warehouse), report_ids)
    rows = [{k: r[k] for k in ("rule_id", "severity", "left_value", "right_value", "difference", "left_ref", "right_ref")}
            for r in findings]
    unchecked = [c["file_name"] for c in coverage if c["status"] != "checked"]
    empty = [{"result": "no inconsistencies in the checked reports" +
              (f"; not checked: {', '.join(unchecked)} (see arw-coverage)" if unchecked else "")}]
    create_table_artifact(key="arw-inconsistencies", table=rows or empty,
                          description=f"{len(rows)} inconsistencies in {len(coverage) - len(unchecked)} checked "
                                      f"report(s), {len(unchecked)} not checked")
    return len(rows)


def resolve(names: list[str], force: bool) -> tuple[list[Source], list[ReportOutcome]]:
    """Local files checked (a device, FIFO or missing file is refused before anything reads it),
    URLs fetched into the download cache. Whatever goes wrong with one source is that source's
    failure, recorded with its message; the others still load."""
    sources, failed = [], []
    for name in names:
        started = time.monotonic()
        try:
            if is_url(name):
                progress().stage(name, "fetch")
            sources.append(Source(name, fetch(name, force=force) if is_url(name) else local_file(name)))
        except SourceError as error:
            failed.append(ReportOutcome(name, FAILED, error=str(error), seconds=time.monotonic() - started))
        except Exception as error:  # noqa: BLE001 - a bug in arw: still this source's failure, never the run's
            message = (f"could not be read ({type(error).__name__}: {first_line(str(error))}): this is a bug in arw, "
                       "not in the source: report it (the other sources are not affected)")
            failed.append(ReportOutcome(name, FAILED, error=message, seconds=time.monotonic() - started))
    return sources, failed


def skip_known(warehouse: str, sources: list[Source], force: bool) -> tuple[list[Source], list[ReportOutcome]]:
    """Reports already in the warehouse (same sha256) are skipped without being parsed."""
    try:
        with writer_lock(Path(warehouse), on_wait=progress().message):
            known = set() if force else loaded_report_ids(Path(warehouse))
    except WarehouseError as error:  # not a DuckDB file, locked too long: every input fails
        return [], [ReportOutcome(s.name, FAILED, error=str(error)) for s in sources]
    return skip_known_files(sources, known)


def finish(source: str, validated: ValidatedReport, warehouse: str, started: float) -> ReportOutcome:
    """Load one validated report."""
    progress().stage(source, "load")
    with clock.timing("load"):
        loaded = load_task(warehouse, validated)
    if isinstance(loaded, str):
        return ReportOutcome(source, FAILED, error=loaded, seconds=time.monotonic() - started)
    quarantine = validated.quarantine
    reasons = [f"{r.frame} row {r.row_number}: {r.reason}" for r in quarantine.itertuples()]
    return ReportOutcome(
        source=source,
        status=LOADED,  # its tables loaded; bad rows went to quarantine, counted and explained
        report_id=loaded.report_id,
        pages=validated.report.get("page_count"),
        rows=loaded.rows,
        quarantined=loaded.quarantined,
        quarantine_reasons=reasons,
        quarantine_summary=summarise_reasons(reasons),
        replaced=loaded.replaced,
        notes=list(validated.notes),
        seconds=time.monotonic() - started,
    )


ROW_PREFIX = re.compile(r"^\w+ row \d+: ")


def summarise_reasons(reasons: list[str]) -> str | None:
    """'12 rows quarantined (10 × unit 'xyz' …; 2 × …)': the commonest reasons first, whatever
    row ('cells row 3: …') each was given for."""
    if not reasons:
        return None
    counts = Counter(ROW_PREFIX.sub("", reason) for reason in reasons).most_common()
    listed = "; ".join(f"{count} × {reason}" for reason, count in counts[:3])
    more = f"; {len(counts) - 3} other reasons" if len(counts) > 3 else ""
    return f"{len(reasons)} rows quarantined ({listed}{more}): select * from fct_quarantine"


def attach_model_refusals(summary: RunSummary, refused: dict[str, list[str]]) -> None:
    """Rows dbt's models refused (an indicator with a misprinted year) count as quarantined."""
    for outcome in summary.outcomes:
        reasons = refused.get(outcome.report_id or "", [])
        if reasons:
            outcome.quarantined += len(reasons)
            outcome.quarantine_reasons += reasons
            outcome.quarantine_summary = summarise_reasons(outcome.quarantine_reasons)


def attach_test_warnings(summary: RunSummary) -> None:
    """A dbt test that found rows is reported on the reports it concerns, not the whole batch."""
    for warning in summary.dbt.warnings:
        for outcome in summary.outcomes:
            if outcome.report_id and (outcome.report_id in warning.reports or not warning.reports):
                outcome.notes.append(f"dbt test {warning.name} found {warning.message.lower()}")


def behind(warehouse: str) -> bool:
    """Whether the marts lag the raw data (a build that failed or was interrupted)."""
    try:
        return marts_behind(Path(warehouse))
    except WarehouseError:
        return False  # not readable now: the run's own loads report the problem


def unbuilt(summary: RunSummary) -> None:
    """A report whose marts could not be built was not checked: its run failed (its raw rows stay,
    and the next ingest of the file loads and builds it again instead of skipping it)."""
    reason = first_line(summary.dbt_error or "unknown error")
    for outcome in summary.outcomes:
        if outcome.status == LOADED:
            outcome.status = FAILED
            outcome.error = (f"loaded, but not checked: the warehouse models could not be built ({reason}); "
                             f"run `arw build` (or ingest the file again) once the cause is fixed")


@flow(name="arw-ingest", flow_run_name=flow_run_name, log_prints=False)
def ingest_flow(sources: list[str], warehouse: str, force: bool = False, max_pages: int = DEFAULT_SETTINGS.max_pages,
                overrides: dict | None = None, processes: int = 0) -> State:
    """Ingest report PDFs (paths or URLs) into the warehouse, then build the dbt models once.
    The run's summary is its result; the run ends Failed when the build failed or no report loaded."""
    return final_state(ingest(sources, warehouse, force, max_pages, overrides, processes))


def final_state(summary: RunSummary) -> State:
    """Completed or Failed, with a message saying why, so that the Prefect UI (and anyone who
    reads the run's state) sees a failed build or a run of failed reports as a failure."""
    reason = failure_reason(summary)
    if reason:
        return Failed(message=reason, data=summary)
    return Completed(message=summary.describe(), data=summary)


def failure_reason(summary: RunSummary) -> str | None:
    """Why the run failed as a whole, or None: the build failed, or every input failed."""
    if summary.dbt_error:
        return f"the warehouse models could not be built: {first_line(summary.dbt_error)}"
    if summary.record_problem:
        return summary.record_problem
    failed = summary.failed
    if failed and len(failed) == len(summary.outcomes):
        listed = "; ".join(f"{Path(o.source).name}: {first_line(o.error or 'failed')}" for o in failed[:3])
        more = f"; and {len(failed) - 3} more" if len(failed) > 3 else ""
        return f"no report could be ingested ({len(failed)} failed: {listed}{more})"
    return None


def extract_and_load(todo: list[Source], warehouse: str, max_pages: int, overrides: dict | None) -> list[ReportOutcome]:
    """Extract and validate every report in parallel (a task each) and load each as soon as it is
    read."""
    started = {s.name: time.monotonic() for s in todo}
    futures, outcomes = {}, []
    clock.mark("start-up, imports, Prefect")
    for source in todo:
        progress().stage(source.name, "extract")
        futures[extract_task.submit(str(source.path), source.name, max_pages, overrides)] = source.name
    for future in as_completed(list(futures)):
        name = futures[future]
        with clock.timing("extract (waiting for it)"):
            result = future.result()
        try:
            if isinstance(result, ExtractionFailure):
                raise ExtractionError(result.message)
            outcome = finish(name, result, warehouse, started[name])
        except (ExtractionError, WarehouseError, ValueError) as error:
            outcome = ReportOutcome(name, FAILED, error=str(error), seconds=time.monotonic() - started[name])
        outcomes.append(outcome)
        progress().finished(outcome)
    return outcomes


def ingest(sources: list[str], warehouse: str, force: bool = False, max_pages: int = DEFAULT_SETTINGS.max_pages,
           overrides: dict | None = None, processes: int = 0) -> RunSummary:
    """The run's work, inside a flow: fetch, skip what is known, extract in parallel (in
    `processes` extraction processes when 2 or more), load one at a time, build once, record
    every outcome in ingest_runs."""
    run_id = str(flow_run.id or uuid.uuid4())
    resolved, outcomes = resolve(sources, force)
    todo, skipped = skip_known(warehouse, resolved, force)
    outcomes += skipped
    for outcome in outcomes:
        progress().finished(outcome)
    with extraction_processes(min(processes, len(todo))):
        outcomes += extract_and_load(todo, warehouse, max_pages, overrides)
    reading_done()
    summary = RunSummary(run_id, warehouse, outcomes)
    loaded = [o.report_id for o in outcomes if o.status == LOADED and o.report_id]
    if loaded or behind(warehouse):  # also repairs marts an earlier run left behind
        progress().message("building the warehouse models (dbt) …")
        try:
            with clock.timing("dbt"):
                built = dbt_task(warehouse)
            if isinstance(built, DbtBuildError):
                raise built
            summary.dbt = built
            attach_test_warnings(summary)
            attach_model_refusals(summary, refused_by_models(Path(warehouse), loaded))
            summary.inconsistencies = publish_inconsistencies(warehouse, loaded)
        except Exception as error:  # dbt failures are reported, loaded raw data stays
            summary.dbt_error = str(error)
            unbuilt(summary)
        except KeyboardInterrupt:  # Ctrl-C during the build: say what was kept, then stop
            summary.dbt_error = "interrupted (Ctrl-C) during the build"
            unbuilt(summary)
            record(summary, on_wait=progress().message)
            raise
    with clock.timing("record"):
        summary.record_problem = record(summary, on_wait=progress().message)
    publish_outcomes(summary)
    return summary


def publish_outcomes(summary: RunSummary) -> None:
    """A Prefect table artifact of every input of the run and what became of it, so that a report
    that failed shows in the UI with its reason beside those that loaded."""
    create_table_artifact(key="arw-outcomes", table=[
        {"input": Path(o.source).name if not is_url(o.source) else o.source, "status": o.status,
         "report": (o.report_id or "")[:12], "message": first_line(o.error) if o.error else "; ".join(o.notes)}
        for o in summary.outcomes] or [{"input": "(none)", "status": "nothing to ingest", "report": "", "message": ""}],
        description=summary.describe())


@flow(name="arw-inbox", flow_run_name=flow_run_name, log_prints=False)
def inbox_flow(inbox: str, warehouse: str, urls_file: str | None = None) -> State:
    """Scheduled ingestion: every PDF in the inbox folder and every URL in the URL file."""
    from flows.sources import expand_local, urls_in

    names = expand_local([inbox]) if any(Path(inbox).rglob("*.pdf")) else []
    if urls_file:
        names += urls_in(Path(urls_file))
    return final_state(ingest(names, warehouse))


def summary_of(state: State) -> RunSummary:
    """The RunSummary a run of ingest_flow returned, whether it completed or failed; an
    exception the run raised (a bug in arw) is raised again."""
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return result
