"""Scheduled ingestion: a Prefect deployment served from this process, on a real Prefect server.

Prefect's temporary server does not run schedules. Without PREFECT_API_URL, `arw serve` starts
`prefect server start` on loopback (SQLite state in the project's state dir), waits until it is
healthy, serves, and stops it on exit; with PREFECT_API_URL set, it uses that server.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from flows.settings import STATE_DIR

SERVER_START_TIMEOUT = float(os.environ.get("ARW_SERVER_START_TIMEOUT_SECONDS", 120))


class ServerError(RuntimeError):
    """The local Prefect server did not come up; the message says where its log is."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def local_prefect_server(log_file: Path | None = None) -> Iterator[str]:
    """Run `prefect server start` on 127.0.0.1 for the duration of the block; yields its API URL."""
    port = free_port()
    log_file = log_file or STATE_DIR / "prefect-server.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           # schedule runs within seconds of being due, not on the default 60 s loop
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": os.environ.get(
               "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "5")}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    with log_file.open("ab") as log:
        server = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--analytics-off"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_until_healthy(url, server, log_file)
        yield url
    finally:
        stop(server)


def wait_until_healthy(url: str, server: subprocess.Popen, log_file: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerError(f"the Prefect server exited with code {server.returncode}: see {log_file}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise ServerError(f"the Prefect server did not answer within {SERVER_START_TIMEOUT:.0f} s: see {log_file}")


def stop(server: subprocess.Popen) -> None:
    """Stop the server and everything it started (its process group)."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def serve_inbox(inbox: Path, warehouse: Path, urls_file: Path | None, cron: str | None,
                interval: float | None) -> None:
    """Serve the inbox deployment in a child process until Ctrl-C or SIGTERM, then stop it.

    The runner lives in its own process group so that stopping it also stops the flow runs it
    started, whatever Prefect does with signals inside it.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started in the background (SIGINT ignored)
    runner = subprocess.Popen(
        [sys.executable, "-c", "import sys; from flows.serve import run_runner; run_runner(*sys.argv[1:])",
         str(inbox), str(warehouse), str(urls_file or ""), cron or "", str(interval or "")],
        start_new_session=True,
    )
    try:
        runner.wait()
    finally:
        stop(runner)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def run_runner(inbox: str, warehouse: str, urls_file: str, cron: str, interval: str) -> None:
    """The serving process: polls the Prefect server for scheduled runs of the inbox flow."""
    from flows.pipeline import inbox_flow

    inbox_flow.serve(
        name="arw-inbox",
        cron=cron or None,
        interval=float(interval) if interval else None,
        parameters={"inbox": inbox, "warehouse": warehouse, "urls_file": urls_file or None},
    )
