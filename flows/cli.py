"""The `arw` command line: ingest report PDFs, query the warehouse, inspect a PDF's tables.

Exit codes: 0 everything loaded, 1 some input failed (the others were still loaded), 2 usage
error (bad option, nothing to ingest).
"""
from __future__ import annotations

import atexit
import csv
import io
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable

from flows.settings import warehouse_path

app = typer.Typer(add_completion=False, no_args_is_help=True, help="arw — the annual report warehouse")
console = Console()
errors = Console(stderr=True)

WarehouseOption = Annotated[
    Optional[Path],
    typer.Option("--warehouse", "-w", help="DuckDB file (default: $ARW_WAREHOUSE or warehouse/arw.duckdb)"),
]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def collect_pdfs(inputs: list[str]) -> list[str]:
    """Files as given, folders searched recursively for *.pdf; a missing path is a usage error."""
    found: list[str] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            pdfs = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            if not pdfs:
                raise typer.BadParameter(f"{item} holds no PDF files", param_hint="PATH")
            found.extend(str(p.resolve()) for p in pdfs)
        elif path.exists():
            found.append(str(path.resolve()))
        else:
            raise typer.BadParameter(f"{item} does not exist", param_hint="PATH")
    return list(dict.fromkeys(found))


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="report PDFs or folders of PDFs")],
    warehouse: WarehouseOption = None,
) -> None:
    """Extract, validate and load report PDFs, then build the warehouse models (dbt)."""
    from flows.pipeline import FAILED, ingest_flow
    from warehouse.read import mart_summary

    pdfs = collect_pdfs(paths)
    target = warehouse_path(warehouse)
    with console.status(f"Ingesting {len(pdfs)} report(s) into {target} …"):
        summary = ingest_flow(pdfs, str(target))
    show_outcomes(summary)
    loaded = [o.report_id for o in summary.outcomes if o.status != FAILED and o.report_id]
    if loaded and summary.dbt_error is None:
        show_rows(["mart", "rows", "pages"], mart_summary(target, loaded), title="Warehouse marts for these reports")
    if summary.dbt_error:
        errors.print(f"[red]dbt build failed:[/red] {summary.dbt_error}")
    elif loaded:
        console.print(f"{summary.inconsistencies} inconsistencies found: `arw check` lists them, `arw report` shows them")
    raise typer.Exit(0 if summary.ok else 1)


