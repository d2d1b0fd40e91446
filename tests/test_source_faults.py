"""One bad source never aborts a run: bad addresses, hostile or broken servers, a damaged
download cache, file names that are not UTF-8, devices and FIFOs given as input.

The faults are served by a loopback HTTP server (one route per fault) and checked on
`flows.sources.fetch` and `flows.pipeline.resolve` directly (fast, in-process); one end-to-end
run (`arw ingest` through typer's CliRunner) checks a mixed batch from the folder to ingest_runs.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import re
import os
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import Callable

import duckdb
import pytest

import flows.sources as sources
import pdf_factory as pf
from flows.outcomes import FAILED, LOADED, skip_known_files
from flows.pipeline import resolve
from flows.sources import DownloadLimits, Source, SourceError, expand_local, fetch

PROJECT = Path(__file__).resolve().parent.parent
# quick retries, a 2 s deadline: what the tests set instead of the defaults (300 s)
FAST = DownloadLimits(deadline_seconds=2.0, backoff_seconds=0.01)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
BOMB_BYTES = 64 * 1024 * 1024  # what the nested gzip body inflates to
NON_UTF8_NAME = b"rapport-\xff.pdf"


# --- a loopback server with one route per fault -------------------------------------------------

def nested_gzip_bomb() -> bytes:
    """gzip(gzip(a PDF header and 64 MB of zeros)): a few hundred bytes on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    inner = packer.compress(PDF) + b"".join(packer.compress(zeros) for _ in range(BOMB_BYTES >> 20)) + packer.flush()
    return gzip.compress(inner, 9)


class FaultHandler(http.server.BaseHTTPRequestHandler):
    """Serves `self.server.files` (path -> bytes) and a fault at each of the routes below; the
    behaviour of /flaky.pdf is `self.server.flaky` ('html', 'truncated', 'empty' or 'good')."""

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        route = getattr(self, "route_" + self.path.strip("/").replace(".pdf", "").replace("-", "_"), None)
        if route:
            route()
        elif self.path in self.server.files:
            self.send(self.server.files[self.path])
        else:
            self.send_error(404)

    def send(self, body: bytes, status: int = 200, length: int | None = None, **headers: str) -> None:
        self.send_response(status)
        headers = {"Content-Type": "application/pdf", **{k.replace("_", "-"): v for k, v in headers.items()}}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def route_loop(self) -> None:
        self.redirect("/loop.pdf")

    def route_to_file(self) -> None:
        self.redirect("file:///etc/passwd")

    def route_to_ftp(self) -> None:
        self.redirect("ftp://127.0.0.1/report.pdf")

    def route_bad_gzip(self) -> None:
        self.send(b"this is not gzip at all " * 20, Content_Encoding="gzip")

    def route_bomb(self) -> None:
        self.send(self.server.bomb, Content_Encoding="gzip, gzip")

    def route_html(self) -> None:
        self.send(b"<!DOCTYPE html><html><body>Sidan finns inte</body></html>", Content_Type="text/html")

    def route_truncated(self) -> None:
        self.send(PDF + b"0" * 2000, length=100_000)  # then the connection closes

    def route_empty(self) -> None:
        self.send(b"")

    def route_endless(self) -> None:
        """No Content-Length, and more bytes than any limit."""
        self.send_response(200)
        self.end_headers()
        for _ in range(10_000):
            self.wfile.write(PDF + bytes(1 << 16))

    def route_drip(self) -> None:
        """One byte every 0.3 s of a 200-byte body (a minute): never silent long enough to time out."""
        self.send_response(200)
        self.send_header("Content-Length", "200")
        self.end_headers()
        for byte in (PDF + bytes(200))[:200]:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.3)

    def route_flaky(self) -> None:
        {"html": self.route_html, "truncated": self.route_truncated, "empty": self.route_empty,
         "good": lambda: self.send(PDF)}[self.server.flaky]()

    def log_message(self, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the point of most routes) is no error here


@pytest.fixture(scope="module")
def server():
    """The fault server's base URL; its `files`, `flaky` and `requests` can be changed by tests."""
    httpd = QuietServer(("127.0.0.1", 0), FaultHandler)
    httpd.files, httpd.flaky, httpd.requests, httpd.bomb = {}, "good", [], nested_gzip_bomb()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()


def failure(call: Callable[[], object]) -> str:
    """The message of the SourceError `call` raises."""
    with pytest.raises(SourceError) as raised:
        call()
    message = str(raised.value)
    assert "\n" not in message
    return message


