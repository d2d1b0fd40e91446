"""Where arw keeps its files, and Prefect configured to run locally without telemetry.

Imported before Prefect so that its settings (home, telemetry, ephemeral server start-up)
come from here; any of them may be overridden in the environment.
"""
from __future__ import annotations

import os
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


def warehouse_path(option: str | os.PathLike | None = None) -> Path:
    """--warehouse, else $ARW_WAREHOUSE, else warehouse/arw.duckdb in the project."""
    chosen = option or os.environ.get("ARW_WAREHOUSE") or DEFAULT_WAREHOUSE
    return Path(chosen).expanduser().resolve()


configure_prefect()
