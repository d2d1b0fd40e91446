"""dbt project end to end: raw_* tables in a fresh DuckDB file -> `build()` -> marts and tests."""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.dbt_build import DBT_PROJECT_DIR, DbtBuildError, DbtBuildResult, build

REPORT_ID = hashlib.sha256(b"haninge-ks-arsredovisning-2024.pdf").hexdigest()
INGESTED_AT = datetime(2025, 3, 14, 9, 30)

# The loader's contract: exact column types of the source tables.
SOURCE_DDL = {
    "raw_reports": "report_id VARCHAR, file_name VARCHAR, source VARCHAR, municipality VARCHAR, "
    "body VARCHAR, report_type VARCHAR, fiscal_year INTEGER, page_count INTEGER, ingested_at TIMESTAMP",
    "raw_tables": "report_id VARCHAR, table_id INTEGER, family VARCHAR, page INTEGER, row_index INTEGER, "
    "col_index INTEGER, is_header BOOLEAN, text VARCHAR, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE",
    "raw_budget": "report_id VARCHAR, table_id INTEGER, statement VARCHAR, line_item VARCHAR, "
    "line_order INTEGER, is_total BOOLEAN, measure VARCHAR, fiscal_year INTEGER, amount DOUBLE, "
    "decimals INTEGER, unit VARCHAR, page INTEGER",
    "raw_indicators": "report_id VARCHAR, table_id INTEGER, goal_area VARCHAR, level VARCHAR, entity VARCHAR, "
    "indicator VARCHAR, year INTEGER, value DOUBLE, decimals INTEGER, value_status VARCHAR, "
    "is_target BOOLEAN, unit VARCHAR, page INTEGER",
    "raw_suppliers": "report_id VARCHAR, table_id INTEGER, supplier VARCHAR, investment_tkr DOUBLE, "
    "operating_tkr DOUBLE, total_tkr DOUBLE, page INTEGER",
    "raw_procurements": "report_id VARCHAR, table_id INTEGER, description VARCHAR, "
    "contract_value_mnkr DOUBLE, decimals INTEGER, page INTEGER",
    "raw_goals": "report_id VARCHAR, goal_area VARCHAR, goal_id VARCHAR, title VARCHAR, "
    "assessment VARCHAR, page INTEGER",
    "raw_internal_controls": "report_id VARCHAR, table_id INTEGER, risk VARCHAR, control VARCHAR, "
    "frequency VARCHAR, result VARCHAR, page INTEGER",
    "raw_text_figures": "report_id VARCHAR, page INTEGER, sentence VARCHAR, figure_index INTEGER, "
    "value DOUBLE, decimals INTEGER, unit VARCHAR, text VARCHAR, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE",
    "quarantine": "report_id VARCHAR, frame VARCHAR, row_number INTEGER, record VARCHAR, reason VARCHAR, "
    "quarantined_at TIMESTAMP",
}

LOCATED = {"raw_budget", "raw_indicators", "raw_suppliers", "raw_procurements", "raw_goals", "raw_internal_controls"}
R = REPORT_ID
TAXOR = "Taxor och avgifter"
SKADEGORELSE = "Anmälda brott om skadegörelse per 1000 invånare"
INVESTED = "139,0 mnkr var kopplade till skattekollektivet och 41,8 mnkr kopplade till VA-kollektivet."
HME = ("Trots ett omfattande omställningsarbete inom förvaltningen har HME-resultaten ökat något från 79,4 "
       "2023 till 79,5 2024, till skillnad från kommunens totala HME-resultat som sjunkit.")
