"""Warehouses for tests that compare marts: reports extracted, validated and loaded the way
`arw ingest` does it (extract -> schemas.validate.validate_report -> warehouse.store.load_report),
then ONE dbt build over all of them.

dbt costs seconds per build, so a test module (or the session) builds one warehouse holding every
report it needs and each test filters the marts by its report_id.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from extract.frames import ExtractedReport
from flows.dbt_build import build
from schemas.validate import ValidatedReport, validate_report
from warehouse.store import load_report


def build_warehouse(path: Path, reports: Iterable[ExtractedReport]) -> dict[str, ValidatedReport]:
    """Load every report into the (new) warehouse at `path`, then build the marts once.

    Returns the validated reports by report id (their `quarantine` says what did not load)."""
    path = Path(path)
    validated: dict[str, ValidatedReport] = {}
    for extracted in reports:
        report = validate_report(extracted)
        load_report(path, report)
        validated[report.report_id] = report
    build(path)
    return validated


def copy_warehouse(source: Path, target: Path) -> Path:
    """A copy of a closed warehouse file (and its write-ahead log, if DuckDB left one)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    wal = Path(f"{source}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    return target


def query_df(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).df()


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def fct_budget(path: Path, report_id: str) -> pd.DataFrame:
    """The report's rows of the mart fct_budget, in printed order."""
    return query_df(path, "select * from fct_budget where report_id = ? "
                          "order by table_id, line_order, column_index", [report_id])


def raw_cells(path: Path, report_id: str) -> pd.DataFrame:
    """The report's rows of raw.raw_cells (what the extractor loaded)."""
    return query_df(path, "select * from raw.raw_cells where report_id = ? "
                          "order by table_id, row_index, col_index", [report_id])


def differing_relations(path: Path, other: Path, schemas: tuple[str, ...] = ("main", "intermediate")) -> list[str]:
    """The tables and views of `schemas` whose rows differ between two warehouses (as multisets,
    doubles to 8 decimals: a sum's last bits depend on the order DuckDB adds in), or whose
    columns differ; [] when they hold the same."""
    with duckdb.connect() as con:
        con.execute(f"attach '{path}' as a (read_only)")
        con.execute(f"attach '{other}' as b (read_only)")
        columns = {}
        for db in ("a", "b"):
            rows = con.execute(
                "select schema_name || '.' || table_name, column_name, data_type from duckdb_columns() "
                f"where database_name = '{db}' and schema_name in (select unnest(?)) order by column_index",
                [list(schemas)]).fetchall()
            for relation, column, data_type in rows:
                columns.setdefault(db, {}).setdefault(relation, []).append((column, data_type))
        differing = sorted(set(columns["a"]) ^ set(columns["b"]))
        for relation, described in sorted(columns["a"].items()):
            if relation in differing:
                continue
            if described != columns["b"][relation]:
                differing.append(relation)
                continue
            select = ", ".join(f'round("{c}", 8)' if t == "DOUBLE" else f'"{c}"' for c, t in described)
            one_way = f"select {select} from a.{relation} except all select {select} from b.{relation}"
            other_way = f"select {select} from b.{relation} except all select {select} from a.{relation}"
            if con.execute(f"select exists ({one_way}) or exists ({other_way})").fetchone()[0]:
                differing.append(relation)
        return differing


@contextmanager
def parse_verdicts() -> Iterator[list[tuple[bool, str | None]]]:
    """dbt's verdicts, during the block, on the parse it saved earlier: (usable, why not) each
    time it found one. [(True, None)]: dbt did not parse the project again."""
    from dbt.parser.manifest import ManifestLoader

    judge, verdicts = ManifestLoader.is_partial_parsable, []

    def noted(loader, manifest):
        verdicts.append(judge(loader, manifest))
        return verdicts[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ManifestLoader, "is_partial_parsable", noted)
        yield verdicts
