"""A seeded corpus of table PDFs with known ground truth, for bench/table_quality.py.

Real annual reports cannot be annotated cell by cell at scale, so the benchmark draws its own:
every PDF is laid out here, in points with the origin at the top-left corner of the displayed
page, and the same layout that places the glyphs writes the truth. That truth never comes from
reading the PDF back, so it cannot share a bug with any extractor.

The corpus is deliberately unlike one template (a benchmark of one template measures one
template): ruled grids, whitespace-only tables, booktabs rules, zebra shading, two- and
three-level headers with spanning cells, headers printed upwards, wrapped labels and wrapped
headers, a label printed once beside its two rows, Swedish and English number formats,
accounts printed abroad (currency signs, whole rows of negatives in parentheses, dot leaders),
empty cells and label-only section rows, several tables on one page between prose, tables
continued onto the next page (header repeated or not), landscape pages (also one shown through
/Rotate), captions and footnotes, four fonts (a TTF when the system has one) at 7-11 pt, two
PDF producers (reportlab and fpdf2), and prose-only documents on which nothing must be found.

Ground truth (`<stem>.truth.json`) has the format of `arw tables --format json`: a list of
`{"page", "bbox", "header_rows", "rows"}`, one per table per page, header rows first, a
spanning header cell's text in every column it covers, a wrapped cell's lines joined by spaces,
None for an empty cell. Captions, footnotes, page headers and footers are not table content.
`manifest.json` records each document's category and look (font, size, producer, locale).

Usage: ``python bench/tablegen.py DIR`` or ``generate(Path(DIR))``.
"""
from __future__ import annotations

import argparse
import json
import random
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence, Union

SEED = 2013  # the corpus is a pure function of this seed and the fonts found on the system
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
VARIANTS = 4  # documents per category
FIXED_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)  # fpdf2 writes it: byte-stable output

Rows = list[list[Union[str, None]]]


# ---------------------------------------------------------------------------------------------
# Fonts and measuring
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Face:
    """One font family as both producers name it; `files` (regular, bold) for a TTF."""
    key: str
    regular: str
    bold: str
    fpdf_family: str
    files: tuple[Path, Path] | None = None

    @property
    def unicode(self) -> bool:
        """A TTF can draw U+2212 and en dashes; the standard 14 fonts (WinAnsi/latin-1) cannot."""
        return self.files is not None


def find_ttf() -> tuple[Path, Path] | None:
    """DejaVuSans (regular, bold) from the system fonts, else the Vera TTF bundled with
    reportlab, else None (the corpus then uses the standard fonts only)."""
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        if root.is_dir():
            regular = next(iter(sorted(root.rglob("DejaVuSans.ttf"))), None)
            if regular is not None and (regular.parent / "DejaVuSans-Bold.ttf").is_file():
                return regular, regular.parent / "DejaVuSans-Bold.ttf"
    import reportlab

    bundled = Path(reportlab.__file__).parent / "fonts"
    if (bundled / "Vera.ttf").is_file() and (bundled / "VeraBd.ttf").is_file():
        return bundled / "Vera.ttf", bundled / "VeraBd.ttf"
    return None


@lru_cache(maxsize=1)
def faces() -> tuple[Face, ...]:
    """Helvetica, Times, Courier and (when found) a TTF, registered with reportlab for measuring."""
    found = [Face("helvetica", "Helvetica", "Helvetica-Bold", "helvetica"),
             Face("times", "Times-Roman", "Times-Bold", "times"),
             Face("courier", "Courier", "Courier-Bold", "courier")]
    ttf = find_ttf()
    if ttf is not None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = ttf[0].stem
        pdfmetrics.registerFont(TTFont(name, str(ttf[0])))
        pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(ttf[1])))
        found.append(Face("ttf", name, f"{name}-Bold", name.lower(), ttf))
    return tuple(found)


def measure(face: Face, text: str, bold: bool, size: float) -> float:
    """Width in points; reportlab's metrics, which fpdf2 shares (same AFM data, same TTF)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, face.bold if bold else face.regular, size)


# ---------------------------------------------------------------------------------------------
# Numbers as reports print them
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Locale:
    """How one document prints numbers: Swedish '1 234,5' / '−0,3' / '80,4%', English
    '1,234.5' / '-0.3' or '(0.3)'. `minus` depends on the font (U+2212 needs a TTF)."""
    lang: str
    thousands: str
    decimal: str
    minus: str
    percent: str  # "%" or " %"
    parens: bool = False  # English accounts: negatives in parentheses

    def number(self, value: float, decimals: int, percent: bool = False) -> str:
        """`value` printed with `decimals` decimals and this locale's separators."""
        digits = f"{abs(value):,.{decimals}f}".replace(",", "\0").replace(".", self.decimal)
        digits = digits.replace("\0", self.thousands) + (self.percent if percent else "")
        if value >= 0 or digits.strip("0,. \u00a0%") == "":
            return digits
        return f"({digits})" if self.parens else f"{self.minus}{digits}"


def make_locale(rng: random.Random, lang: str, face: Face, producer: str) -> Locale:
    """A locale with the separators and minus sign this font and producer can print (fpdf2's
    standard fonts are latin-1: no en dash; reportlab's are WinAnsi: no U+2212)."""
    if lang == "en":
        return Locale("en", ",", ".", "-", "%", parens=rng.random() < 0.4)
    thousands = rng.choice([" ", "\u00a0"]) if face.key != "courier" else " "
    if face.unicode:
        minus = "\u2212"
    else:
        minus = rng.choice(["-", "-", "\u2013"]) if producer == "reportlab" else "-"
    return Locale("sv", thousands, ",", minus, rng.choice(["%", " %"]))


KINDS = ("amount", "amount", "amount", "count", "percent", "ratio")


def random_value(rng: random.Random, kind: str, locale: Locale) -> str:
    """One printed figure of a kind: amounts (mnkr, tkr), counts, percentages, ratios."""
    if kind == "percent":
        return locale.number(rng.uniform(-15, 99), 1, percent=True)
    if kind == "ratio":
        return locale.number(rng.uniform(-1.5, 3.5), 2)
    if kind == "count":
        return locale.number(rng.randint(3, 48_000), 0)
    magnitude = rng.choice([40, 900, 9_000, 90_000])
    value = rng.uniform(-0.3 * magnitude, magnitude)
    return locale.number(value, rng.choice([0, 1, 1]))


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

