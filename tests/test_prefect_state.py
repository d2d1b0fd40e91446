"""Runs on a fresh state directory take turns until Prefect is set up, then run side by side:
two temporary Prefect servers initialising one SQLite database at once race and fail."""
import threading
import time

from flows.settings import prefect_first_use


def two_runs_at_once(run, spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Start two runs together; their (start, end) times, earliest first."""
    spans.clear()
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(spans)


def test_first_runs_take_turns_and_later_runs_do_not(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_DATABASE_CONNECTION_URL", raising=False)
    (tmp_path / "prefect").mkdir()
    spans: list[tuple[float, float]] = []

    def first_run():
        with prefect_first_use():
            started = time.monotonic()
            time.sleep(0.5)
            spans.append((started, time.monotonic()))

    (a_start, a_end), (b_start, b_end) = two_runs_at_once(first_run, spans)
    assert b_start >= a_end  # the second waited for the first
    assert (tmp_path / "prefect" / "prefect.db.ready").exists()

    (a_start, a_end), (b_start, b_end) = two_runs_at_once(first_run, spans)
    assert b_start < a_end  # once set up, runs overlap


def test_a_server_of_ones_own_needs_no_turns(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    with prefect_first_use():
        pass
    assert not (tmp_path / "prefect").exists()
