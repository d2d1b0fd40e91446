"""Where report PDFs come from: files, folders (searched recursively) and http(s) URLs.

URLs are downloaded with httpx into a content-addressed cache (`<sha256>.pdf` plus `index.json`
mapping each URL to its sha256), so a document is never fetched twice; --force refetches.

Every way a source can go wrong is that source's failure (a `SourceError` whose message says what
to do), never the run's: a bad address, a redirect loop or a redirect to file://, a damaged or
bomb-like compressed body, a server that drips bytes, an HTML page or a cut-off body, a file name
that is not UTF-8, a device or FIFO named as input. Only a complete PDF is cached. The cache is
shared by concurrent arw processes: its index and entries are written atomically under a lock.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

import httpx

from flows.settings import STATE_DIR

CACHE_DIR = STATE_DIR / "downloads"
INDEX_FILE = "index.json"
LOCK_FILE = ".lock"
PART_SUFFIX = ".part"
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WITHIN = 1024  # where %PDF- must start, as the extractor accepts (extract.errors.HEAD_BYTES)
DECODED_CHUNK = 1 << 16  # a compressed body is inflated at most this much at a time
ACCEPT_ENCODING = "gzip, deflate"  # only what _inflated can undo with a bounded output
ZLIB_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
MB = 1e6


@dataclass(frozen=True)
class DownloadLimits:
    """How much one download may take: bytes (received, and decoded: each must stay under
    `max_bytes`) and time (`deadline_seconds` from connecting to the last byte of one attempt;
    `idle_seconds` of silence at most between two reads). The environment overrides them."""

    max_bytes: int = 200 * 1024 * 1024
    deadline_seconds: float = 300.0
    idle_seconds: float = 30.0
    connect_seconds: float = 10.0
    retries: int = 3
    backoff_seconds: float = 0.5
    max_redirects: int = 10

    @classmethod
    def from_env(cls) -> DownloadLimits:
        """ARW_MAX_DOWNLOAD_BYTES and ARW_DOWNLOAD_TIMEOUT_SECONDS, read when a download starts."""
        default = cls()
        return cls(max_bytes=int(_env_number("ARW_MAX_DOWNLOAD_BYTES", default.max_bytes)),
                   deadline_seconds=_env_number("ARW_DOWNLOAD_TIMEOUT_SECONDS", default.deadline_seconds))

    def timeout(self, remaining: float) -> httpx.Timeout:
        """httpx's per-operation timeouts, never longer than what is left of the deadline."""
        left = max(0.01, remaining)
        return httpx.Timeout(min(self.idle_seconds, left), connect=min(self.connect_seconds, left))


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    try:
        return float(text) if text else default
    except ValueError:
        raise SourceError(f"{name}={text!r} is not a number: fix or unset it") from None


class SourceError(Exception):
    """A source could not be read or fetched; the message says what to do."""


class _Transient(Exception):
    """A failure worth another attempt (a server error, a timeout, a dropped connection)."""


@dataclass(frozen=True)
class Source:
    """One input: what the user named (path or URL) and the local file to read."""

    name: str
    path: Path


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


# --- local files -------------------------------------------------------------------------------