LABELS = {
    "sv": ["Verksamhetens intäkter", "Verksamhetens kostnader", "Avskrivningar", "Skatteintäkter",
           "Generella statsbidrag", "Finansiella intäkter", "Finansiella kostnader", "Årets resultat",
           "Personalkostnader", "Lokalkostnader", "Köp av verksamhet", "Kommunstyrelsen",
           "Barn- och utbildningsnämnden", "Socialnämnden", "Kultur- och fritidsnämnden",
           "Tekniska nämnden", "Byggnadsnämnden", "Miljönämnden", "Överförmyndarnämnden",
           "Valnämnden", "Gymnasieskola", "Grundskola", "Förskola", "Äldreomsorg",
           "Individ- och familjeomsorg", "Vatten och avlopp", "Räddningstjänst", "Kollektivtrafik",
           "Bostadsanpassning", "Bibliotek", "Fritidsgårdar", "Kostenheten", "Lönekontoret",
           "Soliditet", "Likvida medel", "Långfristiga skulder", "Pensionsförpliktelser",
           "Investeringar", "Nettokostnad", "Sjukfrånvaro", "Antal årsarbetare", "Folkmängd"],
    "en": ["Operating income", "Operating expenses", "Depreciation", "Tax revenue",
           "General government grants", "Financial income", "Financial expenses",
           "Result for the year", "Staff costs", "Premises costs", "Purchased services",
           "Executive board", "Education committee", "Social services committee",
           "Culture and leisure", "Technical services", "Building committee", "Environment",
           "Elections", "Upper secondary school", "Primary school", "Preschool", "Elderly care",
           "Water and sewage", "Rescue services", "Public transport", "Libraries",
           "Youth centres", "Catering unit", "Payroll office", "Equity ratio", "Cash and bank",
           "Long-term liabilities", "Pension obligations", "Investments", "Net cost",
           "Sick leave", "Full-time employees", "Population"],
}
DISTRICTS = {"sv": ["Norra", "Södra", "Centrum", "Västra"], "en": ["North", "South", "Central", "West"]}
LONG_LABELS = {
    "sv": ["Andel invånare som är nöjda med kommunens service inom äldreomsorgen",
           "Anmälda brott om skadegörelse per 1000 invånare i kommunens centrala delar",
           "Andel elever i årskurs 9 som är behöriga till ett yrkesprogram på gymnasiet",
           "Nettokostnadsavvikelse för individ- och familjeomsorgen jämfört med standardkostnad",
           "Andel av kommunens fordon som drivs med förnybart bränsle enligt miljöprogrammet",
           "Genomsnittlig handläggningstid för bygglov från komplett ansökan till beslut",
           "Antal hushåll som får ekonomiskt bistånd under minst tio månader av året",
           "Kostnad för särskilt boende inom äldreomsorgen per brukare och år",
           "Andel medarbetare som rekommenderar kommunen som arbetsgivare i enkäten",
           "Investeringsutgifter för skolor och förskolor inklusive ombyggnader",
           "Självfinansieringsgrad av nettoinvesteringar exklusive exploatering",
           "Andel upphandlade avtal som följs upp under avtalsperioden"],
    "en": ["Share of residents satisfied with the municipal service in elderly care",
           "Reported incidents of vandalism per 1000 inhabitants in the central districts",
           "Share of year 9 pupils eligible for a vocational upper secondary programme",
           "Net cost deviation for individual and family care compared with standard cost",
           "Share of municipal vehicles running on renewable fuel under the environmental plan",
           "Average processing time for building permits from complete application to decision",
           "Households receiving income support for at least ten months of the year",
           "Cost of residential care for the elderly per resident and year",
           "Share of employees who would recommend the municipality as an employer"],
}
YEAR_HEADERS = {
    "sv": [["2022", "2023", "2024"], ["Utfall 2022", "Utfall 2023", "Utfall 2024", "Budget 2024", "Avvikelse"],
           ["Bokslut 2023", "Budget 2024", "Prognos 2024", "Utfall 2024"], ["Mål 2024", "Utfall 2024", "Mål 2026"]],
    "en": [["2022", "2023", "2024"], ["Actual 2022", "Actual 2023", "Actual 2024", "Budget 2024", "Variance"],
           ["Outturn 2023", "Budget 2024", "Forecast 2024", "Actual 2024"], ["Target 2024", "Actual 2024", "Target 2026"]],
}
LONG_HEADERS = {
    "sv": ["Nettokostnad per invånare, kr", "Förändring mot föregående år, %", "Budgetavvikelse efter tilläggsanslag",
           "Andel av total omsättning", "Utfall januari till december", "Prognos vid delårsbokslutet",
           "Antal årsarbetare i genomsnitt", "Kostnad per elev och läsår"],
    "en": ["Net cost per inhabitant, SEK", "Change on previous year, %", "Budget variance after supplementary grants",
           "Share of total turnover", "Outturn January to December", "Forecast at the interim report",
           "Average number of full-time employees", "Cost per pupil and school year"],
}
LABEL_HEADERS = {"sv": ["Mnkr", "Tkr", "Nämnd", "Indikator", "Verksamhet", None],
                 "en": ["SEK m", "SEK k", "Committee", "Indicator", "Activity", None]}
GROUPS = {"sv": [("Budget", "Utfall"), ("Intäkter", "Kostnader"), ("Kvinnor", "Män")],
          "en": [("Budget", "Actual"), ("Income", "Expenses"), ("Women", "Men")]}
COMMITTEES = {"sv": ["Kommunstyrelsen", "Socialnämnden", "Tekniska nämnden", "Miljönämnden", "Byggnadsnämnden",
                      "Kulturnämnden", "Valnämnden", "Överförmyndarnämnden"],
              "en": ["Executive board", "Social services", "Technical services", "Environment", "Building",
                     "Culture", "Elections", "Guardianship"]}
TITLES = {"sv": ["Kommunen", "Kommunkoncernen", "Samtliga nämnder"],
          "en": ["Municipality", "Municipal group", "All committees"]}
SECTION_ROWS = {"sv": ["Intäkter", "Kostnader", "Finansnetto", "Nämnder", "Affärsverksamhet"],
                "en": ["Income", "Expenses", "Net financial items", "Committees", "Trading activities"]}
SENTENCES = {
    "sv": ["Kommunens resultat för året uppgick till 45,3 miljoner kronor, vilket är 12,1 miljoner bättre än budget.",
           "Skatteintäkterna ökade med 3,2 procent jämfört med föregående år.",
           "Nämnderna redovisar sammantaget ett underskott mot budget, främst inom socialnämnden.",
           "Investeringarna har genomförts i lägre takt än planerat och uppgick till 612 miljoner kronor.",
           "Den finansiella målsättningen om ett resultat på minst två procent av skatteintäkterna uppnåddes inte.",
           "Kommunfullmäktige beslutade i juni om en ny ekonomisk styrmodell för perioden 2025 till 2027.",
           "Arbetet med att minska sjukfrånvaron har fortsatt och den totala sjukfrånvaron minskade något.",
           "Befolkningen ökade under året med 1 204 personer till totalt 98 512 invånare.",
           "Tabellen nedan visar utfallet per nämnd jämfört med budget och föregående år.",
           "Pensionsskulden som redovisas inom linjen fortsätter att minska i takt med att utbetalningarna ökar.",
           "Under hösten genomfördes en omorganisation av förvaltningens stödfunktioner.",
           "Likviditeten har varit god under hela året och ingen upplåning har behövts.",
           "Verksamheterna har anpassat sig till de nya förutsättningarna och kostnadsutvecklingen har dämpats.",
           "Det egna kapitalet uppgick vid årets slut till 3 412 miljoner kronor.",
           "Revisorerna har granskat årsredovisningen och tillstyrker att fullmäktige beviljar ansvarsfrihet."],
    "en": ["The municipality reported a result for the year of 45.3 million kronor, 12.1 million better than budget.",
           "Tax revenue increased by 3.2 per cent compared with the previous year.",
           "Taken together the committees report a deficit against budget, mainly within social services.",
           "Investments were carried out at a slower pace than planned and amounted to 612 million kronor.",
           "The financial target of a result of at least two per cent of tax revenue was not met.",
           "In June the council adopted a new financial governance model for the period 2025 to 2027.",
           "Work to reduce sick leave has continued and total sick leave decreased slightly.",
           "The population grew by 1,204 people during the year to a total of 98,512 inhabitants.",
           "The table below shows the outturn per committee compared with budget and the previous year.",
           "Liquidity was good throughout the year and no borrowing was needed.",
           "Equity amounted to 3,412 million kronor at the end of the year.",
           "The auditors have examined the annual report and recommend that the council grant discharge."],
}
HEADINGS = {"sv": ["Ekonomisk översikt", "Driftredovisning", "Resultaträkning", "Nyckeltal", "Personal",
                   "Måluppfyllelse", "Investeringar", "Balansräkning"],
            "en": ["Financial overview", "Operating statement", "Income statement", "Key ratios", "Staff",
                   "Goal attainment", "Investments", "Balance sheet"]}
