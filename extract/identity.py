"""Who published a report, and for which year: for any report, not only a municipality's.

`describe_report` returns the report's identity: municipality, body, report type, fiscal
year, the publishing organisation ("Haninge kommun", "Region Stockholm", "Göteborgs stad",
"Brf Bergsvåg") and its organisation number, plus `identity_notes`, short warnings for what
could not be determined (or only from a weak source) and how to supply it.

Sources, in order of trust:
1. the cover page (page 1),
2. the running headers and footers (`PageContent.furniture`),
3. labelled lines: "Organisation: …", "Org.nr 769630-4687", "Organisationsnummer …",
4. the text: "räkenskapsåret 2023" and the seat of an association on the first pages, the
   most frequent "X kommun" / "X stad" / "Region X" in the whole report,
5. the PDF's metadata (Title, Subject, Author).

The words that recognise all this are data, not code: dbt_project/seeds/vocab_identity.csv
(columns kind, text, value, example), or the vocab_identity.csv in `ARW_VOCABULARY_DIR` when
that folder has one (see extract/vocabulary.py). Add a row to recognise a new word (a report
type, an association prefix, a label); the kinds are listed in `Vocabulary`.

A housing association (bostadsrättsförening) has no body; its municipality is the seat the
report states ("Föreningen har sitt säte i Stockholm" → "Stockholm"), else None.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from extract.document import PageContent
from extract.vocabulary import DEFAULT_SEEDS, seeds_dir

VOCABULARY_FILE = "vocab_identity.csv"

FURNITURE_PAGES = 6  # running headers/footers are read on the first pages (they repeat)
EARLY_PAGES = 6      # "räkenskapsåret 2023", the seat and "Styrelsen för Brf X" are stated early
METADATA_KEYS = ("Title", "Subject", "Author")

# what `apply_overrides` accepts (the `arw ingest` options --municipality, --body, --year)
OVERRIDABLE = ("municipality", "body", "fiscal_year")
YEAR_RANGE = (1990, 2100)

# how a note about a field starts (apply_overrides drops the notes of an overridden field)
NOTE_PREFIX = {"municipality": "municipality", "body": "body", "fiscal_year": "fiscal year",
               "report_type": "report type"}

YEAR = r"(?:19|20)\d\d"
# a year, or a split year "2022 - 2023" / "2022/23" (the year of its closing date counts)
SPAN = rf"(?P<y1>{YEAR})(?:\s*[-–—/]\s*(?P<y2>{YEAR}|\d\d)(?![\d-]))?"
RANGE_SEPARATOR = r"\s*(?:[-–—]+|till|t\.?\s?o\.?\s?m\.?)\s*"
NAME_WORD = r"[A-ZÅÄÖÉÜ][\wåäöéü]*(?:-[\wåäöéü]+)*"
ORG_NUMBER = r"(?P<a>\d{6})\s?[-–]?\s?(?P<b>\d{4})(?![\d-])"


@dataclass(frozen=True)
class Vocabulary:
    """The rows of vocab_identity.csv by kind (`text` in file order), compiled into patterns.

    Kinds: report_type (text → value, first match in file order wins), housing_association,
    association_intro (words that present the association in the text: "Styrelsen för"),
    association_prefix, municipality_suffix ("X kommun"), municipality_prefix ("Region X"),
    municipality_compound ("Xregionen"), municipality_first_word (the first word of a two-word
    name: "Upplands Väsby"), body_suffix, administration_suffix, organisation_label,
    org_number_label, fiscal_year_label, seat_phrase, native_s_ending (the s of "Borås" is not a
    genitive), not_a_name (capitalised words that start sentences: "I Haninge kommun"), month."""

    words: Mapping[str, tuple[str, ...]]
    values: Mapping[tuple[str, str], str]

    def __getitem__(self, kind: str) -> tuple[str, ...]:
        return self.words.get(kind, ())

    def value(self, kind: str, text: str) -> str:
        return self.values[(kind, text)]

    def alternation(self, kind: str, flexible: bool = False) -> str:
        """A regex alternation of the kind's words, longest first; `flexible`: spaces and dots
        inside a label match any run of them ("org nr" matches "Org.nr.", "org. nr", "orgnr")."""
        words = sorted(self[kind], key=len, reverse=True)
        if not flexible:
            return "|".join(re.escape(w) for w in words)
        return "|".join(r"[\s.]*".join(re.escape(part) for part in re.split(r"[\s.]+", w)) + r"\.?"
                        for w in words)

    @cached_property
    def not_a_name(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self["not_a_name"])

    @cached_property
    def first_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self["municipality_first_word"])

    @cached_property
    def not_a_region_name(self) -> frozenset[str]:
        """Words that may follow "Region Stockholm" on a line without being part of the name."""
        kinds = ("not_a_name", "report_type", "fiscal_year_label", "month", "housing_association")
        return frozenset(w.lower() for kind in kinds for w in self[kind])


def vocabulary_csv() -> Path:
    """vocab_identity.csv of ARW_VOCABULARY_DIR when it has one, else the shipped seed."""
    chosen = seeds_dir() / VOCABULARY_FILE
    return chosen if chosen.exists() else DEFAULT_SEEDS / VOCABULARY_FILE


def vocabulary(path: Path | None = None) -> Vocabulary:
    return _vocabulary(Path(path) if path else vocabulary_csv())


@lru_cache(maxsize=4)
def _vocabulary(path: Path) -> Vocabulary:
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise RuntimeError(f"the identity vocabulary {path} cannot be read ({error}): it is part of arw "
                           "(dbt_project/seeds/vocab_identity.csv); restore it from the repository") from error
    words: dict[str, list[str]] = {}
    values: dict[tuple[str, str], str] = {}
    for row in rows:
        kind, text = (row.get("kind") or "").strip(), (row.get("text") or "").strip()
        if kind and text:
            words.setdefault(kind, []).append(text)
            values[(kind, text)] = (row.get("value") or "").strip()
    return Vocabulary({k: tuple(v) for k, v in words.items()}, values)


@dataclass(frozen=True)
class Patterns:
    vocab: Vocabulary
    report_types: tuple[tuple[re.Pattern, str], ...]
    association: re.Pattern
    municipality_suffix: re.Pattern
    municipality_prefix: re.Pattern
    municipality_compound: re.Pattern
    body_line: re.Pattern
    body_genitive: re.Pattern
    administration_line: re.Pattern
    organisation_label: re.Pattern
    org_number_labelled: re.Pattern
    org_number_bare: re.Pattern
    periods: tuple[re.Pattern, ...]
    period_lines: tuple[re.Pattern, ...]
    label_year: re.Pattern
    type_years: tuple[re.Pattern, ...]
    lone_year: re.Pattern
    seat: re.Pattern
    native_s: re.Pattern
    name_stop: re.Pattern
    association_intro: re.Pattern


def patterns(path: Path | None = None) -> Patterns:
    """The recognisers compiled from the vocabulary (`path`: another vocab_identity.csv)."""
    return _patterns(Path(path) if path else vocabulary_csv())


@lru_cache(maxsize=4)
def _patterns(path: Path) -> Patterns:
    v = _vocabulary(path)
    report_words = v.alternation("report_type")
    labels = v.alternation("fiscal_year_label")
    months = v.alternation("month")
    date_range = rf"{YEAR}-?[01]\d-?[0-3]\d{RANGE_SEPARATOR}(?P<end>{YEAR})-?[01]\d-?[0-3]\d(?!\d)"
    month_range = (rf"(?:\d{{1,2}}\s*)?(?:{months})(?:\s+{YEAR})?{RANGE_SEPARATOR}"
                   rf"(?:\d{{1,2}}\s*)?(?:{months})\s+(?P<end>{YEAR})")
    keyword = rf"(?:{labels}|{report_words})\w*[^\d]{{0,40}}?"
    suffixes = v.alternation("body_suffix")
    seat_phrases = v.alternation("seat_phrase").replace(r"\ ", r"\s+")
    intros = v.alternation("association_intro").replace(r"\ ", r"\s+")
    i = re.IGNORECASE
    return Patterns(
        vocab=v,
        report_types=tuple((re.compile(re.escape(t), i), v.value("report_type", t)) for t in v["report_type"]),
        association=re.compile(
            rf"(?P<prefix>(?:{v.alternation('association_prefix')})\s+)?"
            rf"(?P<word>\b(?i:{v.alternation('housing_association')}))\b\.?(?P<rest>.*)$"),
        municipality_suffix=re.compile(
            rf"(?:(?P<first>{NAME_WORD})\s+)?(?P<last>{NAME_WORD})\s+"
            rf"(?P<suffix>(?i:{v.alternation('municipality_suffix')}))\b"),
        municipality_prefix=re.compile(
            rf"\b(?P<prefix>{v.alternation('municipality_prefix')})\s+(?P<name>{NAME_WORD})"
            rf"(?:\s+(?P<second>{NAME_WORD}))?(?P<lan>\s+län\b)?"),
        municipality_compound=re.compile(
            rf"(?:(?P<first>{NAME_WORD})\s+)?"
            rf"(?P<last>[A-ZÅÄÖ][\wåäö]*(?:{v.alternation('municipality_compound')}))\b"),
        body_line=re.compile(rf"^(?P<body>[A-ZÅÄÖ][\wåäö -]*?(?i:{suffixes}))$"),
        body_genitive=re.compile(rf"\b(?P<body>[A-ZÅÄÖ][\wåäö -]*?(?i:{suffixes}))s\s+(?i:{report_words})"),
        administration_line=re.compile(
            rf"^(?P<administration>[A-ZÅÄÖ][\wåäö -]*(?i:{v.alternation('administration_suffix')}))$"),
        organisation_label=re.compile(
            rf"^\s*(?:{v.alternation('organisation_label', flexible=True)})\s*:\s*(?P<value>\S.*?)\s*$", i | re.M),
        org_number_labelled=re.compile(
            rf"(?:{v.alternation('org_number_label', flexible=True)})\s*:?\s*(?:16)?{ORG_NUMBER}", i),
        org_number_bare=re.compile(r"(?<![\d-])(?P<a>\d{6})-(?P<b>\d{4})(?![\d-])"),
        periods=tuple(re.compile(keyword + r, i) for r in (date_range, month_range)),
        period_lines=tuple(re.compile(rf"^\s*{r}\s*$", i | re.M) for r in (date_range, month_range)),
        label_year=re.compile(rf"(?:{labels})\s+{SPAN}", i),
        type_years=(re.compile(rf"(?:{report_words})\w*\s+(?:för\s+(?:år\s+)?)?{SPAN}", i),
                    re.compile(rf"(?<![\d-]){SPAN}\s+(?:{report_words})", i)),
        lone_year=re.compile(rf"^\s*{SPAN}\s*$", re.M),
        seat=re.compile(
            rf"(?i:{seat_phrases})\s+(?P<first>{NAME_WORD})"
            rf"(?:\s+(?P<second>{NAME_WORD}))?(?:\s+(?P<suffix>(?i:{v.alternation('municipality_suffix')}))\b)?"),
        native_s=re.compile(rf"(?:{v.alternation('native_s_ending')})$"),
        # where an association's name ends on its line: punctuation, "1 (15)", "Sida 2", "med säte",
        # "org.nr", "i Stockholms kommun", a number, a year, a report type word
        name_stop=re.compile(
            r"\s*(?:[,;:(]|\s[-–—]\s|\.(?:\s|$)|\s\d+\s*\(\d+\)|\s(?i:sida)\s+\d|\s(?i:med)\s|\s(?i:org)\b"
            rf"|\s(?i:i\s+\S+\s+(?:{v.alternation('municipality_suffix')}))\b|\s\d{{6}}-?\d{{4}}\b|\s{YEAR}\b"
            rf"|\s(?i:{report_words}))"),
        association_intro=re.compile(rf"(?i:\b(?:{intros}))\s+"),
    )


# --- the sources, as text ---------------------------------------------------------------------

@dataclass(frozen=True)
class Sources:
    cover: list[str]
    furniture: list[str]
    early: list[str]          # the content lines of the first pages (cover included)
    everything: list[str]     # every content line of the report
    metadata: list[tuple[str, str]]  # (key, value) of Title, Subject, Author

    @property
    def metadata_lines(self) -> list[str]:
        return [value for _, value in self.metadata]


def collect_sources(pages: list[PageContent], metadata: Mapping | None) -> Sources:
    cover = [line.text for line in pages[0].lines] if pages else []
    furniture: list[str] = []
    for page in pages[:FURNITURE_PAGES]:
        for line in page.furniture:
            if line.text not in furniture:
                furniture.append(line.text)
    early = [line.text for page in pages[:EARLY_PAGES] for line in page.lines]
    everything = [line.text for page in pages for line in page.lines]
    return Sources(cover, furniture, early, everything, _metadata_items(metadata))


def _metadata_items(metadata: Mapping | None) -> list[tuple[str, str]]:
    items = []
    for key in METADATA_KEYS:
        value = (metadata or {}).get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip():
            items.append((key, " ".join(value.split())))
    return items


# --- who: associations, municipalities, bodies ---------------------------------------------------

def association_name(line: str, next_line: str | None = None, p: Patterns | None = None,
                     at_start: bool = False) -> str | None:
    """The housing association named in a line ("Brf Bergsvåg", "HSB bostadsrättsförening
    Lill-Jan i Stockholm"), or None; a line holding only "Bostadsrättsföreningen" is
    completed by the next line (a cover that breaks the name). `at_start`: only a name the line
    starts with."""
    p = p or patterns()
    matches = [p.association.match(line)] if at_start else p.association.finditer(line)
    for match in filter(None, matches):
        rest = match["rest"]
        if not rest.strip() and next_line is not None:
            rest = " " + next_line
        name = _cut_name(rest, p)
        if name:
            return " ".join(f"{match['prefix'] or ''} {match['word']} {name}".split())
    return None


def _cut_name(rest: str, p: Patterns) -> str | None:
    stop = p.name_stop.search(rest)
    name = (rest[:stop.start()] if stop else rest).strip()
    words = name.split()
    if not words or len(words) > 8 or len(name) > 60:
        return None
    if not (words[0][0].isupper() or words[0][0].isdigit()):
        return None
    if words[0].lower() in p.vocab.not_a_name and len(words) == 1:
        return None
    return name


def municipality_names(line: str, p: Patterns | None = None) -> list[str]:
    """Every municipality, city or region named in a line, normalised ("HANINGE KOMMUN" →
    "Haninge kommun"), in the order printed."""
    p = p or patterns()
    v = p.vocab
    found: list[tuple[int, str]] = []
    for m in p.municipality_suffix.finditer(line):
        name = _name(m["first"], m["last"], v)
        if name:
            found.append((m.start("last") if name.count(" ") == 0 else m.start(), f"{name} {m['suffix'].lower()}"))
    for m in p.municipality_prefix.finditer(line):
        name = _normal_case(m["name"])
        if name.lower() in v.not_a_region_name:
            continue
        second = m["second"]
        if second and second.lower() not in v.not_a_region_name \
                and not any(s.lower() in second.lower() for s in v["body_suffix"]):
            name += " " + _normal_case(second)
        found.append((m.start(), f"{_normal_case(m['prefix'])} {name}{' län' if m['lan'] else ''}"))
    for m in p.municipality_compound.finditer(line):
        name = _name(m["first"], m["last"], v)
        if name:
            found.append((m.start(), name))
    return [name for _, name in sorted(found)]


def _name(first: str | None, last: str, v: Vocabulary) -> str | None:
    if last.lower() in v.not_a_name:
        return None
    last = _normal_case(last)
    if first and first.lower() in v.first_words:
        return f"{_normal_case(first)} {last}"
    return last


def _normal_case(word: str) -> str:
    """HANINGE → Haninge (capitals only when the whole word is in capitals)."""
    return "-".join(part.capitalize() if part.isupper() and len(part) > 1 else part for part in word.split("-"))


def seat_of(lines: Iterable[str], p: Patterns | None = None) -> str | None:
    """The municipality an association has its seat in, when the text states it ("har sitt säte i
    Stockholm", "med säte i Stockholms kommun" → "Stockholm")."""
    p = p or patterns()
    v = p.vocab
    text = "\n".join(lines)
    for m in p.seat.finditer(text):
        first, second = m["first"], m["second"]
        if first.lower() in v.not_a_name:
            continue
        name, named_with_suffix = _normal_case(first), bool(m["suffix"])
        if second and first.lower() in v.first_words:  # "Upplands Väsby"
            name += " " + _normal_case(second)
        elif second:  # "i Stockholm Föreningen …": the next word (and suffix) belong to other words
            named_with_suffix = False
        if named_with_suffix and name.endswith("s") and not p.native_s.search(name):
            name = name[:-1]  # the genitive of "Stockholms kommun"
        return name
    return None


def body_of(cover: list[str], furniture: list[str], metadata: list[str], p: Patterns) -> str | None:
    for line in cover:
        m = p.body_line.match(line.strip())
        if m:
            return _normal_case_phrase(m["body"])
    for line in cover + furniture + metadata:
        m = p.body_genitive.search(line)
        if m:
            return _normal_case_phrase(m["body"])
    return None


def _normal_case_phrase(text: str) -> str:
    return text.capitalize() if text.isupper() else text


# --- when: the fiscal year -------------------------------------------------------------------------

def _closing_year(match: re.Match) -> int:
    groups = match.groupdict()
    if groups.get("end"):
        return int(groups["end"])
    first, second = int(groups["y1"]), groups.get("y2")
    if second:
        later = int(second) if len(second) == 4 else first - first % 100 + int(second)
        if later == first + 1:
            return later
    return first


def fiscal_year_in(text: str, p: Patterns, cover: bool = False, labelled_only: bool = False) -> int | None:
    """The fiscal year a text states, by the strongest statement: a labelled period (räkenskapsåret
    2022-07-01 – 2023-06-30: its closing year), a labelled year (räkenskapsåret 2023), the report
    type with a year (Årsredovisning 2024, 2023 ÅRSREDOVISNING); on a cover also a line that holds
    only a year or a period."""
    searches: list[re.Pattern] = [*p.periods, p.label_year]
    if not labelled_only:
        searches += [*p.period_lines, *p.type_years]
    if cover:
        searches.append(p.lone_year)
    for pattern in searches:
        for m in pattern.finditer(text):
            year = _closing_year(m)
            if YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                return year
    return None


# --- the organisation number ---------------------------------------------------------------------

def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = int(char) * (2 if index % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _org_number(m: re.Match) -> str:
    return f"{m['a']}-{m['b']}"


def is_organisation_number(a: str, b: str) -> bool:
    """A legal entity's number: valid check digit and a third digit of 2 or more (a personal
    identity number has a month there)."""
    return luhn_ok(a + b) and int(a[2]) >= 2


# --- the identity ---------------------------------------------------------------------------------

def describe_report(pages: list[PageContent], report_id: str, path: Path, source: str | None,
                    metadata: dict | None = None) -> dict:
    """Who published the report and for which year (see the module's docstring for the sources)."""
    path = Path(path)
    p = patterns()
    s = collect_sources(pages, metadata)
    notes: list[str] = []

    organisation, municipality, association, where = _publisher(s, p)
    is_association = association is not None
    body = administration = None
    if is_association:
        municipality = seat_of(s.early, p)
    else:
        body = body_of(s.cover, s.furniture, s.metadata_lines, p)
        administration = next((m["administration"] for m in (p.administration_line.match(l.strip()) for l in s.cover)
                               if m), None)
        if municipality and where in ("text", "metadata"):
            notes.append(f"municipality {municipality!r} was found only in the {_where(where, s, municipality)}: "
                         "check it or pass --municipality")
    if organisation is None:
        notes.append("municipality unknown (no municipality, region or association is named on the cover, in the "
                     "running headers/footers, the text or the PDF metadata): pass --municipality")
    elif municipality is None and not is_association:
        notes.append("municipality unknown: pass --municipality")
    if body is None and not is_association and organisation is not None:
        notes.append("body unknown (e.g. Kommunstyrelsen): pass --body if the report is a board's or a committee's")

    report_type = _report_type(s, p, is_association)
    if report_type is None:
        notes.append("report type unknown (not an årsredovisning, delårsrapport or verksamhetsberättelse "
                     "by its cover and running headers)")
    fiscal_year, year_from = _fiscal_year(s, p)
    if fiscal_year is None:
        notes.append("fiscal year unknown: pass --year")
    elif year_from in ("metadata", "guess"):
        what = "the PDF metadata" if year_from == "metadata" else "a year printed on the cover"
        notes.append(f"fiscal year {fiscal_year} was taken from {what}: check it or pass --year")

    return {
        "report_id": report_id,
        "file_name": path.name,
        "source": source or str(path),
        "municipality": municipality,
        "body": body,
        "report_type": report_type,
        "fiscal_year": fiscal_year,
        "page_count": len(pages),
        "administration": administration,
        "organisation": organisation,
        "organisation_number": _organisation_number(s, p, organisation),
        "identity_notes": notes,
    }


def _where(where: str, s: Sources, name: str) -> str:
    if where == "metadata":
        keys = [key for key, value in s.metadata if name.lower() in value.lower()]
        return f"PDF metadata ({', '.join(keys) or 'Title/Subject/Author'})"
    return "running text (the most frequently named)"


def _publisher(s: Sources, p: Patterns) -> tuple[str | None, str | None, str | None, str | None]:
    """(organisation, municipality, association, source) from the most trusted source naming one."""
    labelled = [m["value"] for m in p.organisation_label.finditer("\n".join(s.cover + s.furniture + s.early))]
    for where, lines in (("cover", s.cover), ("furniture", s.furniture), ("label", labelled)):
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) and where == "cover" else None
            association = association_name(line, following, p)
            if association:
                return association, None, association, where
            names = municipality_names(line, p)
            if names:
                return names[0], names[0], None, where
        if where == "label" and lines:
            return lines[0][:80], None, None, where
    # the text: the association whose board presents the report on the first pages ("Styrelsen för
    # Brf X …"), else the most frequent municipality
    associations = Counter(a for line in s.early for m in p.association_intro.finditer(line)
                           if (a := association_name(line[m.end():], None, p, at_start=True)))
    if associations:
        name = associations.most_common(1)[0][0]
        return name, None, name, "text"
    municipalities = Counter(name for line in s.everything for name in municipality_names(line, p))
    if municipalities:
        name = municipalities.most_common(1)[0][0]
        return name, name, None, "text"
    for line in s.metadata_lines:
        association = association_name(line, None, p)
        if association:
            return association, None, association, "metadata"
        names = municipality_names(line, p)
        if names:
            return names[0], names[0], None, "metadata"
    return None, None, None, None


def _report_type(s: Sources, p: Patterns, is_association: bool) -> str | None:
    titles = [key_value[1] for key_value in s.metadata if key_value[0] in ("Title", "Subject")]
    for lines in (s.cover, s.furniture, titles):
        text = "\n".join(lines)
        for pattern, value in p.report_types:
            if pattern.search(text):
                return value
    return "årsredovisning" if is_association else None


def _fiscal_year(s: Sources, p: Patterns) -> tuple[int | None, str | None]:
    cover, furniture = "\n".join(s.cover), "\n".join(s.furniture)
    for where, text, kwargs in (("cover", cover, {"cover": True}), ("furniture", furniture, {}),
                                ("text", "\n".join(s.early), {"labelled_only": True}),
                                ("metadata", "\n".join(v for k, v in s.metadata if k != "Author"), {})):
        year = fiscal_year_in(text, p, **kwargs)
        if year is not None:
            return year, where
    years = Counter(int(y) for y in re.findall(rf"(?<![\d-])({YEAR})(?![\d-])", cover + "\n" + furniture)
                    if YEAR_RANGE[0] <= int(y) <= YEAR_RANGE[1])
    if years:
        return years.most_common(1)[0][0], "guess"
    return None, None


def _organisation_number(s: Sources, p: Patterns, organisation: str | None) -> str | None:
    for lines in (s.cover, s.furniture):
        m = p.org_number_labelled.search("\n".join(lines))
        if m:
            return _org_number(m)
    core = _core_word(organisation, p)
    if core:  # in the text only next to the organisation's own name ("Styrelsen för X … org.nr …")
        text = "\n".join(s.early)
        for m in p.org_number_labelled.finditer(text):
            if core in text[max(0, m.start() - 150):m.start()].lower():
                return _org_number(m)
    metadata = "\n".join(s.metadata_lines)
    m = p.org_number_labelled.search(metadata)
    if m:
        return _org_number(m)
    for lines in (s.cover, s.furniture, s.metadata_lines):
        for m in p.org_number_bare.finditer("\n".join(lines)):
            if is_organisation_number(m["a"], m["b"]):
                return _org_number(m)
    return None


def _core_word(organisation: str | None, p: Patterns) -> str | None:
    """The word that names this organisation ("Bergsvåg" of "Brf Bergsvåg", "Haninge" of "Haninge kommun")."""
    generic = {w.lower() for kind in ("housing_association", "association_prefix", "municipality_suffix",
                                      "municipality_prefix") for w in p.vocab[kind]}
    return next((w.lower() for w in (organisation or "").split() if w.lower() not in generic), None)


# --- reading the metadata, and the user's overrides ---------------------------------------------

def read_pdf_metadata(path: Path) -> dict:
    """Title, Subject, Author … of a PDF's document information ({} when it cannot be read)."""
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            return {k: v for k, v in document.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        finally:
            document.close()
    except Exception:  # noqa: BLE001 - metadata is the least trusted source: never fail a report on it
        return {}


def describe_report_file(pages: list[PageContent], report_id: str, path: Path, source: str | None) -> dict:
    """`describe_report`, reading the PDF's metadata from `path` only when the pages leave the
    publisher, the fiscal year or the report type unknown (the metadata is the last resort)."""
    report = describe_report(pages, report_id, path, source)
    if None in (report["organisation"], report["fiscal_year"], report["report_type"]):
        metadata = read_pdf_metadata(path)
        if any(metadata.get(key) for key in METADATA_KEYS):
            report = describe_report(pages, report_id, path, source, metadata)
    return report


def apply_overrides(report: dict, overrides: Mapping[str, object] | None) -> dict:
    """The report with the user's identity (`arw ingest --municipality/--body/--year`) in place of
    what was read; a new dict. Keys: municipality, body, fiscal_year (None values are ignored).

    The notes about an overridden field are replaced by one saying what was set. A municipal
    report's organisation follows its municipality; an association's stays its own name."""
    clean = _checked_overrides(overrides)
    if not clean:
        return dict(report)
    result = dict(report)
    notes = [n for n in report.get("identity_notes") or []
             if not any(n.startswith(NOTE_PREFIX[field]) for field in clean)]
    if "municipality" in clean:
        detected, organisation = report.get("municipality"), report.get("organisation")
        if organisation is None or organisation == detected:
            result["organisation"] = clean["municipality"]
    for field, value in clean.items():
        detected = report.get(field)
        result[field] = value
        if detected is not None and detected != value:
            notes.append(f"{NOTE_PREFIX[field]} set to {value!r} by the user (the report says {detected!r})")
    result["identity_notes"] = notes
    return result


def _checked_overrides(overrides: Mapping[str, object] | None) -> dict:
    clean: dict[str, object] = {}
    for field, value in (overrides or {}).items():
        if field not in OVERRIDABLE:
            raise ValueError(f"cannot override {field!r}: only {', '.join(OVERRIDABLE)}")
        if value is None:
            continue
        if field == "fiscal_year":
            if isinstance(value, bool) or not isinstance(value, int) and not str(value).strip().isdigit():
                raise ValueError(f"the fiscal year must be a year such as 2024, got {value!r}")
            year = int(value)
            if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                raise ValueError(f"the fiscal year must be within {YEAR_RANGE[0]}..{YEAR_RANGE[1]}, got {year}")
            clean[field] = year
        else:
            text = " ".join(str(value).split())
            if not text:
                raise ValueError(f"the {field} must not be empty")
            clean[field] = text
    return clean
