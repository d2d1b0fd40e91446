"""The habits `arw` borrows from DuckDB's and dbt's command lines: an interactive read-only query
shell, --format/--output (atomic files, parquet), numbers shown as the reports print them, help
without type placeholders, `arw check` readable at 80 columns, errors in one line.

In-process (typer's CliRunner) on the session's sample warehouse, which is only read."""
from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

import flows.cli as cli
from flows.cli import app
from flows.display import (
    decimals_columns, display_rows, finding_lines, json_text, markdown_table, swedish_number,
)
from flows.export import write_atomically, write_parquet
from flows.shell import History, split_statements
from warehouse.read import run_query

runner = CliRunner()
WIDTH = {"COLUMNS": "80", "TERMINAL_WIDTH": "80"}


@pytest.fixture(autouse=True)
def console_80_columns(monkeypatch):
    """The CLI's consoles as on an 80-column terminal, whatever the terminal running the tests."""
    for name, value in WIDTH.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(cli, "console", Console())
    monkeypatch.setattr(cli, "errors", Console(stderr=True, soft_wrap=True))


def arw(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, env=WIDTH, prog_name="arw")


# --- numbers as printed ------------------------------------------------------------------------

@pytest.mark.parametrize("value, decimals, shown", [
    (661304.0, None, "661 304"),
    (0.25, None, "0,25"),
    (-1640.6, 1, "−1 640,6"),
    (3.7, 2, "3,70"),
    (12.0, 2, "12,00"),
    (-6540.900000000001, None, "−6 540,9"),  # a sum of printed figures, without binary noise
    (1234567.891, None, "1 234 567,891"),
    (-0.04, 1, "0,0"),  # rounded to zero: no sign
    (2024, None, "2024"),  # years, pages and small counts are not grouped
    (12345, None, "12 345"),
    (-5, None, "−5"),
    (Decimal("-1234.50"), None, "−1 234,5"),
    (2.675, 2, "2,68"),
    (1e-7, None, "0,0000001"),
])
def test_swedish_number(value, decimals, shown):
    assert swedish_number(value, decimals) == shown


def test_the_decimals_column_next_to_a_value_says_how_many_were_printed():
    columns = ["line_item", "amount", "decimals", "amount_tkr", "left_value", "left_decimals"]
    rows = [("Kostnader", -1640.6, 1, -1640600.0, 7.8, 2), ("Index", 3.7, 2, None, None, None)]
    assert decimals_columns(columns, rows) == {1: 2, 4: 5}
    assert display_rows(columns, rows) == [["Kostnader", "−1 640,6", "1", "−1 640 600", "7,80", "2"],
                                           ["Index", "3,70", "2", "", "", ""]]
    assert decimals_columns(["decimals", "value"], [(1, 2.5)]) == {1: 0}  # the value after it


def test_markdown_is_for_people_and_json_for_programs():
    columns, rows = ["supplier", "total_tkr"], [("A | B", 661304.0), ("C", None)]
    assert markdown_table(columns, rows).splitlines() == [
        "| supplier | total_tkr |", "| --- | ---: |", "| A \\| B | 661 304 |", "| C |  |"]
    assert json.loads(json_text(["v", "d", "n"], [(661304.0, Decimal("1.50"), float("nan"))])) == [
        {"v": 661304.0, "d": 1.5, "n": None}]


def test_a_finding_is_a_block_no_wider_than_the_terminal():
    finding = {"report_id": "fffa90dc8068636a", "rule_id": "sick_leave_kf_equals_staff_table", "severity": "error",
               "description": "KF indicator Sjukfrånvaro = the municipality's row of the sick-leave table",
               "left_value": 7.7, "right_value": 7.8, "difference": -0.1, "tolerance": 0.1,
               "left_ref": "KF Haninge kommun · Sjukfrånvaro · 2022",
               "right_ref": "förvaltning Haninge kommun · Total sjukfrånvaro · 2022",
               "left_terms": [{"value": 7.7, "decimals": 1, "page": 19}],
               "right_terms": [{"value": 7.8, "decimals": 1, "page": 28}]}
    lines = finding_lines(finding, 70, "haninge.pdf")
    assert lines == [
        "haninge.pdf · sick_leave_kf_equals_staff_table · error",
        "  KF indicator Sjukfrånvaro = the municipality's row of the sick-leave",
        "  table",
        "  left        7,7  KF Haninge kommun · Sjukfrånvaro · 2022 (p. 19)",
        "  right       7,8  förvaltning Haninge kommun · Total sjukfrånvaro ·",
        "                   2022 (p. 28)",  # a page reference is never split
        "  difference −0,1  (tolerance 0,1)",
    ]
    assert max(map(len, finding_lines(finding, 30))) <= 30


