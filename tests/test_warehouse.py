"""The warehouse stores one copy per report, loads atomically and explains open failures."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from extract.frames import FRAME_COLUMNS, ExtractedReport
from schemas import ValidatedReport, validate_report
from warehouse import (
    RAW_TABLES,
    NotAWarehouseError,
    WarehouseError,
    WarehouseLockedError,
    connect,
    ensure_schema,
    load_report,
    report_exists,
    store,
)

ROOT = Path(__file__).resolve().parents[1]
RID = "3f" * 32
RID_2 = "c4" * 32

EXPECTED_TYPES = {
    "raw_reports": "report_id VARCHAR, file_name VARCHAR, source VARCHAR, municipality VARCHAR, body VARCHAR, "
                   "report_type VARCHAR, fiscal_year INTEGER, page_count INTEGER, ingested_at TIMESTAMP, "
                   "organisation VARCHAR, organisation_number VARCHAR, administration VARCHAR, superseded_by VARCHAR",
    "raw_tables": "report_id VARCHAR, table_id INTEGER, family VARCHAR, page INTEGER, row_index INTEGER, "
                  "col_index INTEGER, is_header BOOLEAN, text VARCHAR, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE",
    "raw_cells": "report_id VARCHAR, table_id INTEGER, family VARCHAR, page INTEGER, chapter VARCHAR, "
                 "heading VARCHAR, goal_area VARCHAR, caption VARCHAR, header_text VARCHAR, first_header VARCHAR, "
                 "row_index INTEGER, row_label VARCHAR, row_path VARCHAR, row_depth INTEGER, row_bold BOOLEAN, "
                 "col_index INTEGER, column_header VARCHAR, column_path VARCHAR, period VARCHAR, period_year INTEGER, group_period_year INTEGER, "
                 "printed VARCHAR, value DOUBLE, decimals INTEGER, value_status VARCHAR, note VARCHAR, "
                 "unit VARCHAR, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE",
    "raw_goals": "report_id VARCHAR, goal_area VARCHAR, goal_id VARCHAR, title VARCHAR, assessment VARCHAR, "
                 "page INTEGER, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE",
    "raw_text_figures": "report_id VARCHAR, page INTEGER, sentence VARCHAR, figure_index INTEGER, value DOUBLE, "
                        "decimals INTEGER, unit VARCHAR, text VARCHAR, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE",
    "quarantine": "report_id VARCHAR, frame VARCHAR, row_number INTEGER, record VARCHAR, reason VARCHAR, "
                  "quarantined_at TIMESTAMP",
}


def extracted_report(report_id: str = RID) -> ExtractedReport:
    """A few real rows of Haninge KS 2024 (plus one bad cell, in an unknown unit, for the quarantine);
    the supplier list is value cells like every table (dbt builds fct_suppliers from them)."""
    cells = pd.DataFrame([
        (1, "Intäkter", True, 1, "Utfall", None, None, "1 234,1", 1234.1, "mnkr", 217.4, 243.0),
        (1, "Intäkter", True, 4, "% avv.", None, None, "0,2%", 0.2, "percent", 358.5, 375.5),
        (3, "Nettoresultat", True, 1, "Utfall", None, None, "-379,8", -379.8, "mnkr", 221.0, 243.0),
        (3, "Nettoresultat", True, 5, "Helår 2023 * Utfall 2023", "2023", 2023, "-373,7", -373.7, "xyz",
         401.2, 423.2),
    ], columns=["row_index", "row_label", "row_bold", "col_index", "column_header", "period", "period_year",
                "printed", "value", "unit", "x0", "x1"]).assign(
        report_id=report_id, table_id=4, family="operating_summary", page=12, caption="Driftredovisning",
        header_text="Nämnd, mnkr Utfall Helår 2024 Budget Avvikelse % avv. Helår 2023 Utfall 2023 Förändring %",
        first_header="Nämnd, mnkr", row_depth=0, decimals=1, value_status="reported", top=394.6, bottom=403.1)
    # Södertörns Brandförsvarsförbund's investment cell is blank: no value cell at all
    suppliers = pd.DataFrame([
        (1, "Tornbergets Fastighetsförvaltning AB", 1, "Inv. projekt tkr", "11 130", 11130.0, 302.0, 330.0),
        (1, "Tornbergets Fastighetsförvaltning AB", 2, "Drift tkr", "650 174", 650174.0, 380.0, 412.0),
        (1, "Tornbergets Fastighetsförvaltning AB", 3, "Totalt tkr", "661 304", 661304.0, 460.0, 492.0),
        (2, "Södertörns Brandförsvarsförbund", 2, "Drift tkr", "58 350", 58350.0, 385.0, 412.0),
        (2, "Södertörns Brandförsvarsförbund", 3, "Totalt tkr", "58 350", 58350.0, 465.0, 492.0),
    ], columns=["row_index", "row_label", "col_index", "column_header", "printed", "value", "x0", "x1"]).assign(
        report_id=report_id, table_id=20, family="suppliers", page=40, chapter="Bilaga 1: Större avrop/inköp",
        heading="Bilaga 1: Större avrop/inköp", caption="Bilaga 1: Större avrop/inköp",
        header_text="Leverantör Inv. projekt tkr Drift tkr Totalt tkr", first_header="Leverantör", row_depth=0,
        row_bold=False, decimals=0, value_status="reported", unit="tkr", top=120.0, bottom=129.0)
    cells = pd.concat([cells, suppliers], ignore_index=True)
    cells["row_path"], cells["column_path"] = cells["row_label"], cells["column_header"]
    tables = pd.DataFrame({
        "row_index": [0, 0, 1, 1], "col_index": [0, 1, 0, 1], "is_header": [True, True, False, False],
        "text": ["mnkr", "Utfall 2024", "Intäkter", "1 234,1"],
        "x0": [50.0, 200.0, 50.0, 200.0], "top": [100.0, 100.0, 112.0, 112.0],
        "x1": [190.0, 260.0, 190.0, 260.0], "bottom": [110.0, 110.0, 122.0, 122.0],
    }).assign(report_id=report_id, table_id=4, family="operating_summary", page=12)
    goals = pd.DataFrame({"goal_area": ["Målinriktat miljöarbete"], "goal_id": ["6.1"],
                          "title": ["Kommunstyrelsen samordnar kommunens miljöarbete för en tydlig styrning."],
                          "assessment": ["high"]}).assign(report_id=report_id, page=9)
    sentence = "Utfallet var 36,9 mnkr, vilket är i linje med budget."
    text_figures = pd.DataFrame({"sentence": [sentence], "figure_index": [1], "value": [36.9], "decimals": [1],
                                 "unit": ["mnkr"], "text": ["36,9 mnkr"], "x0": [457.2], "top": [548.5],
                                 "x1": [476.1], "bottom": [559.5]}).assign(report_id=report_id, page=24)
    frames = {"cells": cells, "tables": tables, "goals": goals, "text_figures": text_figures}
    # another report id is another municipality's report: the same identity would replace it
    municipality = "Haninge" if report_id == RID else f"Kommun {report_id[:6]}"
    report = dict(report_id=report_id, file_name="haninge-ks-arsredovisning-2024.pdf", source="sample",
                  municipality=municipality, body="Kommunstyrelsen", report_type="arsredovisning",
                  fiscal_year=2024, page_count=44, administration="Kommunstyrelseförvaltningen")
    return ExtractedReport(report, {name: frame.reindex(columns=FRAME_COLUMNS[name]) for name, frame in frames.items()})


@pytest.fixture
def validated() -> ValidatedReport:
    return validate_report(extracted_report())


def counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0] for table in RAW_TABLES}


def test_schema_has_exact_columns_and_types(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb", read_only=False) as con:
        ensure_schema(con)
        ensure_schema(con)  # idempotent
        for table, expected in EXPECTED_TYPES.items():
            described = con.execute(f"DESCRIBE raw.{table}").fetchall()
            assert ", ".join(f"{name} {sql_type}" for name, sql_type, *_ in described) == expected
        key = con.execute("SELECT constraint_type FROM duckdb_constraints() "
                          "WHERE table_name = 'raw_reports' AND constraint_type = 'PRIMARY KEY'").fetchall()
        assert key == [("PRIMARY KEY",)]
    # no raw_indicators, raw_suppliers, raw_procurements, raw_internal_controls: dbt builds them from raw.raw_cells
    assert set(RAW_TABLES) == set(EXPECTED_TYPES)
    for name, columns in FRAME_COLUMNS.items():
        assert [column for column, _ in RAW_TABLES[f"raw_{name}"]] == columns


def test_an_older_warehouse_gains_the_administration_column(tmp_path: Path, validated: ValidatedReport) -> None:
    """A warehouse made before raw_reports had organisation, organisation_number and administration
    (and before the raw tables had their own schema) gains them, last and in order, with its rows
    moved from `main` to `raw`; a raw_indicators table such a warehouse still holds is no longer
    arw's (dbt builds fct_indicators from raw.raw_cells) and never blocks a load."""
    path = tmp_path / "old.duckdb"
    older = EXPECTED_TYPES["raw_reports"].split(", organisation VARCHAR")[0]
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE TABLE main.raw_reports ({older.replace('report_id VARCHAR', 'report_id VARCHAR PRIMARY KEY')})")
        con.execute("CREATE TABLE main.raw_indicators (report_id VARCHAR, indicator VARCHAR, year INTEGER)")
        con.execute("INSERT INTO main.raw_reports (report_id, file_name) VALUES (?, 'older.pdf')", ["e" * 64])
    load_report(path, validated)
    with duckdb.connect(str(path), read_only=True) as con:
        described = con.execute("DESCRIBE raw.raw_reports").fetchall()
        assert ", ".join(f"{name} {sql_type}" for name, sql_type, *_ in described) == EXPECTED_TYPES["raw_reports"]
        assert con.execute("SELECT file_name, administration FROM raw.raw_reports ORDER BY 1").fetchall() == [
            ("haninge-ks-arsredovisning-2024.pdf", "Kommunstyrelseförvaltningen"), ("older.pdf", None)]
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                           "AND table_name = 'raw_reports'").fetchone() == (0,)
    assert "raw_indicators" not in RAW_TABLES and counts(path)["raw_cells"] == 8


