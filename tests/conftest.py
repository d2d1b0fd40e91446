"""Shared fixtures: the sample report extracted once per session, and loaded into a warehouse
(validated, loaded, one dbt build) once per session for the tests that compare marts."""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("ARW_STATE_DIR", str(Path(__file__).resolve().parent.parent / ".state"))

from expected import SAMPLE_PDF  # noqa: E402

RUN_SUMMARY = pytest.StashKey[list]()  # lines a test asks to print at the end of the run


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print what tests asked to report (e.g. how many bad inputs the suite tried)."""
    for line in config.stash.get(RUN_SUMMARY, []):
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def sample_report():
    from extract.report import extract_report

    return extract_report(SAMPLE_PDF)


@pytest.fixture(scope="session")
def sample_warehouse(sample_report, tmp_path_factory) -> Path:
    """A warehouse holding the sample report and its built marts. Read it, or copy it
    (warehouse_harness.copy_warehouse) before changing anything: other tests share it."""
    from warehouse_harness import build_warehouse

    path = tmp_path_factory.mktemp("sample-warehouse") / "arw.duckdb"
    build_warehouse(path, [sample_report])
    return path



@pytest.fixture(scope="session", autouse=True)
def local_prefect_server_is_not_left_behind():
    """The tests' `arw` runs start arw's local Prefect server on first use (in the tests' state
    dir); a server the session started is stopped when it ends."""
    from flows.server import running_server, stop_server

    was_running = running_server() is not None
    yield
    if not was_running:
        flush_run_logs()  # before the server goes: a log sent later would fail loudly at exit
        stop_server()


def flush_run_logs() -> None:
    """Send the run log lines still queued for the Prefect API (they go in batches)."""
    import logging

    for name in ("arw", "prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            handler.flush()


@pytest.fixture(scope="session")
def prefect_api() -> str:
    """Flows run in-process talk to arw's local Prefect server (not a temporary one each)."""
    from flows.server import use_server

    return use_server()
