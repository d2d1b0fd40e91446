"""arw's local Prefect server: started once (also when two commands start it at once), in its
own session so a terminal's Ctrl-C does not reach it, its UI told its own API address, and
stopped by `arw server stop` with nothing left running."""
import json
import os
import threading

import httpx
import pytest
from typer.testing import CliRunner

import flows.server as server_module
from flows.cli import app

pytestmark = pytest.mark.slow  # one `prefect server start` (~10–20 s)


def test_one_server_for_every_command_with_its_ui_pointing_at_it(tmp_path, monkeypatch):
    monkeypatch.setattr(server_module, "STATE_DIR", tmp_path)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    started: list = []
    threads = [threading.Thread(target=lambda: started.append(server_module.start_server())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(started) == 2 and started[0] == started[1]  # the second found the first's server
        server = started[0]
        assert json.loads((tmp_path / "prefect-server.json").read_text()) == {"pid": server.pid, "port": server.port}
        assert os.getsid(server.pid) != os.getsid(0)  # its own session: Ctrl-C in the terminal spares it
        # the UI in the browser asks the address in /ui-settings: this server's, not Prefect's default :4200
        assert httpx.get(f"{server.ui_url}/ui-settings", timeout=10).json()["api_url"] == server.api_url
        status = CliRunner().invoke(app, ["server", "status"])
        assert status.exit_code == 0 and f"UI  {server.ui_url}" in status.output and server.api_url in status.output
    finally:
        stopped = CliRunner().invoke(app, ["server", "stop"])
    assert stopped.exit_code == 0 and f"Stopped the Prefect server (pid {server.pid})" in stopped.output
    assert not (tmp_path / "prefect-server.json").exists() and server_module.running_server() is None
    with pytest.raises(ProcessLookupError):
        os.kill(server.pid, 0)
    status = CliRunner().invoke(app, ["server", "status"])
    assert status.exit_code == 1 and "No local Prefect server is running" in status.output