# --- statements and files --------------------------------------------------------------------

def test_statements_end_at_semicolons_outside_quotes_and_comments():
    text = "select ';' as a; -- a comment; still a comment\nselect 2 /* ; */ as b;\nselect $$x;y$$, \"c;d\"; select"
    assert split_statements(text) == (
        ["select ';' as a", "-- a comment; still a comment\nselect 2 /* ; */ as b", 'select $$x;y$$, "c;d"'],
        " select")
    assert split_statements(";; -- nothing\n") == ([], "")
    assert split_statements("select 'unfinished;\n") == ([], "select 'unfinished;\n")


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("the previous file\n")

    def half_then_fail(path: Path) -> None:
        path.write_text("half of it")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, half_then_fail)
    assert target.read_text() == "the previous file\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    with pytest.raises(Exception):  # a value the declared type cannot hold: DuckDB fails mid-write
        write_parquet(tmp_path / "x.parquet", ["n"], [("not a number",)], ["INTEGER"])
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_the_shell_history_is_one_entry_per_statement_in_the_state_dir(tmp_path):
    readline = pytest.importorskip("readline")
    readline.clear_history()
    history = History(tmp_path / "state" / "query_history", readline)
    history.add("select 1;")
    history.add("select 1;")  # a repeat is not stored twice
    history.add(".tables")
    history.save()
    readline.clear_history()
    saved = (tmp_path / "state" / "query_history").read_text()
    if "libedit" not in (readline.__doc__ or ""):  # libedit escapes blanks in its file
        assert [line for line in saved.splitlines() if line] == ["select 1;", ".tables"]
    History(tmp_path / "state" / "query_history", readline)  # the next session reads them back
    assert readline.get_current_history_length() == 2
    readline.clear_history()


# --- the command line on the sample warehouse ------------------------------------------------

def test_help_shows_names_not_type_placeholders():
    commands = [""] + [c.name or c.callback.__name__ for c in app.registered_commands]
    for command in commands:
        result = arw(*([command] if command else []), "--help")
        assert result.exit_code == 0, (command, result.output)
        for placeholder in ("<bool>", "<list", "<str>", "<int", "<path>", "{"):
            assert placeholder not in result.output, (command, placeholder, result.output)
        assert max(len(line) for line in result.output.splitlines()) <= 80
    assert "Usage: arw ingest [OPTIONS] PDF_OR_URL..." in arw("ingest", "--help").output
    assert "Usage: arw query [OPTIONS] [SQL]" in arw("query", "--help").output
    assert "Usage: arw remove [OPTIONS] REPORT" in arw("remove", "--help").output
    assert "--warehouse  -w      FILE" in arw("reports", "--help").output


def test_query_shows_the_figures_as_the_report_prints_them(sample_warehouse):
    sql = ("select supplier, total_tkr from fct_suppliers where supplier like 'Tornbergets%' union all "
           "select line_item, amount from fct_budget where statement = 'operating_summary' and measure = 'budget' "
           "and fiscal_year = 2024 and line_item = 'Kostnader'")
    shown = arw("query", sql, "-w", str(sample_warehouse))
    assert shown.exit_code == 0, shown.output
    assert "661 304" in shown.output and "−1 640,6" in shown.output and "double" in shown.output
    printed = arw("query", "select indicator, value, decimals from fct_indicators where value = 3.7 and decimals = 2",
                  "-w", str(sample_warehouse))
    assert "3,70" in printed.output  # the decimals the report printed
    machine = arw("query", sql, "-w", str(sample_warehouse), "--format", "csv")
    assert machine.stdout.splitlines() == ["supplier,total_tkr", "Tornbergets Fastighetsförvaltning AB,661304.0",
                                           "Kostnader,-1640.6"]
    assert json.loads(arw("query", sql, "-w", str(sample_warehouse), "-f", "json").stdout)[1] == {
        "supplier": "Kostnader", "total_tkr": -1640.6}
    markdown = arw("query", sql, "-w", str(sample_warehouse), "-f", "markdown").stdout.splitlines()
    assert markdown[:2] == ["| supplier | total_tkr |", "| --- | ---: |"]
    assert markdown[2] == "| Tornbergets Fastighetsförvaltning AB | 661 304 |"


