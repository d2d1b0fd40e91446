"""Opening a report PDF safely, and the errors extraction raises.

Every error names the file (and the page, where one is to blame), says what is wrong with it and
ends with what to do. pdfminer/pdfplumber exceptions never reach the user: they are translated
here (and per page in `extract.report`) into one of the `ExtractionError` subclasses below.

A PDF whose cross-reference table is broken is still read when it can be: pdfminer rebuilds the
table by scanning the file, and where that is not enough a repaired copy is written in memory by
PDFium (pypdfium2, which pdfplumber already depends on; no Ghostscript needed). Either way the
extraction carries a note saying so (`ExtractedReport.notes`).
"""
from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect, PDFXRefFallback
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1

HEAD_BYTES = 1024  # the PDF header must start within the first KiB (as Acrobat accepts)
TAIL_BYTES = 2048  # ... and the end-of-file marker sit within the last ones

RETRY = "download it again, or open it in a PDF viewer and save (or print to PDF) a new copy, and ingest that"

# pdfminer logs every recoverable oddity as a warning; arw reports what matters as notes instead
for _name in ("pdfminer", "pdfplumber"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.ERROR)


class ExtractionError(Exception):
    """A report could not be read; the message names the file and tells the user what to do."""

    def __init__(self, message: str, path: Path | str | None = None, page: int | None = None):
        super().__init__(message)
        self.path = None if path is None else Path(path)
        self.page = page


class UnreadableFileError(ExtractionError):
    """The path does not exist, is a folder, or cannot be read."""


class NotAPdfError(ExtractionError):
    """The file is not a PDF at all (no %PDF- header)."""


class EmptyFileError(NotAPdfError):
    """A zero-byte file (an interrupted download or export)."""


class HtmlPageError(NotAPdfError):
    """A web page (often a login or error page) saved under a .pdf name."""


class TruncatedPdfError(ExtractionError):
    """The file ends before the PDF does (no %%EOF marker): an interrupted download."""


class DamagedPdfError(ExtractionError):
    """The PDF's structure is broken beyond what pdfminer and PDFium can repair."""


class PageReadError(DamagedPdfError):
    """One page could not be read (a damaged content stream, font or page object)."""

    problem: str = ""  # what pdfminer said
    truncated: bool = False  # the file also lacks its end-of-file marker
    repaired: bool = False  # the page was read from a copy repaired by PDFium


class EncryptedPdfError(ExtractionError):
    """The PDF needs a password to open, or uses an encryption arw cannot read."""


class TooManyPagesError(ExtractionError):
    """More pages than `ExtractSettings.max_pages`: refused before any page is parsed."""


class NoTextLayerError(ExtractionError):
    """Scanned pages (images) without text: there is nothing to read until it is OCR'd."""


class NotAnAnnualReportError(ExtractionError):
    """A readable PDF in which no annual-report table or goal was found."""


class ExtractorBugError(ExtractionError):
    """arw's own code failed on this file (not the PDF parser): a bug to report, with the PDF."""


# --- opening -----------------------------------------------------------------------------------

@dataclass
class OpenedPdf:
    """A PDF opened for extraction, with what had to be done to open it."""

    path: Path
    pdf: pdfplumber.PDF
    page_count: int
    truncated: bool
    repaired: bool = False
    notes: list[str] = field(default_factory=list)