CAPTIONS = {"sv": "Tabell {n}. {what}, mnkr", "en": "Table {n}. {what}, SEK m"}
FOOTNOTES = {"sv": ["Källa: Kolada och kommunens ekonomisystem.", "* Uppgiften för 2024 är preliminär.",
                    "Belopp i löpande priser. Avvikelse = budget minus utfall."],
             "en": ["Source: Kolada and the municipal accounting system.", "* The 2024 figure is preliminary.",
                    "Amounts in current prices. Variance = budget less outturn."]}


def prose(rng: random.Random, lang: str, sentences: int) -> str:
    """A paragraph of report-like sentences (figures inside prose, not in tables)."""
    return " ".join(rng.sample(SENTENCES[lang], min(sentences, len(SENTENCES[lang]))))


# ---------------------------------------------------------------------------------------------
# Content model
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HeaderCell:
    text: str | None
    span: int = 1


@dataclass
class TableSpec:
    """A table as printed: header rows (cells with column spans) and body rows (label first).

    `rules`: "grid" (every cell ruled), "hlines" (a rule under every row), "booktabs" (top,
    mid and bottom rules), "zebra" (shaded rows, no lines) or "none" (whitespace only)."""
    header: list[list[HeaderCell]]
    body: Rows
    rules: str = "grid"
    label_width: float | None = None  # wrap the label column at this width
    header_wrap: float | None = None  # cap a figure column's width so long headers wrap
    caption: str | None = None
    footnote: str | None = None
    repeat_header: bool = True  # on the pages a long table continues on
    numbers_on: str = "first"  # the line of a wrapped label the figures sit on: first, middle or last
    gap: float = 1.4  # space between columns, in font sizes (half of it padding on either side)
    align: str = "right"  # figures: right or center
    bold_rows: frozenset[int] = frozenset()
    leaders: bool = False  # dot leaders from each label to the label column's end
    turned_header: bool = False  # the figure columns' headers printed upwards, one line each
    paired_labels: bool = False  # rows in pairs, the label printed once, centred beside both

    @property
    def ncols(self) -> int:
        return len(self.body[0])

    def header_truth(self) -> Rows:
        """Header rows as grid rows: a spanning cell's text in every column it covers."""
        rows = []
        for cells in self.header:
            row: list[str | None] = []
            for cell in cells:
                row.extend([cell.text] * cell.span)
            rows.append(row)
        return rows


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bullet: bool = False


@dataclass(frozen=True)
class TwoColumns:
    """Prose set in two columns: aligned lines with a wide gutter, yet no table."""
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class NewPage:
    landscape: bool = False


Element = Union[Heading, Paragraph, TwoColumns, NewPage, TableSpec]


@dataclass(frozen=True)
class Look:
    face: Face
    size: float  # table text size, 7-11 pt
    producer: str  # "reportlab" or "fpdf2"
    locale: Locale
    page: tuple[float, float] = A4  # portrait width, height
    margin: float = 56.0
    rotate: bool = False  # landscape pages drawn on portrait media with /Rotate 90 (reportlab)
    furniture: bool = False  # running header and page numbers
    justify: bool = False  # justified prose (wide, uneven word gaps)


@dataclass
class DocSpec:
    name: str
    category: str
    look: Look
    elements: list[Element]
    landscape: bool = False  # the first page


# ---------------------------------------------------------------------------------------------
# Layout: elements -> display list per page, plus the truth
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TextOp:
    x: float
    baseline: float
    text: str
    bold: bool
    size: float
    upwards: bool = False  # turned a quarter counter-clockwise, read bottom to top from (x, baseline)


@dataclass(frozen=True)
class RuleOp:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    gray: float = 0.0


@dataclass(frozen=True)
class FillOp:
    x0: float
    top: float
    x1: float
    bottom: float
    gray: float


Op = Union[TextOp, RuleOp, FillOp]


@dataclass
class PageOut:
    width: float  # as displayed
    height: float
    ops: list[Op] = field(default_factory=list)


@dataclass
class Box:
    """A cell's lines placed in a column range [col, col + span)."""
    col: int
    span: int
    lines: list[str]
    bold: bool
    drop: float = 0.0  # set this far below its row's top line (a label centred on two rows)


@dataclass
class Part:
    """The part of a table printed on one page: its truth grid as it grows."""
    page: int
    top: float
    header_rows: int = 0
    rows: Rows = field(default_factory=list)


@dataclass
class RowBox:
    boxes: list[Box]
    height: float
    fill: float | None = None


