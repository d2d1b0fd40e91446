"""`arw …` for the tests: in-process by default (typer's CliRunner, on the session's local Prefect
server, with Prefect, dbt and pandas imported once per session), or as a real process where only
a process shows what is tested (exit codes as a shell sees them, Ctrl-C, SIGKILL, two writers at
once, the scheduled run). Both give the same result: return code, stdout, stderr."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ArwRun:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return f"{self.stdout}\n{self.stderr}"

    def check(self) -> "ArwRun":
        if self.returncode != 0:
            raise AssertionError(f"arw {' '.join(self.args)} exited {self.returncode}\n{self.stdout}\n{self.stderr}")
        return self


def arw_in_process(*args: str, env: dict[str, str] | None = None) -> ArwRun:
    """One `arw` command in this process. An exception arw did not turn into a message is a
    bug: it is raised here, with its traceback, instead of becoming a return code."""
    from typer.testing import CliRunner

    from conftest import flush_run_logs
    from flows.cli import app
    from flows.server import use_server

    use_server()  # the session's server (started once), as a real `arw` finds it
    result = CliRunner().invoke(app, list(args), env=env, prog_name="arw")
    flush_run_logs()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return ArwRun(tuple(args), result.exit_code, result.stdout, result.stderr)


def arw_process(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> ArwRun:
    """One `arw` command as a process of its own, on the session's local Prefect server."""
    from flows.server import use_server

    run = subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, timeout=timeout,
                         cwd=PROJECT, env={**os.environ, "PREFECT_API_URL": use_server(), **(env or {})})
    return ArwRun(tuple(args), run.returncode, run.stdout, run.stderr)