def test_load_report_stores_rows_and_values(tmp_path: Path, validated: ValidatedReport) -> None:
    path = tmp_path / "nested" / "warehouse.duckdb"
    result = load_report(path, validated)
    assert result.report_id == RID and result.quarantined == 1
    assert result.rows["raw_reports"] == 1 and result.rows["raw_cells"] == 8
    assert counts(path) == {
        "raw_reports": 1, "raw_tables": 4, "raw_cells": 8, "raw_goals": 1,
        "raw_text_figures": 1, "quarantine": 1}
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT municipality, fiscal_year, page_count, ingested_at IS NOT NULL, administration "
                           "FROM raw.raw_reports").fetchall() == [("Haninge", 2024, 44, True, "Kommunstyrelseförvaltningen")]
        assert con.execute("SELECT row_label, col_index, printed, value, decimals, row_bold, unit, period_year "
                           "FROM raw.raw_cells WHERE table_id = 4 ORDER BY row_index, col_index").fetchall() == [
            ("Intäkter", 1, "1 234,1", 1234.1, 1, True, "mnkr", None),
            ("Intäkter", 4, "0,2%", 0.2, 1, True, "percent", None),
            ("Nettoresultat", 1, "-379,8", -379.8, 1, True, "mnkr", None)]
        assert con.execute("SELECT DISTINCT family, chapter, heading, caption, first_header, page, "
                           "x0 < x1 AND top < bottom FROM raw.raw_cells ORDER BY family").fetchall() == [
            ("operating_summary", None, None, "Driftredovisning", "Nämnd, mnkr", 12, True),
            ("suppliers", "Bilaga 1: Större avrop/inköp", "Bilaga 1: Större avrop/inköp",
             "Bilaga 1: Större avrop/inköp", "Leverantör", 40, True)]
        assert con.execute("SELECT row_label, col_index, column_header, printed, value, decimals, unit "
                           "FROM raw.raw_cells WHERE family = 'suppliers' ORDER BY row_index, col_index").fetchall() == [
            ("Tornbergets Fastighetsförvaltning AB", 1, "Inv. projekt tkr", "11 130", 11130.0, 0, "tkr"),
            ("Tornbergets Fastighetsförvaltning AB", 2, "Drift tkr", "650 174", 650174.0, 0, "tkr"),
            ("Tornbergets Fastighetsförvaltning AB", 3, "Totalt tkr", "661 304", 661304.0, 0, "tkr"),
            ("Södertörns Brandförsvarsförbund", 2, "Drift tkr", "58 350", 58350.0, 0, "tkr"),
            ("Södertörns Brandförsvarsförbund", 3, "Totalt tkr", "58 350", 58350.0, 0, "tkr")]
        assert con.execute("SELECT page, figure_index, value, decimals, unit, text FROM raw.raw_text_figures"
                           ).fetchall() == [(24, 1, 36.9, 1, "mnkr", "36,9 mnkr")]
        frame, row_number, reason, stamped = con.execute(
            "SELECT frame, row_number, reason, quarantined_at IS NOT NULL FROM raw.quarantine").fetchone()
        assert (frame, row_number, stamped) == ("cells", 3, True)
        assert "column 'unit' failed isin(" in reason and "'xyz'" in reason
    assert report_exists(path, RID) and not report_exists(path, RID_2)