class Layout:
    """Flows elements down pages; records every table part as a truth grid."""

    def __init__(self, look: Look, landscape: bool):
        self.look = look
        self.pages: list[PageOut] = []
        self.truth: list[dict] = []
        self.landscape = landscape
        self.y = 0.0
        self.new_page(landscape)

    # -- pages ----------------------------------------------------------------------------
    @property
    def page(self) -> PageOut:
        return self.pages[-1]

    @property
    def width(self) -> float:
        return self.page.width - 2 * self.look.margin

    @property
    def bottom(self) -> float:
        return self.page.height - self.look.margin

    def new_page(self, landscape: bool | None = None) -> None:
        self.landscape = self.landscape if landscape is None else landscape
        w, h = self.look.page
        self.pages.append(PageOut(h, w) if self.landscape else PageOut(w, h))
        self.y = self.look.margin

    def need(self, height: float) -> None:
        """Start a new page unless `height` more points fit on this one."""
        if self.y + height > self.bottom and self.y > self.look.margin:
            self.new_page()

    # -- drawing helpers ------------------------------------------------------------------
    def measure(self, text: str, bold: bool, size: float) -> float:
        return measure(self.look.face, text, bold, size)

    def wrap(self, text: str, width: float, bold: bool, size: float) -> list[str]:
        """Greedy word wrap at spaces (never hyphenates: the truth joins lines with spaces)."""
        lines: list[str] = []
        for word in text.split(" "):
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and self.measure(candidate, bold, size) <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
        return lines

    def text(self, x: float, top: float, text: str, bold: bool, size: float) -> None:
        self.page.ops.append(TextOp(x, top + 0.8 * size, text, bold, size))

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5, gray: float = 0.0) -> None:
        self.page.ops.append(RuleOp(x0, y0, x1, y1, width, gray))

    # -- prose ----------------------------------------------------------------------------
    def heading(self, element: Heading) -> None:
        size = 14.0
        self.need(3 * size)
        self.y += 0.4 * size
        self.text(self.look.margin, self.y, element.text, True, size)
        self.y += 1.6 * size

    def paragraph(self, element: Paragraph) -> None:
        size = max(9.0, min(self.look.size + 1, 11.0))
        indent = 14.0 if element.bullet else 0.0
        x = self.look.margin + indent
        lines = self.wrap(element.text, self.width - indent, False, size)
        for index, line in enumerate(lines):
            self.need(1.4 * size)
            if element.bullet and index == 0:
                self.text(self.look.margin + 3, self.y, "\u2022" if self.look.face.unicode else "-", False, size)
            last = index == len(lines) - 1
            self.prose_line(x, line, self.width - indent, size, justify=self.look.justify and not last)
            self.y += 1.35 * size
        self.y += 0.7 * size

    def prose_line(self, x: float, line: str, width: float, size: float, justify: bool) -> None:
        """One line of prose; justified lines are drawn word by word with widened gaps."""
        words = line.split(" ")
        if not justify or len(words) < 2:
            self.text(x, self.y, line, False, size)
            return
        gap = (width - sum(self.measure(w, False, size) for w in words)) / (len(words) - 1)
        for word in words:
            self.text(x, self.y, word, False, size)
            x += self.measure(word, False, size) + gap

    def two_columns(self, element: TwoColumns) -> None:
        size = max(9.0, min(self.look.size + 1, 10.0))
        gutter = 24.0
        width = (self.width - gutter) / 2
        lines: list[str] = []
        for text in element.paragraphs:
            lines += self.wrap(text, width, False, size) + [""]
        half = (len(lines) + 1) // 2
        for column, chunk in enumerate((lines[:half], lines[half:])):
            x = self.look.margin + column * (width + gutter)
            for row, line in enumerate(chunk):
                if line:
                    self.text(x, self.y + row * 1.35 * size, line, False, size)
        self.y += half * 1.35 * size + size

    # -- tables ---------------------------------------------------------------------------
    def table(self, spec: TableSpec) -> None:
        size = self.look.size
        metrics = TableMetrics(size, hpad=spec.gap / 2 * size, vpad=(0.45 if spec.rules == "grid" else 0.3) * size)
        xs = self.column_edges(spec, metrics)
        header = [self.header_row(spec, cells, xs, metrics) for cells in spec.header]
        body = [self.body_row(spec, index, row, xs, metrics) for index, row in enumerate(spec.body)]
        caption_size = size + 1
        if spec.caption:
            self.need(2 * caption_size + sum(r.height for r in header) + body[0].height)
            self.text(xs[0], self.y, spec.caption, True, caption_size)
            self.y += 1.6 * caption_size
        else:
            self.need(sum(r.height for r in header) + body[0].height + size)
        self.draw_table(spec, header, body, xs, metrics)
        if spec.footnote:
            foot = max(6.0, size - 1.5)
            self.y += 0.4 * foot
            for line in self.wrap(spec.footnote, xs[-1] - xs[0], False, foot):
                self.text(xs[0], self.y, line, False, foot)
                self.y += 1.25 * foot
        self.y += 1.2 * size

    def draw_table(self, spec: TableSpec, header: list[RowBox], body: list[RowBox], xs: list[float],
                   metrics: TableMetrics) -> None:
        """Header, then body rows; a row that does not fit continues the table on a new page
        (a truth grid per page, the header drawn again when `spec.repeat_header`)."""
        part = self.start_part(spec, header, xs, metrics, with_header=True)
        for index, row in enumerate(body):
            if self.y + row.height > self.bottom:
                self.end_part(spec, part, xs)
                self.new_page()
                part = self.start_part(spec, header, xs, metrics, with_header=spec.repeat_header)
            self.draw_row(spec, row, xs, metrics, first=not part.rows, header=False)
            part.rows.append(list(spec.body[index]))
        self.end_part(spec, part, xs)

    def start_part(self, spec: TableSpec, header: list[RowBox], xs: list[float], metrics: TableMetrics,
                   with_header: bool) -> Part:
        part = Part(len(self.pages), self.y)
        if spec.rules == "booktabs":
            self.rule(xs[0], self.y, xs[-1], self.y, 1.0)
        if with_header:
            for index, row in enumerate(header):
                self.draw_row(spec, row, xs, metrics, first=index == 0, header=True,
                              last_header=index == len(header) - 1)
            part.header_rows = len(header)
            part.rows = spec.header_truth()
        return part

    def end_part(self, spec: TableSpec, part: Part, xs: list[float]) -> None:
        """Close the table on this page and record its truth grid."""
        if spec.rules == "booktabs":
            self.rule(xs[0], self.y, xs[-1], self.y, 1.0)
        if len(part.rows) > part.header_rows:
            bbox = [round(v, 2) for v in (xs[0], part.top, xs[-1], self.y)]
            self.truth.append({"page": part.page, "bbox": bbox, "header_rows": part.header_rows, "rows": part.rows})

    def column_edges(self, spec: TableSpec, m: TableMetrics) -> list[float]:
        """x of every column edge: figure columns as wide as their widest figure (or header,
        unless capped to make it wrap), the label column as given or as needed, spanning header
        cells widening their last column when needed; the label column gives way if too wide."""
        widths = [self.label_width(spec, m)] + [self.figure_width(spec, j, m) for j in range(1, spec.ncols)]
        for cells in spec.header:
            col = 0
            for cell in cells:
                if cell.span > 1 and cell.text:
                    need = self.measure(cell.text, True, m.size) + 2 * m.hpad
                    have = sum(widths[col:col + cell.span])
                    widths[col + cell.span - 1] += max(0.0, need - have)
                col += cell.span
        excess = sum(widths) - self.width
        if excess > 0:
            widths[0] = max(widths[0] - excess, self.longest_word(spec, m) + 2 * m.hpad)
        if sum(widths) > self.width + 0.5:
            raise ValueError(f"table {spec.ncols} columns wide does not fit {self.width:.0f} pt")
        xs = [self.look.margin]
        for width in widths:
            xs.append(xs[-1] + width)
        return xs

    def label_width(self, spec: TableSpec, m: TableMetrics) -> float:
        natural = max(self.measure(row[0], index in spec.bold_rows, m.size)
                      for index, row in enumerate(spec.body) if row[0]) + 2 * m.hpad
        for cells in spec.header:
            if cells[0].text and cells[0].span == 1:
                natural = max(natural, self.measure(cells[0].text, True, m.size) + 2 * m.hpad)
        if spec.label_width is None:
            return natural
        return min(natural, max(spec.label_width, self.longest_word(spec, m)) + 2 * m.hpad)

    def longest_word(self, spec: TableSpec, m: TableMetrics) -> float:
        words = [w for row in spec.body if row[0] for w in row[0].split(" ")]
        return max(self.measure(w, True, m.size) for w in words)

    def figure_width(self, spec: TableSpec, j: int, m: TableMetrics) -> float:
        body = max((self.measure(row[j], index in spec.bold_rows, m.size)
                    for index, row in enumerate(spec.body) if row[j]), default=0.0)
        head = 0.0
        for cells in spec.header:
            col = 0
            for cell in cells:
                if col == j and cell.span == 1 and cell.text and spec.turned_header:
                    head = max(head, 1.3 * m.size)
                elif col == j and cell.span == 1 and cell.text:
                    full = self.measure(cell.text, True, m.size)
                    longest = max(self.measure(w, True, m.size) for w in cell.text.split(" "))
                    head = max(head, full if spec.header_wrap is None else max(longest, min(full, spec.header_wrap)))
                col += cell.span
        return max(body, head) + 2 * m.hpad

    def header_row(self, spec: TableSpec, cells: Sequence[HeaderCell], xs: list[float], m: TableMetrics) -> RowBox:
        if spec.turned_header:
            boxes = [Box(col, 1, [cell.text] if cell.text else [], True) for col, cell in enumerate(cells)]
            length = max(self.measure(cell.text, True, m.size) for cell in cells[1:] if cell.text)
            return RowBox(boxes, length + 2 * m.vpad)
        boxes, col = [], 0
        for cell in cells:
            width = xs[col + cell.span] - xs[col] - 2 * m.hpad
            lines = self.wrap(cell.text, width + 0.01, True, m.size) if cell.text else []
            boxes.append(Box(col, cell.span, lines, True))
            col += cell.span
        lines = max((len(b.lines) for b in boxes), default=1)
        fill = 0.8 if spec.rules == "zebra" else None
        return RowBox(boxes, max(lines, 1) * m.leading + 2 * m.vpad, fill)

    def body_row(self, spec: TableSpec, index: int, row: Sequence[str | None], xs: list[float],
                 m: TableMetrics) -> RowBox:
        bold = index in spec.bold_rows
        label = self.wrap(row[0], xs[1] - xs[0] - 2 * m.hpad + 0.01, bold, m.size) if row[0] else []
        boxes = [Box(0, 1, label, bold)] + [Box(j, 1, [row[j]] if row[j] else [], bold) for j in range(1, len(row))]
        fill = 0.92 if spec.rules == "zebra" and index % 2 == 1 else None
        height = max(len(label), 1) * m.leading + 2 * m.vpad
        if spec.paired_labels:  # the pair's label once, on the line between its two rows
            boxes[0] = Box(0, 1, [] if index % 2 else label, bold, drop=height / 2)
        return RowBox(boxes, height, fill)

    def draw_row(self, spec: TableSpec, row: RowBox, xs: list[float], m: TableMetrics, first: bool, header: bool,
                 last_header: bool = False) -> None:
        top, bottom = self.y, self.y + row.height
        if row.fill is not None:
            self.page.ops.append(FillOp(xs[0], top, xs[-1], bottom, row.fill))
        nlines = max(1, *(len(b.lines) for b in row.boxes))
        for box in row.boxes:
            if header and spec.turned_header and box.col > 0:  # upwards from the row's foot, centred
                x = (xs[box.col] + xs[box.col + 1]) / 2 + 0.35 * m.size
                self.page.ops += [TextOp(x, bottom - m.vpad, line, True, m.size, upwards=True) for line in box.lines]
            elif header and spec.turned_header:  # the label column's header on the row's foot
                for line in box.lines:
                    self.text(xs[0] + m.hpad, bottom - m.vpad - m.size, line, True, m.size)
            else:
                self.draw_box(spec, box, xs, m, top, nlines, header)
        self.draw_rules(spec, row, xs, top, bottom, first, header, last_header)
        self.y = bottom

    def draw_box(self, spec: TableSpec, box: Box, xs: list[float], m: TableMetrics, top: float, nlines: int,
                 header: bool) -> None:
        """A cell's lines: header cells bottom-aligned, figures on the first or last line of
        their row's label, labels left, figures right or centred, spanning headers centred."""
        if header or (box.col > 0 and spec.numbers_on == "last"):
            first_line: float = nlines - len(box.lines)
        elif box.col > 0 and spec.numbers_on == "middle":
            first_line = (nlines - len(box.lines)) / 2
        else:
            first_line = 0
        x0, x1 = xs[box.col] + m.hpad, xs[box.col + box.span] - m.hpad
        for index, line in enumerate(box.lines):
            width = self.measure(line, box.bold, m.size)
            if box.col == 0:
                x = x0
            elif box.span > 1 or spec.align == "center":
                x = (x0 + x1 - width) / 2
            else:
                x = x1 - width
            self.text(x, top + m.vpad + box.drop + (first_line + index) * m.leading, line, box.bold, m.size)
        if spec.leaders and box.col == 0 and box.lines and not header:
            start = x0 + self.measure(box.lines[-1] + " ", box.bold, m.size)
            dots = int((x1 - start) / self.measure(".", box.bold, m.size))
            if dots >= 4:
                self.text(start, top + m.vpad + (first_line + len(box.lines) - 1) * m.leading, "." * dots, box.bold,
                          m.size)

    def draw_rules(self, spec: TableSpec, row: RowBox, xs: list[float], top: float, bottom: float, first: bool,
                   header: bool, last_header: bool) -> None:
        """The rules of one row in the table's style; a spanning header cell is never crossed
        by a vertical rule, and the booktabs and hlines styles underline it with a short rule."""
        if spec.rules == "grid":
            if first:
                self.rule(xs[0], top, xs[-1], top)
            edges = [xs[b.col] for b in row.boxes] + [xs[-1]]
            for x in edges:
                self.rule(x, top, x, bottom)
            self.rule(xs[0], bottom, xs[-1], bottom)  # also under an empty header cell: no cell spans rows
        elif spec.rules == "hlines" and (last_header or not header):
            self.rule(xs[0], bottom, xs[-1], bottom, 0.8 if header and last_header else 0.4, 0.0 if header else 0.55)
        if spec.rules in ("hlines", "booktabs") and header and not last_header:
            for box in row.boxes:  # cmidrule under a spanning header cell
                if box.span > 1 and box.lines:
                    self.rule(xs[box.col] + 3, bottom, xs[box.col + box.span] - 3, bottom, 0.4)
        if spec.rules == "booktabs" and header and last_header:
            self.rule(xs[0], bottom, xs[-1], bottom, 0.6)


