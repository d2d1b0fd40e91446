"""`arw serve` on a short interval, and the Prefect UI it points to, opened in headless Chromium:
the operations console of scheduled ingestion.

The UI loads without an error (it is told its own server's API, not Prefect's default :4200),
lists the `arw-inbox` deployment with its schedule, the runs as Completed with a task run per
report and stage named after the file, and the artifacts of each run: its inputs' outcomes, the
coverage of each report and its inconsistencies. A later run with a broken file in the inbox
shows that file's failure while the other new report still loads."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from test_ingest_operations import query, small_report

pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
UI_ERRORS = ("Can't connect to Server API", "Oops", "Something went wrong")


def wait_until_loaded(warehouse: Path, source: Path, server: subprocess.Popen, seconds: float = 300) -> list[tuple]:
    """ingest_runs (written last, after the dbt build) once it says `source` loaded."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(3)
        assert server.poll() is None, server.stdout.read()
        try:
            runs = query(warehouse, "select status, source from ingest_runs")
        except (duckdb.Error, FileNotFoundError):
            continue
        if ("loaded", str(source)) in runs:
            return runs
    raise AssertionError(f"{source.name} was not loaded within {seconds:.0f} s")


def port_of(state: Path) -> int:
    """The port of the local Prefect server `arw serve` started in this state dir."""
    return json.loads((state / "prefect-server.json").read_text())["port"]


class Browser:
    """Headless Chromium on the Prefect UI: the visible text of a page once it shows `expected`."""

    def __init__(self, ui_url: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--no-first-run", "--disable-background-networking"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.ui_url, self.driver = ui_url, webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)

    def text(self, path: str, *expected: str, seconds: float = 60) -> str:
        from selenium.webdriver.common.by import By

        self.driver.get(self.ui_url + path)
        deadline, text = time.monotonic() + seconds, ""
        while time.monotonic() < deadline:
            text = self.driver.find_element(By.TAG_NAME, "body").text
            if all(e in text for e in expected) or any(e in text for e in UI_ERRORS):
                break
            time.sleep(1)
        assert not [e for e in UI_ERRORS if e in text], text[:2000]
        assert all(e in text for e in expected), (path, [e for e in expected if e not in text], text[:3000])
        return text

    def console_errors(self) -> list[str]:
        return [entry["message"] for entry in self.driver.get_log("browser")
                if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]

    def close(self) -> None:
        self.driver.quit()


def test_serve_ingests_the_inbox_on_schedule_and_the_prefect_ui_shows_every_run(tmp_path):
    inbox, warehouse, state = tmp_path / "inbox", tmp_path / "arw.duckdb", tmp_path / "state"
    inbox.mkdir()
    env = {**os.environ, "ARW_STATE_DIR": str(state), "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    env.pop("PREFECT_API_URL", None)
    env.pop("PREFECT_HOME", None)  # a server of its own: no scheduled runs left over from elsewhere
    server = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--inbox", str(inbox), "--interval", "5",
                               "--warehouse", str(warehouse)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=env, start_new_session=True)
    browser = None
    try:
        first = small_report(inbox / "dropped.pdf")
        runs = wait_until_loaded(warehouse, first, server)
        assert set(runs) <= {("loaded", str(first)), ("skipped", str(first))}  # later runs skip it
        assert query(warehouse, "select file_name from dim_reports") == [("dropped.pdf",)]
        if CHROMIUM and CHROMEDRIVER:
            browser = Browser(f"http://127.0.0.1:{port_of(state)}")
            browser.text("/deployments", "arw-inbox", "Every 5 seconds")
            browser.text("/runs", "arw-inbox", "ingest inbox/", "Completed", "Task runs")
            browser.text("/artifacts", "arw-outcomes", "arw-coverage", "arw-inconsistencies")
            # the small report's indicator table has no check: honestly "not checked", never "none found"
            browser.text("/artifacts/key/arw-inconsistencies", "0 inconsistencies in 0 checked report(s), 1 not checked")
        # a scheduled run's log holds arw's own lines, one per report and stage
        logs = httpx.post(f"http://127.0.0.1:{port_of(state)}/api/logs/filter", json={"limit": 200}, timeout=10).json()
        lines = {entry["message"] for entry in logs}
        assert {"dropped.pdf: extract", "dropped.pdf: load", "dropped.pdf: loaded"} <= lines, sorted(lines)[:40]
        assert not [line for line in lines if "nanobind" in line]

        broken, second = inbox / "broken.pdf", small_report(inbox / "second.pdf", municipality="Andra kommun")
        broken.write_bytes(b"")
        runs = wait_until_loaded(warehouse, second, server)
        assert ("failed", str(broken)) in runs  # the broken file fails on its own; the other loads
        if browser is not None:
            browser.text("/artifacts/key/arw-outcomes", "1 failed")  # every later run still says so
            assert browser.console_errors() == []
    finally:
        if browser is not None:
            browser.close()
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=90)[0]
        stopped = subprocess.run([sys.executable, "-m", "flows.cli", "server", "stop"], env=env, capture_output=True,
                                 text=True, timeout=60)
    assert "Prefect UI: http://127.0.0.1:" in output
    assert "nanobind" not in output  # no report of DuckDB's bindings at exit, from any process
    # the local Prefect server is arw's shared one: it stays for the next command until stopped
    assert stopped.returncode == 0 and stopped.stdout.startswith("Stopped the Prefect server (pid ")
    assert subprocess.run(["pgrep", "-f", f"serve --inbox {inbox}"], capture_output=True).stdout == b""
