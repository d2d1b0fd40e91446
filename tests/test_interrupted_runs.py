"""Runs that are stopped half-way leave a warehouse that knows it and repairs itself.

- SIGKILL during the dbt build: the raw rows are in, the marts are not; every command says the
  marts are behind and how to catch up, and the next `arw ingest` (even of files already
  loaded) rebuilds them instead of answering "skipped".
- Ctrl-C during the build or during extraction (a terminal's Ctrl-C reaches the whole process
  group): arw stops within seconds with one line saying what was kept, no traceback, and no
  extraction process left behind.
"""
from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from expected import SAMPLE_PDF
from flows.cli import app
from schemas.validate import validate_report
from test_ingest_operations import query, small_report
from warehouse.read import BEHIND_MESSAGE, marts_behind
from warehouse_harness import copy_warehouse

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent
OTHER_ID = "e" * 64

# loads a report, then builds the marts but stops at dbt's first model, where the parent kills it
LOAD_THEN_STALL_IN_BUILD = """
import pickle, sys, time
from pathlib import Path
import flows.dbt_build as dbt_build
from warehouse.store import load_report

warehouse, pickled = Path(sys.argv[1]), Path(sys.argv[2])
load_report(warehouse, pickle.loads(pickled.read_bytes()))
real_runner = dbt_build.dbtRunner

def stall(event):
    if event.info.name == "NodeStart":
        print("building", flush=True)
        time.sleep(600)

dbt_build.dbtRunner = lambda callbacks=(): real_runner(callbacks=[*callbacks, stall])
dbt_build.build(warehouse)
"""


def other_version(sample_report):
    """The sample as another report (another id and year), so that it is loaded beside it."""
    validated = validate_report(sample_report)
    frames = {name: frame.assign(report_id=OTHER_ID) if len(frame) else frame
              for name, frame in validated.frames.items()}
    report = {**validated.report, "report_id": OTHER_ID, "fiscal_year": 2099, "file_name": "other-year.pdf"}
    return replace(validated, report=report, frames=frames)


