"""The warehouse a user opens: `show tables` lists the marts only, each layer below sits in a
schema named after it, every mart and column carries its dbt description as a DuckDB comment,
and v_findings reads each finding in plain columns."""
from pathlib import Path

import duckdb
import yaml

from flows.dbt_build import DBT_PROJECT_DIR
from warehouse_harness import query

MART_FILES = sorted((DBT_PROJECT_DIR / "models" / "marts").glob("*.sql"))


def described_marts() -> dict[str, dict]:
    """Every mart's YAML entry (name -> model), from the marts' property files."""
    models = {}
    for path in (DBT_PROJECT_DIR / "models" / "marts").glob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            models[model["name"]] = model
    return models


def test_show_tables_lists_the_marts_and_nothing_else(sample_warehouse: Path) -> None:
    shown = {name for (name,) in query(sample_warehouse, "show tables")}
    marts = {path.stem for path in MART_FILES}
    assert marts <= shown
    assert shown - marts <= {"ingest_runs"}  # the run log arw status reads, also for the user
    assert not {name for name in shown if name.startswith(("raw_", "stg_", "int_", "vocab_"))}


def test_each_layer_has_its_own_schema(sample_warehouse: Path) -> None:
    schemas = dict(query(sample_warehouse, "select table_schema, list(table_name order by table_name) "
                                           "from information_schema.tables group by 1"))
    assert {"raw_reports", "raw_cells", "raw_tables", "quarantine"} <= set(schemas["raw"])
    assert all(name.startswith("stg_") for name in schemas["staging"]) and "stg_cells" in schemas["staging"]
    assert all(name.startswith("int_") for name in schemas["intermediate"]) and "int_findings" in schemas["intermediate"]
    assert {"vocab_tables", "units", "reconciliation_rules"} <= set(schemas["vocabulary"])


def test_every_mart_and_its_columns_carry_the_dbt_description(sample_warehouse: Path) -> None:
    models = described_marts()
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        relations = dict(con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'main' union all "
            "select view_name, comment from duckdb_views() where schema_name = 'main' and not internal").fetchall())
        columns = {(t, c): comment for t, c, comment in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'main'").fetchall()}
    for path in MART_FILES:
        model = models[path.stem]
        assert relations[path.stem].split()[:4] == model["description"].split()[:4], path.stem
        for column in model.get("columns", []):
            if "{{" not in column.get("description", "{{"):  # doc() blocks are rendered by dbt
                assert columns[path.stem, column["name"]].strip() == column["description"].strip(), (path.stem, column["name"])
    assert columns["fct_budget", "report_id"].startswith("SHA-256 hex digest of the PDF bytes")


def test_v_findings_reads_each_finding_in_plain_columns(sample_warehouse: Path) -> None:
    rows = query(sample_warehouse, """
        select rule_id, left_page, left_value, left_printed, right_page, right_value, right_printed, municipality
        from v_findings order by rule_id""")
    assert rows == [
        ("prose_development_cost_split", 25, 180.8, "139,0 · 41,8", 25, 180.3, "180,3", "Haninge kommun"),
        ("prose_development_costs", 25, 180.3, "180,3", 25, 180.4, "-180,4", "Haninge kommun"),
        ("sick_leave_kf_equals_staff_table", 19, 7.7, "7,7", 28, 7.8, "7,8", "Haninge kommun"),
    ]
    assert query(sample_warehouse, "select count(*) from inconsistencies") == [(3,)]
