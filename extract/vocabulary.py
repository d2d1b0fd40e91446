"""The report vocabulary, read from the dbt seeds that dbt itself builds the marts with.

Which table is which statement and which words name a unit are data (dbt_project/seeds/
vocab_*.csv), so a user teaches arw another municipality's wording by adding rows there, not
by editing Python. The extractor only needs four parts of it: the table rules (which family a
table is), the unit words (to keep every value's printed unit), the words that judge a
goal in the running text and the headers of note columns (their '3,4,5' lists notes, it is no
malformed amount). Other measures, row roles, indicator words and the typed marts are dbt's,
from the same files.

`ARW_VOCABULARY_DIR` points at another folder of seeds (tests, or a user's own copy).
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"


def seeds_dir() -> Path:
    """The vocabulary's folder (ARW_VOCABULARY_DIR, else the dbt project's seeds): asked for
    every cell, so the same Path object comes back for the same setting."""
    return _folder(os.environ.get("ARW_VOCABULARY_DIR") or None)


@lru_cache(maxsize=4)
def _folder(setting: str | None) -> Path:
    return Path(setting) if setting else DEFAULT_SEEDS


def _read(name: str) -> list[dict[str, str]]:
    with (seeds_dir() / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _compile(pattern: str) -> re.Pattern | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


@dataclass(frozen=True)
class TableRule:
    """A table is `family` when every pattern given matches (caption = nearest heading above it,
    header = the joined header text, first_header = the label column's header, labels = the
    joined row labels). Lower priority numbers are tried first."""

    family: str
    dataset: str  # the typed mart the family feeds: budget (fct_budget), indicators, suppliers, ...
    caption: re.Pattern | None
    header: re.Pattern | None
    first_header: re.Pattern | None
    labels: re.Pattern | None
    priority: int

    def matches(self, caption: str, header: str, first_header: str, labels: str) -> bool:
        checks = [(p, text) for p, text in ((self.caption, caption), (self.header, header),
                                              (self.first_header, first_header), (self.labels, labels)) if p]
        return bool(checks) and all(p.search(text) for p, text in checks)  # no pattern: a family by shape


@dataclass(frozen=True)
class UnitRule:
    unit: str
    scope: str  # 'table': a caption, header, label or cell names the unit; 'report': a sentence does
    pattern: re.Pattern
    priority: int


@lru_cache(maxsize=4)
def _table_rules(folder: Path) -> tuple[TableRule, ...]:
    rules = [
        TableRule(r["family"], r["dataset"], _compile(r["caption"]), _compile(r["header"]), _compile(r["first_header"]),
                  _compile(r["labels"]), int(r["priority"] or 50))
        for r in _read("vocab_tables.csv")
    ]
    return tuple(sorted(rules, key=lambda rule: rule.priority))


@lru_cache(maxsize=4)
def _unit_rules(folder: Path) -> tuple[UnitRule, ...]:
    rules = [UnitRule(r["unit"], r["scope"], re.compile(r["pattern"], re.IGNORECASE), int(r["priority"] or 50))
             for r in _read("vocab_units.csv")]
    return tuple(sorted(rules, key=lambda rule: rule.priority))


@lru_cache(maxsize=4)
def _units(folder: Path) -> dict[str, bool]:
    """unit -> whether it is an amount (kr, tkr, ...) rather than a ratio (percent)."""
    return {r["unit"]: r["is_amount"].lower() == "true" for r in _read("units.csv")}


def table_rules() -> tuple[TableRule, ...]:
    return _table_rules(seeds_dir())


def dataset_of(family: str | None) -> str | None:
    """The typed dataset a table family feeds (None for a table no rule knows)."""
    return next((rule.dataset for rule in table_rules() if rule.family == family), None)


def known_units() -> tuple[str, ...]:
    """Every unit the vocabulary knows (validation accepts exactly these)."""
    return tuple(_units(seeds_dir()))


def amount_factors() -> dict[str, float]:
    """unit -> how many tkr one of it is, for the amount units (kr 0.001, mnkr 1000)."""
    return {r["unit"]: float(r["tkr_factor"]) for r in _read("units.csv") if r["is_amount"].lower() == "true"}


def unit_in(text: str | None, scope: str = "table", amounts_only: bool = False) -> str | None:
    """The unit a text names ('Belopp i tkr' -> 'tkr'), or None. `amounts_only` skips ratios:
    a '%' in one column's header says nothing of the unit of the table's amounts."""
    if not text:
        return None
    amounts = _units(seeds_dir())
    return next((r.unit for r in _unit_rules(seeds_dir())
                 if r.scope == scope and (amounts.get(r.unit, True) or not amounts_only) and r.pattern.search(text)),
                None)


@lru_cache(maxsize=4)
def _reference_patterns(folder: Path) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(r["pattern"], re.IGNORECASE) for r in _read("vocab_measures.csv")
                 if r["measure"] == "note_ref" and r["applies_to"] == "column" and r["pattern"])


def is_reference_column(header: str | None, path: str | None = None) -> bool:
    """A column of note references ('Not'), as dbt's measure note_ref tells it (its own header
    or its header path matching the rule): its cells are references, never amounts."""
    return any(p.search(text) for p in _reference_patterns(seeds_dir()) for text in (header or "", path or "") if text)


@lru_cache(maxsize=4)
def _assessment_rules(folder: Path) -> tuple[tuple[str, re.Pattern], ...]:
    rows = sorted(_read("vocab_assessments.csv"), key=lambda r: int(r["priority"] or 50))
    return tuple((r["assessment"], re.compile(r["pattern"], re.IGNORECASE)) for r in rows)


def assessment_in(text: str) -> str | None:
    """How a verdict judges a goal ('uppfylls delvis' -> partial), or None."""
    return next((value for value, pattern in _assessment_rules(seeds_dir()) if pattern.search(text)), None)