ROWS: dict[str, list[tuple]] = {
    "raw_reports": [
        (R, "haninge-ks-arsredovisning-2024.pdf", "data/samples/haninge-ks-arsredovisning-2024.pdf",
         " Haninge kommun ", "Kommunstyrelsen", "årsredovisning", 2024, 48, INGESTED_AT),
    ],
    "raw_tables": [
        (R, 3, "income_statement", 12, 0, 0, True, "mnkr", 56.7, 88.1, 190.2, 99.4),
        (R, 3, "income_statement", 12, 1, 0, False, "Taxor och avgifter", 56.7, 101.0, 190.2, 112.3),
    ],
    "raw_budget": [
        (R, 3, "income_statement", TAXOR, 1, False, "outcome", 2024, 850.6, 1, "mnkr", 12),
        (R, 3, "income_statement", TAXOR, 1, False, "budget", 2024, 836.5, 1, "mnkr", 12),
        (R, 3, "income_statement", TAXOR, 1, False, "outcome", 2023, 764.0, 1, "mnkr", 12),
        (R, 3, "income_statement", TAXOR, 1, False, "deviation_pct", 2024, 1.7, 1, "percent", 12),
        (R, 1, "budget_adjustments", "Justerad budget 2024", 4, True, "ks_reserve", 2024, 63.9, 1, "mnkr", 9),
    ],
    "raw_indicators": [
        (R, 5, "Trygga invånare", "KF", "Haninge kommun", SKADEGORELSE, 2023, 30.7, 1, "reported", False,
         "per_1000_inhabitants", 4),
        (R, 5, "Trygga invånare", "KF", "Haninge kommun", SKADEGORELSE, 2024, None, None, "pending", False,
         "per_1000_inhabitants", 4),
        (R, 5, "Trygga invånare", "KF", "Haninge kommun", SKADEGORELSE, 2026, 27.0, 1, "reported", True,
         "per_1000_inhabitants", 4),
    ],
    "raw_suppliers": [
        (R, 9, "Tornbergets Fastighetsförvaltning AB", 11130.0, 650174.0, 661304.0, 30),
        (R, 9, "Södertörns Brandförsvarsförbund", None, 58350.0, 58350.0, 30),
    ],
    "raw_procurements": [(R, 10, "Konsultmäklare", 80.0, 0, 31)],
    "raw_goals": [
        (R, "Trygga invånare", "1.1", "Kommunstyrelsens insatser är samordnade för ökad trygghet", "partial", 5),
        (R, "Målinriktat miljöarbete", "6.1", "Kommunstyrelsen samordnar kommunens miljöarbete", "high", 7),
    ],
    "raw_internal_controls": [
        (R, 11, "Otillåten påverkan", "Kontroll av riskbedömning avseende otillåten påverkan.", "Årsbokslut",
         "Kontroll genomförd", 33),
    ],
    "raw_text_figures": [
        (R, 25, INVESTED, 1, 139.0, 1, "mnkr", "139,0 mnkr", 426.3, 570.4, 451.2, 581.4),
        (R, 25, INVESTED, 2, 41.8, 1, "mnkr", "41,8 mnkr", 223.4, 585.8, 243.1, 596.8),
        (R, 27, HME, 1, 79.4, 1, None, "79,4", 503.6, 492.5, 523.1, 503.5),
    ],
    "quarantine": [
        (R, "budget", 17, '{"line_item": "Övrigt", "measure": "prognos"}', "measure not in vocabulary",
         INGESTED_AT),
    ],
}


def make_warehouse(path: Path, rows: dict[str, list[tuple]]) -> Path:
    """Create every source table with the loader's types and insert `rows`."""
    with duckdb.connect(str(path)) as con:
        for table, columns in SOURCE_DDL.items():
            con.execute(f"create table main.{table} ({columns})")
            if rows.get(table):
                marks = ", ".join("?" * len(rows[table][0]))
                con.executemany(f"insert into main.{table} values ({marks})", rows[table])
            if table in LOCATED:  # where each value is printed; these rows do not say
                for column in ("x0", "top", "x1", "bottom"):
                    con.execute(f"alter table main.{table} add column {column} DOUBLE")
    return path


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path)) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DbtBuildResult]:
    warehouse = make_warehouse(tmp_path_factory.mktemp("dbt") / "arw.duckdb", ROWS)
    return warehouse, build(warehouse)


def test_build_passes_every_model_and_test(built: tuple[Path, DbtBuildResult]) -> None:
    _, result = built
    assert result.success and not result.failures
    models = list((DBT_PROJECT_DIR / "models").rglob("*.sql"))  # staging and intermediate views, marts
    assert result.models_passed == len(models) >= 19 and result.models_failed == 0
    assert result.tests_passed > 40 and result.tests_failed == 0
    assert result.tests_warned == 0 and result.skipped == 0


