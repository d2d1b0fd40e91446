"""Writing results to files (`--output`): atomically, so that a failure leaves nothing half-written.

Parquet is written by DuckDB (no pyarrow): the rows the read-only, file-less warehouse
connection returned are handed to a private in-memory DuckDB, which never sees the user's SQL,
cast back to the column types the query produced, and written there.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


class ExportError(Exception):
    """The file could not be written; the message says why (nothing was left behind)."""


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)` for a temporary file next to `target`, then rename it to
    `target` (an atomic replace on the same file system). On any failure the temporary file is
    removed and `target`, if it existed, is left as it was."""
    target = Path(target).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: the folder {folder} does not exist")
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def write_text(target: Path, text: str) -> Path:
    try:
        return write_atomically(target, lambda path: path.write_text(text, encoding="utf-8"))
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from error


def write_parquet(target: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[str]) -> Path:
    """The rows as a parquet file whose columns have the query's DuckDB types."""
    import duckdb

    names = unique_names(columns)
    if not names:
        raise ExportError(f"cannot write {target}: the statement returned no columns")

    def write(path: Path) -> None:
        import pandas as pd

        frame = pd.DataFrame([list(r) for r in rows], columns=names, dtype=object) if rows else \
            pd.DataFrame({name: pd.Series([], dtype=object) for name in names})
        typed = [f"cast({_quote(n)} as {t}) as {_quote(n)}" if t else _quote(n)
                 for n, t in zip(names, list(types) + [""] * (len(names) - len(types)))]
        with duckdb.connect() as con:
            con.register("query_result", frame)
            con.sql(f"select {', '.join(typed)} from query_result").write_parquet(str(path))

    try:
        return write_atomically(target, write)
    except duckdb.Error as error:
        raise ExportError(f"cannot write {target}: {str(error).strip().splitlines()[0]}") from error
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from error


def unique_names(columns: Sequence[str]) -> list[str]:
    """Column names a table can have: a repeated name gets a suffix (`a`, `a_1`), as DuckDB does."""
    seen: set[str] = set()
    names = []
    for column in columns:
        name, n = str(column), 0
        while name.lower() in seen:
            n += 1
            name = f"{column}_{n}"
        seen.add(name.lower())
        names.append(name)
    return names


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
