"""Extract one report PDF: identity (sha256, municipality, body, year) and every table as frames."""
from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd

from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import resolve1

from extract.document import PageContent, measure_style, read_page, remove_furniture
from extract.errors import (
    RETRY, ExtractionError, ExtractorBugError, NoTextLayerError, NotAnAnnualReportError, OpenedPdf,
    PageReadError, TooManyPagesError, TruncatedPdfError, describe_error, open_pdf,
)
from extract.cells import bbox_of, value_cell_rows
from extract.digest import sha256_of
from extract.families import classify
from extract.identity import apply_overrides, describe_report_file
from extract.layout import Turn
from extract.primitives import PagePrimitives, pdfium_primitives, plumber_primitives
from extract.frames import BBOX, FRAME_COLUMNS, ExtractedReport, empty_frame
from extract.goals import goal_rows
from extract.grids import Grid, table_grids
from extract.settings import DEFAULT_SETTINGS, ExtractSettings
from extract.stream import Item, build_stream
from extract.tables import Table
from extract.text_figures import text_figure_rows
from extract.vocabulary import unit_in

# frames whose rows only an annual report produces (goals: nämndmål with an assessment)
REPORT_FRAMES = ("goals",)


def extract_report(
    path: Path, source: str | None = None, settings: ExtractSettings = DEFAULT_SETTINGS,
    require_report: bool = True, overrides: dict | None = None, parts: list[PageReading] | None = None,
) -> ExtractedReport:
    """Read every table of a report PDF into frames with provenance (report id, page): every
    table as cells (dbt gives them their meaning), the goals and figures of the running text.

    Raises an `ExtractionError` subclass (see extract/errors.py) for anything that is not a
    readable annual report; nothing partial is ever returned. `require_report=False` accepts any
    readable PDF (for `arw tables`, which shows the tables of any PDF). `overrides` (the user's
    --municipality/--body/--year) replace what the report says of itself before any table is
    read, so the facts built from the identity (an indicator's entity, a column's default year)
    use them too. `parts` are its pages already read (read_page_range, in other processes), in
    order: the reading is then only checked and the rest done here."""
    path = Path(path)
    pages, notes = joined(path, parts) if parts else read_document(path, settings)
    report_id = sha256_of(path)
    try:
        pages = remove_furniture(pages, settings)
        report = apply_overrides(describe_report_file(pages, report_id, path, source), overrides)
        content = pages[1:] if len(pages) > 1 else pages  # page 1 is the cover
        style = measure_style(content, settings)
        items = build_stream(content, style, settings)
        frames = on_displayed_pages(frames_from_items(items, report_id), pages)
    except ExtractionError:
        raise
    except Exception as error:  # noqa: BLE001 - a bug in arw's reading of this layout
        raise _layout_bug(path, error) from error
    if require_report and not is_annual_report(frames):
        raise NotAnAnnualReportError(
            f"{path.name}: no annual-report table was found (indicator, budget, supplier, procurement, "
            "internal-control or goal tables): nothing was loaded; check that this is the report's PDF "
            "(not e.g. an appendix or a cover letter)", path)
    note = unrecognised_note(frames) if require_report else None
    identity_notes = list(report.get("identity_notes") or [])
    return ExtractedReport(report, frames, notes + identity_notes + ([note] if note else []))