def test_output_files_and_parquet(sample_warehouse, tmp_path):
    sql = "select * from fct_budget order by table_id, line_order, column_index"
    target = tmp_path / "budget.parquet"
    written = arw("query", sql, "-w", str(sample_warehouse), "--output", str(target))  # the suffix chooses
    expected = run_query(sample_warehouse, sql)
    assert written.exit_code == 0, written.output
    assert f"Wrote {len(expected.rows)} rows to {target}" in written.output
    with duckdb.connect() as con:
        back = con.execute(f"select * from read_parquet('{target}')")
        assert [d[0] for d in back.description] == expected.columns and back.fetchall() == expected.rows
    refused = arw("query", sql, "-w", str(sample_warehouse), "-f", "parquet")
    assert refused.exit_code == 2 and "add --output FILE.parquet" in refused.output
    assert "Traceback" not in refused.output
    findings = tmp_path / "findings.csv"
    checked = arw("check", "-w", str(sample_warehouse), "-o", str(findings))
    assert checked.exit_code == 0 and "Wrote 3 rows to" in checked.output
    assert findings.read_text().splitlines()[0].startswith("report_id,rule_id,severity,description,left_value")
    listed = arw("reports", "-w", str(sample_warehouse), "-f", "markdown", "-o", str(tmp_path / "reports.md"))
    assert listed.exit_code == 0 and (tmp_path / "reports.md").read_text().splitlines()[1].startswith("| --- |")
    nowhere = arw("query", "select 1", "-w", str(sample_warehouse), "-o", str(tmp_path / "no" / "such.csv"))
    assert nowhere.exit_code == 1 and "the folder" in nowhere.output and "does not exist" in nowhere.output


def test_errors_are_one_line_and_sql_may_start_with_a_comment(sample_warehouse):
    for empty in ("", "  ;  ", "-- only a comment"):
        result = arw("query", empty, "-w", str(sample_warehouse))
        assert result.exit_code == 2 and "the query is empty" in result.output, (empty, result.output)
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    sql = "-- how many reports\nselect count(*) as reports from dim_reports"
    options = ["-w", str(sample_warehouse), "-f", "csv"]
    for args in ([sql, *options], [*options, sql], [*options, "--", sql]):  # options before -- only
        result = arw("query", *args)
        assert result.exit_code == 0 and result.stdout == "reports\n1\n", (args, result.output)
    bad = arw("query", "selct 1", "-w", str(sample_warehouse))
    assert bad.exit_code == 1 and bad.output.strip().startswith("query failed: Parser Error")
    assert len(bad.output.strip().splitlines()) == 1


def test_the_shell_reads_statements_from_stdin_and_goes_on_after_an_error(sample_warehouse):
    script = (".tables\n"
              "select count(*) as suppliers,\n"
              "       sum(total_tkr) as total\n"
              "from fct_suppliers;\n"
              "copy fct_suppliers to '/tmp/arw-suppliers.csv';\n"
              ".format csv\n"
              "select supplier, total_tkr from fct_suppliers order by total_tkr desc limit 1; select 'a;b' as s;\n"
              ".nonsense\n"
              ".format json\n"
              "select max(total_tkr) as most from fct_suppliers\n")  # the last statement needs no ;
    result = arw("query", "-w", str(sample_warehouse), input=script)
    out = result.output
    assert "fct_budget" in out and "dim_reports" in out
    schemas = {s for (s,) in run_query(sample_warehouse,
                                       "select distinct table_schema from information_schema.tables").rows}
    [(count, total)] = run_query(sample_warehouse, "select count(*), sum(total_tkr) from fct_suppliers").rows
    if schemas - {"main"}:
        assert "Other schemas:" in out and ".tables SCHEMA" in out
    assert (count, total) == (54, 1259966.0) and "│        54 │ 1 259 966 │" in out, out
    refused = [line for line in out.splitlines() if line.startswith("refused:")]
    assert len(refused) == 1 and "arw query only reads the warehouse" in refused[0]
    assert out.index("refused:") < out.index("Tornbergets Fastighetsförvaltning AB,661304.0")
    assert "s\na;b\n" in out
    assert "unknown command .nonsense" in out
    assert json.loads(out[out.rindex("["):]) == [{"most": 661304.0}]
    assert "Traceback" not in out
    assert result.exit_code == 1  # piped input with a failed statement, like sqlite3 and duckdb