@dataclass(frozen=True)
class TableMetrics:
    size: float
    hpad: float
    vpad: float

    @property
    def leading(self) -> float:
        return 1.22 * self.size


def lay_out(doc: DocSpec) -> Layout:
    """The document's pages as display lists, and its truth grids."""
    layout = Layout(doc.look, doc.landscape)
    for element in doc.elements:
        if isinstance(element, NewPage):
            layout.new_page(element.landscape)
        elif isinstance(element, Heading):
            layout.heading(element)
        elif isinstance(element, Paragraph):
            layout.paragraph(element)
        elif isinstance(element, TwoColumns):
            layout.two_columns(element)
        else:
            layout.table(element)
    if doc.look.furniture:
        add_furniture(layout, doc)
    return layout


def add_furniture(layout: Layout, doc: DocSpec) -> None:
    """A running header and a page number on every page: repeated page furniture, not tables."""
    lang = doc.look.locale.lang
    title = "Testby kommun \u2013 Årsredovisning 2024" if doc.look.face.unicode else "Testby kommun - Årsredovisning 2024"
    if lang == "en":
        title = "Testby municipality - Annual report 2024"
    for number, page in enumerate(layout.pages, start=1):
        margin = doc.look.margin
        page.ops.append(TextOp(margin, margin * 0.55, title, False, 8.0))
        page.ops.append(RuleOp(margin, margin * 0.55 + 4, page.width - margin, margin * 0.55 + 4, 0.3, 0.5))
        label = f"{'Sida' if lang == 'sv' else 'Page'} {number}"
        page.ops.append(TextOp(page.width - margin - measure(doc.look.face, label, False, 8.0),
                               page.height - margin * 0.5, label, False, 8.0))