_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def printable(path: str) -> str:
    """A path as valid UTF-8 text (bytes that are not UTF-8 shown as \\xff): names travel as JSON
    (Prefect's parameters) and into DuckDB, and both refuse the surrogates Python reads them as."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def expand_local(items: list[str]) -> list[str]:
    """Files as given, folders searched recursively for *.pdf, URLs kept; missing paths raise.
    Names are `printable`: a file whose name is not UTF-8 is failed by `local_file`, on its own."""
    found: list[str] = []
    for item in items:
        if is_url(item):
            found.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            pdfs = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            if not pdfs:
                raise SourceError(f"{printable(item)} holds no PDF files")
            found.extend(printable(str(p.resolve())) for p in pdfs)
        elif path.exists():
            found.append(printable(str(path.resolve())))
        else:
            raise SourceError(f"{printable(item)} does not exist")
    return list(dict.fromkeys(found))


def local_file(name: str) -> Path:
    """The file a local source names, refused before anything hashes or parses it unless it is a
    readable regular file: reading /dev/zero never ends, and opening a FIFO waits for a writer."""
    path = Path(name)
    try:
        mode = path.stat().st_mode  # stat never blocks, whatever the file is
    except FileNotFoundError:
        if _undecodable(name):
            raise SourceError(f"the name of {name} is not valid UTF-8 (\\xNN stands for a byte that is not): "
                              "rename the file (or its folder) and ingest it again") from None
        raise SourceError(f"{name} does not exist: check the path") from None
    except OSError as error:
        raise SourceError(f"{name} cannot be read ({error.strerror or error}): check its permissions") from None
    if not stat.S_ISREG(mode):
        raise SourceError(f"{name} is not a regular file ({_kind(mode)}): give the path of a report PDF")
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as error:
        raise SourceError(f"{name} cannot be read ({error.strerror or error}): check its permissions") from None
    return path


def _undecodable(name: str) -> bool:
    """Whether `name` is the `printable` form of an existing path that is not UTF-8."""
    raw = _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m[1], 16)), name)  # back to surrogateescape
    return raw != name and os.path.lexists(raw)


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket")]
    return next((kind for test, kind in kinds if test(mode)), "not a file")


def urls_in(file: Path) -> list[str]:
    """One URL per line; blank lines and # comments ignored. A line that is not UTF-8 is kept
    (escaped), so that it fails on its own instead of stopping every scheduled run."""
    text = file.read_text(encoding="utf-8", errors="backslashreplace")
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [line for line in lines if line]


# --- downloads ---------------------------------------------------------------------------------

def fetch(url: str, force: bool = False, cache_dir: Path | None = None, max_bytes: int | None = None,
          limits: DownloadLimits | None = None) -> Path:
    """The cached copy of `url`, downloading it first if it is not cached (or `force`)."""
    cache_dir = cache_dir or CACHE_DIR
    limits = limits or DownloadLimits.from_env()
    if max_bytes:
        limits = replace(limits, max_bytes=max_bytes)
    try:
        with _cache_lock(cache_dir):
            cached = _read_index(cache_dir).get(url)
            _sweep_parts(cache_dir)
        if cached and not force and _is_pdf_file(cache_dir / f"{cached}.pdf"):
            return cache_dir / f"{cached}.pdf"
        return _download(url, cache_dir, limits)
    except OSError as error:  # the cache's own disk: full, read-only, not ours
        raise SourceError(f"the download cache {cache_dir} cannot be written ({error.strerror or error}): free space "
                          "or fix its permissions (ARW_STATE_DIR moves it)") from error


def _download(url: str, cache_dir: Path, limits: DownloadLimits) -> Path:
    """Attempts with backoff while the failure is transient; the last one's reason is reported."""
    last_error: Exception | None = None
    for attempt in range(limits.retries):
        if attempt:
            time.sleep(limits.backoff_seconds * 2 ** (attempt - 1))
        try:
            return _attempt(url, cache_dir, limits)
        except _Transient as error:
            last_error = error
    raise SourceError(f"{last_error} (after {limits.retries} attempts): check the address or try again later")


def _attempt(url: str, cache_dir: Path, limits: DownloadLimits) -> Path:
    """One GET streamed into a locked .part file, stored in the cache only when it is a whole PDF;
    the .part file is removed whatever happens."""
    deadline = time.monotonic() + limits.deadline_seconds
    with _cache_lock(cache_dir):
        part = _new_part(cache_dir)
    with part, _httpx_errors():
        try:
            with httpx.Client(timeout=limits.timeout(limits.deadline_seconds), follow_redirects=False,
                              headers={"Accept-Encoding": ACCEPT_ENCODING}) as client:
                with _open(client, url, limits, deadline) as response:
                    digest = _receive(response, part, limits, deadline)
            return _store(cache_dir, url, digest, part)
        finally:
            Path(part.name).unlink(missing_ok=True)


