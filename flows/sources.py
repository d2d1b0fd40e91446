"""Where report PDFs come from: files, folders (searched recursively) and http(s) URLs.

URLs are downloaded with httpx (timeouts, a size limit, retries with backoff) into a
content-addressed cache (sha256), so a document is never fetched twice; --force refetches.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from flows.settings import STATE_DIR

CACHE_DIR = STATE_DIR / "downloads"
MAX_DOWNLOAD_BYTES = int(os.environ.get("ARW_MAX_DOWNLOAD_BYTES", 200 * 1024 * 1024))
TIMEOUT = httpx.Timeout(float(os.environ.get("ARW_DOWNLOAD_TIMEOUT_SECONDS", 30)), connect=10.0)
RETRIES = 3
BACKOFF_SECONDS = 0.5


class SourceError(Exception):
    """A source could not be read or fetched; the message says what to do."""


@dataclass(frozen=True)
class Source:
    """One input: what the user named (path or URL) and the local file to read."""

    name: str
    path: Path


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def expand_local(items: list[str]) -> list[str]:
    """Files as given, folders searched recursively for *.pdf, URLs kept; missing paths raise."""
    found: list[str] = []
    for item in items:
        if is_url(item):
            found.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            pdfs = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            if not pdfs:
                raise SourceError(f"{item} holds no PDF files")
            found.extend(str(p.resolve()) for p in pdfs)
        elif path.exists():
            found.append(str(path.resolve()))
        else:
            raise SourceError(f"{item} does not exist")
    return list(dict.fromkeys(found))


def urls_in(file: Path) -> list[str]:
    """One URL per line; blank lines and # comments ignored."""
    lines = [line.split("#", 1)[0].strip() for line in file.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def fetch(url: str, force: bool = False, cache_dir: Path | None = None, max_bytes: int | None = None) -> Path:
    """The cached copy of `url`, downloading it first if it is not cached (or `force`)."""
    cache_dir = cache_dir or CACHE_DIR
    index = _read_index(cache_dir)
    cached = index.get(url)
    if cached and not force and (cache_dir / f"{cached}.pdf").is_file():
        return cache_dir / f"{cached}.pdf"
    digest, temporary = _download(url, cache_dir, max_bytes or MAX_DOWNLOAD_BYTES)
    target = cache_dir / f"{digest}.pdf"
    shutil.move(temporary, target)
    index[url] = digest
    _write_index(cache_dir, index)
    return target


def _download(url: str, cache_dir: Path, max_bytes: int) -> tuple[str, Path]:
    """Stream to a temporary file, hashing as it goes; retry transient failures with backoff."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for attempt in range(RETRIES):
        if attempt:
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
        try:
            return _stream(url, cache_dir, max_bytes)
        except _Transient as error:
            last_error = error
    raise SourceError(f"{last_error} (after {RETRIES} attempts): check the address or try again later")


class _Transient(Exception):
    pass


def _stream(url: str, cache_dir: Path, max_bytes: int) -> tuple[str, Path]:
    digest, size = hashlib.sha256(), 0
    handle = tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".part", delete=False)
    try:
        with handle, httpx.Client(timeout=TIMEOUT, follow_redirects=True) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 500:
                    raise _Transient(f"server error HTTP {response.status_code}")
                if response.status_code >= 400:
                    raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}: check the address")
                declared = int(response.headers.get("content-length") or 0)
                if declared > max_bytes:
                    raise SourceError(_too_big(declared, max_bytes))
                for chunk in response.iter_bytes(1 << 16):
                    size += len(chunk)
                    if size > max_bytes:
                        raise SourceError(_too_big(size, max_bytes))
                    digest.update(chunk)
                    handle.write(chunk)
    except httpx.TimeoutException as error:
        Path(handle.name).unlink(missing_ok=True)
        raise _Transient(f"timed out ({type(error).__name__})") from error
    except httpx.TransportError as error:
        Path(handle.name).unlink(missing_ok=True)
        raise _Transient(f"could not connect ({error})") from error
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), Path(handle.name)


def _too_big(size: int, max_bytes: int) -> str:
    return (f"larger than the download limit ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB): "
            "set ARW_MAX_DOWNLOAD_BYTES if this really is a report")


def _read_index(cache_dir: Path) -> dict[str, str]:
    path = cache_dir / "index.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _write_index(cache_dir: Path, index: dict[str, str]) -> None:
    """Write atomically: a crash never leaves a half-written index."""
    temporary = cache_dir / "index.json.tmp"
    temporary.write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, cache_dir / "index.json")
