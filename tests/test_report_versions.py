"""Versions of one report: a draft, then a correction. The warehouse keeps both; the marts show
the current one; `report_changes` lists every printed figure that changed and whether each
inconsistency of the draft was fixed, is still there, or is new."""
import json
from pathlib import Path

import pytest

import templates as tp
from typer.testing import CliRunner

from extract.report import extract_report
from flows.cli import app
from warehouse.review import write_review
from warehouse_harness import build_warehouse, copy_warehouse, query

pytestmark = pytest.mark.slow

DRIFT = "Driftredovisning per verksamhet"
# three printing errors in Granvik's Driftredovisning: (table, row, column, wrong value)
A = ("drift", "Gata och trafik", "Differens", -1806)  # right: -1 906; breaks the row and the column's Summa
B = ("drift", "Park och natur", "Bokslut 2024", -18545)  # right: -18 455; breaks the Summa of Bokslut 2024
C = ("drift", "Lokalvård", "Budget 2025", -3300)  # right: -3 200; breaks the row and the Summa of Budget 2025


def with_errors(*errors) -> tp.Template:
    template = tp.build("granvik-tn-arsredovisning-2025")
    for table, row, column, value in errors:
        template = tp.with_figure(template, table, row, column, value)
    return template


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, str, str]:
    """The draft (errors A and B) ingested first, then the correction (A fixed, B kept, C new)."""
    root = tmp_path_factory.mktemp("versions")
    draft = tp.render(with_errors(A, B), root / "draft").path
    correction = tp.render(with_errors(B, C), root / "correction").path
    reports = [extract_report(draft, require_report=False), extract_report(correction, require_report=False)]
    warehouse = root / "arw.duckdb"
    build_warehouse(warehouse, reports)
    return warehouse, reports[0].report["report_id"], reports[1].report["report_id"]


def test_both_versions_are_kept_and_the_newest_is_current(versions):
    warehouse, draft, correction = versions
    rows = query(warehouse, "select report_id, version, versions, is_current, previous_report_id, superseded_by "
                            "from dim_report_versions order by version")
    assert rows == [(draft, 1, 2, False, None, correction), (correction, 2, 2, True, draft, None)]
    assert query(warehouse, "select report_id from dim_reports") == [(correction,)]
    assert query(warehouse, "select distinct report_id from fct_table_cells") == [(correction,)]
    assert query(warehouse, "select distinct report_id from inconsistencies") == [(correction,)]


def test_every_changed_figure_is_listed_with_both_printings(versions):
    warehouse, draft, correction = versions
    rows = query(warehouse, "select report_id, previous_report_id, status, table_name, row_path, column_path, "
                            "old_printed, new_printed, old_value, new_value, old_page = new_page "
                            "from report_changes where change = 'figure' order by row_path")
    assert rows == [
        (correction, draft, "changed", DRIFT, "Gata och trafik", "Differens", "- 1 806", "- 1 906", -1806.0, -1906.0,
         True),
        (correction, draft, "changed", DRIFT, "Lokalvård", "Budget 2025", "-3 200", "-3 300", -3200.0, -3300.0, True),
    ]


def test_each_inconsistency_is_fixed_still_there_or_new(versions):
    warehouse, _, correction = versions
    rows = query(warehouse, "select rule_id, check_key, status from report_changes "
                            "where change = 'finding' and report_id = ? order by status, check_key", [correction])
    assert rows == [
        ("row_deviation", f"{DRIFT} · Gata och trafik · 2025", "fixed"),
        ("footing", f"{DRIFT} · Summa · Differens", "fixed"),
        ("row_deviation", f"{DRIFT} · Lokalvård · 2025", "new"),
        ("footing", f"{DRIFT} · Summa · Budget 2025", "new"),
        ("footing", f"{DRIFT} · Summa · Bokslut 2024", "still there"),
    ]
    current = query(warehouse, "select rule_id, check_key, left_value, right_value from inconsistencies "
                               "order by check_key")
    assert current == [("row_deviation", f"{DRIFT} · Lokalvård · 2025", 312.0, 212.0),
                       ("footing", f"{DRIFT} · Summa · Bokslut 2024", -112367.0, -112277.0),
                       ("footing", f"{DRIFT} · Summa · Budget 2025", -116700.0, -116600.0)]


def test_arw_changes_and_the_review_page_show_them(versions, tmp_path):
    warehouse, draft, _ = versions
    runner = CliRunner()
    listed = runner.invoke(app, ["changes", draft[:10], "--warehouse", str(warehouse), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["change"], r["status"], r["from_version"], r["to_version"]) for r in rows].count(
        ("figure", "changed", 1, 2)) == 2 and len(rows) == 7
    unknown = runner.invoke(app, ["changes", "no-such-report", "--warehouse", str(warehouse)])
    assert unknown.exit_code == 1 and "no report in" in unknown.output
    page = write_review(warehouse, tmp_path).read_text(encoding="utf-8")
    assert "Changes since version 1 (granvik-tn-arsredovisning-2025.pdf): 7" in page
    assert "- 1 806 → - 1 906" in page and "finding fixed" in page and "finding still there" in page


def test_arw_reports_lists_every_version_and_remove_makes_the_draft_current_again(versions, tmp_path):
    warehouse = copy_warehouse(versions[0], tmp_path / "arw.duckdb")
    _, draft, correction = versions
    runner = CliRunner()
    listed = runner.invoke(app, ["reports", "--warehouse", str(warehouse), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = [(r["report_id"], r["version"], r["versions"], r["is_current"], r["findings"], r["status"])
            for r in json.loads(listed.stdout)]
    assert rows == [(draft, 1, 2, False, None, "superseded"), (correction, 2, 2, True, 3, "checked")]
    ambiguous = runner.invoke(app, ["remove", "granvik-tn-arsredovisning-2025.pdf", "--warehouse", str(warehouse)])
    assert ambiguous.exit_code == 1 and "names 2 reports" in ambiguous.output
    removed = runner.invoke(app, ["remove", correction[:16], "--warehouse", str(warehouse)])
    assert removed.exit_code == 0, removed.output
    assert f"The earlier version {draft[:12]}… is current again" in removed.output
    assert query(warehouse, "select report_id from dim_reports") == [(draft,)]
    assert query(warehouse, "select count(*) from raw.raw_cells where report_id = ?", [correction]) == [(0,)]
    assert query(warehouse, "select count(*) from report_changes") == [(0,)]
    assert sorted(r[0] for r in query(warehouse, "select check_key from inconsistencies")) == [
        f"{DRIFT} · Gata och trafik · 2025", f"{DRIFT} · Summa · Bokslut 2024", f"{DRIFT} · Summa · Differens"]