@contextmanager
def _httpx_errors() -> Iterator[None]:
    """httpx's exceptions as arw's: what may pass is retried, the rest is one line saying what to
    do (a bad address is neither 'could not connect' nor worth another attempt)."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise _Transient(f"timed out ({type(error).__name__})") from error
    except httpx.InvalidURL as error:
        raise SourceError(f"not a valid URL ({error}): check the address") from error
    except (httpx.UnsupportedProtocol, httpx.LocalProtocolError, UnicodeError) as error:
        raise SourceError(f"not an address arw can fetch ({error}): check the address") from error
    except httpx.TransportError as error:
        raise _Transient(f"could not connect ({error})") from error
    except httpx.HTTPError as error:
        raise SourceError(f"the download failed ({type(error).__name__}: {error}): check the address") from error


@contextmanager
def _open(client: httpx.Client, url: str, limits: DownloadLimits, deadline: float) -> Iterator[httpx.Response]:
    """The final response, redirects followed by hand: each target must be http(s) (never file://
    or ftp://), there are at most `max_redirects`, and a redirect's body is never read."""
    request = client.build_request("GET", url, timeout=limits.timeout(deadline - time.monotonic()))
    for _ in range(limits.max_redirects + 1):
        response = client.send(request, stream=True)
        if response.next_request is None:
            break
        response.close()
        request = _redirected(url, response.next_request, response.headers.get("location"), limits, deadline)
        _check_deadline(deadline, limits, 0)
    else:
        raise SourceError(f"redirected more than {limits.max_redirects} times (a redirect loop?): open the address "
                          "in a browser and give the PDF's final address")
    try:
        _check_status(response)
        yield response
    finally:
        response.close()


def _redirected(url: str, request: httpx.Request, location: str | None, limits: DownloadLimits,
                deadline: float) -> httpx.Request:
    """The redirect's request, refused unless it goes to an http(s) address."""
    scheme = request.url.scheme
    if scheme not in ("http", "https"):
        raise SourceError(f"redirect to {scheme}:// refused ({url} redirects to {location or request.url}): only "
                          "http(s) addresses are fetched")
    request.extensions["timeout"] = limits.timeout(deadline - time.monotonic()).as_dict()
    return request


def _check_status(response: httpx.Response) -> None:
    if response.status_code >= 500:
        raise _Transient(f"server error HTTP {response.status_code}")
    if not response.is_success:
        raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}: check the address")


def _receive(response: httpx.Response, part: IO[bytes], limits: DownloadLimits, deadline: float) -> str:
    """Stream the body into `part`, decoded as it arrives; the sha256 of what was written.

    Both limits apply as bytes arrive: the size limit to the bytes received and to the bytes
    decoded (so a small gzip bomb stops at the limit, inflated a chunk at a time), the deadline
    to the whole transfer (so a server dripping one byte at a time cannot hold the run)."""
    declared = _declared_length(response, limits)
    tally = _Tally()
    digest, head = hashlib.sha256(), b""
    raw = _received(response, tally, limits, deadline)
    for chunk in _decoded(raw, _encodings(response)):
        tally.decoded += len(chunk)
        if tally.decoded > limits.max_bytes:
            raise SourceError(_too_big(tally.decoded, limits.max_bytes, decoded=True))
        if len(head) < PDF_HEADER_WITHIN:
            head += chunk[:PDF_HEADER_WITHIN]
            if len(head) >= PDF_HEADER_WITHIN:
                _check_pdf(head, response)
        digest.update(chunk)
        part.write(chunk)
    if declared is not None and tally.received != declared:
        raise _Transient(f"the download broke off after {tally.received} of {declared} bytes")
    _check_pdf(head, response)
    return digest.hexdigest()