def test_marts_are_tables_in_schema_main(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    tables = query(warehouse, "select table_schema, table_name, table_type from information_schema.tables "
                              "where table_name like 'dim_%' or table_name like 'fct_%' order by table_name")
    assert tables == [("main", name, "BASE TABLE") for name in [
        "dim_reports", "fct_budget", "fct_checks", "fct_goals", "fct_indicators", "fct_internal_controls",
        "fct_procurements", "fct_quarantine", "fct_suppliers", "fct_text_figures"]]


def test_dim_reports(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    assert query(warehouse, "select * from dim_reports") == [
        (R, "haninge-ks-arsredovisning-2024.pdf", "data/samples/haninge-ks-arsredovisning-2024.pdf",
         "Haninge kommun", "Kommunstyrelsen", "årsredovisning", 2024, 48, INGESTED_AT),
    ]


def test_fct_budget(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    rows = query(warehouse, "select * from fct_budget order by statement, line_order, measure, fiscal_year")
    assert rows == [
        (R, "budget_adjustments", "Justerad budget 2024", 4, True, "ks_reserve", 2024, 63.9, 1, "mnkr", 9),
        (R, "income_statement", TAXOR, 1, False, "budget", 2024, 836.5, 1, "mnkr", 12),
        (R, "income_statement", TAXOR, 1, False, "deviation_pct", 2024, 1.7, 1, "percent", 12),
        (R, "income_statement", TAXOR, 1, False, "outcome", 2023, 764.0, 1, "mnkr", 12),
        (R, "income_statement", TAXOR, 1, False, "outcome", 2024, 850.6, 1, "mnkr", 12),
    ]


def test_fct_indicators_keep_pending_rows_without_value(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    rows = query(warehouse, 'select "year", "value", decimals, value_status, is_target from fct_indicators '
                            'order by "year"')
    assert rows == [(2023, 30.7, 1, "reported", False), (2024, None, None, "pending", False),
                    (2026, 27.0, 1, "reported", True)]


def test_small_facts(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    assert query(warehouse, "select supplier, investment_tkr, operating_tkr, total_tkr from fct_suppliers "
                            "order by total_tkr desc") == [
        ("Tornbergets Fastighetsförvaltning AB", 11130.0, 650174.0, 661304.0),
        ("Södertörns Brandförsvarsförbund", None, 58350.0, 58350.0),
    ]
    assert query(warehouse, "select * from fct_procurements") == [(R, "Konsultmäklare", 80.0, 0, 31)]
    assert query(warehouse, "select goal_id, assessment, page from fct_goals order by goal_id") == [
        ("1.1", "partial", 5), ("6.1", "high", 7)]
    assert query(warehouse, "select risk, frequency, result from fct_internal_controls") == [
        ("Otillåten påverkan", "Årsbokslut", "Kontroll genomförd")]
    assert query(warehouse, "select report_id, frame, row_number, reason from fct_quarantine") == [
        (R, "budget", 17, "measure not in vocabulary")]


def test_fct_text_figures(built: tuple[Path, DbtBuildResult]) -> None:
    warehouse, _ = built
    rows = query(warehouse, "select * from fct_text_figures order by page, figure_index")
    assert rows == [
        (R, 25, INVESTED, 1, 139.0, 1, "mnkr", "139,0 mnkr", 426.3, 570.4, 451.2, 581.4),
        (R, 25, INVESTED, 2, 41.8, 1, "mnkr", "41,8 mnkr", 223.4, 585.8, 243.1, 596.8),
        (R, 27, HME, 1, 79.4, 1, None, "79,4", 503.6, 492.5, 523.1, 503.5),
    ]


def test_bad_rows_fail_build_naming_the_tests(tmp_path: Path) -> None:
    unknown_measure = (R, 3, "income_statement", TAXOR, 1, False, "prognosis", 2024, 851.0, 1, "mnkr", 12)
    duplicate_goal = (R, "Trygga invånare", "1.1", "Samma mål igen", "partial", 6)
    rows = {**ROWS, "raw_budget": ROWS["raw_budget"] + [unknown_measure],
            "raw_goals": ROWS["raw_goals"] + [duplicate_goal]}
    with pytest.raises(DbtBuildError, match="fct_budget_measure_is_known") as raised:
        build(make_warehouse(tmp_path / "arw.duckdb", rows))
    assert "fct_goals_key_is_unique" in str(raised.value)
    result = raised.value.result
    assert result is not None and not result.success and result.models_failed == 0
    assert sorted(f.name for f in result.failures) == ["fct_budget_measure_is_known", "fct_goals_key_is_unique"]