def within(seconds: float, call: Callable[[], object]) -> object:
    """`call()`'s result, failing the test (instead of hanging it) when it takes longer."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((call(), None))
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            outcome.append((None, error))

    threading.Thread(target=run, daemon=True).start()  # a daemon: a hung call never holds pytest
    deadline = time.monotonic() + seconds
    while not outcome and time.monotonic() < deadline:
        time.sleep(0.01)
    assert outcome, f"still running after {seconds} s"
    result, error = outcome[0]
    if error is not None:
        raise error
    return result


def cached_pdfs(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pdf"))


# --- item 2: each source fails on its own ----------------------------------------------------------

def test_each_bad_source_fails_on_its_own_and_the_good_one_resolves(tmp_path, server, monkeypatch):
    cache = tmp_path / "downloads"
    cache.mkdir()
    (cache / "index.json").write_text('{"http://x": "ab', encoding="utf-8")  # half-written by an older arw
    monkeypatch.setattr(sources, "CACHE_DIR", cache)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.pdf").write_bytes(PDF)
    (folder / os.fsdecode(NON_UTF8_NAME)).write_bytes(PDF)
    server.files["/ok.pdf"] = PDF
    urls = [f"{server.base}/loop.pdf", f"{server.base}/bad-gzip.pdf", "http://[::1", f"{server.base}/ok.pdf"]
    names = expand_local([str(folder), *urls])
    assert all(name.encode("utf-8") for name in names)  # every name can travel as JSON / into DuckDB

    resolved, failed = resolve(names, force=False)

    assert [s.name for s in resolved] == [str(folder / "good.pdf"), f"{server.base}/ok.pdf"]
    errors = {o.source: o.error for o in failed}
    assert all(o.status == FAILED for o in failed) and len(failed) == 4
    assert errors[str(folder / "rapport-\\xff.pdf")].startswith(
        f"the name of {folder}/rapport-\\xff.pdf is not valid UTF-8")
    assert errors[f"{server.base}/loop.pdf"].startswith("redirected more than 10 times (a redirect loop?)")
    assert errors[f"{server.base}/bad-gzip.pdf"].startswith("the server sent a damaged body (Content-Encoding: gzip")
    assert errors["http://[::1"].startswith("not a valid URL (") and errors["http://[::1"].endswith("check the address")
    assert json.loads((cache / "index.json").read_text())[f"{server.base}/ok.pdf"]  # the damaged index rewritten


@pytest.mark.parametrize("make", ["/dev/zero", "fifo"])
def test_a_device_or_fifo_is_refused_before_it_is_read(tmp_path, make):
    path = Path(make)
    if make == "fifo":
        path = tmp_path / "pipe.pdf"
        os.mkfifo(path)
    names = expand_local([str(path)])
    # the CLI's already-loaded check hashes what it is given: it must not read these
    todo, skipped = within(5, lambda: skip_known_files([Source(n, Path(n)) for n in names], set()))
    assert [s.name for s in todo] == names and not skipped
    resolved, [outcome] = within(5, lambda: resolve(names, force=False))
    assert not resolved and outcome.status == FAILED
    kind = "a character device" if make == "/dev/zero" else "a named pipe (FIFO)"
    assert outcome.error == f"{path} is not a regular file ({kind}): give the path of a report PDF"


def small_report(path: Path, municipality: str) -> Path:
    """A two-page annual report (cover + one KF indicator table)."""
    report = pf.Report(municipality=municipality, fiscal_year=2025, elements=[
        pf.Heading("Mål och uppdrag", 1), pf.Paragraph("En kort inledning till rapporten. " * 8),
        pf.Heading("Trygga invånare", 3),
        pf.Table(header_rows=[["KF-indikatorer", "Utfall 2024", "Utfall 2025", "Mål 2027"]],
                 rows=[["Trygghet i skolan", "78,4%", "79,9%", "85,0%"]]),
    ])
    pf.render(report, pf.STYLES["sample_like"], path)
    return path


@pytest.mark.slow
def test_a_mixed_batch_loads_the_good_reports_and_fails_each_bad_source_on_its_own(tmp_path, server, monkeypatch):
    """`arw ingest FOLDER URL... /dev/zero FIFO` end to end: one Prefect run, a damaged download
    index, and a bad source of each kind; the good file and the good URL load."""
    from typer.testing import CliRunner

    from flows.cli import app

    cache = tmp_path / "downloads"
    cache.mkdir()
    (cache / "index.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(sources, "CACHE_DIR", cache)
    monkeypatch.setenv("ARW_DOWNLOAD_TIMEOUT_SECONDS", "2")
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = small_report(folder / "good.pdf", "Alby kommun")
    (folder / os.fsdecode(NON_UTF8_NAME)).write_bytes(good.read_bytes())
    server.files["/alby-2.pdf"] = small_report(tmp_path / "second.pdf", "Bosta kommun").read_bytes()
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    bad_urls = {f"{server.base}/loop.pdf": "redirected more than 10 times",
                f"{server.base}/bad-gzip.pdf": "the server sent a damaged body (Content-Encoding: gzip",
                "http://[::1": "not a valid URL (",
                f"{server.base}/to-file.pdf": "redirect to file:// refused",
                f"{server.base}/html.pdf": "the server sent an HTML page, not a PDF",
                f"{server.base}/drip.pdf": "not downloaded within 2 s"}
    warehouse = tmp_path / "arw.duckdb"

    run = CliRunner().invoke(app, ["ingest", str(folder), f"{server.base}/alby-2.pdf", *bad_urls, "/dev/zero",
                                   str(fifo), "--warehouse", str(warehouse), "--workers", "1"])

    assert run.exit_code == 1, run.output
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = {source: (status, message) for source, status, message in
                con.execute("select source, status, message from ingest_runs").fetchall()}
    assert runs[str(good)][0] == LOADED and runs[f"{server.base}/alby-2.pdf"][0] == LOADED
    expected = {**bad_urls, str(folder / "rapport-\\xff.pdf"): "is not valid UTF-8",
                "/dev/zero": "is not a regular file (a character device)",
                str(fifo): "is not a regular file (a named pipe (FIFO))"}
    for source, words in expected.items():
        status, message = runs[source]
        assert status == FAILED and words in message and "\n" not in message, (source, message)
    assert len(runs) == 2 + len(expected)
    assert json.loads((cache / "index.json").read_text()) == {
        f"{server.base}/alby-2.pdf": hashlib.sha256(server.files["/alby-2.pdf"]).hexdigest()}


# --- item 3: only whole PDFs are cached; the cache is shared safely ---------------------------------

@pytest.mark.parametrize("fault, message", [
    ("html", "the server sent an HTML page, not a PDF (HTTP 200, Content-Type text/html): the address is a web page"),
    ("truncated", f"the download broke off after {len(PDF) + 2000} bytes ("),
    ("empty", "the server sent an empty body (HTTP 200, 0 bytes), not a PDF"),
])
def test_a_bad_response_is_not_cached_and_a_later_fetch_succeeds(tmp_path, server, fault, message):
    cache, url = tmp_path / "downloads", f"{server.base}/flaky.pdf"
    server.flaky = fault
    assert failure(lambda: fetch(url, cache_dir=cache, limits=FAST)).startswith(message)
    assert cached_pdfs(cache) == [] and url not in sources._read_index(cache)
    assert not list(cache.glob("*.part")) and not list(cache.glob("*.tmp"))
    server.flaky = "good"  # the server is fixed: fetched again, without --force
    assert fetch(url, cache_dir=cache, limits=FAST).read_bytes() == PDF


def test_a_page_cached_by_an_older_arw_is_fetched_again(tmp_path, server):
    cache, url = tmp_path / "downloads", f"{server.base}/flaky.pdf"
    cache.mkdir()
    (cache / "0bad.pdf").write_bytes(b"<html>error</html>")
    (cache / "index.json").write_text(json.dumps({url: "0bad"}))
    server.flaky = "good"
    assert fetch(url, cache_dir=cache, limits=FAST).read_bytes() == PDF


def test_a_damaged_index_is_read_as_empty_and_rewritten(tmp_path, server):
    cache, url = tmp_path / "downloads", f"{server.base}/a.pdf"
    server.files["/a.pdf"] = PDF
    for damage in ('{"half": "writ', "[1, 2]", "\xff\xfe"):
        cache.mkdir(exist_ok=True)
        (cache / "index.json").write_text(damage, encoding="latin-1")
        assert fetch(url, cache_dir=cache, limits=FAST).read_bytes() == PDF
        assert list(json.loads((cache / "index.json").read_text())) == [url]


CONCURRENT_FETCHES = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from flows.sources import fetch
    url, cache, times = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    for _ in range(times):
        assert fetch(url, force=True, cache_dir=cache).is_file()
        assert url in json.loads((cache / "index.json").read_text())  # whole, and no entry lost
""")


