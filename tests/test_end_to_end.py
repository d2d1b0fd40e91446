"""The whole product path on the sample report: `arw ingest` (Prefect flow, pandera, DuckDB,
dbt; the first run as a real process, as a user runs it) then the marts users query hold exactly
the expected values."""
import json

import duckdb
import pytest

from cli_harness import arw_in_process, arw_process
from expected import SAMPLE_PDF, actual_rows, expected_rows

pytestmark = pytest.mark.slow

MARTS = {
    "budget": "fct_budget", "indicators": "fct_indicators", "suppliers": "fct_suppliers",
    "procurements": "fct_procurements", "goals": "fct_goals", "internal_controls": "fct_internal_controls",
}


def arw(*args, check=True, process=False):
    run = arw_process(*args) if process else arw_in_process(*args)
    return run.check() if check else run


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("wh") / "arw.duckdb"
    first = arw("ingest", str(SAMPLE_PDF), "--warehouse", str(path), process=True)
    assert "loaded" in first.stdout and "fct_budget" in first.stdout and "206" in first.stdout
    arw("ingest", str(SAMPLE_PDF), "--warehouse", str(path))  # re-ingesting replaces, never duplicates
    return path


@pytest.mark.parametrize("frame", list(MARTS))
def test_marts_hold_exactly_the_expected_rows(warehouse, frame):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        df = con.execute(f"select * from {MARTS[frame]}").df()
    assert sorted(expected_rows(frame) - actual_rows(frame, df), key=str) == []
    assert sorted(actual_rows(frame, df) - expected_rows(frame), key=str) == []
    assert len(df) == len(expected_rows(frame))


def test_dim_reports_describes_the_report(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select file_name, municipality, body, report_type, fiscal_year, page_count from dim_reports"
        ).fetchall()
    assert rows == [("haninge-ks-arsredovisning-2024.pdf", "Haninge kommun", "Kommunstyrelsen", "årsredovisning", 2024, 40)]


def test_query_returns_json_and_refuses_to_write_or_read_files(warehouse):
    out = arw("query", "select line_item, amount, decimals from fct_budget where statement = 'income_statement' "
              "and measure = 'outcome' and fiscal_year = 2023 order by line_order limit 2",
              "--warehouse", str(warehouse), "--format", "json")
    assert json.loads(out.stdout) == [
        {"line_item": "Taxor och avgifter", "amount": 764.0, "decimals": 1},
        {"line_item": "Försäljning av verksamhet", "amount": 215.2, "decimals": 1},
    ]
    for statement in ("delete from fct_budget", "copy fct_budget to '/tmp/x.csv'", "select * from read_csv('/etc/passwd')",
                      f"attach '{warehouse}.other' as o"):
        refused = arw("query", statement, "--warehouse", str(warehouse), check=False)
        assert refused.returncode == 1 and "refused" in refused.stderr, statement


def test_check_lists_the_inconsistencies_and_fails_on_request(warehouse):
    listed = arw("check", "--warehouse", str(warehouse), "--format", "json")
    findings = json.loads(listed.stdout)
    assert sorted(f["rule_id"] for f in findings) == [
        "prose_development_cost_split", "prose_development_costs", "sick_leave_kf_equals_staff_table"]
    sick = next(f for f in findings if f["rule_id"] == "sick_leave_kf_equals_staff_table")
    assert (sick["left_value"], sick["right_value"], sick["tolerance"]) == (7.7, 7.8, 0.1)
    assert "Sjukfrånvaro · 2022" in sick["left_ref"] and "Total sjukfrånvaro · 2022" in sick["right_ref"]
    assert arw("check", "--warehouse", str(warehouse), "--fail-on", "error", check=False).returncode == 1
    csv_out = arw("check", "--warehouse", str(warehouse), "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("report_id,rule_id,severity,description,left_value,right_value") and len(csv_out) == 4
