"""Scheduled ingestion: a Prefect deployment served from this process, on a real Prefect server.

Prefect's temporary server does not run schedules: `arw serve` uses arw's local server
(flows.server: started on first use, kept between commands) or the one PREFECT_API_URL names.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path


def serve_inbox(inbox: Path, warehouse: Path, urls_file: Path | None, cron: str | None,
                interval: float | None) -> None:
    """Serve the inbox deployment in a child process until Ctrl-C or SIGTERM, then stop it.

    The runner lives in its own process group so that stopping it also stops the flow runs it
    started, whatever Prefect does with signals inside it.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started in the background (SIGINT ignored)
    runner = subprocess.Popen(
        [sys.executable, "-c", "import sys; from flows.serve import run_runner; run_runner(*sys.argv[1:])",
         str(inbox), str(warehouse), str(urls_file or ""), cron or "", str(interval or "")],
        start_new_session=True,
    )
    try:
        runner.wait()
    finally:
        stop(runner)


def stop(process: subprocess.Popen) -> None:
    """Stop the runner and the flow runs it started (its process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def run_runner(inbox: str, warehouse: str, urls_file: str, cron: str, interval: str) -> None:
    """The serving process: polls the Prefect server for scheduled runs of the inbox flow."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    from flows.pipeline import inbox_flow

    inbox_flow.serve(
        name="arw-inbox",
        cron=cron or None,
        interval=float(interval) if interval else None,
        parameters={"inbox": inbox, "warehouse": warehouse, "urls_file": urls_file or None},
        # a run still going when the next is due (a large inbox, a short interval) is not joined
        # by a second one queueing for the warehouse: the new one is cancelled, the next comes on time
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
    )
