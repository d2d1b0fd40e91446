"""DuckDB warehouse: raw tables, atomic per-report loads, lock-aware connections."""
from warehouse.errors import NotAWarehouseError, WarehouseError, WarehouseLockedError
from warehouse.store import (
    RAW_TABLES,
    LoadResult,
    connect,
    ensure_schema,
    load_report,
    report_exists,
)

__all__ = [
    "RAW_TABLES", "LoadResult", "NotAWarehouseError", "WarehouseError", "WarehouseLockedError",
    "connect", "ensure_schema", "load_report", "report_exists",
]
