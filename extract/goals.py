"""Goals (nämndmål) and their assessment, read from the report's running text."""
from __future__ import annotations

import re

from extract.stream import GOAL_HEADING, Item
from extract.vocabulary import assessment_in

ASSESSMENT = re.compile(
    r"bedömningen\s+är\s+att\s+(?:nämnd)?målet\s+(?P<verdict>[^.]*?)(?:\.|$)", re.IGNORECASE
)


def assessment_of(sentence: str) -> str | None:
    """'uppfylls delvis' -> partial, 'i hög grad' / 'helt' -> high, 'inte' / 'ej' -> not_met
    (the words are data: dbt_project/seeds/vocab_assessments.csv)."""
    match = ASSESSMENT.search(sentence)
    return assessment_in(match["verdict"]) if match else None


def goal_rows(items: list[Item]) -> list[dict]:
    """One row per goal heading, assessed by the first assessment sentence that follows it."""
    rows: list[dict] = []
    current: dict | None = None
    text: list[str] = []
    for item in items + [Item(page=0)]:
        heading = item.heading
        starts_goal = heading is not None and GOAL_HEADING.match(heading.text)
        ends_section = heading is not None and heading.level == 1
        if current is not None and (starts_goal or ends_section or item.page == 0):
            current["assessment"] = assessment_of(" ".join(text))
            rows.append(current)
            current = None
        if starts_goal:
            match = GOAL_HEADING.match(heading.text)
            current = {
                "goal_area": item.context.goal_area or "",
                "goal_id": match[1],
                "title": match[2].strip(),
                "page": heading.page,
                "x0": heading.x0, "top": heading.top, "x1": heading.x1, "bottom": heading.bottom,
            }
            text = []
        elif current is not None and item.line is not None:
            text.append(item.line.text)
    return rows
