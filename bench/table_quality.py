"""Table-structure quality of `arw tables`, scored as in the ICDAR 2013 table competition.

A table is reduced to its cell-adjacency relations: for every non-empty cell, the pair (cell
text, text of the nearest non-empty cell to its right) and (cell text, text of the nearest
non-empty cell below), within the same table. Relations ignore where the table is on the page
and how it is drawn, and reward exactly what a reader of the grid needs: that each figure sits
next to its label and under its header. Texts are compared with whitespace collapsed (case
kept). A spanning cell, which a grid repeats in every column (or row) it covers, is one cell:
consecutive identical texts in a row or column are merged before relations are taken.

Each document's truth tables (from bench/tablegen.py) are paired one-to-one with the extracted
tables on the same page, greedily by the number of relations they share, then by bounding-box
overlap. Relations of an unpaired extracted table are all false positives; those of an unpaired
truth table are all missed. Per document: precision = correct / extracted relations, recall =
correct / truth relations, F1. Reported: the mean over documents and the micro-averaged totals,
for arw and, as a reference, for pdfplumber's default `page.extract_tables()`.

Usage:
    python bench/table_quality.py                 # generate the corpus into a temp dir, score
    python bench/table_quality.py --corpus DIR    # score (generating first if DIR has no PDFs)
    python bench/table_quality.py --arw-out DIR   # score `arw tables --format json --out DIR` output
    python bench/table_quality.py --json          # the summary as JSON
    python bench/table_quality.py --details NAME  # one document's missed and spurious relations
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Callable, Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/table_quality.py` from anywhere
    sys.path.insert(0, str(ROOT))

Rows = list[list[str | None]]
Relation = tuple[str, str, str]  # (text, neighbour's text, "right" | "below")
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class TableGrid:
    """One table on one page, in the format of `arw tables --format json`."""
    page: int
    bbox: Box
    header_rows: int
    rows: Rows

    @classmethod
    def from_json(cls, data: dict) -> TableGrid:
        return cls(int(data["page"]), tuple(float(v) for v in data["bbox"]), int(data.get("header_rows", 0)),
                   [list(row) for row in data["rows"]])


# ---------------------------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------------------------

def normalise(text: str | None) -> str | None:
    """Whitespace collapsed (a wrapped cell's line breaks, NBSP in '1 234'); None if empty."""
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text or None


def cell_ids(rows: Rows) -> list[list[int | None]]:
    """An id per grid position, shared by the positions of one spanning cell: neighbouring
    positions (in a row or a column) with identical text are one cell."""
    grid = [[normalise(t) for t in row] for row in rows]
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(p: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(p, p) != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text is None:
                continue
            find((r, c))
            if c > 0 and row[c - 1] == text:
                parent[find((r, c))] = find((r, c - 1))
            if r > 0 and c < len(grid[r - 1]) and grid[r - 1][c] == text:
                parent[find((r, c))] = find((r - 1, c))
    roots: dict[tuple[int, int], int] = {}
    return [[None if text is None else roots.setdefault(find((r, c)), len(roots)) for c, text in enumerate(row)]
            for r, row in enumerate(grid)]


def relations(rows: Rows) -> Counter[Relation]:
    """The table's adjacency relations as a multiset of text pairs. Each pair of cells counts
    once, even when a spanning cell meets the same neighbour in several rows or columns."""
    ids = cell_ids(rows)
    texts = {cid: normalise(t) for row_ids, row in zip(ids, rows) for cid, t in zip(row_ids, row) if cid is not None}
    width = max((len(row) for row in ids), default=0)
    lines = [(row, "right") for row in ids]
    lines += [([row[c] if c < len(row) else None for row in ids], "below") for c in range(width)]
    pairs: set[tuple[int, int, str]] = set()
    for line, direction in lines:
        cells = [cid for cid in line if cid is not None]
        for a, b in zip(cells, cells[1:]):
            if a != b:
                pairs.add((a, b, direction))
    return Counter((texts[a], texts[b], direction) for a, b, direction in pairs)


# ---------------------------------------------------------------------------------------------
# Pairing tables and counting
# ---------------------------------------------------------------------------------------------

@dataclass
class Counts:
    correct: int = 0
    extracted: int = 0
    truth: int = 0

    def add(self, other: Counts) -> None:
        self.correct += other.correct
        self.extracted += other.extracted
        self.truth += other.truth

    @property
    def precision(self) -> float:
        """Nothing extracted claims nothing false: 1.0 (a prose page read as prose)."""
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.truth if self.truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Pairing:
    """How one document's extracted tables met its truth tables."""
    pairs: list[tuple[int, int]]  # (truth index, extracted index)
    missed_tables: list[int]  # truth indexes nobody extracted
    spurious_tables: list[int]  # extracted indexes matching no truth table
    counts: Counts
    header_rows_right: int = 0


def overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (x0, top, x1, bottom)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def shared(a: Counter[Relation], b: Counter[Relation]) -> int:
    return sum((a & b).values())


def pair_tables(truth: Sequence[TableGrid], found: Sequence[TableGrid]) -> Pairing:
    """Pair tables one-to-one on the same page, best first by shared relations, then by box
    overlap; count correct, extracted and truth relations over the whole document."""
    truth_rel = [relations(t.rows) for t in truth]
    found_rel = [relations(f.rows) for f in found]
    candidates = []
    for i, t in enumerate(truth):
        for j, f in enumerate(found):
            if t.page == f.page:
                common, iou = shared(truth_rel[i], found_rel[j]), overlap(t.bbox, f.bbox)
                if common or iou > 0.05:
                    candidates.append((common, iou, i, j))
    pairs, used_t, used_f = [], set(), set()
    for _, _, i, j in sorted(candidates, reverse=True):
        if i not in used_t and j not in used_f:
            pairs.append((i, j))
            used_t.add(i)
            used_f.add(j)
    counts = Counts(sum(shared(truth_rel[i], found_rel[j]) for i, j in pairs),
                    sum(sum(r.values()) for r in found_rel), sum(sum(r.values()) for r in truth_rel))
    headers = sum(truth[i].header_rows == found[j].header_rows for i, j in pairs)
    return Pairing(sorted(pairs), [i for i in range(len(truth)) if i not in used_t],
                   [j for j in range(len(found)) if j not in used_f], counts, headers)


# ---------------------------------------------------------------------------------------------
# Extractors
# ---------------------------------------------------------------------------------------------

Extractor = Callable[[Path], list[TableGrid]]


def arw_tables(pdf: Path) -> list[TableGrid]:
    """arw's grids, in-process (the same grids `arw tables --format json` writes)."""
    from extract.report import read_grids

    return [TableGrid.from_json(grid.as_json()) for grid in read_grids(pdf)]


def arw_output(directory: Path) -> Extractor:
    """arw's grids as `arw tables PDF... --format json --out DIR` wrote them."""
    def read(pdf: Path) -> list[TableGrid]:
        path = directory / f"{pdf.stem}.json"
        if not path.is_file():
            raise FileNotFoundError(f"{path} missing: did `arw tables` fail on {pdf.name}?")
        return [TableGrid.from_json(t) for t in json.loads(path.read_text(encoding="utf-8"))]
    return read


def plumber_tables(pdf: Path) -> list[TableGrid]:
    """pdfplumber's defaults (`find_tables()` = what `extract_tables()` returns, with boxes);
    it has no header notion: one header row assumed. Box in displayed coordinates."""
    import pdfplumber

    grids = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            for table in page.find_tables():
                rows = spread_spans(table)
                if rows:
                    grids.append(TableGrid(number, tuple(table.bbox), 1, rows))
    return grids


def spread_spans(table) -> Rows:
    """A pdfplumber table's texts with a merged cell's text in every position it covers (the
    format's convention; pdfplumber leaves covered positions None, and empty cells '')."""
    texts = [[cell or None for cell in row] for row in table.extract()]
    boxes = [list(row.cells) for row in table.rows]
    lefts = [min((row[c][0] for row in boxes if c < len(row) and row[c]), default=None)
             for c in range(max(map(len, boxes), default=0))]
    tops = [min((box[1] for box in row if box), default=None) for row in boxes]
    for r, row in enumerate(boxes):
        for c, box in enumerate(row):
            if box is not None:
                continue
            left = next((k for k in range(c - 1, -1, -1) if row[k]), None)
            if left is not None and lefts[c] is not None and row[left][2] > lefts[c] + 1:
                texts[r][c] = texts[r][left]
                continue
            above = next((k for k in range(r - 1, -1, -1) if c < len(boxes[k]) and boxes[k][c]), None)
            if above is not None and tops[r] is not None and boxes[above][c][3] > tops[r] + 1:
                texts[r][c] = texts[above][c]
    return texts


EXTRACTORS: dict[str, Extractor] = {"arw": arw_tables, "pdfplumber": plumber_tables}


# ---------------------------------------------------------------------------------------------
# Scoring a corpus
# ---------------------------------------------------------------------------------------------

@dataclass
class DocScore:
    name: str
    category: str
    tables: int  # truth tables (per page)
    pairings: dict[str, Pairing] = field(default_factory=dict)
    found: dict[str, list[TableGrid]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def load_truth(pdf: Path) -> list[TableGrid]:
    path = pdf.with_name(f"{pdf.stem}.truth.json")
    return [TableGrid.from_json(t) for t in json.loads(path.read_text(encoding="utf-8"))]


def categories(corpus: Path) -> dict[str, str]:
    """Document stem -> category: from manifest.json, else the stem without its number."""
    manifest = corpus / "manifest.json"
    if manifest.is_file():
        return {stem: info["category"] for stem, info in json.loads(manifest.read_text()).items()}
    return {pdf.stem: pdf.stem.rsplit("-", 1)[0] for pdf in corpus.glob("*.pdf")}


def score_document(pdf: Path, category: str, extractors: dict[str, Extractor]) -> DocScore:
    """Every extractor on one PDF; an extractor that raises found nothing (the error is kept)."""
    truth = load_truth(pdf)
    score = DocScore(pdf.stem, category, len(truth))
    for name, extract in extractors.items():
        try:
            found = extract(pdf)
        except Exception as error:  # noqa: BLE001 - a failure on one PDF is a result, not a crash
            found = []
            score.errors[name] = f"{type(error).__name__}: {error}"
        score.found[name] = found
        score.pairings[name] = pair_tables(truth, found)
    return score


def score_corpus(corpus: Path, extractors: dict[str, Extractor] | None = None) -> list[DocScore]:
    extractors = extractors or EXTRACTORS
    kinds = categories(corpus)
    pdfs = sorted(p for p in corpus.glob("*.pdf") if p.with_name(f"{p.stem}.truth.json").is_file())
    return [score_document(pdf, kinds.get(pdf.stem, "other"), extractors) for pdf in pdfs]


def summary(scores: Sequence[DocScore]) -> dict:
    """Mean and micro-averaged precision, recall, F1 per extractor, overall and per category."""
    names = list(scores[0].pairings) if scores else []
    result: dict = {"documents": len(scores), "extractors": {}}
    for name in names:
        result["extractors"][name] = aggregate(scores, name)
        by_category = defaultdict(list)
        for score in scores:
            by_category[score.category].append(score)
        result["extractors"][name]["categories"] = {
            category: {"documents": len(group), "mean_f1": round(mean(doc_f1(s, name) for s in group), 4)}
            for category, group in by_category.items()}
    result["per_document"] = [
        {"name": s.name, "category": s.category, "truth_tables": s.tables,
         **{f"{name}_f1": round(doc_f1(s, name), 4) for name in names},
         **{f"{name}_tables": len(s.found[name]) for name in names},
         **({"errors": s.errors} if s.errors else {})}
        for s in scores]
    return result


def doc_f1(score: DocScore, name: str) -> float:
    return score.pairings[name].counts.f1


def aggregate(scores: Sequence[DocScore], name: str) -> dict:
    total = Counts()
    for score in scores:
        total.add(score.pairings[name].counts)
    counts = [s.pairings[name].counts for s in scores]
    paired = sum(len(s.pairings[name].pairs) for s in scores)
    headers = sum(s.pairings[name].header_rows_right for s in scores)
    return {
        "mean_precision": round(mean(c.precision for c in counts), 4),
        "mean_recall": round(mean(c.recall for c in counts), 4),
        "mean_f1": round(mean(c.f1 for c in counts), 4),
        "micro_precision": round(total.precision, 4), "micro_recall": round(total.recall, 4),
        "micro_f1": round(total.f1, 4),
        "relations": {"correct": total.correct, "extracted": total.extracted, "truth": total.truth},
        "tables": {"truth": sum(s.tables for s in scores), "paired": paired,
                   "extracted": sum(len(s.found[name]) for s in scores),
                   "header_rows_right": headers},
    }


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------

def print_table(scores: Sequence[DocScore], result: dict) -> None:
    names = list(result["extractors"])
    head = f"{'document':<22}{'category':<16}{'tables':>7}" + "".join(f"{n + ' F1':>14}{'#':>4}" for n in names)
    print(head)
    print("-" * len(head))
    for s in scores:
        cells = "".join(f"{doc_f1(s, n):>14.3f}{len(s.found[n]):>4}" for n in names)
        note = "  error: " + "; ".join(f"{k}: {v[:60]}" for k, v in s.errors.items()) if s.errors else ""
        print(f"{s.name:<22}{s.category:<16}{s.tables:>7}{cells}{note}")
    print("-" * len(head))
    print(f"\n{'category':<16}{'docs':>5}" + "".join(f"{n + ' mean F1':>19}" for n in names))
    for category in result["extractors"][names[0]]["categories"]:
        cells = "".join(f"{result['extractors'][n]['categories'][category]['mean_f1']:>19.3f}" for n in names)
        print(f"{category:<16}{result['extractors'][names[0]]['categories'][category]['documents']:>5}{cells}")
    print()
    for name in names:
        a = result["extractors"][name]
        print(f"{name:<11} mean P/R/F1 {a['mean_precision']:.3f} / {a['mean_recall']:.3f} / {a['mean_f1']:.3f}   "
              f"micro P/R/F1 {a['micro_precision']:.3f} / {a['micro_recall']:.3f} / {a['micro_f1']:.3f}   "
              f"tables paired {a['tables']['paired']}/{a['tables']['truth']} (extracted {a['tables']['extracted']}, "
              f"header rows right {a['tables']['header_rows_right']})")


def details(score: DocScore, truth: Sequence[TableGrid], name: str, limit: int = 12) -> Iterable[str]:
    """What one extractor got wrong on one document: tables missed or spurious, and per paired
    table the truth relations it missed and the relations it invented."""
    pairing, found = score.pairings[name], score.found[name]
    yield f"== {score.name} / {name}: F1 {pairing.counts.f1:.3f} {pairing.counts}"
    for i in pairing.missed_tables:
        yield f"missed table: truth #{i} page {truth[i].page}, {len(truth[i].rows)} rows, first {truth[i].rows[:2]}"
    for j in pairing.spurious_tables:
        yield f"spurious table: page {found[j].page}, rows {found[j].rows[:3]}"
    for i, j in pairing.pairs:
        t, f = relations(truth[i].rows), relations(found[j].rows)
        yield (f"table truth #{i} <-> found #{j} page {truth[i].page}: header_rows {truth[i].header_rows} vs "
               f"{found[j].header_rows}, rows {len(truth[i].rows)} vs {len(found[j].rows)}")
        for label, rel in (("  missed", t - f), ("  spurious", f - t)):
            for relation in list(rel.elements())[:limit]:
                yield f"{label}: {relation}"


def print_details(scores: Sequence[DocScore], corpus: Path, wanted: Sequence[str]) -> None:
    """Every extractor's mistakes on the named documents, or arw's on each it got wrong."""
    for score in scores:
        if wanted and score.name not in wanted:
            continue
        names = list(score.pairings) if wanted else ["arw"] if doc_f1(score, "arw") < 1 else []
        for name in names:
            print()
            print("\n".join(details(score, load_truth(corpus / f"{score.name}.pdf"), name)))


def ensure_corpus(corpus: Path | None) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """The corpus directory, generated when missing or empty (into a temp dir if none given)."""
    from bench.tablegen import generate

    holder = None
    if corpus is None:
        holder = tempfile.TemporaryDirectory(prefix="arw-table-corpus-")
        corpus = Path(holder.name)
    if not any(corpus.glob("*.truth.json")):
        generate(corpus)
    return corpus, holder


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ICDAR 2013-style table quality of arw tables vs pdfplumber")
    parser.add_argument("--corpus", type=Path, help="directory of PDFs with <stem>.truth.json (generated if empty)")
    parser.add_argument("--arw-out", type=Path, help="score the JSON files `arw tables --out DIR` wrote, not in-process")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--details", nargs="*", metavar="NAME",
                        help="missed and spurious relations of these documents (none named: arw's imperfect ones)")
    args = parser.parse_args(argv)
    corpus, holder = ensure_corpus(args.corpus)
    try:
        extractors = dict(EXTRACTORS)
        if args.arw_out:
            extractors["arw"] = arw_output(args.arw_out)
        started = time.perf_counter()
        scores = score_corpus(corpus, extractors)
        result = summary(scores)
        result["seconds"] = round(time.perf_counter() - started, 1)
        if args.json:
            print(json.dumps(result, indent=1, ensure_ascii=False))
        else:
            print_table(scores, result)
            print(f"\n{len(scores)} documents scored in {result['seconds']} s ({corpus})")
        if args.details is not None:
            print_details(scores, corpus, args.details)
    finally:
        if holder is not None:
            holder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