@dataclass
class _Tally:
    received: int = 0  # bytes off the wire, still encoded
    decoded: int = 0


def _received(response: httpx.Response, tally: _Tally, limits: DownloadLimits, deadline: float) -> Iterator[bytes]:
    """The raw body as it arrives, stopped at the size limit or the deadline; a connection that
    drops part-way is a transient failure (it says how much arrived), not 'could not connect'."""
    chunks = response.iter_raw()
    while True:
        try:
            chunk = next(chunks, None)
        except httpx.TransportError as error:
            if isinstance(error, httpx.TimeoutException):
                raise
            raise _Transient(f"the download broke off after {tally.received} bytes ({error})") from error
        if chunk is None:
            return
        tally.received += len(chunk)
        if tally.received > limits.max_bytes:
            raise SourceError(_too_big(tally.received, limits.max_bytes))
        _check_deadline(deadline, limits, tally.received)
        yield chunk


def _check_deadline(deadline: float, limits: DownloadLimits, received: int) -> None:
    if time.monotonic() > deadline:
        raise SourceError(f"not downloaded within {limits.deadline_seconds:g} s ({received} bytes received): the "
                          "server is too slow; try again later or raise ARW_DOWNLOAD_TIMEOUT_SECONDS")


def _declared_length(response: httpx.Response, limits: DownloadLimits) -> int | None:
    text = response.headers.get("content-length")
    declared = int(text) if text and text.strip().isdigit() else None
    if declared is not None and declared > limits.max_bytes:
        raise SourceError(_too_big(declared, limits.max_bytes))
    return declared


def _encodings(response: httpx.Response) -> list[str]:
    """The Content-Encodings in the order the server applied them, refusing what arw cannot undo."""
    names = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",")]
    names = [e for e in names if e and e != "identity"]
    unknown = [e for e in names if e not in ZLIB_WBITS]
    if unknown:
        raise SourceError(f"the server compressed the file as {unknown[0]!r}, which arw cannot decode: "
                          "fetch the PDF another way and ingest the file")
    return names


def _decoded(chunks: Iterator[bytes], encodings: list[str]) -> Iterator[bytes]:
    """The body with its Content-Encodings undone, last applied first."""
    for encoding in reversed(encodings):
        chunks = _inflated(chunks, encoding)
    return chunks


