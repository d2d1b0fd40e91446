"""`arw docs`: dbt's documentation site of the warehouse (every mart, column, test and the
lineage graph), written to a folder or served on loopback until Ctrl-C."""
from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

from flows.dbt_build import generate_docs
from warehouse.errors import WarehouseError
from warehouse.lock import writer_lock

SITE_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")


def write_docs(warehouse: Path, out_dir: Path, on_wait=None) -> Path:
    """Generate the site into a scratch folder, then copy only the site's files into out_dir
    (dbt's target folder also holds compiled SQL and logs a reader does not need)."""
    if not Path(warehouse).exists():
        raise WarehouseError(f"warehouse {warehouse} does not exist yet: run `arw ingest` first")
    with tempfile.TemporaryDirectory(prefix="arw-docs-") as scratch:
        with writer_lock(Path(warehouse), on_wait=on_wait):  # dbt opens the file read-write
            generate_docs(warehouse, Path(scratch))
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in SITE_FILES:
            shutil.copyfile(Path(scratch) / name, out_dir / name)
    return out_dir / "index.html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder without a log line per request."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass


def serve_folder(folder: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 (a free port when 0) for `folder`, running in a thread."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
