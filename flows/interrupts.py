"""Knowing that Ctrl-C came, even where a library catches the KeyboardInterrupt it raised."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def ctrl_c_noticed() -> Iterator[threading.Event]:
    """An event set when Ctrl-C arrives during the block (which still raises KeyboardInterrupt as
    before), so that an error it caused elsewhere, or an interrupt swallowed on the way (DuckDB
    turns one into "Query interrupted"; dbt takes one that hits the reading of its partial-parse
    file for a damaged file, parses again and goes on), is known for what it is. Outside the
    main thread, where no signal handler can be set, or where Ctrl-C is ignored (a process started
    in the background), the event stays unset."""
    noticed = threading.Event()
    previous = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None
    if previous in (None, signal.SIG_IGN):
        yield noticed
        return

    def on_ctrl_c(signum, frame):
        noticed.set()
        (previous if callable(previous) else signal.default_int_handler)(signum, frame)

    signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield noticed
    finally:
        signal.signal(signal.SIGINT, previous)
