"""Ingestion as an operation: URLs with a download cache, skipping what is loaded, replacing a new
version, concurrent runs, a Dask cluster, and the scheduled inbox."""
import functools
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import httpx
import pytest

import pdf_factory as pf
from cli_harness import arw_in_process, arw_process
from conftest import flush_run_logs
from pdf_factory import Heading, Paragraph, Report, Table

pytestmark = pytest.mark.slow

# one Prefect home for every run (a fresh one costs ~20 s of database set-up per run)
PREFECT_HOME = str(Path(__file__).resolve().parent.parent / ".state" / "prefect")
PROSE = "Kommunen har under året arbetat vidare med sina mål och följt upp verksamheten noga. " * 6


def small_report(path: Path, municipality: str = "Provby kommun", year: int = 2025, share: str = "78,4%") -> Path:
    """A two-page annual report with one KF indicator table and one goal."""
    report = Report(municipality=municipality, fiscal_year=year, elements=[
        Heading("Mål och uppdrag", 1), Paragraph(PROSE), Heading("Måluppföljning", 2),
        Heading("Trygga invånare", 3), Paragraph(PROSE),
        Table(header_rows=[["KF-indikatorer", f"Utfall {year - 1}", f"Utfall {year}", f"Mål {year + 2}"]],
              rows=[["Trygghet i skolan, årskurs 9", "79,9%", share, "85,0%"]]),
        Heading("Nämndmål 1.1 Kommunstyrelsen samordnar arbetet för ökad trygghet", 4),
        Paragraph(PROSE), Heading("Kommentar:", 5),
        Paragraph("Bedömningen är att nämndmålet uppfylls i hög grad. " + PROSE),
    ])
    pf.render(report, pf.STYLES["sample_like"], path)
    return path


def arw(*args, env=None, check=True, process=False):
    """`arw …` in-process, or as a process of its own (on the same Prefect home and server)."""
    run = (arw_process(*args, env={"PREFECT_HOME": PREFECT_HOME, **(env or {})}) if process
           else arw_in_process(*args, env=env))
    return run.check() if check else run


def query(warehouse: Path, sql: str, params=()):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_same_file_is_skipped_and_a_new_version_replaces_the_old(tmp_path):
    warehouse = tmp_path / "arw.duckdb"
    first = small_report(tmp_path / "v1.pdf")
    arw("ingest", str(first), "--warehouse", str(warehouse))
    again = arw("ingest", str(first), "--warehouse", str(warehouse))
    assert "skipped" in again.stdout
    runs = query(warehouse, "select status, duration_seconds from ingest_runs order by started_at")
    assert [r[0] for r in runs] == ["loaded", "skipped"] and runs[1][1] < 1.0

    second = small_report(tmp_path / "v2.pdf", share="78,9%")  # same report, corrected figure
    replaced = arw("ingest", str(second), "--warehouse", str(warehouse))
    assert "replaces the earlier version" in replaced.stdout
    reports = query(warehouse, "select report_id, file_name from dim_reports")
    assert [r[1] for r in reports] == ["v2.pdf"]
    value = query(warehouse, "select value from fct_indicators where year = 2025 and not is_target")
    assert value == [(78.9,)]
    message = query(warehouse, "select message from ingest_runs where source like '%v2.pdf'")[0][0]
    assert message.startswith("replaces report ")
    status = arw("status", "--warehouse", str(warehouse), "--format", "json")
    assert [r["status"] for r in json.loads(status.stdout)] == ["loaded", "skipped", "loaded"]


