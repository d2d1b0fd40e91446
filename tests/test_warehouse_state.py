"""The warehouse knows its layout version and whether its marts are built from the raw data it
holds: a load or removal starts a new raw generation, a build that finishes catches up with it,
and a warehouse this arw cannot use is refused before anything is written."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from test_warehouse import RID, RID_2, counts, extracted_report
from schemas import validate_report
from warehouse.errors import WarehouseError
from warehouse.read import marts_behind
from warehouse.store import (
    SCHEMA_VERSION, STATE_TABLE, Generations, connect, generations, load_report, mark_built, remove_report,
)


def state(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(con.execute(f"select key, value from {STATE_TABLE}").fetchall())


def test_every_load_and_removal_is_a_new_generation_the_marts_lag_until_built(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    assert not marts_behind(path)  # no warehouse yet
    load_report(path, validate_report(extracted_report(RID)))
    assert state(path) == {"schema_version": SCHEMA_VERSION, "raw_generation": 1, "built_generation": 0}
    assert marts_behind(path)
    mark_built(path, 1)
    assert not marts_behind(path)
    load_report(path, validate_report(extracted_report(RID_2)))
    remove_report(path, RID_2)
    assert state(path)["raw_generation"] == 3 and marts_behind(path)
    mark_built(path, 2)  # a build that started before the last removal: still behind
    assert marts_behind(path)
    mark_built(path, 3)
    mark_built(path, 1)  # never moves back
    with connect(path, read_only=True) as con:
        assert generations(con) == Generations(raw=3, built=3)


def test_a_built_warehouse_is_not_behind(sample_warehouse: Path) -> None:
    from flows.dbt_build import project_fingerprint

    with connect(sample_warehouse, read_only=True) as con:
        assert generations(con) == Generations(raw=1, built=1, project=project_fingerprint())
    assert not marts_behind(sample_warehouse)


def test_a_warehouse_of_a_newer_arw_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    load_report(path, validate_report(extracted_report(RID)))
    with duckdb.connect(str(path)) as con:
        con.execute(f"update {STATE_TABLE} set value = ? where key = 'schema_version'", [SCHEMA_VERSION + 1])
    before = counts(path)
    with pytest.raises(WarehouseError, match=rf"written by a newer arw \(layout {SCHEMA_VERSION + 1}; this arw "
                                             rf"knows {SCHEMA_VERSION}\): upgrade arw"):
        load_report(path, validate_report(extracted_report(RID_2)))
    assert counts(path) == before and state(path)["raw_generation"] == 1


def test_raw_tables_with_columns_this_arw_does_not_know_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    load_report(path, validate_report(extracted_report(RID)))
    with duckdb.connect(str(path)) as con:
        con.execute("alter table raw.raw_cells add column reviewer_note varchar")
    before = counts(path)
    with pytest.raises(WarehouseError, match=r"table raw.raw_cells has columns this arw does not know "
                                             r"\(reviewer_note\).*nothing was changed"):
        load_report(path, validate_report(extracted_report(RID_2)))
    with pytest.raises(WarehouseError, match="reviewer_note"):
        remove_report(path, RID)
    assert counts(path) == before


def hand_edited(path: Path, description: str | None = None) -> str:
    """The description of the vocabulary's first assessment row (a seed), edited by hand when
    `description` is given: a build that loads the seeds again puts the CSV's text back."""
    with duckdb.connect(str(path)) as con:
        if description is not None:
            con.execute("update vocabulary.vocab_assessments set description = ? where pattern = '○'", [description])
        return con.execute("select description from vocabulary.vocab_assessments where pattern = '○'").fetchone()[0]