# ---------------------------------------------------------------------------------------------
# Producers: display list -> PDF
# ---------------------------------------------------------------------------------------------

def draw_reportlab(layout: Layout, look: Look, path: Path) -> None:
    """reportlab's canvas; landscape pages either on landscape media or, with `look.rotate`,
    on portrait media turned by /Rotate 90 with the content drawn turned back."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=1, pageCompression=1)
    for page in layout.pages:
        turned = look.rotate and page.width > page.height
        pdf.setPageSize((page.width, page.height))  # reportlab swaps the MediaBox of a /Rotate 90 page
        if turned:
            pdf.setPageRotation(90)
            pdf.transform(0, 1, -1, 0, page.height, 0)  # displayed (X, Y) -> media (h - Y, X)
        for op in page.ops:
            draw_reportlab_op(pdf, op, look.face, page.height)
        pdf.showPage()
    pdf.save()


def draw_reportlab_op(pdf, op: Op, face: Face, height: float) -> None:
    if isinstance(op, TextOp):
        pdf.setFillGray(0)
        pdf.setFont(face.bold if op.bold else face.regular, op.size)
        if op.upwards:
            pdf.saveState()
            pdf.translate(op.x, height - op.baseline)
            pdf.rotate(90)
            pdf.drawString(0, 0, op.text)
            pdf.restoreState()
        else:
            pdf.drawString(op.x, height - op.baseline, op.text)
    elif isinstance(op, RuleOp):
        pdf.setStrokeGray(op.gray)
        pdf.setLineWidth(op.width)
        pdf.line(op.x0, height - op.y0, op.x1, height - op.y1)
    else:
        pdf.setFillGray(op.gray)
        pdf.rect(op.x0, height - op.bottom, op.x1 - op.x0, op.bottom - op.top, stroke=0, fill=1)


def draw_fpdf(layout: Layout, look: Look, path: Path) -> None:
    """fpdf2, points, origin top-left: the same display list by a second producer."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=look.page)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    face = look.face
    if face.files is not None:
        pdf.add_font(face.fpdf_family, "", str(face.files[0]))
        pdf.add_font(face.fpdf_family, "B", str(face.files[1]))
    for page in layout.pages:
        pdf.add_page(format=(page.width, page.height))
        for op in page.ops:
            draw_fpdf_op(pdf, op, face)
    pdf.output(str(path))


def draw_fpdf_op(pdf, op: Op, face: Face) -> None:
    if isinstance(op, TextOp):
        pdf.set_text_color(0)
        pdf.set_font(face.fpdf_family, "B" if op.bold else "", op.size)
        if op.upwards:
            with pdf.rotation(90, op.x, op.baseline):
                pdf.text(op.x, op.baseline, op.text)
        else:
            pdf.text(op.x, op.baseline, op.text)
    elif isinstance(op, RuleOp):
        pdf.set_draw_color(round(op.gray * 255))
        pdf.set_line_width(op.width)
        pdf.line(op.x0, op.y0, op.x1, op.y1)
    else:
        pdf.set_fill_color(round(op.gray * 255))
        pdf.rect(op.x0, op.top, op.x1 - op.x0, op.bottom - op.top, style="F")