def test_reload_replaces_instead_of_duplicating(tmp_path: Path, validated: ValidatedReport) -> None:
    path = tmp_path / "w.duckdb"
    load_report(path, validated)
    load_report(path, validated)
    assert counts(path)["raw_cells"] == 8 and counts(path)["raw_reports"] == 1
    assert counts(path)["quarantine"] == 1
    load_report(path, validate_report(extracted_report(RID_2)))
    smaller = validate_report(extracted_report())
    smaller.frames["cells"] = smaller.frames["cells"].iloc[:1]
    load_report(path, smaller)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT report_id, count(*) FROM raw.raw_cells GROUP BY 1 ORDER BY 1").fetchall() == [
            (RID, 1), (RID_2, 8)]


def test_failed_load_leaves_previous_state(tmp_path: Path, validated: ValidatedReport,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.duckdb"
    load_report(path, validated)
    before = counts(path)
    with duckdb.connect(str(path), read_only=True) as con:
        stamp = con.execute("SELECT ingested_at FROM raw.raw_reports").fetchone()

    broken = validate_report(extracted_report())
    broken.frames["cells"] = broken.frames["cells"].astype({"value": object})
    suppliers = broken.frames["cells"]["family"] == "suppliers"
    broken.frames["cells"].loc[suppliers, "value"] = "sextiotusen"  # fails CAST(... AS DOUBLE)
    with pytest.raises(WarehouseError, match="nothing was changed"):
        load_report(path, broken)
    assert counts(path) == before

    real_insert = store._insert_frame

    def fail_on_last(con, table, frame, extra=None):  # the last frame: everything else is in
        if table == "raw_text_figures":
            raise RuntimeError("disk full")
        real_insert(con, table, frame, extra)

    monkeypatch.setattr(store, "_insert_frame", fail_on_last)
    with pytest.raises(WarehouseError, match="disk full"):
        load_report(path, validate_report(extracted_report()))
    assert counts(path) == before
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT ingested_at FROM raw.raw_reports").fetchone() == stamp


def test_non_duckdb_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("these are my notes, not a database\n" * 50)
    for read_only in (False, True):
        with pytest.raises(NotAWarehouseError, match="is not a DuckDB database: choose another --warehouse"):
            connect(path, read_only=read_only)
    assert path.read_text().startswith("these are my notes")
    assert not report_exists(tmp_path / "missing.duckdb", RID)


def test_read_only_on_missing_file_says_ingest_first(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="arw ingest"):
        connect(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    """Another process that opens the warehouse read-write and keeps it open."""
    code = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); " \
           "time.sleep(float(sys.argv[2]))"
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_locked_warehouse_fails_fast_or_waits(tmp_path: Path, validated: ValidatedReport) -> None:
    path = tmp_path / "w.duckdb"
    load_report(path, validated)

    holder = hold_lock(path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError, match=rf"is locked by process {holder.pid}, which has it open "
                                                       r"\(a reader such as `arw query`") as info:
            connect(path, read_only=False, wait_seconds=0)
        assert str(path) in str(info.value) and time.monotonic() - started < 2
        told = []
        with pytest.raises(WarehouseLockedError, match=rf"by process {holder.pid}, which is writing to it .*"
                                                       r"\(waited 0 s\)"):
            connect(path, read_only=True, wait_seconds=0.3, on_wait=told.append)
        assert told == [f"waiting up to 0 s for process {holder.pid}, which is writing to it (`arw ingest`, "
                        f"`arw build`, or a read-write client) to close w.duckdb …"]
    finally:
        holder.kill()
        holder.wait()

    holder = hold_lock(path, 1.5)
    try:
        started = time.monotonic()
        with connect(path, read_only=False, wait_seconds=30) as con:
            assert con.execute("SELECT count(*) FROM raw.raw_reports").fetchone() == (1,)
        assert time.monotonic() - started > 0.5  # it really waited for the holder to exit
    finally:
        holder.wait()


def test_two_concurrent_loads_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, sys.argv[3])
        from tests.test_warehouse import extracted_report
        from schemas import validate_report
        from warehouse import load_report
        for _ in range(5):
            load_report(sys.argv[1], validate_report(extracted_report(sys.argv[2])))
    """)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), rid, str(ROOT)], cwd=ROOT, env=env,
                              stderr=subprocess.PIPE, text=True) for rid in (RID, RID_2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert counts(path)["raw_reports"] == 2 and counts(path)["raw_cells"] == 16


def test_a_new_version_of_the_same_report_supersedes_the_old_one_which_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    old = validate_report(extracted_report())
    load_report(path, old)
    newer = validate_report(extracted_report())
    newer.report["report_id"] = "ab" * 32
    for frame in [*newer.frames.values(), newer.quarantine]:
        if "report_id" in frame:
            frame["report_id"] = "ab" * 32
    result = load_report(path, newer)
    assert result.replaced == [RID]
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT report_id, superseded_by FROM raw.raw_reports ORDER BY ingested_at").fetchall() == [
            (RID, "ab" * 32), ("ab" * 32, None)]
        assert con.execute("SELECT count(*) FROM raw.raw_cells WHERE report_id = ?", [RID]).fetchone() == (8,)
    assert load_report(path, newer).replaced == []  # the same file again supersedes nothing