def test_two_processes_fetching_into_one_cache_both_succeed(tmp_path, server):
    cache = tmp_path / "downloads"
    server.files.update({"/one.pdf": PDF + b"% one\n", "/two.pdf": PDF + b"% two\n"})
    urls = [f"{server.base}/one.pdf", f"{server.base}/two.pdf"]
    runs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_FETCHES, url, str(cache), "60"], cwd=PROJECT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for url in urls]
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in results), results
    index = json.loads((cache / "index.json").read_text())
    assert sorted(index) == urls
    for url in urls:
        assert (cache / f"{index[url]}.pdf").read_bytes() == server.files[url.removeprefix(server.base)]
    assert not list(cache.glob("*.part")) and not list(cache.glob("*.tmp"))


# --- item 4: a deadline, size limits as bytes stream, redirects to other schemes refused ------------

def test_a_server_dripping_bytes_is_stopped_at_the_deadline(tmp_path, server, monkeypatch):
    monkeypatch.setenv("ARW_DOWNLOAD_TIMEOUT_SECONDS", "2")
    cache, started = tmp_path / "downloads", time.monotonic()
    message = failure(lambda: fetch(f"{server.base}/drip.pdf", cache_dir=cache))
    assert time.monotonic() - started < 5
    assert message.startswith("not downloaded within 2 s (") and message.endswith(
        "the server is too slow; try again later or raise ARW_DOWNLOAD_TIMEOUT_SECONDS")
    assert not list(cache.glob("*.part"))


