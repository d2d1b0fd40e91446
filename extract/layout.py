"""Geometric primitives: words -> lines -> cells, and the rulings drawn on a page.

Small pure functions over plain dataclasses so each step can be tested alone, as in
pdfplumber's own table.py. Nothing here knows about annual reports.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from statistics import median
from typing import Iterable, Sequence

from extract.numbers import is_thousands_group, normalise, parse_value
from extract.settings import DEFAULT_SETTINGS, ExtractSettings

_BOLD_FONT = re.compile(r"(bold|black|heavy|semibold|demi)|Bd($|[-,])|-B$|,B$", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    font: str = ""  # the PDF font name with its subset tag: the only sign of style in some files


@dataclass(frozen=True)
class Cell:
    """Words that belong together on one line: a table cell or a run of running text."""

    words: tuple[Word, ...]

    @cached_property
    def text(self) -> str:  # asked for again and again by every later step: joined once
        return join_words(self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def size(self) -> float:
        return median(w.size for w in self.words)

    @property
    def style(self) -> tuple[str, bool]:
        """The font most of the cell's characters are set in, and whether it is bold.

        Some producers name regular, bold and italic subsets of one font alike ('AAAAAI+ArialMT',
        'AAAAAK+ArialMT'), so the full name is what tells a heading from the rows under it; a
        glyph or two from another subset (a broken 'å') does not change the cell's style."""
        weights: dict[str, int] = {}
        for w in self.words:
            weights[w.font] = weights.get(w.font, 0) + len(w.text)
        return max(weights, key=lambda font: weights[font]), self.bold


