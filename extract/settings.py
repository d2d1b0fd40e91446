"""Tunable tolerances for extraction, in one place (as pdfplumber's TableSettings).

All distances are in PDF points or, where named `*_ratio`, relative to the font size of the
text involved, so the same settings work for other fonts, sizes and page formats.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractSettings:
    # chars -> words: pdfplumber's own tolerances (points)
    x_tolerance: float = 1.5
    y_tolerance: float = 2.5
    # words -> cells: a horizontal gap wider than this (x font size) starts a new cell
    cell_gap_ratio: float = 0.9
    # words closer than this (x font size) touch: split by a font change inside one printed word
    touching_gap_ratio: float = 0.08
    # words -> lines: words whose tops differ less than this (x font size) share a line
    line_tolerance_ratio: float = 0.35
    # lines -> table: a line joins the table above when the gap to it is at most this (x size)
    max_row_gap_ratio: float = 1.9
    # a single-cell line continues a table only if its size differs less than this (points)
    size_tolerance: float = 0.75
    # section headings: label-column lines with no values may separate a table's lines by up
    # to this (x body size; a header is often set well above the first row) ...
    section_gap_ratio: float = 3.0
    # ... and may be set this much larger than the table's text (x body size)
    section_max_size_ratio: float = 1.5
    # lines of one wrapped cell (or a value line centred on it) are at most this far apart
    # (x font size); a wider gap parts rows
    wrap_gap_ratio: float = 0.6
    # a label alone on its line, centred within this (x font size) between two rows without labels,
    # labels both ('2024' beside its 'Budget' and 'Outcome' rows)
    row_span_centre_ratio: float = 0.25
    # cells start in the label column when within this of the table's left edge (points)
    label_indent_tolerance: float = 14.0
    # columns: cell spans closer than this are merged into one column (points)
    column_merge_tolerance: float = 1.0
    # leader dots ('Skatteintäkter ....... 3 512'): a run of at least this many dots on one line,
    # each at most this far from the next (x font size), is white space, not text
    leader_min_dots: int = 4
    leader_gap_ratio: float = 0.6
    # a word printed upwards or downwards is a column header when upright text starts at most this
    # far under its end (x that text's size); else (a note along the margin) it is left out
    sideways_header_gap_ratio: float = 3.0
    # words outside the page box by more than this (points) are not printed: dropped
    off_page_tolerance: float = 1.0
    # running header/footer: text in this band of the page (fraction of the height) ...
    furniture_band: float = 0.09
    # ... that recurs on at least this share of pages is page furniture, not content
    furniture_min_share: float = 0.5
    # headings: bigger than body text by at least this many points, or bold
    heading_size_delta: float = 0.9
    heading_max_chars: int = 200
    # a plain line of at most this many words right above a table is its caption ('Belopp i tkr')
    caption_max_words: int = 6
    # rulings: horizontal lines at least this share of the table width delimit rows
    ruling_min_width_share: float = 0.6
    # turned pages (/Rotate 90, 180, 270 over upright content, or text drawn sideways): a page is
    # read in the frame where its text is upright when more than this share of its characters
    # run in one turned direction (a vertical margin note alone never turns a page)
    turned_text_min_share: float = 0.5
    # pages: refuse documents longer than this (bounded time and memory): counted from the page
    # tree's /Count before any page is parsed (TooManyPagesError); `arw ingest --max-pages N`
    max_pages: int = 500


DEFAULT_SETTINGS = ExtractSettings()
