"""A report's identity: the sha256 of its bytes. Its own small module (no pandas, no pdfplumber)
so that `arw ingest` can tell a report it already holds in well under a second."""
from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
