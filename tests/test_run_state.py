"""How a run ends in Prefect: Failed, with the reason as its message, when the warehouse models
could not be built or no input could be ingested; otherwise Completed with a one-line summary."""
from flows.outcomes import FAILED, LOADED, SKIPPED, ReportOutcome, RunSummary
from flows.pipeline import failure_reason, final_state, summary_of


def summary(*outcomes: ReportOutcome, dbt_error: str | None = None, inconsistencies: int = 0) -> RunSummary:
    return RunSummary("run", "w.duckdb", list(outcomes), dbt_error=dbt_error, inconsistencies=inconsistencies)


def test_a_failed_build_fails_the_run_with_its_first_line():
    run = summary(ReportOutcome("a.pdf", LOADED), dbt_error="dbt build failed (1 node(s)):\n  model fct_x [error]")
    state = final_state(run)
    assert state.is_failed()
    assert state.message == "the warehouse models could not be built: dbt build failed (1 node(s)):"
    assert summary_of(state) is run


def test_a_run_whose_every_input_failed_fails_naming_them():
    run = summary(*(ReportOutcome(f"/in/{n}.pdf", FAILED, error=f"{n} is not a PDF\nmore") for n in "abcd"))
    assert failure_reason(run) == ("no report could be ingested (4 failed: a.pdf: a is not a PDF; b.pdf: b is not a "
                                   "PDF; c.pdf: c is not a PDF; and 1 more)")
    assert final_state(run).is_failed()


def test_a_run_with_one_report_loaded_completes_with_a_summary():
    run = summary(ReportOutcome("a.pdf", LOADED), ReportOutcome("b.pdf", FAILED, error="empty"),
                  ReportOutcome("c.pdf", SKIPPED), inconsistencies=3)
    state = final_state(run)
    assert state.is_completed() and failure_reason(run) is None
    assert state.message == "1 loaded, 1 failed, 1 skipped; 3 inconsistencies"
    assert final_state(summary()).message == "nothing to ingest"  # an empty inbox is no failure