def test_the_shell_describes_tables_with_their_comments(tmp_path):
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table fct_things (amount double, decimals integer, label varchar)")
        con.execute("insert into fct_things values (1234.5, 2, 'x'), (-3, 0, 'y')")
        con.execute("comment on table fct_things is 'One row per thing'")
        con.execute("comment on column fct_things.amount is 'The amount as printed'")
    result = arw("query", "-w", str(path), input=".schema fct_things\n.width 12\n.maxrows 1\n"
                                                  "select * from fct_things order by amount desc;\n.quit\nselect 1;\n")
    out = result.output
    assert result.exit_code == 0, out
    assert "main.fct_things — One row per thing" in out and "The amount as printed" in out and "DOUBLE" in out
    assert "1 234,50" in out and "2 rows (1 shown" in out and "−3" not in out


def test_check_shows_one_block_per_finding_within_80_columns(sample_warehouse):
    result = arw("check", "-w", str(sample_warehouse))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "3 inconsistencies in 1 checked report(s)"
    assert max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80]
    assert "haninge-ks-arsredovisning-2024.pdf · sick_leave_kf_equals_staff_table · error" in lines
    assert "  left        7,7  KF Haninge kommun · Sjukfrånvaro · 2022 (p. 19)" in lines
    assert "  difference −0,1  (tolerance 0,1)" in lines
    assert "  difference   0,5  (tolerance 0,15)" in lines
    assert any(line.startswith("  haninge-ks-arsredovisning-2024.pdf: checked — ") for line in lines)


def test_on_a_terminal_the_shell_prompts_and_keeps_its_history(sample_warehouse, tmp_path):
    """The one subprocess of this module: only a real terminal shows the prompt and readline."""
    pty = pytest.importorskip("pty")
    import os
    import select
    import subprocess
    import sys
    import time

    pytest.importorskip("readline")
    main, child = pty.openpty()
    env = {**os.environ, "ARW_STATE_DIR": str(tmp_path / "state"), "COLUMNS": "80", "TERM": "dumb"}
    process = subprocess.Popen([sys.executable, "-m", "flows.cli", "query", "-w", str(sample_warehouse)],
                               stdin=child, stdout=child, stderr=child, env=env, close_fds=True,
                               cwd=Path(cli.__file__).resolve().parent.parent)
    os.close(child)
    seen = ""

    def expect(text: str, timeout: float = 60) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while text not in seen:
            assert time.monotonic() < deadline, f"no {text!r} in {seen!r}"
            if select.select([main], [], [], 0.2)[0]:
                try:
                    seen += os.read(main, 65536).decode(errors="replace")
                except OSError:  # the child closed the terminal
                    break
        seen = seen[seen.index(text) + len(text):]

    try:
        expect("arw> ")
        os.write(main, b"select 6 *\n")
        expect("...> ")
        os.write(main, b"7 as answer;\n")
        expect("42")
        expect("arw> ")
        os.write(main, b"\x04")  # Ctrl-D
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    assert (tmp_path / "state" / "query_history").read_text().splitlines() == ["select 6 * 7 as answer;"]


def test_reports_shows_one_block_per_report_within_80_columns(sample_warehouse):
    result = arw("reports", "-w", str(sample_warehouse))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1 report(s)" and max(len(line) for line in lines) <= 80
    text = " ".join(result.output.split())
    assert "Haninge kommun · Kommunstyrelsen · årsredovisning · 2024 — version 1 of 1, checked" in text
    assert "40 pages, 451 figures, 3 findings" in text and "haninge-ks-arsredovisning-2024.pdf" in text


def test_a_query_is_stopped_at_its_time_limit_so_that_writers_do_not_wait_forever(sample_warehouse):
    started = time.monotonic()
    result = arw("query", "select count(*) from range(100000000000)", "-w", str(sample_warehouse), "--timeout", "1")
    assert result.exit_code == 1 and time.monotonic() - started < 15
    assert "the query was stopped after 1 s: give it more time with --timeout SECONDS (0: no limit)" in \
        " ".join(result.output.split())
    assert arw("query", "select 42 as answer", "-w", str(sample_warehouse), "--timeout", "0").exit_code == 0


def test_a_process_writes_all_of_its_output_and_keeps_its_exit_code(sample_warehouse: Path) -> None:
    """`arw` ends its process without the interpreter's finalization (flows.cli.main): all it
    printed must still be out, and its exit code kept."""
    from cli_harness import arw_process

    listed = arw_process("query", "select range as n from range(200000)", "--format", "csv",
                         "--warehouse", str(sample_warehouse))
    lines = listed.stdout.splitlines()
    assert listed.returncode == 0 and lines[0] == "n" and len(lines) == 200001 and lines[-1] == "199999"
    failed = arw_process("query", "select * from no_such_table", "--warehouse", str(sample_warehouse))
    assert failed.returncode == 1 and "Table with name no_such_table does not exist" in failed.stderr