def test_a_nested_gzip_bomb_stops_at_the_limit_without_inflating(tmp_path, server):
    tracemalloc.start()
    try:
        message = failure(lambda: fetch(f"{server.base}/bomb.pdf", cache_dir=tmp_path / "downloads",
                                        max_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.startswith("decompresses to more than the download limit (1.0 MB > 1.0 MB)")
    assert peak < 8 * 1024 * 1024, f"{peak / 1e6:.0f} MB held while decoding"
    assert not list((tmp_path / "downloads").glob("*.part"))


def test_an_endless_body_stops_at_the_limit_as_it_arrives(tmp_path, server):
    message = failure(lambda: fetch(f"{server.base}/endless.pdf", cache_dir=tmp_path / "downloads",
                                    max_bytes=1_000_000))
    received = re.match(r"larger than the download limit \((\d+\.\d) MB > 1\.0 MB\)", message)
    assert received and float(received.group(1)) <= 1.1, message  # stopped within a read of the limit
    assert not list((tmp_path / "downloads").glob("*.part"))


@pytest.mark.parametrize("route, scheme", [("to-file", "file"), ("to-ftp", "ftp")])
def test_a_redirect_to_another_scheme_is_refused_as_such(tmp_path, server, route, scheme):
    before = len(server.requests)
    message = failure(lambda: fetch(f"{server.base}/{route}.pdf", cache_dir=tmp_path / "downloads"))
    target = {"file": "file:///etc/passwd", "ftp": "ftp://127.0.0.1/report.pdf"}[scheme]
    assert message.startswith(f"redirect to {scheme}:// refused ({server.base}/{route}.pdf redirects to {target})")
    assert message.endswith("only http(s) addresses are fetched")
    assert len(server.requests) == before + 1  # refused, not retried


def test_the_files_of_dead_downloads_are_removed_and_live_ones_kept(tmp_path, server):
    import fcntl

    cache = tmp_path / "downloads"
    cache.mkdir()
    (cache / "tmpdead.part").write_bytes(b"%PDF-1.4 half")  # its process was killed
    (cache / "index.json.x1y2.tmp").write_text('{"half": ')  # ... while writing the index
    live = (cache / "tmplive.part").open("wb")  # another process still downloading
    fcntl.flock(live, fcntl.LOCK_EX | fcntl.LOCK_NB)
    server.files["/b.pdf"] = PDF
    try:
        fetch(f"{server.base}/b.pdf", cache_dir=cache, limits=FAST)
        assert sorted(p.name for p in cache.glob("*.part")) == ["tmplive.part"]
        assert not list(cache.glob("*.tmp"))
    finally:
        live.close()
