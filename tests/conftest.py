"""Shared fixtures: the sample report extracted once per session, and loaded into a warehouse
(validated, loaded, one dbt build) once per session for the tests that compare marts."""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("ARW_STATE_DIR", str(Path(__file__).resolve().parent.parent / ".state"))
# `make test` runs the suite in two processes (pytest-xdist): each runs dbt with its own target
# directory (dbt writes its parse and results there), relative to the dbt project it builds
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("DBT_TARGET_PATH", f"target-{os.environ['PYTEST_XDIST_WORKER']}")

from expected import SAMPLE_PDF  # noqa: E402

RUN_SUMMARY = pytest.StashKey[list]()  # lines a test asks to print at the end of the run
SERVER_WAS_RUNNING = pytest.StashKey[bool]()


def is_worker(config) -> bool:
    """A pytest-xdist worker (the run's controller, or a run without xdist, is not)."""
    return hasattr(config, "workerinput")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print what tests asked to report (e.g. how many bad inputs the suite tried)."""
    for line in config.stash.get(RUN_SUMMARY, []):
        terminalreporter.write_line(line)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """What a worker's tests asked to report reaches the controller, which prints it."""
    node.config.stash.setdefault(RUN_SUMMARY, []).extend(getattr(node, "workeroutput", {}).get("run_summary", []))


# The longest test files (measured with --durations, 2026-11-30), run first: `make test` sends
# each file whole to one of its two processes, and a long file that starts last keeps the run
# going while the other process has nothing left to do.
LONGEST_FIRST = ("test_ingest_operations.py", "test_prefect_ui.py", "test_bad_inputs.py", "test_interrupted_runs.py",
                 "test_source_faults.py", "test_reconciliation.py", "test_real_reports.py", "test_warehouse_state.py",
                 "test_extract_renderings.py", "test_generic_checks.py", "test_end_to_end.py", "test_vocabulary.py")


def pytest_collection_modifyitems(session, config, items):
    """The longest files first, the others in their usual order (a stable sort)."""
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def pytest_sessionstart(session):
    """The tests' `arw` runs start arw's local Prefect server on first use (in the tests' state
    dir); one the run started is stopped when the whole run ends (by the controller, after
    every worker)."""
    if not is_worker(session.config):
        from flows.server import running_server

        session.config.stash[SERVER_WAS_RUNNING] = running_server() is not None


def pytest_sessionfinish(session, exitstatus):
    flush_run_logs()  # before the server goes: a log sent later would fail loudly at exit
    if is_worker(session.config):
        session.config.workeroutput["run_summary"] = session.config.stash.get(RUN_SUMMARY, [])
        return
    if not session.config.stash.get(SERVER_WAS_RUNNING, True):
        from flows.server import stop_server

        stop_server()


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
