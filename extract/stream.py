"""The report in reading order: headings, text lines and tables, each with the headings above it.

Context (chapter, goal area, nearest heading) is what names a table's family and fills columns
like goal_area or risk; it is taken from the headings, never from page numbers or coordinates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.document import DocumentStyle, Heading, PageContent, is_heading_line
from extract.layout import Line
from extract.settings import DEFAULT_SETTINGS, ExtractSettings
from extract.tables import Table, build_tables, continues_on_next_page, find_blocks, join_tables

GOAL_HEADING = re.compile(r"^(?:Nämndmål|Mål)\s+(\d+(?:\.\d+)*)\s+(.+)$")


@dataclass
class TableContext:
    chapter: str | None = None
    heading: str | None = None  # nearest structural heading above the table
    caption: str | None = None  # nearest heading of any kind (a bold caption line counts)
    goal_area: str | None = None
    chapter_has_goals: bool = False


@dataclass
class Item:
    page: int
    heading: Heading | None = None
    line: Line | None = None
    table: Table | None = None
    context: TableContext = field(default_factory=TableContext)


def build_stream(pages: list[PageContent], style: DocumentStyle, settings: ExtractSettings) -> list[Item]:
    """Items in reading order; a table continued on the next page becomes one item."""
    items: list[Item] = []
    for page in pages:
        page_items = _page_items(page, style, settings)
        if page_items and page_items[0].table is not None and items and items[-1].table is not None:
            previous, current = items[-1].table, page_items[0].table
            if continues_on_next_page(previous, current):
                items[-1].table = join_tables(previous, current, page.rulings, settings)
                page_items = page_items[1:]
        items.extend(page_items)
    assign_context(items, style, settings)
    return items


def _page_items(page: PageContent, style: DocumentStyle, settings: ExtractSettings) -> list[Item]:
    blocks = find_blocks(page.lines, settings)
    starts = {id(block[0]): block for block in blocks}
    in_block = {id(line) for block in blocks for line in block}
    items: list[Item] = []
    previous_heading_line: Line | None = None
    for line in page.lines:
        if id(line) in starts:
            tables = build_tables(starts[id(line)], page.rulings, settings)
            items += [Item(page.number, table=table) for table in tables]
            previous_heading_line = None
        elif id(line) in in_block:
            continue
        elif is_heading_line(line, style, settings):
            if previous_heading_line is not None and _wraps(previous_heading_line, line):
                items[-1].heading = items[-1].heading.extended(line)
            else:
                items.append(Item(page.number, heading=Heading.of(line, style.level_of(line.size))))
            previous_heading_line = line
        else:
            items.append(Item(page.number, line=line))
            previous_heading_line = None
    return items


def _wraps(upper: Line, lower: Line) -> bool:
    """A heading continued on the next line: same size and style, tight line spacing."""
    return (
        abs(upper.size - lower.size) < 0.3
        and upper.bold == lower.bold
        and lower.top - upper.bottom <= 0.6 * lower.size
    )


def assign_context(items: list[Item], style: DocumentStyle,
                   settings: ExtractSettings = DEFAULT_SETTINGS) -> None:
    """Give every table and heading the chapter, nearest headings and goal area above it; a
    short plain line printed right above a table ('Belopp i tkr') is its caption."""
    headings = [i.heading for i in items if i.heading is not None]
    goal_sizes = [h.size for h in headings if GOAL_HEADING.match(h.text)]
    goal_area_size = _goal_area_size(goal_sizes, style)
    chapters_with_goals = _chapters_with_goals(items)
    context = TableContext()
    previous: Item | None = None
    for item in items:
        heading = item.heading
        if heading is not None:
            if heading.level == 1:
                context = TableContext(chapter=heading.text, chapter_has_goals=heading.text in chapters_with_goals)
            if heading.level > 0:
                context.heading = heading.text
            context.caption = heading.text
            if context.chapter_has_goals and goal_area_size and abs(heading.size - goal_area_size) < 0.3:
                context.goal_area = sentence_case(heading.text)
            item.context = TableContext(**vars(context))
        elif item.table is not None:
            item.context = TableContext(**vars(context))
            if previous is not None and previous.line is not None and _is_caption(previous.line, settings):
                item.context.caption = previous.line.text
            context.caption = None
        previous = item


def _is_caption(line: Line, settings: ExtractSettings) -> bool:
    return len(line.text.split()) <= settings.caption_max_words and not line.text.rstrip().endswith(".")


def _goal_area_size(goal_sizes: list[float], style: DocumentStyle) -> float | None:
    """Goal areas are the smallest heading size above the goal headings' size."""
    if not goal_sizes:
        return None
    goal_size = max(goal_sizes)
    bigger = [s for s in style.heading_sizes if s > goal_size + 0.2]
    return min(bigger) if bigger else None


def _chapters_with_goals(items: list[Item]) -> set[str]:
    chapters: set[str] = set()
    chapter = None
    for item in items:
        if item.heading is None:
            continue
        if item.heading.level == 1:
            chapter = item.heading.text
        elif chapter and GOAL_HEADING.match(item.heading.text):
            chapters.add(chapter)
    return chapters


def sentence_case(text: str) -> str:
    """'Trygga Invånare' -> 'Trygga invånare': Title Case headings to Swedish sentence case."""
    words = text.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words) and not any(w.isupper() for w in words if len(w) > 1):
        return " ".join([words[0]] + [w.lower() for w in words[1:]])
    return text
