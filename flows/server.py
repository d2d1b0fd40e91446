"""One local Prefect server for every arw command: started on first use, kept between commands.

Without a server, Prefect starts a temporary one inside every command (8–10 s each, more on a
fresh state directory), which also outlives a SIGKILLed arw and cannot run schedules. arw instead
runs `prefect server start` on 127.0.0.1, in its own session (a Ctrl-C in the terminal does not
reach it), with its SQLite state in the project's state directory, and records where it listens
in `prefect-server.json` there. `arw ingest`, `arw serve` and the in-process tests reuse it;
`arw server stop` ends it. PREFECT_API_URL, when set, names another server and wins.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from flows.settings import STATE_DIR
from warehouse.lock import writer_lock

START_TIMEOUT_SECONDS = float(os.environ.get("ARW_SERVER_START_TIMEOUT_SECONDS", 120))
HEALTH_TIMEOUT_SECONDS = 2.0


class ServerError(RuntimeError):
    """The local Prefect server did not come up or could not be reached; says where its log is."""


@dataclass(frozen=True)
class LocalServer:
    pid: int
    port: int

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def state_file() -> Path:
    return STATE_DIR / "prefect-server.json"


def log_file() -> Path:
    return STATE_DIR / "prefect-server.log"


def running_server() -> LocalServer | None:
    """The server a previous command started, if it still answers."""
    try:
        recorded = json.loads(state_file().read_text(encoding="utf-8"))
        server = LocalServer(int(recorded["pid"]), int(recorded["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return server if _alive(server.pid) and healthy(server.api_url) else None


def healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=HEALTH_TIMEOUT_SECONDS).status_code == 200
    except httpx.HTTPError:
        return False


def start_server() -> LocalServer:
    """The running server, or a new one (one process starts it; others wait for it)."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    with writer_lock(STATE_DIR / "prefect-server", wait_seconds=START_TIMEOUT_SECONDS + 10):
        server = running_server()
        if server is None:
            server = _launch()
            state_file().write_text(json.dumps({"pid": server.pid, "port": server.port}), encoding="utf-8")
        return server


def _launch() -> LocalServer:
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_UI_API_URL": api_url,  # the UI in the browser asks this address, not :4200
           # scheduled runs start within seconds of being due, not on the default 60 s loop
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": os.environ.get(
               "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "5")}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    with log_file().open("ab") as log:
        process = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--analytics-off"],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    server = LocalServer(process.pid, port)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not healthy(server.api_url):
        if process.poll() is not None:
            raise ServerError(f"the Prefect server exited with code {process.returncode}: see {log_file()}")
        if time.monotonic() > deadline:
            _terminate(process.pid)
            raise ServerError(f"the Prefect server did not answer within {START_TIMEOUT_SECONDS:.0f} s: "
                              f"see {log_file()}")
        time.sleep(0.3)
    return server


def stop_server() -> LocalServer | None:
    """Stop the server arw started (and everything it started); the one stopped, or None."""
    server = running_server()
    if server is not None:
        _terminate(server.pid)
    state_file().unlink(missing_ok=True)
    return server


def use_server() -> str:
    """The Prefect API this process talks to, set in PREFECT_API_URL before Prefect reads it:
    PREFECT_API_URL if given, else arw's local server (started now if needed)."""
    if not os.environ.get("PREFECT_API_URL"):
        os.environ["PREFECT_API_URL"] = start_server().api_url
    return os.environ["PREFECT_API_URL"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terminate(pid: int, grace_seconds: float = 20.0) -> None:
    """SIGTERM to the server's process group, SIGKILL if it is still there after the grace."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace_seconds
    while _alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.2)
    if _alive(pid):
        os.killpg(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    """Collect the exit status when this process started the server (else it is not our child)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