def test_ingest_runs_send_prefect_heartbeats_only_when_asked(tmp_path, monkeypatch):
    """Heartbeats only feed an automation the user creates; without them a run ends without
    waiting for the heartbeat thread. PREFECT_FLOWS_HEARTBEAT_FREQUENCY turns them back on."""
    from prefect.flow_engine import FlowRunEngine

    sent = []
    monkeypatch.setattr(FlowRunEngine, "_emit_flow_run_heartbeat", lambda engine, *args: sent.append(engine.flow_run.id))
    warehouse, report = tmp_path / "arw.duckdb", small_report(tmp_path / "report.pdf")
    arw("ingest", str(report), "--warehouse", str(warehouse))
    assert sent == []
    arw("ingest", str(report), "--force", "--warehouse", str(warehouse), env={"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "60"})
    assert len(set(sent)) == 1


@pytest.fixture
def http_server(tmp_path):
    """A loopback HTTP server over tmp_path/www that counts requests."""
    root = tmp_path / "www"
    root.mkdir()
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            if self.path == "/slow.pdf":  # answers after the client's timeout
                time.sleep(3)
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root, requests
    server.shutdown()


def test_url_is_downloaded_once_and_bad_urls_fail_clearly(tmp_path, http_server, monkeypatch):
    from flows import sources

    base, root, requests = http_server
    monkeypatch.setattr(sources, "CACHE_DIR", tmp_path / "state" / "downloads")  # in-process: the run's cache
    small_report(root / "report.pdf")
    (root / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 300_000)
    warehouse = tmp_path / "arw.duckdb"
    (root / "slow.pdf").write_bytes(b"%PDF-1.4\n")
    env = {"ARW_MAX_DOWNLOAD_BYTES": "100000", "ARW_DOWNLOAD_TIMEOUT_SECONDS": "1"}
    arw("ingest", f"{base}/report.pdf", "--warehouse", str(warehouse), env=env)
    assert query(warehouse, "select source from dim_reports") == [(f"{base}/report.pdf",)]
    second = arw("ingest", f"{base}/report.pdf", "--warehouse", str(warehouse), env=env)
    assert "skipped" in second.stdout and requests.count("/report.pdf") == 1  # never fetched twice

    bad = arw("ingest", f"{base}/missing.pdf", f"{base}/big.pdf", f"{base}/slow.pdf", "--warehouse", str(warehouse),
              env=env, check=False)
    assert bad.returncode == 1
    assert f"failed {base}/slow.pdf: timed out (ReadTimeout) (after 3 attempts)" in bad.stderr
    assert requests.count("/slow.pdf") == 3  # retried with backoff
    assert f"failed {base}/missing.pdf: HTTP 404 File not found: check the address" in bad.stderr
    assert f"failed {base}/big.pdf: larger than the download limit (0.3 MB > 0.1 MB)" in bad.stderr
    assert not list((tmp_path / "state" / "downloads").glob("*.part"))  # nothing half-written left


def test_two_concurrent_ingests_on_one_warehouse_both_succeed(tmp_path):
    warehouse = tmp_path / "arw.duckdb"
    pdfs = [small_report(tmp_path / f"{name}.pdf", municipality=f"{name} kommun") for name in ("Alby", "Bosta")]
    runs = [subprocess.Popen([sys.executable, "-m", "flows.cli", "ingest", str(pdf), "--warehouse", str(warehouse)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PREFECT_HOME": PREFECT_HOME}) for pdf in pdfs]
    results = [(run.wait(timeout=600), run.stdout.read(), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _, _ in results), results
    assert sorted(r[0] for r in query(warehouse, "select municipality from dim_reports")) == ["Alby kommun", "Bosta kommun"]
    assert query(warehouse, "select count(*) from fct_goals") == [(2,)]


def test_dask_runner_extracts_a_batch_on_a_local_cluster(tmp_path):
    warehouse = tmp_path / "arw.duckdb"
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("Alby", "Bosta", "Cederby"):
        small_report(folder / f"{name}.pdf", municipality=f"{name} kommun")
    run = arw("ingest", str(folder), "--warehouse", str(warehouse), "--task-runner", "dask", "--workers", "2",
              process=True)  # a local Dask cluster of its own
    assert run.stdout.count("loaded") >= 3
    assert query(warehouse, "select count(*) from dim_reports") == [(3,)]


def test_a_failed_build_fails_the_run_and_the_next_ingest_repairs_it(tmp_path, monkeypatch, prefect_api):
    """The raw rows of a report whose marts could not be built stay, but the run is failed with
    the reason (never 'loaded'), in ingest_runs and in Prefect (the flow run ends Failed, with the
    reason as its message), and the report does not count as loaded: ingesting the file again
    loads and builds it instead of skipping it. In-process: the flow's state is what is checked."""
    import shutil

    from typer.testing import CliRunner

    from flows.cli import app
    from flows.dbt_build import DBT_PROJECT_DIR, build
    from flows.pipeline import ingest_flow, summary_of
    from warehouse.read import loaded_report_ids

    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    (project / "models" / "marts" / "fct_coverage.sql").write_text("select * from no_such_relation\n")
    monkeypatch.setenv("ARW_DBT_PROJECT_DIR", str(project))
    warehouse = tmp_path / "arw.duckdb"
    pdf = small_report(tmp_path / "provby.pdf")
    state = ingest_flow([str(pdf)], str(warehouse), return_state=True)
    assert state.is_failed() and state.message.startswith("the warehouse models could not be built: ")
    assert "dbt build failed" in state.message and not summary_of(state).ok
    [(report_id, status, message)] = query(warehouse, "select report_id, status, message from ingest_runs")
    assert status == "failed" and message.startswith("loaded, but not checked: the warehouse models could not be built")
    assert query(warehouse, "select count(*) from raw.raw_reports") == [(1,)]
    assert loaded_report_ids(warehouse) == set()  # so the next ingest loads and builds it again
    again = CliRunner().invoke(app, ["ingest", str(pdf), "--warehouse", str(warehouse), "--workers", "1"])
    assert again.exit_code == 1 and "dbt build failed" in again.output
    assert "model fct_coverage [error]" in again.output and "Traceback" not in again.output
    # the run's log in the Prefect UI has arw's own lines for a CLI run too
    flush_run_logs()
    logs = httpx.post(f"{prefect_api}/logs/filter", json={"limit": 200, "sort": "TIMESTAMP_DESC"}, timeout=10).json()
    lines = {entry["message"] for entry in logs}
    assert {"provby.pdf: extract", "provby.pdf: load", "provby.pdf: loaded",
            "building the warehouse models (dbt) …"} <= lines, sorted(lines)
    assert [s for (s,) in query(warehouse, "select status from ingest_runs")] == ["failed", "failed"]
    monkeypatch.delenv("ARW_DBT_PROJECT_DIR")
    build(warehouse)
    [(status, reason)] = query(warehouse, "select status, reason from fct_coverage where report_id = ?", [report_id])
    # built now: its coverage says honestly that no check applies to an indicator table alone
    assert status == "not checked" and reason.startswith("no check applies to its tables")