def _inflated(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """One layer inflated at most DECODED_CHUNK bytes at a time (zlib's max_length): httpx's own
    decoder inflates a whole chunk at once, and a few KB of nested gzip became gigabytes."""
    inflater = zlib.decompressobj(ZLIB_WBITS[encoding])
    try:
        for chunk in chunks:
            yield from _drain(inflater, chunk)
    except zlib.error as error:
        raise SourceError(_damaged(encoding, str(error))) from error
    if not inflater.eof:
        raise SourceError(_damaged(encoding, "it ends before the compressed stream does"))


def _drain(inflater: zlib._Decompress, data: bytes) -> Iterator[bytes]:
    while True:
        out = inflater.decompress(data, DECODED_CHUNK)
        if out:
            yield out
        data = inflater.unconsumed_tail
        if not data and len(out) < DECODED_CHUNK:
            return


def _damaged(encoding: str, detail: str) -> str:
    return (f"the server sent a damaged body (Content-Encoding: {encoding}; {detail}): try again later, or fetch "
            "the PDF another way and ingest the file")


def _check_pdf(head: bytes, response: httpx.Response) -> None:
    """Only a PDF is cached: an HTML error page served with 200, or an empty body, is refused."""
    if PDF_MAGIC in head[:PDF_HEADER_WITHIN]:
        return
    content_type = response.headers.get("content-type", "none").split(";")[0].strip()
    if not head:
        raise SourceError(f"the server sent an empty body (HTTP {response.status_code}, 0 bytes), not a PDF: check "
                          "the address or try again later")
    lowered = head.lstrip().lower()
    if "html" in content_type or lowered.startswith((b"<!doctype html", b"<html")) or b"<head" in lowered:
        raise SourceError(f"the server sent an HTML page, not a PDF (HTTP {response.status_code}, Content-Type "
                          f"{content_type}): the address is a web page; give the link to the PDF itself")
    raise SourceError(f"the server sent something that is not a PDF (Content-Type {content_type}, no %PDF- "
                      "header): give the link to the PDF itself")


def _too_big(size: int, max_bytes: int, decoded: bool = False) -> str:
    what = "decompresses to more than" if decoded else "larger than"
    return (f"{what} the download limit ({size / MB:.1f} MB > {max_bytes / MB:.1f} MB): "
            "set ARW_MAX_DOWNLOAD_BYTES if this really is a report")


# --- the cache, shared by concurrent processes ---------------------------------------------------

@contextmanager
def _cache_lock(cache_dir: Path) -> Iterator[None]:
    """The cache's lock, held only around quick file operations (never during a download), so
    that concurrent arw processes never read or write the index or an entry half-done."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file releases the lock


def _new_part(cache_dir: Path) -> IO[bytes]:
    """A uniquely named .part file, locked for as long as it is open: `_sweep_parts` tells a
    download in progress (locked) from one whose process died (unlocked). Create it under the
    cache lock, so that no sweep sees it before it is locked."""
    handle = tempfile.NamedTemporaryFile(dir=cache_dir, suffix=PART_SUFFIX, delete=False)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def _sweep_parts(cache_dir: Path) -> None:
    """Remove the .part files of downloads that died (killed processes), and index files a killed
    process left half-written (written only under the lock, so none is live); call under the lock."""
    for path in cache_dir.glob(f"{INDEX_FILE}.*.tmp"):
        path.unlink(missing_ok=True)
    for path in cache_dir.glob(f"*{PART_SUFFIX}"):
        try:
            with path.open("rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink()
        except (BlockingIOError, FileNotFoundError):
            continue  # still being written, or already gone


def _store(cache_dir: Path, url: str, digest: str, part: IO[bytes]) -> Path:
    """Move a complete download into the cache and index it: the entry appears whole (a rename)
    and the index is read, changed and replaced under the lock, so no process loses an entry."""
    part.flush()
    os.fsync(part.fileno())
    target = cache_dir / f"{digest}.pdf"
    with _cache_lock(cache_dir):
        os.replace(part.name, target)
        index = _read_index(cache_dir)
        index[url] = digest
        _write_index(cache_dir, index)
    return target


def _read_index(cache_dir: Path) -> dict[str, str]:
    """The URL → sha256 index; a damaged one counts as empty (it is rewritten by the next download,
    and the cached files stay): a broken cache index must never stop a run."""
    try:
        index = json.loads((cache_dir / INDEX_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):  # ValueError: JSONDecodeError, UnicodeDecodeError
        return {}
    if not isinstance(index, dict):
        return {}
    return {k: v for k, v in index.items() if isinstance(k, str) and isinstance(v, str)}


def _write_index(cache_dir: Path, index: dict[str, str]) -> None:
    """Write to a uniquely named file, then rename: readers see the old index or the new one."""
    handle, name = tempfile.mkstemp(dir=cache_dir, prefix=f"{INDEX_FILE}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(index, file, indent=1, sort_keys=True)
            file.flush()
            os.fsync(file.fileno())
        os.replace(name, cache_dir / INDEX_FILE)
    finally:
        Path(name).unlink(missing_ok=True)


def _is_pdf_file(path: Path) -> bool:
    """A cached entry still worth serving (not one an older arw cached from an error page)."""
    try:
        with path.open("rb") as handle:
            return PDF_MAGIC in handle.read(PDF_HEADER_WITHIN)
    except OSError:
        return False