def test_a_build_killed_half_way_is_known_and_the_next_ingest_repairs_it(
        sample_warehouse, sample_report, tmp_path, prefect_api):
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "arw.duckdb")
    pickled = tmp_path / "other.pickle"
    pickled.write_bytes(pickle.dumps(other_version(sample_report)))
    child = subprocess.Popen([sys.executable, "-c", LOAD_THEN_STALL_IN_BUILD, str(warehouse), str(pickled)],
                             cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        marker = child.stdout.readline().strip()
        assert marker == "building", f"the child did not reach the build: {marker!r}\n{child.stderr.read()}"
        os.kill(child.pid, signal.SIGKILL)  # mid-build: no clean-up
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()

    assert marts_behind(warehouse)
    assert query(warehouse, "select count(*) from dim_reports") == [(1,)]  # the marts lack the new report
    runner = CliRunner()
    check = runner.invoke(app, ["check", "--warehouse", str(warehouse)])
    assert check.exit_code == 0 and BEHIND_MESSAGE in " ".join(check.output.split())
    assert runner.invoke(app, ["check", "--warehouse", str(warehouse), "--fail-on", "warning",
                               "--allow-unchecked"]).exit_code == 1  # 3 findings
    strict = runner.invoke(app, ["check", "--warehouse", str(warehouse), "--fail-on", "error"])
    assert strict.exit_code == 1  # behind is "not everything checked"

    again = runner.invoke(app, ["ingest", str(SAMPLE_PDF), "--warehouse", str(warehouse), "--workers", "1"])
    assert again.exit_code == 0, again.output
    assert "skipped" in again.output  # the sample itself is known ...
    assert not marts_behind(warehouse)  # ... but the run rebuilt the marts the killed build left behind
    assert query(warehouse, "select count(*) from dim_reports") == [(2,)]


def ingest_in_terminal_session(args: list[str], tmp_path: Path) -> subprocess.Popen:
    """`arw ingest …` in a process group of its own, as a terminal runs it."""
    return subprocess.Popen([sys.executable, "-m", "flows.cli", "ingest", *args], cwd=PROJECT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def ctrl_c(process: subprocess.Popen) -> tuple[int, str, float]:
    """SIGINT to the process group; its exit code, stderr, and seconds it took to exit."""
    os.killpg(process.pid, signal.SIGINT)
    sent = time.monotonic()
    _, err = process.communicate(timeout=60)
    return process.returncode, err, time.monotonic() - sent


def test_ctrl_c_during_the_build_stops_at_once_and_says_what_was_kept(tmp_path):
    warehouse, pdf = tmp_path / "arw.duckdb", small_report(tmp_path / "provby.pdf")
    run = ingest_in_terminal_session([str(pdf), "--warehouse", str(warehouse)], tmp_path)
    seen = ""
    while "building the warehouse models" not in seen:
        line = run.stderr.readline()
        assert line, f"the run ended before its build: {seen}"
        seen += line
    time.sleep(1.0)  # inside dbt
    code, err, seconds = ctrl_c(run)
    assert code == 130 and seconds < 15, (code, seconds, err)
    assert "Traceback" not in err and err.strip().splitlines()[-1] == (
        "Interrupted: the reports loaded so far are kept, but the marts are behind: run `arw build`")
    assert marts_behind(warehouse)
    [(status, message)] = query(warehouse, "select status, message from ingest_runs")
    assert status == "failed" and "interrupted (Ctrl-C) during the build" in message
    built = CliRunner().invoke(app, ["build", "--warehouse", str(warehouse)])
    assert built.exit_code == 0 and built.output.startswith("Built ") and not marts_behind(warehouse)


def test_a_ctrl_c_dbt_takes_for_a_damaged_parse_file_still_stops_the_build(sample_warehouse, tmp_path, monkeypatch):
    """dbt reads its partial-parse file under `except Exception`, and its decoder turns the
    KeyboardInterrupt of a Ctrl-C that lands there into an error of its own: dbt then parses
    again and builds everything. arw notices the Ctrl-C and stops the build all the same."""
    from dbt.contracts.graph.manifest import Manifest

    from flows.dbt_build import build
    from test_warehouse import RID, extracted_report
    from warehouse.store import load_report

    path = copy_warehouse(sample_warehouse, tmp_path / sample_warehouse.name)  # its name's parse is saved
    load_report(path, validate_report(extracted_report(RID)))
    read = Manifest.from_msgpack.__func__
    seen = []

    def read_with_ctrl_c(cls, data, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            seen.append("ctrl-c")
            raise ValueError("unreadable") from None  # what dbt's decoder makes of it
        return read(cls, data, **kwargs)

    monkeypatch.setattr(Manifest, "from_msgpack", classmethod(read_with_ctrl_c))
    with pytest.raises(KeyboardInterrupt):
        build(path)
    assert seen == ["ctrl-c"] and marts_behind(path)



def test_a_ctrl_c_that_lands_in_a_weakref_callback_is_noticed_and_not_printed(monkeypatch):
    """Python cannot raise a KeyboardInterrupt out of a weakref callback or a finalizer (dbt's
    objects have them): it hands it to sys.unraisablehook, which prints an "Exception ignored"
    traceback. Within ctrl_c_noticed it is noted instead; any other such error still goes on."""
    import weakref

    from flows.interrupts import ctrl_c_noticed

    handed_on = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: handed_on.append(type(info.exc_value).__name__))

    class Held:
        pass

    def dropped(error: type[BaseException]) -> None:
        def callback(ref) -> None:
            raise error
        held = Held()
        ref = weakref.ref(held, callback)  # noqa: F841  (alive until the object goes)
        del held

    with ctrl_c_noticed() as ctrl_c:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        dropped(KeyboardInterrupt)
        dropped(ValueError)
    dropped(KeyboardInterrupt)  # outside, as Python has it
    assert ctrl_c.is_set() and handed_on == ["ValueError", "KeyboardInterrupt"]

def test_ctrl_c_during_extraction_stops_every_worker_within_seconds(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("a", "b", "c", "d"):
        small_report(folder / f"{name}.pdf", municipality=f"{name.upper()}-by kommun")
    run = ingest_in_terminal_session([str(folder), "--warehouse", str(tmp_path / "arw.duckdb"), "--workers", "2"],
                                     tmp_path)
    deadline, children = time.monotonic() + 120, []
    while len(children) < 2 and time.monotonic() < deadline:  # the extraction processes have started
        time.sleep(0.5)
        found = subprocess.run(["pgrep", "-P", str(run.pid), "-f", "multiprocessing"], capture_output=True, text=True)
        children = [int(pid) for pid in found.stdout.split()]
    assert children, "no extraction process started"
    time.sleep(1.0)  # reading the reports
    code, err, seconds = ctrl_c(run)
    assert code == 130 and seconds < 15, (code, seconds, err)
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("Interrupted: ")
    time.sleep(0.5)
    for pid in children:  # none left running
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