@dataclass(frozen=True)
class Line:
    """One visual line of a page, split into cells at wide gaps."""

    page: int
    cells: tuple[Cell, ...]

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for c in self.cells for w in c.words)

    @cached_property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def top(self) -> float:
        return min(c.top for c in self.cells)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.cells)

    @property
    def x0(self) -> float:
        return self.cells[0].x0

    @property
    def x1(self) -> float:
        return self.cells[-1].x1

    @property
    def size(self) -> float:
        return median(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        return all(c.bold for c in self.cells)


@dataclass(frozen=True)
class Ruling:
    """A drawn line or thin rectangle edge: 'h' (horizontal) or 'v' (vertical)."""

    orientation: str
    x0: float
    x1: float
    top: float
    bottom: float


def is_bold_font(fontname: str) -> bool:
    return _BOLD_FONT.search(fontname.split("+")[-1]) is not None


def join_words(words: Sequence[Word], touching_gap_ratio: float = DEFAULT_SETTINGS.touching_gap_ratio) -> str:
    """Words of one cell with a space between them, except where they touch.

    pdfplumber splits a word where the font changes; a glyph taken from another font subset
    (a broken 'ö' printed as '!' in 'R!relseint"kter') leaves no gap, while a printed space is
    about a quarter em wide."""
    text = ""
    for previous, word in zip((None, *words), words):
        touching = previous is not None and word.x0 - previous.x1 <= touching_gap_ratio * max(word.size, 1.0)
        text = f"{text}{word.text}" if touching or not text else f"{text} {word.text}"
    return text


HYPHEN_KEEPS_SPACE = {"och", "eller", "samt", "respektive", "till", "som"}


def join_wrapped(parts: Sequence[str]) -> str:
    """Join the lines of a wrapped cell with one space; 'IT-' + 'system' stays 'IT-system'.

    A line ending in a hyphen before a conjunction is Swedish elision ('gransknings- och
    beslutsattest') and keeps its space.
    """
    text = ""
    for part in parts:
        if text.endswith("-") and len(text) > 1 and text[-2] != " " and part.split(" ")[0] not in HYPHEN_KEEPS_SPACE:
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text


def words_from_plumber(raw_words: Iterable[dict]) -> list[Word]:
    """Convert pdfplumber's word dicts (with fontname and size) to Words."""
    words = [
        Word(
            text=normalise_text(w["text"]),
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
            size=round(float(w.get("size", 10.0)), 2),
            bold=is_bold_font(str(w.get("fontname", ""))),
            font=str(w.get("fontname", "")),
        )
        for w in raw_words
    ]
    return [w for w in words if w.text.strip()]


def sideways_words(raw_words: Iterable[dict], upright: Sequence[Word], settings: ExtractSettings) -> list[Word]:
    """Words printed upwards or downwards (column headers turned a quarter to fit narrow
    columns) as words set on the line where they end, as wide as they are, so that they join
    the header line beside them; pdfplumber's words of such characters, read along them. A
    turned word with no upright text right under it (a note along the margin) is left out."""
    words = []
    for raw in _sideways_phrases(raw_words):
        size = float(raw["x1"]) - float(raw["x0"])  # the glyphs' height, across their baseline
        bottom = float(raw["bottom"])
        word = Word(normalise_text(raw["text"]), float(raw["x0"]), float(raw["x1"]), bottom - size, bottom,
                    round(size, 2), is_bold_font(str(raw.get("fontname", ""))), str(raw.get("fontname", "")))
        under = [w for w in upright if w.x0 < word.x1 and word.x0 < w.x1
                 and 0 <= w.top - bottom <= settings.sideways_header_gap_ratio * max(w.size, 1.0)]
        if word.text.strip() and under:
            words.append(word)
    return words


def _sideways_phrases(raw_words: Iterable[dict]) -> list[dict]:
    """Turned words that follow each other on one turned line, a space apart, joined
    ('Tekniska' then, above it, 'nämnden'): pdfplumber parts words at spaces."""
    phrases: list[dict] = []
    for raw in raw_words:
        last = phrases[-1] if phrases else None
        size = float(raw["x1"]) - float(raw["x0"])
        if last is not None and last.get("direction") == raw.get("direction") and abs(last["x0"] - raw["x0"]) < 1:
            gap = last["top"] - raw["bottom"] if raw.get("direction") == "btt" else raw["top"] - last["bottom"]
            if -1 <= gap <= size:
                phrases[-1] = {**last, "text": f"{last['text']} {raw['text']}", "top": min(last["top"], raw["top"]),
                               "bottom": max(last["bottom"], raw["bottom"])}
                continue
        phrases.append(dict(raw))
    return phrases


# characters that stand for no printed glyph: soft hyphens, and the U+0000 / U+FFFE that
# broken ToUnicode maps give for ligatures ('Ne\0oomsä\0ning'); a NUL also breaks C-string consumers
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\ufffe\x00"), None)


def normalise_text(text: str) -> str:
    """Replace ligatures and odd spaces that PDF producers emit; drop invisible characters.

    A soft hyphen ending a word is where the word was broken at a line end: printed as '-'."""
    if text.endswith("\u00ad") and len(text) > 1:
        text = text[:-1] + "-"
    return (
        text.translate(INVISIBLE).replace("\ufb01", "fi").replace("\ufb02", "fl")
        .replace("\u00a0", " ").replace("\u202f", " ")
    )


def group_lines(words: Sequence[Word], settings: ExtractSettings) -> list[list[Word]]:
    """Cluster words into visual lines by their top edge, each sorted left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            current = lines[-1]
            ref = median(w.top for w in current)
            if abs(word.top - ref) <= settings.line_tolerance_ratio * max(word.size, 1.0):
                current.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def split_cells(
    words: Sequence[Word], settings: ExtractSettings, vertical_rulings: Sequence[Ruling] = ()
) -> list[Cell]:
    """Split one line's words into cells at wide gaps and at vertical rulings."""
    cells: list[list[Word]] = []
    for word in words:
        if cells and not _starts_new_cell(cells[-1][-1], word, settings, vertical_rulings):
            cells[-1].append(word)
        else:
            cells.append([word])
    return [piece for cell in cells for piece in split_numeric_runs(cell)]


def _starts_new_cell(
    prev: Word, word: Word, settings: ExtractSettings, vertical_rulings: Sequence[Ruling]
) -> bool:
    gap = word.x0 - prev.x1
    if gap > settings.cell_gap_ratio * max(prev.size, word.size):
        return True
    return any(
        prev.x1 - 0.5 <= r.x0 <= word.x0 + 0.5 and r.top <= word.bottom and r.bottom >= word.top
        for r in vertical_rulings
    )


def split_numeric_runs(words: list[Word]) -> list[Cell]:
    """A run of adjacent numbers ('12,3 10,7') is several cells unless it is one grouped number.

    Tight column spacing can put two numbers closer than the cell gap; a valid thousands grouping
    ('1 234,1') is the only way several numeric words form one value.
    """
    pieces: list[list[Word]] = []
    for word in words:
        if pieces and not _continues_number_run(pieces[-1], word):
            pieces.append([word])
        elif pieces:
            pieces[-1].append(word)
        else:
            pieces.append([word])
    return [Cell(tuple(p)) for p in pieces]


def _continues_number_run(piece: Sequence[Word], word: Word) -> bool:
    if _is_number_word(piece[-1].text) and _is_number_word(word.text):
        return is_thousands_group(_trailing_number(piece), word.text)
    return True


def _is_number_word(text: str) -> bool:
    parsed = parse_value(text)
    return parsed is not None and parsed.is_number


def _trailing_number(words: Sequence[Word]) -> str:
    texts: list[str] = []
    for w in reversed(words):
        if not _is_number_word(w.text):
            break
        texts.insert(0, normalise(w.text))
    return " ".join(texts)


def rulings_from_edges(edges: Iterable[dict], turn: Turn) -> list[Ruling]:
    """Horizontal and vertical rulings from a page's edges (pdfplumber's `page.edges`: drawn
    lines, rectangle sides), in the page's upright frame (a quarter turn swaps 'h' and 'v')."""
    swap = {"h": "v", "v": "h"} if turn.angle in (90, 270) else {"h": "h", "v": "v"}
    rulings: list[Ruling] = []
    for edge in edges:
        orientation = edge.get("orientation")
        if orientation not in ("h", "v"):
            continue
        x0, top, x1, bottom = turn.upright_box(
            float(edge["x0"]), float(edge["top"]), float(edge["x1"]), float(edge["bottom"]))
        rulings.append(Ruling(swap[orientation], x0, x1, top, bottom))
    return rulings


# --- turned pages --------------------------------------------------------------------------------
# A page whose /Rotate turns upright content (or whose text is drawn sideways) shows its lines
# running down, up or upside down; pdfplumber's words then come out vertical or reversed
# ('rötnareveL'). Such a page is read in the frame where its text runs left to right, so its
# lines, cells and tables are those of the upright page; boxes go back onto the displayed page.


@dataclass(frozen=True)
class Turn:
    """How far a page's text is turned clockwise on the page as displayed (0, 90, 180 or 270
    degrees), and the displayed page's width and height (points, origin top left, as pdfplumber
    gives every position, /Rotate applied)."""

    angle: int = 0
    width: float = 0.0
    height: float = 0.0

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the upright frame: a quarter turn swaps them."""
        return (self.height, self.width) if self.angle in (90, 270) else (self.width, self.height)

    def upright(self, x: float, y: float) -> tuple[float, float]:
        """A point of the displayed page in the upright frame."""
        w, h = self.width, self.height
        return {0: (x, y), 90: (y, w - x), 180: (w - x, h - y), 270: (h - y, x)}[self.angle]

    def displayed(self, x: float, y: float) -> tuple[float, float]:
        """A point of the upright frame on the displayed page (the inverse of `upright`)."""
        w, h = self.width, self.height
        return {0: (x, y), 90: (w - y, x), 180: (w - x, h - y), 270: (y, h - x)}[self.angle]

    def upright_box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        return _box(self.upright(x0, top), self.upright(x1, bottom))

    def displayed_box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        return _box(self.displayed(x0, top), self.displayed(x1, bottom))

    def upright_vector(self, a: float, b: float) -> tuple[float, float]:
        """A direction in PDF space (y up) in the upright frame: the inverse quarter turns."""
        return {0: (a, b), 90: (-b, a), 180: (-a, -b), 270: (b, -a)}[self.angle]


def _box(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float, float, float]:
    return min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])


def text_angle(matrix: Sequence[float]) -> int | None:
    """Which way a glyph's baseline runs on the displayed page, from its text matrix (PDF space,
    y up), in clockwise degrees rounded to a quarter turn: 0 left to right, 90 downwards, 180
    upside down, 270 upwards; None for a degenerate matrix. Italic shear leaves it 0."""
    a, b = float(matrix[0]), float(matrix[1])
    if a == 0 and b == 0:
        return None
    return round(math.degrees(math.atan2(-b, a)) / 90) % 4 * 90


def page_turn(chars: Sequence[dict], width: float, height: float, settings: ExtractSettings) -> Turn:
    """The turn of a page: the direction most of its printed characters run in, when more than
    `turned_text_min_share` of them run that way; else none (an upright page, or no text)."""
    directions = Counter((c["matrix"][0], c["matrix"][1]) for c in chars
                         if "matrix" in c and str(c.get("text", "")).strip())
    angles: Counter[int | None] = Counter()
    for (a, b), count in directions.items():  # a page has few directions and many glyphs
        angles[text_angle((a, b))] += count
    angles.pop(None, None)
    total = sum(angles.values())
    angle, count = angles.most_common(1)[0] if angles else (0, 0)
    turned = angle != 0 and count > settings.turned_text_min_share * total
    return Turn(angle if turned else 0, float(width), float(height))


LEADER_DOTS = frozenset(".·\u2024")  # full stop, middle dot, one-dot leader


def drop_leaders(chars: Sequence[dict], settings: ExtractSettings) -> list[dict]:
    """The characters without the leader dots between a label and its figures ('Skatteintäkter
    ........ 3 512'): as text they would join the label and the figures into one cell, and the
    columns with it. A run counts from `leader_min_dots` dots, each within `leader_gap_ratio` of
    the next on the same line (spaced leaders '. . .' too), so '...' (a value not yet known)
    stays. So do the leaders of a table of contents, followed by a page number or nothing: with
    them a contents line stays one cell, not a table of titles and page numbers."""
    dropped: set[int] = set()
    run: list[int] = []
    for index, char in enumerate(list(chars) + [{"text": ""}]):
        text = char["text"]
        if text.isspace() and run:
            continue
        if text in LEADER_DOTS and run and _leads_on(chars[run[-1]], char, settings):
            run.append(index)
            continue
        if len(run) >= settings.leader_min_dots and not _contents_line_end(_rest_of_line(chars, run[-1], settings)):
            dropped.update(run)
        run = [index] if text in LEADER_DOTS else []
    return [char for index, char in enumerate(chars) if index not in dropped]


def _rest_of_line(chars: Sequence[dict], last: int, settings: ExtractSettings) -> str:
    """The text after character `last` on its line, in content order."""
    size = max(float(chars[last].get("size", 10.0)), 1.0)
    rest = []
    for char in chars[last + 1:]:
        if abs(char["top"] - chars[last]["top"]) > settings.line_tolerance_ratio * size:
            break
        rest.append(char["text"])
    return "".join(rest).strip()


def _contents_line_end(text: str) -> bool:
    """A page number, or nothing: what a table of contents' leaders lead to."""
    return re.fullmatch(r"\d{0,3}", text) is not None


def _leads_on(previous: dict, char: dict, settings: ExtractSettings) -> bool:
    size = max(float(char.get("size", 10.0)), 1.0)
    return (abs(char["top"] - previous["top"]) <= settings.line_tolerance_ratio * size
            and 0 <= char["x0"] - previous["x1"] + 0.5 <= settings.leader_gap_ratio * size + 0.5)


def upright_chars(chars: Sequence[dict], turn: Turn) -> list[dict]:
    """pdfplumber's characters as the upright page would give them: boxes and text matrix in
    the upright frame, `upright` recomputed (as pdfminer does), `size` the glyph's height across
    its baseline. The same list when the page is not turned; the order (content-stream order,
    which word grouping follows) is kept."""
    if turn.angle == 0:
        return list(chars)
    height = turn.size[1]
    turned = []
    for char in chars:
        x0, top, x1, bottom = turn.upright_box(char["x0"], char["top"], char["x1"], char["bottom"])
        a, b, c, d, e, f = (float(v) for v in char.get("matrix", (1, 0, 0, 1, 0, 0)))
        (a, b), (c, d) = turn.upright_vector(a, b), turn.upright_vector(c, d)
        e, f = turn.upright(e, turn.height - f)
        turned.append({
            **char, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "y0": height - bottom, "y1": height - top, "width": x1 - x0, "height": bottom - top,
            "size": bottom - top, "matrix": (a, b, c, d, e, height - f), "upright": a * d > 0 and b * c <= 0,
        })
    return turned