def show_outcomes(summary) -> None:
    table = RichTable(title=f"Ingested into {summary.warehouse}")
    for column in ("file", "status", "pages", "rows loaded", "quarantined", "seconds"):
        table.add_column(column)
    for o in summary.outcomes:
        rows = ", ".join(f"{k.removeprefix('raw_')} {v}" for k, v in o.rows.items() if v and k != "raw_reports")
        colour = {"loaded": "green", "quarantined": "yellow"}.get(o.status, "red")
        table.add_row(Path(o.source).name, f"[{colour}]{o.status}[/{colour}]", str(o.pages or ""),
                      rows or (o.error or ""), str(o.quarantined), f"{o.seconds:.1f}")
    console.print(table)
    for o in summary.outcomes:
        if o.status == "failed":
            errors.print(f"[red]failed[/red] {o.source}: {o.error}")
        for reason in o.quarantine_reasons[:20]:
            errors.print(f"[yellow]quarantined[/yellow] {Path(o.source).name}: {reason}")
        if len(o.quarantine_reasons) > 20:
            errors.print(f"… and {len(o.quarantine_reasons) - 20} more rows: select * from fct_quarantine")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="a SQL query (read-only)")],
    warehouse: WarehouseOption = None,
    output: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Run a read-only SQL query against the warehouse."""
    from warehouse.errors import WarehouseError
    from warehouse.read import run_query

    try:
        result = run_query(warehouse_path(warehouse), sql)
    except WarehouseError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1)
    emit(result.columns, result.rows, output)


class Severity(str, Enum):
    error = "error"
    warning = "warning"


CHECK_COLUMNS = [
    "report_id", "rule_id", "severity", "description", "left_value", "right_value", "difference",
    "tolerance", "left_ref", "right_ref", "other_report_id",
]


@app.command()
def check(
    warehouse: WarehouseOption = None,
    output: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    fail_on: Annotated[Optional[Severity], typer.Option("--fail-on", help="exit 1 if a finding at this severity or worse exists")] = None,
) -> None:
    """List the inconsistencies found in and between the loaded reports."""
    from warehouse.errors import WarehouseError
    from warehouse.read import run_query

    try:
        result = run_query(warehouse_path(warehouse), f"select {', '.join(CHECK_COLUMNS)} from inconsistencies "
                           "order by report_id, severity, rule_id, left_ref")
    except WarehouseError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1)
    if output == Format.table:
        shown = [(r[0][:12], *r[1:3], *r[4:8], r[8], r[9]) for r in result.rows]
        show_rows(["report", "rule", "severity", "left", "right", "difference", "tolerance", "left figures", "right figures"],
                  shown, title=f"{len(result.rows)} inconsistencies")
    else:
        emit(result.columns, result.rows, output)
    severities = {row[2] for row in result.rows}
    failing = {"error": {"error"}, "warning": {"error", "warning"}}.get(fail_on.value if fail_on else "", set())
    raise typer.Exit(1 if severities & failing else 0)


@app.command()
def report(
    warehouse: WarehouseOption = None,
    out: Annotated[Path, typer.Option("--out", help="folder for inconsistencies.html")] = Path("report"),
) -> None:
    """Write a self-contained HTML page of the inconsistencies, with the PDF regions highlighted."""
    from warehouse.errors import WarehouseError
    from warehouse.review import write_review

    try:
        with console.status("Rendering the pages involved …"):
            page = write_review(warehouse_path(warehouse), out)
    except WarehouseError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1)
    console.print(f"Wrote {page}")


@app.command()
def tables(
    pdf: Annotated[Path, typer.Argument(help="a report PDF", exists=True, dir_okay=False)],
    output: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Every table found in a PDF as a grid of cells, with family, page and bounding box."""
    from extract.errors import ExtractionError
    from extract.report import extract_report

    try:
        cells = extract_report(pdf).frame("tables")
    except ExtractionError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1)
    found = grids(cells)
    if output == Format.json:
        console.print_json(json.dumps(found, ensure_ascii=False))
        return
    if output == Format.csv:
        emit(list(cells.columns), list(cells.itertuples(index=False, name=None)), Format.csv)
        return
    for t in found:
        show_rows(t["header"], t["rows"], title=f"table {t['table_id']} · {t['family'] or 'unknown'} · bbox by page {t['bbox']}")


def grids(cells) -> list[dict]:
    """Cell rows (one per cell) -> one grid per table."""
    found = []
    for table_id, group in cells.groupby("table_id", sort=True):
        width = int(group["col_index"].max()) + 1
        grid: dict[int, list[str]] = {}
        for cell in group.itertuples():
            grid.setdefault(int(cell.row_index), [""] * width)[int(cell.col_index)] = cell.text
        found.append({
            "table_id": int(table_id),
            "family": group["family"].iloc[0],
            "page": int(group["page"].min()),
            "pages": sorted(int(p) for p in group["page"].unique()),
            "bbox": {int(page): bbox(cells_on_page) for page, cells_on_page in group.groupby("page")},
            "header": grid.get(0, [""] * width),
            "rows": [grid[r] for r in sorted(grid) if r != 0],
        })
    return found


def bbox(cells) -> list[float]:
    """x0, top, x1, bottom around cells of one page (PDF points, origin top left)."""
    return [round(float(cells[c].agg(f)), 1) for c, f in (("x0", "min"), ("top", "min"), ("x1", "max"), ("bottom", "max"))]


def emit(columns: list[str], rows: list, output: Format) -> None:
    if output == Format.json:
        sys.stdout.write(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, default=str, indent=1) + "\n")
    elif output == Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        show_rows(columns, rows)


def show_rows(columns: list[str], rows: list, title: str | None = None) -> None:
    table = RichTable(title=title)
    for column in columns:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def main() -> None:
    """Entry point of `arw`.

    DuckDB's binding layer (nanobind) prints bogus "leaked instances" reports at interpreter
    exit when Prefect's daemon threads are still alive; once all our output is written, the
    process's stderr is closed so users only see arw's own messages.
    """
    atexit.register(_close_stderr_at_exit)
    app()


def _close_stderr_at_exit() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


if __name__ == "__main__":
    main()
