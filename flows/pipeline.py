"""The ingestion flow: extract -> validate -> load per report, then one dbt build per run.

Orchestration only: each task calls one layer (extract, schemas, warehouse, dbt). A report that
fails is recorded and the others still load; dbt runs once at the end if anything was loaded.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from flows import settings  # noqa: F401  (configures Prefect before it is imported)
from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from extract.errors import ExtractionError
from extract.frames import ExtractedReport
from extract.report import extract_report
from flows.dbt_build import DbtBuildResult, build
from schemas.validate import ValidatedReport, validate_report
from warehouse.errors import WarehouseError
from warehouse.read import inconsistencies_of
from warehouse.store import LoadResult, load_report

LOADED, QUARANTINED, FAILED = "loaded", "quarantined", "failed"


@dataclass
class ReportOutcome:
    """What happened to one input file in a run."""

    source: str
    status: str
    report_id: str | None = None
    pages: int | None = None
    rows: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    quarantine_reasons: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class RunSummary:
    warehouse: str
    outcomes: list[ReportOutcome]
    dbt: DbtBuildResult | None = None
    dbt_error: str | None = None
    inconsistencies: int = 0

    @property
    def failed(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failed and self.dbt_error is None


@task(name="extract", cache_policy=NO_CACHE, retries=0)
def extract_task(path: str) -> ExtractedReport:
    return extract_report(Path(path))


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(extracted: ExtractedReport) -> ValidatedReport:
    return validate_report(extracted)


@task(name="load", cache_policy=NO_CACHE)
def load_task(warehouse: str, validated: ValidatedReport) -> LoadResult:
    return load_report(Path(warehouse), validated)


@task(name="dbt-build", cache_policy=NO_CACHE)
def dbt_task(warehouse: str) -> DbtBuildResult:
    return build(Path(warehouse))


def ingest_one(path: str, warehouse: str) -> ReportOutcome:
    """Extract, validate and load one PDF; expected failures become a 'failed' outcome."""
    started = time.monotonic()
    try:
        extracted = extract_task(path)
        validated = validate_task(extracted)
        loaded = load_task(warehouse, validated)
    except (ExtractionError, WarehouseError, ValueError) as error:
        return ReportOutcome(path, FAILED, error=str(error), seconds=time.monotonic() - started)
    quarantine = validated.quarantine
    return ReportOutcome(
        source=path,
        status=QUARANTINED if len(quarantine) else LOADED,
        report_id=loaded.report_id,
        pages=extracted.report.get("page_count"),
        rows=loaded.rows,
        quarantined=loaded.quarantined,
        quarantine_reasons=[f"{r.frame} row {r.row_number}: {r.reason}" for r in quarantine.itertuples()],
        seconds=time.monotonic() - started,
    )


@task(name="publish-inconsistencies", cache_policy=NO_CACHE)
def publish_inconsistencies(warehouse: str, report_ids: list[str]) -> int:
    """A Prefect table artifact listing this run's inconsistencies (shown in the Prefect UI)."""
    findings = inconsistencies_of(Path(warehouse), report_ids)
    rows = [{k: r[k] for k in ("rule_id", "severity", "left_value", "right_value", "difference", "left_ref", "right_ref")}
            for r in findings]
    create_table_artifact(key="arw-inconsistencies", table=rows or [{"result": "no inconsistencies"}],
                          description=f"{len(rows)} inconsistencies in {len(report_ids)} report(s)")
    return len(rows)


@flow(name="arw-ingest", log_prints=False)
def ingest_flow(paths: list[str], warehouse: str) -> RunSummary:
    """Ingest report PDFs into the warehouse, then build the dbt models once."""
    outcomes = [ingest_one(path, warehouse) for path in paths]
    summary = RunSummary(warehouse, outcomes)
    loaded = [o.report_id for o in outcomes if o.status in (LOADED, QUARANTINED) and o.report_id]
    if loaded:
        try:
            summary.dbt = dbt_task(warehouse)
            summary.inconsistencies = publish_inconsistencies(warehouse, loaded)
        except Exception as error:  # dbt failures are reported, loaded raw data stays
            summary.dbt_error = str(error)
    return summary