def render(doc: DocSpec, directory: Path) -> tuple[Path, int]:
    """Write `<name>.pdf` and `<name>.truth.json`; the PDF's path and its page count."""
    layout = lay_out(doc)
    path = directory / f"{doc.name}.pdf"
    (draw_fpdf if doc.look.producer == "fpdf2" else draw_reportlab)(layout, doc.look, path)
    truth = directory / f"{doc.name}.truth.json"
    truth.write_text(json.dumps(layout.truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return path, len(layout.pages)


# ---------------------------------------------------------------------------------------------
# Tables of content
# ---------------------------------------------------------------------------------------------

class Content:
    """Seeded cell texts for one document. Labels and figures never repeat within a table, so
    two neighbours are never equal (equal neighbours would read as one spanning cell)."""

    def __init__(self, rng: random.Random, look: Look):
        self.rng = rng
        self.look = look
        self.locale = look.locale
        self.lang = look.locale.lang

    def labels(self, count: int, long: int = 0) -> list[str]:
        """`count` distinct row labels, `long` of them long enough to wrap."""
        long = min(long, count, len(LONG_LABELS[self.lang]))
        picked = self.rng.sample(LONG_LABELS[self.lang], long)
        pool = LABELS[self.lang]
        if count - long > len(pool):  # a long table: labels per district ('Grundskola, Norra')
            pool = pool + [f"{label}, {district}" for label in pool for district in DISTRICTS[self.lang]]
        picked += self.rng.sample(pool, count - long)
        self.rng.shuffle(picked)
        return picked

    def figures(self, rows: int, kinds: Sequence[str], empty: float = 0.0) -> Rows:
        """rows x len(kinds) distinct figures; a share `empty` of them left blank."""
        used: set[str] = set()
        grid: Rows = []
        for _ in range(rows):
            row: list[str | None] = []
            for kind in kinds:
                if self.rng.random() < empty:
                    row.append(None)
                    continue
                text = random_value(self.rng, kind, self.locale)
                while text in used:
                    text = random_value(self.rng, kind, self.locale)
                used.add(text)
                row.append(text)
            grid.append(row)
        return grid

    def kinds(self, columns: int) -> list[str]:
        """Column kinds: mostly amounts, sometimes a trailing percentage column."""
        kind = self.rng.choice(KINDS)
        kinds = [kind] * columns
        if columns > 2 and self.rng.random() < 0.5:
            kinds[-1] = "percent"
        return kinds

    def column_headers(self, columns: int) -> list[str]:
        options = [h for h in YEAR_HEADERS[self.lang] if len(h) >= columns]
        return list(self.rng.choice(options)[:columns]) if options else self.months(columns)

    def months(self, columns: int) -> list[str]:
        names = ("Jan Feb Mar Apr Maj Jun Jul Aug Sep Okt Nov Dec" if self.lang == "sv"
                 else "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()
        return (names + ["Totalt" if self.lang == "sv" else "Total"])[:columns]

    def label_header(self) -> str | None:
        return self.rng.choice(LABEL_HEADERS[self.lang])

    def simple(self, rows: int, columns: int, long: int = 0, empty: float = 0.0,
               headers: list[str] | None = None, **options) -> TableSpec:
        """A one-header-row table: label column plus `columns` figure columns."""
        headers = headers or self.column_headers(columns)
        header = [[HeaderCell(self.label_header())] + [HeaderCell(h) for h in headers]]
        figures = self.figures(rows, self.kinds(columns), empty)
        body = [[label] + row for label, row in zip(self.labels(rows, long), figures)]
        return TableSpec(header, body, **options)

    def accounts(self, rows: int, columns: int, currency: str, **options) -> TableSpec:
        """Accounts as printed abroad: the currency sign on the first and the last row, negatives
        in parentheses and every third row an expense whose figures are all negative."""
        header = [[HeaderCell(self.label_header())] + [HeaderCell(h) for h in self.column_headers(columns)]]
        used: set[str] = set()
        body: Rows = []
        for index, label in enumerate(self.labels(rows)):
            sign = -1 if index % 3 == 1 else 1
            row: list[str | None] = [label]
            for _ in range(columns):
                text = self.locale.number(sign * self.rng.uniform(1_000, 900_000), 0)
                while text in used:
                    text = self.locale.number(sign * self.rng.uniform(1_000, 900_000), 0)
                used.add(text)
                row.append(f"{currency} {text}" if index in (0, rows - 1) else text)
            body.append(row)
        return TableSpec(header, body, **options)

    def spanning(self, rows: int, groups: int, **options) -> TableSpec:
        """Two header rows: years spanning their sub-columns ('2024' over 'Budget' 'Utfall')."""
        pair = self.rng.choice(GROUPS[self.lang])
        years = [str(2024 - groups + 1 + g) for g in range(groups)]
        if self.rng.random() < 0.5:
            top = [HeaderCell(None)] + [HeaderCell(y, 2) for y in years]
            bottom = [HeaderCell(self.label_header())] + [HeaderCell(name) for _ in years for name in pair]
        else:
            top = [HeaderCell(None)] + [HeaderCell(name, groups) for name in pair]
            bottom = [HeaderCell(self.label_header())] + [HeaderCell(y) for _ in pair for y in years]
        figures = self.figures(rows, ["amount"] * (2 * groups))
        body = [[label] + row for label, row in zip(self.labels(rows), figures)]
        return TableSpec([top, bottom], body, **options)

    def nested(self, rows: int, groups: int, **options) -> TableSpec:
        """Three header rows: a title over every value column, years over their two measures,
        the measures ('Kommunen' over '2024' '2023' over 'Budget' 'Utfall' twice)."""
        spec = self.spanning(rows, groups, **options)
        title = self.rng.choice(TITLES[self.lang])
        top = [HeaderCell(None), HeaderCell(title, 2 * groups)]
        return replace(spec, header=[top] + spec.header)

    def paired(self, pairs: int, columns: int, **options) -> TableSpec:
        """Rows in pairs ('Budget' and 'Utfall' of each committee), the committee's name printed
        once beside both: the truth repeats it in each."""
        kinds = ("Typ", "Type")[self.lang == "en"]
        header = [[HeaderCell(self.label_header() or kinds), HeaderCell(kinds)] +
                  [HeaderCell(h) for h in self.column_headers(columns)]]
        names = self.rng.choice(GROUPS[self.lang])
        figures = self.figures(2 * pairs, self.kinds(columns))
        body = [[label, names[k]] + figures[2 * p + k] for p, label in enumerate(self.labels(pairs)) for k in (0, 1)]
        return TableSpec(header, body, paired_labels=True, **options)

    def with_sections(self, spec: TableSpec, sections: int) -> TableSpec:
        """Label-only section rows ('Intäkter' with no figures) inserted among the body rows."""
        body = [list(row) for row in spec.body]
        names = self.rng.sample(SECTION_ROWS[self.lang], sections)
        step = max(1, len(body) // sections)
        for index, name in enumerate(names):
            body.insert(index * (step + 1), [name] + [None] * (spec.ncols - 1))
        return replace(spec, body=body)

    def wrapped_headers(self, columns: int) -> list[str]:
        return self.rng.sample(LONG_HEADERS[self.lang], columns)

    def caption(self, number: int, heading: str) -> str:
        return CAPTIONS[self.lang].format(n=number, what=heading)

    def footnote(self) -> str:
        return " ".join(self.rng.sample(FOOTNOTES[self.lang], self.rng.choice([1, 2])))

    def heading(self) -> str:
        return self.rng.choice(HEADINGS[self.lang])

    def paragraph(self, sentences: int = 3) -> Paragraph:
        return Paragraph(prose(self.rng, self.lang, sentences))


# ---------------------------------------------------------------------------------------------
# Categories: one recipe each, `VARIANTS` documents per recipe
# ---------------------------------------------------------------------------------------------

RULE_CYCLE = ("grid", "hlines", "booktabs", "none", "zebra")


def intro(c: Content) -> list[Element]:
    """A heading and a paragraph before the table: tables are found among prose."""
    return [Heading(c.heading()), c.paragraph(c.rng.randint(2, 4))]


def recipe_ruled(c: Content, k: int) -> list[Element]:
    rows, cols = c.rng.randint(5, 10), c.rng.randint(3, 5)
    return intro(c) + [c.simple(rows, cols, rules="grid", align=("right", "center")[k % 2]), c.paragraph(2)]


def recipe_unruled(c: Content, k: int) -> list[Element]:
    rows, cols = c.rng.randint(5, 10), c.rng.randint(3, 5)
    spec = c.simple(rows, cols, rules="none", bold_rows=frozenset({rows - 1}), gap=(1.4, 1.8, 0.8, 1.0)[k])
    return intro(c) + [spec, c.paragraph(2)]


def recipe_booktabs(c: Content, k: int) -> list[Element]:
    rows, cols = c.rng.randint(5, 10), c.rng.randint(3, 5)
    return intro(c) + [c.simple(rows, cols, rules="booktabs"), c.paragraph(2)]


def recipe_zebra(c: Content, k: int) -> list[Element]:
    rows, cols = c.rng.randint(5, 10), c.rng.randint(3, 5)
    return intro(c) + [c.simple(rows, cols, rules="zebra"), c.paragraph(2)]


def recipe_spanning(c: Content, k: int) -> list[Element]:
    rules = ("grid", "booktabs", "hlines", "none")[k % 4]
    return intro(c) + [c.spanning(c.rng.randint(4, 8), c.rng.choice([2, 2, 3]), rules=rules)]


def recipe_wrapped_label(c: Content, k: int) -> list[Element]:
    rows = c.rng.randint(4, 7)
    spec = c.simple(rows, c.rng.randint(3, 4), long=rows - 1, rules=RULE_CYCLE[k % 4],
                    label_width=c.rng.uniform(110, 170), numbers_on=("first", "last", "middle")[k % 3])
    return intro(c) + [spec, c.paragraph(2)]


def recipe_wrapped_header(c: Content, k: int) -> list[Element]:
    cols = c.rng.randint(3, 5)
    spec = c.simple(c.rng.randint(4, 8), cols, headers=c.wrapped_headers(cols), rules=RULE_CYCLE[(k + 1) % 4],
                    header_wrap=c.rng.uniform(38, 60))
    return intro(c) + [spec, c.paragraph(2)]


def recipe_multi(c: Content, k: int) -> list[Element]:
    elements: list[Element] = [Heading(c.heading())]
    for index in range(2 + k % 2):
        elements.append(c.paragraph(c.rng.randint(1, 3)))
        rules = RULE_CYCLE[(k + index) % len(RULE_CYCLE)]
        elements.append(c.simple(c.rng.randint(3, 5), c.rng.randint(2, 4), rules=rules))
    elements.append(c.paragraph(2))
    return elements


def recipe_continued(c: Content, k: int) -> list[Element]:
    height = c.look.page[1] - 2 * c.look.margin
    rows = int(1.2 * height / (1.82 * c.look.size))  # more rows than a page holds: never fits on one
    spec = c.simple(rows, c.rng.randint(3, 5), rules=RULE_CYCLE[k % 4], repeat_header=k % 2 == 0)
    return intro(c) + [c.paragraph(4), spec, c.paragraph(2)]


def recipe_landscape(c: Content, k: int) -> list[Element]:
    columns = c.rng.randint(9, 13)
    spec = c.simple(c.rng.randint(5, 9), columns, headers=c.months(columns), rules=RULE_CYCLE[k % 4])
    if k % 2:
        return [Heading(c.heading()), c.paragraph(4), NewPage(landscape=True)] + intro(c) + [spec]
    return intro(c) + [spec]


def recipe_caption(c: Content, k: int) -> list[Element]:
    heading = c.heading()
    spec = c.simple(c.rng.randint(4, 8), c.rng.randint(3, 5), rules=RULE_CYCLE[(k + 2) % 4],
                    caption=c.caption(c.rng.randint(1, 12), heading), footnote=c.footnote())
    return [Heading(heading), c.paragraph(3), spec, c.paragraph(2)]


def recipe_empty(c: Content, k: int) -> list[Element]:
    rows = c.rng.randint(6, 10)
    spec = c.simple(rows, c.rng.randint(3, 5), empty=0.2, rules=RULE_CYCLE[(k + 3) % 4])
    return intro(c) + [c.with_sections(spec, 2), c.paragraph(2)]


def recipe_accounts(c: Content, k: int) -> list[Element]:
    spec = c.accounts(c.rng.randint(4, 8), c.rng.randint(2, 4), ("$", "£")[k % 2], rules=RULE_CYCLE[k % 4],
                      leaders=k % 2 == 1)
    return intro(c) + [spec, c.paragraph(2)]


def recipe_nested_header(c: Content, k: int) -> list[Element]:
    rules = ("grid", "booktabs", "hlines", "none")[k % 4]
    return intro(c) + [c.nested(c.rng.randint(4, 7), 2, rules=rules), c.paragraph(2)]


def recipe_turned_header(c: Content, k: int) -> list[Element]:
    """Narrow figure columns under long headers printed upwards (the committees, one a column)."""
    columns = c.rng.randint(4, 7)
    spec = c.simple(c.rng.randint(3, 6), columns, headers=c.rng.sample(COMMITTEES[c.lang], columns),
                    rules=RULE_CYCLE[k % 4], turned_header=True)
    return intro(c) + [spec, c.paragraph(2)]


def recipe_paired_rows(c: Content, k: int) -> list[Element]:
    # two figure columns leave the labels room on one line, as such tables print them
    spec = c.paired(c.rng.randint(2, 4), 2, rules=("none", "booktabs", "none", "booktabs")[k])
    return intro(c) + [spec, c.paragraph(2)]


def recipe_prose(c: Content, k: int) -> list[Element]:
    """No table at all: plain paragraphs, two-column prose, bullet lists, two pages."""
    elements: list[Element] = [Heading(c.heading())]
    if k == 1:
        return elements + [TwoColumns(tuple(prose(c.rng, c.lang, 5) for _ in range(4)))]
    for index in range(5 + 3 * (k == 3)):
        if k == 2 and index % 2:
            elements += [Paragraph(s, bullet=True) for s in c.rng.sample(SENTENCES[c.lang], 3)]
        else:
            elements.append(c.paragraph(c.rng.randint(3, 5)))
        if index == 4:
            elements += [NewPage()] if k == 3 else []
            elements.append(Heading(c.heading()))
    return elements


Recipe = Callable[[Content, int], list[Element]]
RECIPES: dict[str, Recipe] = {
    "ruled": recipe_ruled, "unruled": recipe_unruled, "booktabs": recipe_booktabs, "zebra": recipe_zebra,
    "spanning": recipe_spanning, "wrapped-label": recipe_wrapped_label, "wrapped-header": recipe_wrapped_header,
    "multi": recipe_multi, "continued": recipe_continued, "landscape": recipe_landscape,
    "caption": recipe_caption, "empty": recipe_empty, "prose": recipe_prose,
    "accounts": recipe_accounts, "nested-header": recipe_nested_header, "turned-header": recipe_turned_header,
    "paired-rows": recipe_paired_rows,
}


def look_for(category: int, k: int, rng: random.Random, name: str) -> Look:
    """Fonts, sizes, producers and locales spread across the variants of every category."""
    available = faces()
    face = available[(k + category) % len(available)]
    producer = "fpdf2" if (k + 2 * category) % 3 == 1 else "reportlab"
    size = float(rng.choice([7, 8, 9, 10, 11]))
    rotate = False
    if name == "landscape":
        size = float(rng.choice([7, 8]))
        rotate = k == 1
        producer = "reportlab" if rotate else producer
    locale = make_locale(rng, "en" if k == 3 else "sv", face, producer)
    if name == "accounts":
        locale = Locale("en", ",", ".", "-", "%", parens=True)
    return Look(face, size, producer, locale, page=LETTER if (k + category) % 5 == 4 else A4,
                margin=rng.choice([42.0, 56.0, 70.0]), rotate=rotate, furniture=(k + category) % 3 == 0,
                justify=k % 2 == 1)


def documents(seed: int = SEED) -> list[DocSpec]:
    """Every document of the corpus, each from its own seeded generator."""
    docs = []
    for category, (name, recipe) in enumerate(RECIPES.items()):
        for k in range(VARIANTS):
            stem = f"{name}-{k + 1:02d}"
            rng = random.Random(zlib.crc32(f"{seed}:{stem}".encode()))
            look = look_for(category, k, rng, name)
            content = Content(rng, look)
            landscape = name == "landscape" and k % 2 == 0
            docs.append(DocSpec(stem, name, look, recipe(content, k), landscape))
    return docs


def describe(doc: DocSpec, pages: int) -> dict:
    look = doc.look
    return {"category": doc.category, "font": look.face.key, "size": look.size, "producer": look.producer,
            "locale": look.locale.lang, "pages": pages, "rotated": look.rotate,
            "rules": sorted({e.rules for e in doc.elements if isinstance(e, TableSpec)})}


def generate(directory: Path, seed: int = SEED) -> list[Path]:
    """Write the corpus (PDFs, `<stem>.truth.json`, manifest.json) into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    manifest, paths = {}, []
    for doc in documents(seed):
        path, pages = render(doc, directory)
        manifest[doc.name] = describe(doc, pages)
        paths.append(path)
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    paths = generate(args.directory, args.seed)
    print(f"wrote {len(paths)} PDFs with truth to {args.directory}")


if __name__ == "__main__":
    main()