def read_grids(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> list[Grid]:
    """Every table of any PDF as grids of cell texts (`arw tables`): every page, the first too
    (only an annual report's first page is a cover), no report identity needed."""
    path = Path(path)
    pages, _ = read_document(path, settings)
    try:
        pages = remove_furniture(pages, settings)
        items = build_stream(pages, measure_style(pages, settings), settings)
        turns = {page.number: page.turn for page in pages if page.turn.angle}
        return [grid for item in items if item.table is not None
                for grid in table_grids(item.table, settings, turns)]
    except ExtractionError:
        raise
    except Exception as error:  # noqa: BLE001 - a bug in arw's reading of this layout
        raise _layout_bug(path, error) from error


@dataclass(frozen=True)
class PageReading:
    """Some pages of a file as lines of cells, the notes on opening it, and how many of them
    have text and how many are images only (for the check that the file has a text layer)."""

    pages: list[PageContent]
    notes: list[str]
    with_text: int
    image_only: int


def read_document(path: Path, settings: ExtractSettings) -> tuple[list[PageContent], list[str]]:
    """Every page as lines of cells, plus notes on what had to be done to read the file.

    A page pdfminer cannot read makes the whole file be read again from a copy repaired by PDFium
    (unless it is truncated: then nothing is repaired and the user is asked for a new copy)."""
    try:
        reading = _read_pages(path, settings, repair=False)
    except PageReadError as error:
        if error.truncated or error.repaired:
            raise
        where = f"page {error.page}" if error.page else "page tree"
        reading = _read_pages(path, settings, repair=True, because=f"{where}: {error.problem}")
    return joined(path, [reading])


def read_page_range(path: Path, settings: ExtractSettings, first: int, last: int) -> PageReading:
    """Pages first..last (1-based, inclusive) of a file, so that one long report can be read in
    several processes at once; extract_report(parts=...) puts them together. Raises like
    read_document, but never repairs: a caller whose part fails reads the whole file instead."""
    return _read_pages(Path(path), settings, repair=False, numbers=range(first, last + 1))


def joined(path: Path, parts: list[PageReading]) -> tuple[list[PageContent], list[str]]:
    """The pages of every part, in order, and the notes of opening the file (the same in each);
    a file whose pages are mostly images, or that has no text at all, is refused."""
    pages = [page for part in parts for page in part.pages]
    with_text, image_only = sum(p.with_text for p in parts), sum(p.image_only for p in parts)
    if with_text == 0 or image_only > len(pages) / 2:
        raise NoTextLayerError(_no_text_message(path, len(pages), with_text, image_only), path)
    return pages, parts[0].notes


def _read_pages(path: Path, settings: ExtractSettings, repair: bool, because: str | None = None,
                numbers: range | None = None) -> PageReading:
    with open_pdf(path, repair=repair, because=because) as opened:
        _check_page_limit(path, opened.page_count, settings)
        try:
            plumber_pages = opened.pdf.pages
        except Exception as error:  # noqa: BLE001 - a broken page tree
            raise _page_error(opened, None, error) from error
        _check_page_limit(path, len(plumber_pages), settings)  # /Count may understate the page tree
        if len(plumber_pages) < opened.page_count:  # page objects missing: never a partial report
            missing = PDFSyntaxError(f"the page tree lists {opened.page_count} pages but only "
                                     f"{len(plumber_pages)} could be found")
            raise _page_error(opened, None, missing)
        pages, with_text, image_only = [], 0, 0
        numbers = numbers or range(1, len(plumber_pages) + 1)
        with pdfium_reader(opened) as primitives_of:
            for number in numbers:
                page = plumber_pages[number - 1]
                try:
                    primitives = primitives_of(number, page)
                    pages.append(read_page(primitives, number, settings))
                except Exception as error:  # noqa: BLE001 - translated: parser failure or arw bug
                    raise _page_error(opened, number, error) from error
                finally:
                    page.close()  # bounded memory: drop the page's parsed objects once read
                with_text += len(primitives.chars) > 0
                image_only += not primitives.chars and primitives.image_count > 0
        return PageReading(pages, opened.notes, with_text, image_only)


@contextmanager
def pdfium_reader(opened: OpenedPdf) -> Iterator[Callable[[int, Any], PagePrimitives]]:
    """page number, pdfplumber page -> the page's primitives, read by PDFium (ten times faster
    than pdfminer, see extract.primitives) from the same bytes pdfplumber opened. A page PDFium
    cannot load, one whose content streams do not decode (PDFium reads what it can of them and
    says nothing), or a file whose page count PDFium sees differently, is read by pdfminer, whose
    failures say what is wrong with the page (PageReadError and the repair that follows)."""
    import pypdfium2 as pdfium

    try:
        stream = opened.pdf.stream
        document = pdfium.PdfDocument(stream.getvalue() if isinstance(stream, io.BytesIO) else str(opened.path))
    except Exception:  # noqa: BLE001 - pdfminer opened it: pdfminer reads it
        document = None
    if document is not None and len(document) != opened.page_count:
        document.close()
        document = None

    def primitives_of(number: int, page) -> PagePrimitives:
        if document is None or not contents_decode(page):
            return plumber_primitives(page)
        try:
            pdfium_page = document[number - 1]
        except Exception:  # noqa: BLE001 - a page PDFium cannot load
            return plumber_primitives(page)
        try:
            return pdfium_primitives(pdfium_page, page)
        finally:
            pdfium_page.close()

    try:
        yield primitives_of
    finally:
        if document is not None:
            document.close()


def contents_decode(page) -> bool:
    """Whether every content stream of a pdfplumber page decodes through its filters (zlib and
    the like, in C: no parsing of what they hold)."""
    try:
        for stream in page.page_obj.contents:
            resolve1(stream).get_data()
    except Exception:  # noqa: BLE001 - any failure: let pdfminer read the page and say what it is
        return False
    return True


def _layout_bug(path: Path, error: Exception) -> ExtractorBugError:
    return ExtractorBugError(
        f"{path.name}: arw failed to interpret the layout of this report ({describe_error(error)}): this is a bug "
        "in arw, not in the file: report it with the PDF (other reports are not affected)", path)


def _check_page_limit(path: Path, count: int, settings: ExtractSettings) -> None:
    if count > settings.max_pages:
        raise TooManyPagesError(
            f"{path.name} has {count} pages, more than the limit of {settings.max_pages}: "
            "raise --max-pages if this really is one report", path)


def _no_text_message(path: Path, pages: int, with_text: int, image_only: int) -> str:
    if with_text == 0 and image_only == 0:
        what = "has no text on any of its pages"
    elif with_text == 0:
        what = "has no text layer (its pages are scanned images)"
    else:
        what = f"has no text layer on {image_only} of its {pages} pages (scanned images)"
    return f"{path.name} {what}: OCR it first (e.g. ocrmypdf) and ingest the OCR'd file"


def _page_error(opened: OpenedPdf, number: int | None, error: Exception) -> ExtractionError:
    """A failure while reading one page (None: the page tree): the file's fault or arw's own."""
    name, problem = opened.path.name, describe_error(error)
    what = f"page {number}" if number else "its list of pages (page tree)"
    if not _raised_by_parser(error):
        return ExtractorBugError(
            f"{name}: {what}: arw failed to read it ({problem}): this is a bug in arw, not in the file: "
            "report it with the PDF (other reports are not affected)", opened.path, number)
    if opened.truncated:
        return TruncatedPdfError(
            f"{name} is truncated or damaged: {what} could not be read ({problem}) and the file ends "
            "without the PDF end-of-file marker (%%EOF), so the download or copy was probably cut short: "
            "download the report again and ingest that", opened.path, number)
    repaired = " even in a copy repaired by PDFium" if opened.repaired else ""
    failed = PageReadError(
        f"{name}: {what} could not be read{repaired} ({problem}): the file is damaged; {RETRY}",
        opened.path, number)
    failed.problem, failed.truncated, failed.repaired = problem, opened.truncated, opened.repaired
    return failed


PARSER_PACKAGES = ("pdfminer", "pdfplumber", "pypdfium2", "PIL")
OWN_PACKAGE = Path(__file__).resolve().parent


def _raised_by_parser(error: BaseException) -> bool:
    """Whether the innermost frame that is either arw's or a PDF library's is the library's."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(Path(tb.tb_frame.f_code.co_filename))
        tb = tb.tb_next
    for filename in reversed(frames):
        if any(part in PARSER_PACKAGES for part in filename.parts):
            return True
        if OWN_PACKAGE in filename.parents:
            return False
    return True


def is_annual_report(frames: dict[str, pd.DataFrame]) -> bool:
    """A table of a known family, one goal, or at least one table of figures: a report in
    wording the vocabulary does not know yet still loads its cells (see unrecognised_note)."""
    tables = frames.get("tables")
    known_table = tables is not None and len(tables) and tables["family"].notna().any()
    typed = any(len(frames.get(name, ())) for name in REPORT_FRAMES)
    return bool(known_table or typed or has_table_of_figures(frames))


MIN_FIGURES = 4  # a table with fewer printed numbers is a list or a form, not a table of figures


def has_table_of_figures(frames: dict[str, pd.DataFrame]) -> bool:
    cells = frames.get("cells")
    if cells is None or not len(cells):
        return False
    return bool((cells[cells["value_status"] == "reported"].groupby("table_id").size() >= MIN_FIGURES).any())


def unrecognised_note(frames: dict[str, pd.DataFrame]) -> str | None:
    """Say so when no table matched the vocabulary: its cells load, but no statement does."""
    tables = frames.get("tables")
    if tables is not None and len(tables) and tables["family"].notna().any():
        return None
    return ("no table matched the vocabulary, so only fct_table_cells holds this report's tables: teach arw "
            "its wording with rows in dbt_project/seeds/vocab_*.csv (README: 'Teaching arw a municipality's "
            "words'), then run arw ingest --force")


def frames_from_items(items: list[Item], report_id: str) -> dict[str, pd.DataFrame]:
    rows: dict[str, list[dict]] = {name: [] for name in FRAME_COLUMNS}
    report_unit = stated_unit(items)
    for table_id, item in enumerate(i for i in items if i.table is not None):
        table, context = item.table, item.context
        family = classify(table, context)
        rows["tables"].extend(cell_rows(table, table_id, family))
        rows["cells"].extend(value_cell_rows(table, table_id, family, context, report_unit))
    rows["goals"] = goal_rows(items)
    rows["text_figures"] = text_figure_rows(items)
    return {name: to_frame(name, records, report_id) for name, records in rows.items()}


def on_displayed_pages(frames: dict[str, pd.DataFrame], pages: list[PageContent]) -> dict[str, pd.DataFrame]:
    """Boxes are measured in each page's upright frame; those of a turned page (/Rotate) are
    put back on the page as displayed: pdfplumber's coordinates, what a viewer shows and what
    the review page crops, so provenance points at the printed value whatever the rotation."""
    turns = {page.number: page.turn for page in pages if page.turn.angle}
    if not turns:
        return frames
    return {name: _displayed_boxes(frame, turns) for name, frame in frames.items()}


def _displayed_boxes(frame: pd.DataFrame, turns: dict[int, Turn]) -> pd.DataFrame:
    if frame.empty or "page" not in frame or not set(BBOX) <= set(frame.columns):
        return frame
    frame = frame.copy()
    for index in frame.index[frame["page"].isin(list(turns))]:
        turn = turns[int(frame.at[index, "page"])]
        frame.loc[index, BBOX] = turn.displayed_box(*(float(v) for v in frame.loc[index, BBOX]))
    return frame


def stated_unit(items: list[Item]) -> str | None:
    """The unit the running text says every amount is in ('… redovisas alla belopp i tusental
    kronor'), for tables that do not print theirs."""
    lines = (item.line.text if item.line is not None else item.heading.text
             for item in items if item.line is not None or item.heading is not None)
    return next((unit for unit in (unit_in(line, scope="report") for line in lines) if unit), None)


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
                "text": " ".join(c.text for c in column_cells), **bbox_of(column_cells),
            })
    return records


def to_frame(name: str, records: list[dict], report_id: str) -> pd.DataFrame:
    if not records:
        return empty_frame(name)
    frame = pd.DataFrame.from_records([{"report_id": report_id, **r} for r in records])
    return frame.reindex(columns=FRAME_COLUMNS[name])
