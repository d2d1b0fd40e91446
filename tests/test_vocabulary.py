"""The vocabulary is data: a report in wording arw has never seen maps once seed rows say so.

A generated report names its statement "Pengaflöde" and its columns "Verkligt / Planerat /
Skillnad". With the shipped seeds its figures reach fct_table_cells but no statement; after
adding four rows to a copy of the seeds (what README's worked example tells a user to do) the
same PDF yields fct_budget rows with the right statement, measures, years and unit. No code
changes in between.
"""
from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import pdf_factory as pf
from typer.testing import CliRunner

from extract.report import extract_report
from extract.vocabulary import table_rules, unit_in
from flows.cli import app
from flows.dbt_build import DBT_PROJECT_DIR, build
from schemas.validate import validate_report
from warehouse.review import write_review
from warehouse.runs import RunRecord, record_runs
from warehouse.store import load_report

pytestmark = pytest.mark.slow

ROWS = [["Avgifter", "1 204", "1 150", "54"], ["Bidrag", "310", "330", "-20"],
        ["Personal", "-2 950", "-2 900", "-50"], ["Summa pengaflöde", "-1 436", "-1 420", "-16"]]
NEW_ROWS = {
    "vocab_tables.csv": [{"family": "operating_summary", "dataset": "budget", "caption": "^pengaflöde",
                          "header": "", "first_header": "", "labels": "", "priority": "20",
                          "description": "Provby's name for its Driftredovisning"}],
    "vocab_measures.csv": [
        {"measure": "outcome", "applies_to": "column", "statements": "*", "pattern": "verkligt",
         "priority": "40", "description": "Provby: Verkligt = Utfall"},
        {"measure": "budget", "applies_to": "column", "statements": "*", "pattern": "planerat",
         "priority": "40", "description": "Provby: Planerat = Budget"},
        {"measure": "deviation", "applies_to": "column", "statements": "*", "pattern": "skillnad",
         "priority": "30", "description": "Provby: Skillnad = Avvikelse"},
    ],
}


def invented_report(directory: Path) -> Path:
    report = pf.Report(municipality="Provby kommun", fiscal_year=2025, body="Kulturnämnden", elements=[
        pf.Heading("Ekonomiskt utfall", 1),
        pf.Paragraph("Nämnden redovisar sitt pengaflöde för året. Belopp i tkr."),
        pf.Heading("Pengaflöde", 2),
        pf.Table(header_rows=[["Post", "Verkligt 2025", "Planerat 2025", "Skillnad"]], rows=ROWS,
                 bold_rows={3}),
    ])
    return pf.render(report, pf.STYLES["sample_like"], directory / "provby-kultur-2025.pdf").path


def ingest(pdf: Path, warehouse: Path) -> None:
    load_report(warehouse, validate_report(extract_report(pdf)))
    build(warehouse)


def teach(seeds: Path) -> None:
    for name, rows in NEW_ROWS.items():
        with (seeds / name).open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writerows(rows)


def budget_rows(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select statement, line_item, measure, fiscal_year, amount, unit, is_total "
                           "from fct_budget order by line_order, measure").fetchall()


def test_unknown_wording_maps_after_seed_rows_are_added(tmp_path, monkeypatch):
    pdf = invented_report(tmp_path)
    before = tmp_path / "before.duckdb"
    ingest(pdf, before)
    assert budget_rows(before) == []
    with duckdb.connect(str(before), read_only=True) as con:
        cells = con.execute("select statement, row_label, column_path, value, unit from fct_table_cells "
                            "where row_label = 'Bidrag' order by column_index").fetchall()
    # the report's "Belopp i tkr" speaks of its statements; an unrecognised table has no unit yet
    assert cells == [(None, "Bidrag", "Verkligt 2025", 310.0, None), (None, "Bidrag", "Planerat 2025", 330.0, None),
                     (None, "Bidrag", "Skillnad", -20.0, None)]
    assert_not_checked_until_taught(before)

    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    teach(project / "seeds")
    monkeypatch.setenv("ARW_VOCABULARY_DIR", str(project / "seeds"))
    monkeypatch.setenv("ARW_DBT_PROJECT_DIR", str(project))
    after = tmp_path / "after.duckdb"
    ingest(pdf, after)
    rows = budget_rows(after)
    assert ("operating_summary", "Bidrag", "budget", 2025, 330.0, "tkr", False) in rows
    assert ("operating_summary", "Bidrag", "deviation", 2025, -20.0, "tkr", False) in rows
    assert ("operating_summary", "Summa pengaflöde", "outcome", 2025, -1436.0, "tkr", True) in rows
    assert len(rows) == 12
    assert coverage(after) == [("provby-kultur-2025.pdf", 1, 1, "checked", None)]


def coverage(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select file_name, tables_found, tables_recognised, status, reason from fct_coverage "
                           "order by file_name").fetchall()


def assert_not_checked_until_taught(warehouse: Path) -> None:
    """A report none of whose tables arw recognises is "not checked", never "no inconsistencies";
    `arw check --fail-on error` fails on it unless --allow-unchecked, and an input that could not
    be read at all is listed as not checked too."""
    [(name, found, recognised, status, reason)] = coverage(warehouse)
    assert (name, found, recognised, status) == ("provby-kultur-2025.pdf", 1, 0, "not checked")
    assert reason.startswith("no table recognised: arw does not know its words yet")
    record_runs(warehouse, [RunRecord("run-1", "/inbox/broken.pdf", "failed", datetime(2026, 1, 1), 0.1,
                                      message="not a PDF: the file starts with '<html>'")])
    runner = CliRunner()
    shown = runner.invoke(app, ["check", "--warehouse", str(warehouse)], terminal_width=200)
    assert shown.exit_code == 0 and "0 inconsistencies in 0 checked report(s)" in shown.output
    assert "not checked" in shown.output and "could not be read: not a PDF" in shown.output
    failing = runner.invoke(app, ["check", "--warehouse", str(warehouse), "--fail-on", "error", "--format", "json"])
    assert failing.exit_code == 1 and json.loads(failing.stdout) == []
    assert "not checked: provby-kultur-2025.pdf: no table recognised" in failing.stderr
    allowed = runner.invoke(app, ["check", "--warehouse", str(warehouse), "--fail-on", "error", "--allow-unchecked"])
    assert allowed.exit_code == 0
    page = write_review(warehouse, warehouse.parent / "review").read_text(encoding="utf-8")
    assert "0 finding(s) in 0 checked report(s), 2 not checked" in page and "No inconsistencies" not in page
    assert "Not checked: no table recognised" in page and "Not checked: could not be read: not a PDF" in page


def test_vocabulary_files_are_what_both_sides_read():
    """The extractor's table rules and unit words come from the shipped seeds."""
    families = {rule.family for rule in table_rules()}
    assert {"income_statement", "balance_sheet", "board_summary", "suppliers"} <= families
    assert unit_in("Belopp i tkr") == "tkr" and unit_in("Investeringar (mnkr)") == "mnkr"
    assert unit_in("Miljoner kronor") == "mnkr" and unit_in("Bidrag, tkr") == "tkr"
    assert unit_in("Om inte annat anges redovisas alla belopp i tusental kronor (TSEK)", "report") == "tkr"
    assert unit_in("Avvikelse") is None
