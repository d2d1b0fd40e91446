"""The errors extraction raises, each saying what is wrong with the file and what to do."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError


class ExtractionError(Exception):
    """A report could not be read; the message tells the user what to do."""


class NotAPdfError(ExtractionError):
    pass


class EncryptedPdfError(ExtractionError):
    pass


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfplumber.PDF]:
    """Open a PDF with pdfplumber, turning parser failures into ExtractionErrors."""
    if not path.exists():
        raise ExtractionError(f"{path} does not exist: check the path")
    if path.stat().st_size == 0:
        raise NotAPdfError(f"{path.name} is empty (0 bytes): download or export the report again")
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise NotAPdfError(f"{path.name} is {kind}: fetch the report's PDF itself")
    try:
        pdf = pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise EncryptedPdfError(f"{path.name} is encrypted: save an unencrypted copy and ingest that") from error
    except (PDFSyntaxError, Exception) as error:  # pdfminer raises many types for broken files
        raise ExtractionError(f"{path.name} could not be parsed as a PDF ({error}): the file may be truncated") from error
    try:
        yield pdf
    finally:
        pdf.close()