def check_pdf_file(path: Path) -> bool:
    """Refuse what is not a PDF file before parsing it; returns whether the file looks truncated
    (its end-of-file marker is missing)."""
    path = Path(path)
    name = path.name or str(path)
    if not path.exists():
        raise UnreadableFileError(f"{path} does not exist: check the path", path)
    if path.is_dir():
        raise UnreadableFileError(f"{path} is a folder, not a PDF: give the PDF files in it (or the folder to "
                                  "`arw ingest`, which searches it for *.pdf)", path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
            handle.seek(max(0, size - TAIL_BYTES))
            tail = handle.read()
    except OSError as error:
        raise UnreadableFileError(f"{name} cannot be read ({error.strerror or error}): check that the file is "
                                  "readable by you and ingest it again", path) from error
    if size == 0:
        raise EmptyFileError(f"{name} is empty (0 bytes): download or export the report again and ingest that",
                             path)
    if b"%PDF-" not in head:
        lowered = head.lstrip().lower()
        if lowered.startswith(b"<!doctype html") or b"<html" in lowered or b"<head" in lowered:
            raise HtmlPageError(
                f"{name} is an HTML page, not a PDF (a web page or error page saved under a .pdf name): "
                "download the report's PDF itself (the link on that page) and ingest that", path)
        raise NotAPdfError(f"{name} is not a PDF (it does not start with %PDF-): fetch the report's PDF itself "
                           "and ingest that", path)
    return b"%%EOF" not in tail


@contextmanager
def open_pdf(path: Path, repair: bool = False, because: str | None = None) -> Iterator[OpenedPdf]:
    """Open a PDF with pdfplumber, turning every parser failure into an ExtractionError.

    A PDF pdfminer cannot open (or in which it finds no pages) is repaired with PDFium when it is
    not truncated; `repair=True` reads the repaired copy straight away (`because`: why)."""
    path = Path(path)
    truncated = check_pdf_file(path)
    notes: list[str] = []
    if repair:
        pdf = _open_repaired(path, truncated, because or "a page could not be read")
        notes.append(_repaired_note(because or "a page could not be read"))
    else:
        try:
            pdf = pdfplumber.open(path)
        except Exception as error:  # noqa: BLE001 - pdfplumber wraps whatever pdfminer raised
            cause = _unwrap(error)
            _raise_if_encrypted(path, cause)
            problem = describe_error(cause)
            pdf = _open_repaired(path, truncated, problem, cause)
            notes.append(_repaired_note(problem))
    repaired = bool(notes)
    try:
        count = page_count(pdf)
        if count == 0 and not repaired:
            _close(pdf)
            pdf = _open_repaired(path, truncated, "pdfminer found no pages in it")
            notes.append(_repaired_note("pdfminer found no pages in it"))
            repaired, count = True, page_count(pdf)
        if count == 0:
            raise DamagedPdfError(f"{path.name} has no pages that can be read: {RETRY}", path)
        rebuilt = any(isinstance(xref, PDFXRefFallback) for xref in pdf.doc.xrefs) and not repaired
        if truncated and rebuilt:  # the end of the file, with its cross-reference table, is missing
            raise TruncatedPdfError(
                f"{path.name} is truncated: it ends without the PDF end-of-file marker (%%EOF) and its "
                "cross-reference table is missing, so the download or copy was probably cut short: download "
                "the report again and ingest that", path)
        if truncated:
            notes.append("the file ends without the PDF end-of-file marker (%%EOF) but every page could be read "
                         "(read anyway; if figures are missing, download the report again and ingest that)")
        if rebuilt:
            notes.append("the PDF's cross-reference table is broken: pdfminer rebuilt it by scanning the file "
                         "(read anyway; if figures look wrong, save a new copy of the PDF and ingest that)")
        if pdf.doc.encryption is not None:
            notes.append("encrypted with an empty password: read anyway")
        yield OpenedPdf(path, pdf, count, truncated, repaired, notes)
    finally:
        _close(pdf)


def page_count(pdf: pdfplumber.PDF) -> int:
    """The number of pages, from the page tree's /Count when it has one (without building every
    page: a 2,000-page PDF is counted in milliseconds), else by walking the page tree."""
    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        if isinstance(count, int) and count > 0:
            return count
    except Exception:  # noqa: BLE001 - a broken page tree is counted the slow way below
        pass
    try:
        return sum(1 for _ in PDFPage.create_pages(pdf.doc))
    except Exception:  # noqa: BLE001
        return 0


def _open_repaired(path: Path, truncated: bool, problem: str, cause: BaseException | None = None) -> pdfplumber.PDF:
    """Let PDFium rebuild the file's structure and reopen the rebuilt copy with pdfplumber."""
    if truncated:
        raise TruncatedPdfError(
            f"{path.name} is truncated or damaged: it ends without the PDF end-of-file marker (%%EOF), so the "
            f"download or copy was probably cut short ({problem}): download the report again and ingest that",
            path) from cause
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            if len(document) == 0:
                raise ValueError("no pages")
            buffer = io.BytesIO()
            document.save(buffer)
        finally:
            document.close()
        buffer.seek(0)
        pdf = pdfplumber.open(buffer)
    except Exception as error:  # noqa: BLE001 - any failure of the repair means: not repairable
        if "password" in str(error).lower():
            raise _encrypted(path) from error
        raise DamagedPdfError(
            f"{path.name} is damaged and could not be repaired ({problem}; repair: {describe_error(error)}): {RETRY}",
            path) from (cause or error)
    return pdf


def _repaired_note(problem: str) -> str:
    return (f"the PDF is damaged ({problem}): arw read a copy repaired by PDFium; check the figures against the "
            "PDF, or save a new copy of it and ingest that")


def _raise_if_encrypted(path: Path, cause: BaseException) -> None:
    if isinstance(cause, PDFPasswordIncorrect):
        raise _encrypted(path) from cause
    if isinstance(cause, PDFEncryptionError):
        raise EncryptedPdfError(
            f"{path.name} is encrypted with a method arw cannot read ({describe_error(cause)}): save an unencrypted "
            "copy and ingest that", path) from cause


def _encrypted(path: Path) -> EncryptedPdfError:
    return EncryptedPdfError(f"{path.name} is password-protected: save an unencrypted copy and ingest that", path)


def _unwrap(error: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception: PdfminerException(PDFSyntaxError(...))."""
    while type(error).__name__ == "PdfminerException" and error.args and isinstance(error.args[0], BaseException):
        error = error.args[0]
    return error


def describe_error(error: BaseException) -> str:
    """'PDFSyntaxError: No /Root object!' — short, for a message."""
    error = _unwrap(error)
    text = "".join(c if c.isprintable() else "?" for c in str(error).strip())
    if len(text) > 120:
        text = text[:119] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _close(pdf: pdfplumber.PDF) -> None:
    """Close without pdfplumber building every page first (PDF.close() walks `pdf.pages`)."""
    try:
        if "_pages" in vars(pdf):
            pdf.close()
        elif not pdf.stream_is_external:
            pdf.stream.close()
    except Exception:  # noqa: BLE001 - closing a damaged file must not hide the real error
        pass
