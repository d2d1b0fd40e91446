"""Where arw keeps its files, and Prefect configured to run locally without telemetry.

Imported before Prefect so that its settings (home, telemetry, ephemeral server start-up)
come from here; any of them may be overridden in the environment.
"""
from __future__ import annotations

import atexit
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("ARW_STATE_DIR", PROJECT_ROOT / ".state"))
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "arw.duckdb"

PREFECT_DEFAULTS = {
    "PREFECT_HOME": str(STATE_DIR / "prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # a run's log in the Prefect UI holds arw's own lines (logger "arw", flows.progress), not
    # Prefect's engine chatter, which stays at WARNING
    "PREFECT_LOGGING_TO_API_ENABLED": "true",
    "PREFECT_LOGGING_EXTRA_LOGGERS": "arw",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",  # arw's lines outside a run go nowhere
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
}


def configure_prefect() -> None:
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def warehouse_path(option: str | os.PathLike | None = None) -> Path:
    """--warehouse, else $ARW_WAREHOUSE, else warehouse/arw.duckdb in the project."""
    chosen = option or os.environ.get("ARW_WAREHOUSE") or DEFAULT_WAREHOUSE
    return Path(chosen).expanduser().resolve()


class _InterruptNoise(logging.Filter):
    """Prefect logs a Ctrl-C as a crash of every run and task it stopped; arw says in one line
    what was kept instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(sign in message for sign in ("interrupt signal", "KeyboardInterrupt", "Query interrupted"))


def drop_interrupt_noise() -> None:
    """Filter Prefect's console handler, on the root logger (call once Prefect is imported: it
    sets the handlers up)."""
    for name in ("", "prefect", "prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, _InterruptNoise) for f in handler.filters):
                handler.addFilter(_InterruptNoise())


HEARTBEAT_SETTING = "PREFECT_FLOWS_HEARTBEAT_FREQUENCY"


@contextmanager
def heartbeats_only_if_asked() -> Iterator[None]:
    """Flow runs started in the block send Prefect's heartbeats only when HEARTBEAT_SETTING is
    set. They serve one purpose, an automation the user creates that marks runs whose process
    died as Crashed; without it they are idle work, and every run's end waits up to a second
    for the heartbeat thread to wake from its sleep. (Prefect's environment settings cannot say
    "off": the setting itself must be None.)"""
    if os.environ.get(HEARTBEAT_SETTING):
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def quiet_exit() -> None:
    """Once everything of ours is written, send the process's stderr to /dev/null.

    DuckDB's binding layer (nanobind) prints bogus "leaked instances" reports while the
    interpreter shuts down when Prefect's daemon threads still hold DuckDB objects. atexit
    handlers run before that: every arw process (the CLI, `arw serve`'s runner, the flow runs
    it starts, pytest) imports this module, so users only see arw's own messages."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


configure_prefect()
atexit.register(quiet_exit)
