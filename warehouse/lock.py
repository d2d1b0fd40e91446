"""One writer at a time: an advisory lock file beside the warehouse.

DuckDB lets one process write a file; `arw ingest` holds this lock around each short write (the
skip check, each report's load, the dbt build) so that concurrent runs queue instead of failing.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from warehouse.errors import WarehouseLockedError

def lock_wait_seconds() -> float:
    """How long an arw process waits for another one writing the same warehouse
    (ARW_LOCK_WAIT_SECONDS, default 600), read when it waits."""
    return float(os.environ.get("ARW_LOCK_WAIT_SECONDS", "600"))


@contextmanager
def writer_lock(
    warehouse: Path,
    wait_seconds: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the warehouse's writer lock, waiting up to `wait_seconds` (lock_wait_seconds() by
    default) for another arw process."""
    wait_seconds = lock_wait_seconds() if wait_seconds is None else wait_seconds
    path = Path(f"{warehouse}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        deadline, told = time.monotonic() + wait_seconds, False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseLockedError(
                        f"{warehouse} is being written by another arw process for more than "
                        f"{wait_seconds:.0f} s: try again when it has finished") from None
                if on_wait and not told:
                    on_wait(f"waiting for another arw process to finish writing {warehouse.name} …")
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
