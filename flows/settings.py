"""Where arw keeps its files, and Prefect configured to run locally without telemetry.

Imported before Prefect so that its settings (home, telemetry, ephemeral server start-up)
come from here; any of them may be overridden in the environment.
"""
from __future__ import annotations

import atexit
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
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
}


def configure_prefect() -> None:
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


PREFECT_FIRST_USE_WAIT_SECONDS = 600.0  # the first run on a fresh state directory, once


@contextmanager
def prefect_first_use() -> Iterator[None]:
    """The first run on a fresh state directory holds a lock until Prefect is set up.

    A temporary Prefect server migrates its SQLite database and registers its block schemas when
    it first starts; two arw processes doing that at once on a fresh state directory race
    ('table … already exists', 'UNIQUE constraint failed') and one of them fails. So until one
    run has finished (the marker file), runs take turns; after that they run side by side.
    Nothing to do when Prefect is pointed at a server or a database of its own."""
    if os.environ.get("PREFECT_API_URL") or os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL"):
        yield
        return
    home = Path(os.environ["PREFECT_HOME"])
    ready = home / "prefect.db.ready"
    if ready.exists():
        yield
        return
    from warehouse.lock import writer_lock

    with writer_lock(home / "prefect.db", wait_seconds=PREFECT_FIRST_USE_WAIT_SECONDS):
        yield
        ready.touch()


def warehouse_path(option: str | os.PathLike | None = None) -> Path:
    """--warehouse, else $ARW_WAREHOUSE, else warehouse/arw.duckdb in the project."""
    chosen = option or os.environ.get("ARW_WAREHOUSE") or DEFAULT_WAREHOUSE
    return Path(chosen).expanduser().resolve()


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
