"""A large warehouse for `make bench`, without reading hundreds of PDFs: the raw rows of a built
warehouse copied N times over, each copy under other report ids and another municipality (so
every copy is a report of its own, not a version of another), listed as changed the way the
loader lists what it loads. Its marts are not built yet: the next `arw build` (or ingest) does.

    python bench/scale.py SOURCE.duckdb TARGET.duckdb N

The copies repeat the source's labels, so the vocabulary's patterns meet fewer distinct texts
than in as many real reports of different municipalities.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb

from warehouse.store import CHANGED_TABLE, RAW_SCHEMA, RAW_TABLES, STATE_TABLE, ensure_schema

RENAMED = {  # column -> how the k-th copy changes it
    "report_id": "report_id || '-{k}'",
    "superseded_by": "superseded_by || '-{k}'",
    "municipality": "municipality || ' {k}'",
    "organisation": "organisation || ' {k}'",
}


def copy_select(table: str, copy: int) -> str:
    """SELECT of one table's rows as the `copy`-th copy."""
    columns = [name for name, _ in RAW_TABLES[table]]
    exprs = [RENAMED[c].format(k=copy) if c in RENAMED else f'"{c}"' for c in columns]
    return f"SELECT {', '.join(exprs)} FROM {RAW_SCHEMA}.{table} WHERE NOT contains(report_id, '-')"


def scale(source: Path, target: Path, copies: int) -> int:
    """Write `target`: `source` with its reports `copies` times; returns the number of reports."""
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as con:
        ensure_schema(con)  # a warehouse of an older arw: this one's layout first
        con.begin()
        for table in RAW_TABLES:
            for k in range(1, copies):
                con.execute(f"INSERT INTO {RAW_SCHEMA}.{table} {copy_select(table, k)}")
        generation = con.execute(f"UPDATE {STATE_TABLE} SET value = value + 1 WHERE key = 'raw_generation' "
                                 "RETURNING value").fetchone()[0]
        con.execute(f"INSERT INTO {CHANGED_TABLE} SELECT report_id, ? FROM {RAW_SCHEMA}.raw_reports "
                    "WHERE contains(report_id, '-')", [generation])
        con.commit()
        return con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.raw_reports").fetchone()[0]


if __name__ == "__main__":
    source, target, copies = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    print(f"{scale(source, target, copies)} reports in {target}")