@pytest.mark.slow
def test_a_build_after_new_data_redoes_only_what_the_data_changes(sample_warehouse, tmp_path, monkeypatch):
    """The seeds and views of a warehouse built in full by the same dbt project are not built
    again for new data; a changed project, or a whole build that failed half-way (and so left
    no project behind), builds everything."""
    import shutil

    from flows.dbt_build import DBT_PROJECT_DIR, DbtBuildError, build, project_fingerprint
    from warehouse_harness import copy_warehouse, query

    path = copy_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    with connect(path, read_only=True) as con:
        assert generations(con).project == project_fingerprint() != 0
    hand_edited(path, "edited by hand")
    load_report(path, validate_report(extracted_report(RID)))
    result = build(path)
    assert hand_edited(path) == "edited by hand"  # the seeds were not loaded again
    assert result.success and 0 < result.models_passed < len(list((DBT_PROJECT_DIR / "models").rglob("*.sql")))
    # the marts and the views hold the new report
    assert query(path, "select count(*) from dim_reports where report_id = ?", [RID]) == [(1,)]
    assert query(path, "select count(*) > 0 from fct_table_cells where report_id = ?", [RID]) == [(True,)]
    assert query(path, "select count(*) from staging.stg_reports") == [(2,)]
    assert not marts_behind(path)

    broken = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, broken, ignore=shutil.ignore_patterns("target*", "logs"))
    (broken / "models" / "marts" / "fct_goals.sql").write_text("select * from no_such_relation\n")
    monkeypatch.setenv("ARW_DBT_PROJECT_DIR", str(broken))
    with connect(path, read_only=True) as con:
        assert project_fingerprint() != generations(con).project
    with pytest.raises(DbtBuildError, match="fct_goals"):
        build(path)
    monkeypatch.delenv("ARW_DBT_PROJECT_DIR")
    with connect(path, read_only=True) as con:
        assert generations(con).project == 0  # some models are the broken project's now
    hand_edited(path, "edited by hand")
    build(path)
    assert hand_edited(path) == "An empty circle (per the report's legend)"
    with connect(path, read_only=True) as con:
        assert generations(con) == Generations(raw=2, built=2, project=project_fingerprint())


@pytest.mark.slow
def test_a_model_dropped_by_hand_is_built_again_with_the_next_report(sample_warehouse, tmp_path):
    """A data-only build leaves views alone: with one of them dropped (or a table, or a seed), the
    models reading it would fail. The warehouse no longer counts as built by the project, so the
    next build builds every model, and the new report reaches the view again."""
    from flows.dbt_build import DBT_PROJECT_DIR, build, missing_relations
    from warehouse_harness import copy_warehouse, query

    path = copy_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    with duckdb.connect(str(path)) as con:
        assert missing_relations(con) == set()
        con.execute("drop view intermediate.int_budget")
        con.execute("drop table vocabulary.units")
        assert missing_relations(con) == {"int_budget", "units"}
        assert generations(con).project != 0
    load_report(path, validate_report(extracted_report(RID)))
    result = build(path)
    assert result.success and result.models_passed == len(list((DBT_PROJECT_DIR / "models").rglob("*.sql")))
    assert query(path, "select count(*) > 0 from intermediate.int_budget where report_id = ?", [RID]) == [(True,)]
    with connect(path, read_only=True) as con:
        assert missing_relations(con) == set()
        assert generations(con).project != 0  # built in full: the next report builds only what it changes


def test_a_build_selects_what_the_data_changes_only_after_a_whole_build_by_the_same_project() -> None:
    from flows.dbt_build import DATA_CHANGED, selection

    built = Generations(raw=3, built=2, project=7)
    assert selection(built, 7, None, whole_project=False) == DATA_CHANGED
    assert selection(built, 8, None, whole_project=False) == ["--full-refresh"]  # another project: everything
    assert selection(built, 7, None, whole_project=True) == ["--full-refresh"]  # arw build
    assert selection(Generations(raw=3, built=2), 7, None, whole_project=False) == ["--full-refresh"]  # unfinished
    assert selection(None, 7, None, whole_project=False) == ["--full-refresh"]  # a file without arw's state
    assert selection(built, 7, "fct_budget+", whole_project=False) == ["--select", "fct_budget+"]
    assert selection(built, 8, "fct_budget+", whole_project=False) == ["--select", "fct_budget+", "--full-refresh"]


