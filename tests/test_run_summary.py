"""What an ingest run says about quarantined rows: counted, and grouped by reason."""
from flows.pipeline import summarise_reasons


def test_reasons_are_grouped_whatever_row_and_stage_refused_them():
    reasons = ["cells row 3: column 'unit' failed isin([...]) with value 'xyz'",
               "cells row 7: column 'unit' failed isin([...]) with value 'xyz'",
               "indicators row 2: year 1850 is outside 1990–2100 (a misprinted year?)"]
    assert summarise_reasons(reasons) == (
        "3 rows quarantined (2 × column 'unit' failed isin([...]) with value 'xyz'; "
        "1 × year 1850 is outside 1990–2100 (a misprinted year?)): select * from fct_quarantine")


def test_no_reasons_no_summary():
    assert summarise_reasons([]) is None


def test_only_the_three_commonest_reasons_are_spelled_out():
    reasons = [f"cells row {n}: reason {n % 5}" for n in range(20)]
    summary = summarise_reasons(reasons)
    assert summary.startswith("20 rows quarantined (4 × reason ") and summary.count(" × ") == 3
    assert "2 other reasons" in summary
