"""Knowing that Ctrl-C came, even where a library catches the KeyboardInterrupt it raised."""
from __future__ import annotations

import signal
import sys
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
    in the background), the event stays unset. A Ctrl-C that lands in a weakref callback or a
    finalizer cannot be raised there: Python would print it as an "Exception ignored" traceback;
    the event says it came, and nothing is printed."""
    noticed = threading.Event()
    previous = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None
    if previous in (None, signal.SIG_IGN):
        yield noticed
        return
    previous_hook = sys.unraisablehook

    def on_ctrl_c(signum, frame):
        noticed.set()
        (previous if callable(previous) else signal.default_int_handler)(signum, frame)

    def unraisable(info) -> None:
        if not (noticed.is_set() and isinstance(info.exc_value, KeyboardInterrupt)):
            previous_hook(info)

    signal.signal(signal.SIGINT, on_ctrl_c)
    sys.unraisablehook = unraisable
    try:
        yield noticed
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook
