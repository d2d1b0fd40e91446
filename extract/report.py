"""Extract one report PDF: identity (sha256, municipality, body, year) and every table as frames."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pdfplumber

from extract.document import PageContent, measure_style, read_page, remove_furniture
from extract.errors import ExtractionError, open_pdf
from extract.families import BUDGET_STATEMENTS, classify
from extract.frames import FRAME_COLUMNS, ExtractedReport, empty_frame
from extract.goals import goal_rows
from extract.settings import DEFAULT_SETTINGS, ExtractSettings
from extract.stream import Item, TableContext, build_stream
from extract.tables import Table
from extract.text_figures import text_figure_rows
from extract.typed import (
    ReportFacts, budget_rows, indicator_rows, internal_control_rows, procurement_rows, supplier_rows,
)

MUNICIPALITY = re.compile(r"\b([A-ZÅÄÖ][\wåäöéü-]+(?:\s[A-ZÅÄÖ][\wåäöéü-]+)?\s(?:kommun|stad|region))\b")
BODY = re.compile(r"^([A-ZÅÄÖ][\wåäö -]*(?:styrelsen|nämnden|fullmäktige))$")
ADMINISTRATION = re.compile(r"^([A-ZÅÄÖ][\wåäö -]*förvaltningen)$")
REPORT_TYPES = (("delårsrapport", "delårsrapport"), ("årsredovisning", "årsredovisning"),
                ("verksamhetsberättelse", "verksamhetsberättelse"))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract_report(
    path: Path, source: str | None = None, settings: ExtractSettings = DEFAULT_SETTINGS
) -> ExtractedReport:
    """Read every table of a report PDF into typed frames with provenance (report id, page)."""
    path = Path(path)
    report_id = sha256_of(path)
    with open_pdf(path) as pdf:
        if len(pdf.pages) > settings.max_pages:
            raise ExtractionError(
                f"{path.name} has {len(pdf.pages)} pages, more than the limit of {settings.max_pages}: "
                "raise --max-pages if this really is one report"
            )
        pages = [read_page(page, number, settings) for number, page in enumerate(pdf.pages, start=1)]
    pages = remove_furniture(pages, settings)
    report = describe_report(pages, report_id, path, source)
    content = pages[1:] if len(pages) > 1 else pages  # page 1 is the cover
    style = measure_style(content, settings)
    items = build_stream(content, style, settings)
    facts = ReportFacts(
        report_id, report["fiscal_year"], report["municipality"], report["body"], report.pop("administration")
    )
    return ExtractedReport(report, frames_from_items(items, facts))


def describe_report(pages: list[PageContent], report_id: str, path: Path, source: str | None) -> dict:
    """Who published the report and for which year, from the cover and the running footer."""
    cover = [line.text for line in pages[0].lines] if pages else []
    furniture = [line.text for page in pages[:3] for line in page.furniture]
    text = "\n".join(cover + furniture)
    lowered = text.lower()
    year = re.search(r"(?:årsredovisning|delårsrapport|verksamhetsberättelse)\D{0,30}((?:19|20)\d\d)", lowered)
    any_year = re.search(r"\b((?:19|20)\d\d)\b", text)
    municipality = MUNICIPALITY.search(text)
    return {
        "report_id": report_id,
        "file_name": path.name,
        "source": source or str(path),
        "municipality": municipality[1] if municipality else None,
        "body": _first_match(BODY, cover),
        "report_type": next((name for key, name in REPORT_TYPES if key in lowered), "okänd"),
        "fiscal_year": int((year or any_year)[1]) if (year or any_year) else None,
        "page_count": len(pages),
        "administration": _first_match(ADMINISTRATION, cover),
    }


def _first_match(pattern: re.Pattern, lines: list[str]) -> str | None:
    return next((m[1] for m in (pattern.match(l.strip()) for l in lines) if m), None)


def frames_from_items(items: list[Item], facts: ReportFacts) -> dict[str, pd.DataFrame]:
    rows: dict[str, list[dict]] = {name: [] for name in FRAME_COLUMNS}
    for table_id, item in enumerate(i for i in items if i.table is not None):
        table, context = item.table, item.context
        family = classify(table, context)
        rows["tables"].extend(cell_rows(table, table_id, family))
        if family is not None:
            typed = typed_rows(table, family, context, facts)
            rows[frame_of(family)].extend({"table_id": table_id, **r} for r in typed)
    rows["goals"] = goal_rows(items)
    rows["text_figures"] = text_figure_rows(items)
    return {name: to_frame(name, records, facts.report_id) for name, records in rows.items()}


def frame_of(family: str) -> str:
    if family in BUDGET_STATEMENTS:
        return "budget"
    if family == "staff_indicators":
        return "indicators"
    return family


def typed_rows(table: Table, family: str, context: TableContext, facts: ReportFacts) -> list[dict]:
    if family in BUDGET_STATEMENTS:
        return budget_rows(table, family, facts)
    if family in ("indicators", "staff_indicators"):
        return indicator_rows(table, family, context, facts)
    if family == "suppliers":
        return supplier_rows(table)
    if family == "procurements":
        return procurement_rows(table)
    if family == "internal_controls":
        return internal_control_rows(table, context)
    return []


def cell_rows(table: Table, table_id: int, family: str | None) -> list[dict]:
    """Every cell of a table with its bounding box: the header row (0) then the body rows."""
    records = []
    grids = [(0, True, table.page, table.header_cells)] + [
        (index, False, row.page, row.cells) for index, row in enumerate(table.rows, start=1)
    ]
    for row_index, is_header, page, cells in grids:
        for col_index, column_cells in enumerate(cells):
            if not column_cells:
                continue
            records.append({
                "table_id": table_id, "family": family, "page": page,
                "row_index": row_index, "col_index": col_index, "is_header": is_header,
                "text": " ".join(c.text for c in column_cells),
                "x0": min(c.x0 for c in column_cells), "top": min(c.top for c in column_cells),
                "x1": max(c.x1 for c in column_cells), "bottom": max(c.bottom for c in column_cells),
            })
    return records


def to_frame(name: str, records: list[dict], report_id: str) -> pd.DataFrame:
    if not records:
        return empty_frame(name)
    frame = pd.DataFrame.from_records([{"report_id": report_id, **r} for r in records])
    return frame.reindex(columns=FRAME_COLUMNS[name])
