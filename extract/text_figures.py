"""Figures stated in the report's running text, one row per number, with the sentence around it.

Consistency checks compare what the prose says ("kostnader på 180,3 mnkr") with the tables; a
rule selects a figure by a regex over its sentence and its position in it, so paragraphs are
rebuilt across wrapped lines (and page breaks) before sentences are split and figures found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.layout import Line, Word, join_wrapped
from extract.stream import Item

PARAGRAPH_GAP_RATIO = 0.9  # a vertical gap above this (x font size) between lines ends a paragraph
SIZE_CHANGE = 0.5  # points: a footnote (smaller type) under body text is its own paragraph
BULLET = re.compile(r"^[•▪◦●*\-–]\s")  # a list item starts a paragraph of its own
SENTENCE_END = (".", ":", "!", "?")

# Tokens ending in '.' that do not end a sentence.
ABBREVIATIONS = {
    "bl.a.", "t.ex.", "ca.", "kl.", "nr.", "s.k.", "dvs.", "d.v.s.", "jfr.", "resp.", "inkl.",
    "exkl.", "fr.o.m.", "t.o.m.", "p.g.a.", "f.d.", "kap.", "sid.", "s.",
}
SENTENCE_BREAK = re.compile(r"[.?!](?=\s+[\"“(]?[A-ZÅÄÖÉ0-9])")

UNITS = {
    "miljoner kronor": "mnkr", "mnkr": "mnkr", "mkr": "mnkr", "tusen kronor": "tkr", "tkr": "tkr",
    "kronor": "kr", "kr": "kr", "procent": "percent", "%": "percent",
}
FIGURE = re.compile(
    r"""(?<![^\s(\[])                                  # starts a word (or follows an opening bracket)
    (?P<number>(?P<sign>[-−–+])?
        (?P<int>\d{1,3}(?:[ \u00a0]\d{3})+|\d+)        # '1 234' is one number, '2024 1' is not
        (?:[,.](?P<frac>\d+))?)
    (?![\w:/§\-−–]|[.,]\d)                             # not '2024-12-31', '2006:412', '11-spelarplan'
    (?:\s?(?P<unit>miljoner\s+kronor|tusen\s+kronor|mnkr|mkr|tkr|kronor|kr|procent|%)(?!\w))?
    """,
    re.VERBOSE,
)
# A bare number after these words is a reference (goal 1.1, section 3.2, 10.00 o'clock), not a figure.
REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:nämndmål|mål|avsnitt|kapitel|kap\.|bilaga|punkt|sidan|sida|sid\.|s\.|kl\.|klockan|nr\.?)|§)\s*$",
    re.IGNORECASE,
)
MAX_DECIMALS = 6


@dataclass(frozen=True)
class Placed:
    """A word of a paragraph with its character span in the paragraph's text."""

    start: int
    end: int
    page: int
    word: Word


@dataclass(frozen=True)
class Paragraph:
    text: str
    words: tuple[Placed, ...]


@dataclass(frozen=True)
class Figure:
    """A number found in a sentence; start/end span the number (not its unit) in the sentence."""

    value: float
    decimals: int
    unit: str | None
    text: str
    start: int
    end: int


def continues(previous: tuple[int, Line], current: tuple[int, Line]) -> bool:
    """Whether `current` goes on the paragraph that `previous` is the last line of."""
    (prev_page, prev), (page, line) = previous, current
    if BULLET.match(line.text) or abs(prev.size - line.size) > SIZE_CHANGE:
        return False
    if page == prev_page:
        return line.top - prev.bottom <= PARAGRAPH_GAP_RATIO * line.size
    if page == prev_page + 1:  # a paragraph broken by the page: the sentence is not finished
        return line.text[:1].islower() or not prev.text.rstrip().endswith(SENTENCE_END)
    return False


def join_lines(lines: list[tuple[int, Line]]) -> Paragraph:
    """Join wrapped lines ('IT-' + 'system' -> 'IT-system') and remember where each word went."""
    text, placed = "", []
    for page, line in lines:
        text = join_wrapped([text, line.text]) if text else line.text
        offset = len(text) - len(line.text)
        for word in line.words:
            placed.append(Placed(offset, offset + len(word.text), page, word))
            offset += len(word.text) + 1
    return Paragraph(text, tuple(placed))


def paragraphs(items: list[Item]) -> list[Paragraph]:
    """Runs of text lines, ended by a heading, a table, a wide gap, a size change or a list item."""
    result: list[Paragraph] = []
    lines: list[tuple[int, Line]] = []
    for item in items:
        if item.line is not None and lines and continues(lines[-1], (item.page, item.line)):
            lines.append((item.page, item.line))
            continue
        if lines:
            result.append(join_lines(lines))
        lines = [(item.page, item.line)] if item.line is not None else []
    if lines:
        result.append(join_lines(lines))
    return result


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: a break is '. ', '? ' or '! ' before a capital or a digit."""
    spans, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        token = text[:match.end()].rsplit(None, 1)[-1].lower()
        if token in ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    stripped = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            stripped.append((start + lead, start + lead + len(piece.strip())))
    return stripped


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def find_figures(sentence: str) -> list[Figure]:
    """Numbers with a unit (mnkr, tkr, kr, percent), or with decimals; never bare integers.

    Bare integers are years, counts, dates, ordinals and page numbers far more often than
    figures a table could confirm, so an integer counts only when a unit follows it.
    """
    figures = []
    for match in FIGURE.finditer(sentence):
        unit = UNITS[re.sub(r"\s+", " ", match["unit"].lower())] if match["unit"] else None
        frac = match["frac"] or ""
        if unit is None and (not frac or _is_reference(sentence, match.start())):
            continue
        if len(frac) > MAX_DECIMALS:
            continue
        digits = re.sub(r"\D", "", match["int"])
        value = float(f"{digits}.{frac}" if frac else digits)
        if match["sign"] in ("-", "−", "–"):
            value = -value
        figures.append(Figure(value + 0.0, len(frac), unit, match[0], match.start(), match.end("number")))
    return figures


def _is_reference(sentence: str, start: int) -> bool:
    """A bare number that opens the sentence (list numbering) or follows 'mål', '§', 'kl.' ..."""
    before = sentence[:start]
    return not before.strip(" *(•-") or REFERENCE_BEFORE.search(before) is not None


def text_figure_rows(items: list[Item]) -> list[dict]:
    """One row per figure in the running text (tables are never read), deduplicated per page."""
    rows: list[dict] = []
    seen: set[tuple[int, str, int]] = set()
    for paragraph in paragraphs(items):
        for start, end in sentence_spans(paragraph.text):
            sentence = paragraph.text[start:end]
            for index, figure in enumerate(find_figures(sentence), start=1):
                words = [p for p in paragraph.words if p.start < start + figure.end and p.end > start + figure.start]
                if not words:  # a figure made only of characters the text layer did not place
                    continue
                page = words[0].page
                words = [p.word for p in words if p.page == page]
                key = (page, sentence, index)
                if key in seen:  # the same sentence printed twice on a page states the same figures
                    continue
                seen.add(key)
                rows.append({
                    "page": page, "sentence": sentence, "figure_index": index, "value": figure.value,
                    "decimals": figure.decimals, "unit": figure.unit, "text": figure.text,
                    "x0": min(w.x0 for w in words), "top": min(w.top for w in words),
                    "x1": max(w.x1 for w in words), "bottom": max(w.bottom for w in words),
                })
    return rows
