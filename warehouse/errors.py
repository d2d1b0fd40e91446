"""Warehouse errors whose messages tell the user what to do next."""
from __future__ import annotations


class WarehouseError(RuntimeError):
    """Anything that went wrong opening, reading or loading the DuckDB warehouse."""


class WarehouseLockedError(WarehouseError):
    """Another process holds the DuckDB file lock (DuckDB allows one writer process)."""


class NotAWarehouseError(WarehouseError):
    """The warehouse path exists but is not a DuckDB database (we never overwrite it)."""