@pytest.mark.slow
def test_the_per_report_models_build_only_the_changed_reports_and_match_a_whole_build(sample_warehouse, tmp_path):
    """After a load, a removal or a load again, the per-report models (incremental) build only
    the reports that changed, keep every other report's rows as they were, and end up holding
    the same rows in every model as a whole build of the same raw data."""
    from flows.dbt_build import build
    from warehouse_harness import copy_warehouse, differing_relations, parse_verdicts, query

    path = copy_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    (sample,) = query(path, "select report_id from raw.raw_reports")[0]
    mark = "select count(*) from intermediate.int_table_cells where row_label = 'kept as it was'"

    def matches_a_whole_build() -> bool:
        whole = copy_warehouse(path, tmp_path / "whole.duckdb")
        build(whole, whole_project=True)
        return differing_relations(path, whole) == []

    with duckdb.connect(str(path)) as con:  # a sample row edited by hand: kept unless the sample is built again
        con.execute("update intermediate.int_table_cells set row_label = 'kept as it was' where report_id = ? "
                    "and table_id = (select min(table_id) from intermediate.int_table_cells)", [sample])
    load_report(path, validate_report(extracted_report(RID)))
    assert query(path, "select report_id from raw.changed_reports") == [(RID,)]
    build(path)
    assert query(path, mark)[0][0] > 0  # the sample was not built again
    assert query(path, "select count(*) > 0 from intermediate.int_table_cells where report_id = ?", [RID]) == [(True,)]
    assert query(path, "select count(*) from raw.changed_reports") == [(0,)]

    load_report(path, validate_report(extracted_report(RID_2)))
    remove_report(path, RID)
    load_report(path, validate_report(extracted_report(sample)))  # the sample loaded again, other rows
    build(path)
    assert query(path, mark) == [(0,)]  # built again from its new rows
    assert query(path, "select count(*) from intermediate.int_table_cells where report_id = ?", [RID]) == [(0,)]
    assert query(path, "select count(distinct report_id) from intermediate.int_check_cells") == [(2,)]
    assert matches_a_whole_build()
    with parse_verdicts() as verdicts:
        build(path)
    assert verdicts == [(True, None)]  # the build of "whole" in between left w's parse as it was


def test_each_database_name_has_its_own_dbt_target_folder(tmp_path, monkeypatch) -> None:
    from flows.dbt_build import DBT_PROJECT_DIR, target_path

    monkeypatch.delenv("DBT_TARGET_PATH", raising=False)
    assert target_path(tmp_path / "a" / "arw.duckdb") == DBT_PROJECT_DIR / "target" / "database-arw"
    assert target_path(tmp_path / "b" / "arw.duckdb") == target_path(tmp_path / "a" / "arw.duckdb")
    assert target_path(tmp_path / "2024.v2.duckdb").name == "database-2024"  # DuckDB's catalog name
    monkeypatch.setenv("DBT_TARGET_PATH", "target-gw9")
    assert target_path(tmp_path / "w.duckdb") == DBT_PROJECT_DIR / "target-gw9" / "database-w"
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "out"))
    assert target_path(tmp_path / "w.duckdb") == tmp_path / "out" / "database-w"


def test_the_project_fingerprint_leaves_out_dbt_s_output_wherever_it_is_written(tmp_path, monkeypatch) -> None:
    """A build writes its parse into the target folder; were that folder counted, every build
    would find another project and build everything again."""
    import shutil

    from flows.dbt_build import DBT_PROJECT_DIR, project_fingerprint, target_path

    project = tmp_path / "project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target*", "logs"))
    monkeypatch.setenv("ARW_DBT_PROJECT_DIR", str(project))
    monkeypatch.setenv("DBT_TARGET_PATH", "out")
    before = project_fingerprint()
    written = target_path(tmp_path / "w.duckdb") / "partial_parse.msgpack"
    written.parent.mkdir(parents=True)
    written.write_bytes(b"a parse")
    assert written.is_relative_to(project / "out") and project_fingerprint() == before
    (project / "models" / "note.md").write_text("a changed project")
    assert project_fingerprint() != before
