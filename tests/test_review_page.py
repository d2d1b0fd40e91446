"""`arw report`: the HTML review page of the sample's inconsistencies, checked as a person sees
it — in headless Chromium at three widths, in both languages: it renders, every image loads, no
console errors, no horizontal scrolling. The pieces that decide what a reader sees (numbers as
Swedish reports print them, the crop around a figure, the sign/unit note, the link to the PDF
page) are pure functions, tested fast without a PDF or a browser."""
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli_harness import arw_in_process

from warehouse.review import (
    LANGUAGES, NO_BREAK_SPACE, WORDS, Box, Cell, Side, crop_region, lines_of, page_link, sign_note, sv_number,
    t, terms_of, unclipped, unit_note,
)

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
WIDTHS = (1400, 900, 400)
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "haninge-ks-arsredovisning-2024.pdf"
RULES = ("sick_leave_kf_equals_staff_table", "prose_development_costs", "prose_development_cost_split")


def shown(page: str, language: str) -> str:
    """The page's text as a reader of `language` sees it: the other language's spans and all
    markup removed, white space collapsed (no-break spaces read as spaces)."""
    others = "|".join(lang for lang in LANGUAGES if lang != language)
    text = re.sub(rf'<span class="(?:{others})" lang="(?:{others})">[^<]*</span>', "", page)
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"</?(?:p|div|dt|dd|h\d|li|td|th|tr|figure|figcaption|header|section|article|svg)\b[^>]*>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace(NO_BREAK_SPACE, " ")
    return re.sub(r"\s+", " ", text)


def plain(html_text: str, language: str = "sv") -> str:
    return shown(html_text, language).strip()


# --- fast: numbers, crops, notes, links, vocabulary --------------------------------------------

def test_numbers_are_written_as_swedish_reports_print_them():
    assert sv_number(1234.1, 1) == "1 234,1"
    assert sv_number(-6279.0, 0) == "\u22126 279"
    assert sv_number(661304.0, 0) == "661 304" and sv_number(1234567.891, 2) == "1 234 567,89"
    assert sv_number(0.0, 0) == "0" and sv_number(0.0, 1) == "0,0" and sv_number(-0.0, 0) == "0"
    assert sv_number(-0.04, 1) == "0,0"  # rounds to zero: no minus sign on a printed zero
    assert sv_number(7.7, 1) == "7,7" and sv_number(764.0, 1) == "764,0" and sv_number(-0.27, 2) == "\u22120,27"
    assert sv_number(180.79999999999998) == "180,8" and sv_number(15.211625) == "15,212"  # unknown decimals
    assert sv_number(None) == "–"
    assert not any("." in sv_number(v, 2) for v in (1234.5, -98765.4321, 0.5))


def words_on_line(top: float, *spans: tuple[float, float]) -> list[Box]:
    return [Box(x0, top, x1, top + 10) for x0, x1 in spans]


@dataclass
class SyntheticTable:
    """A page with a paragraph, a two-line table header, three rows and a paragraph below."""

    paragraph = words_on_line(100, (70, 130), (133, 300), (303, 520))
    group_header = words_on_line(124, (365, 385), (388, 406))  # "Helår 2024" over Budget and Avvikelse
    header = words_on_line(140, (71, 100), (102, 122), (294, 314), (355, 381), (414, 449))
    labels = [words_on_line(158 + 16 * i, (71, 110), (113, 150)) for i in range(3)]
    below = words_on_line(230, (70, 400), (403, 521))
    columns = ((291, 314), (360, 381), (430, 449))

    def cells(self) -> list[Cell]:
        return [Cell(Box(x0, 158 + 16 * r, x1, 168 + 16 * r), 7, r + 1, c + 1, "mnkr", "Investeringar", 25)
                for r in range(3) for c, (x0, x1) in enumerate(self.columns)]

    def words(self) -> list[Box]:
        rows = [w for label in self.labels for w in label] + [c.box for c in self.cells()]
        return self.paragraph + self.group_header + self.header + rows + self.below


PAGE = Box(0, 0, 595, 842)


def no_word_cut_at_the_sides(crop: Box, words: list[Box]) -> bool:
    return not [w for w in words if crop.top <= w.middle <= crop.bottom
                and (w.x0 < crop.x0 < w.x1 or w.x0 < crop.x1 < w.x1)]


def test_the_crop_of_a_table_figure_reaches_up_to_its_column_header_and_left_to_its_row_label():
    table = SyntheticTable()
    figure = table.cells()[2 * 3 + 1].box  # row 3, the Budget column
    crop = crop_region([figure], table.cells(), table.words(), PAGE)
    assert crop.box.top <= min(w.top for w in table.group_header + table.header)  # both header lines
    assert crop.box.top > table.paragraph[0].bottom  # not the paragraph before the table
    assert crop.box.bottom >= figure.bottom and crop.box.bottom < table.below[0].top
    assert crop.box.x0 <= table.labels[2][0].x0 and crop.box.x1 >= max(w.x1 for w in table.header)
    assert Box(71, 190, 150, 200) in crop.labels  # the row label, its words joined into one phrase
    assert Box(365, 124, 406, 134) in crop.header and Box(355, 140, 381, 150) in crop.header  # Helår 2024, Budget
    assert Box(294, 140, 314, 150) not in crop.header  # another column's name is not tinted
    assert no_word_cut_at_the_sides(crop.box, table.words())


def test_the_crop_of_an_empty_cell_read_as_zero_still_shows_its_header_and_label():
    table = SyntheticTable()
    row = Box(71, 174, 449, 184)  # the whole second row: how an empty cell's term is placed
    crop = crop_region([row], table.cells(), table.words(), PAGE)
    assert crop.box.top <= table.header[0].top and crop.box.x0 <= 71


def test_the_crop_of_a_figure_in_running_text_shows_whole_lines_of_its_paragraph():
    lines = [words_on_line(300 + 14 * i, (71, 120), (123, 260), (263, 400), (403, 521)) for i in range(4)]
    after_a_blank = words_on_line(370, (71, 300), (303, 515))
    words = [w for line in lines for w in line] + after_a_blank
    figure = Box(263, 328, 290, 338)  # inside the third word of the third line
    crop = crop_region([figure], [], words, PAGE)
    assert crop.box.x0 <= 71 and crop.box.x1 >= 521  # the full text width of the line band
    assert crop.box.top <= 314 and crop.box.top > 310  # one line of context above ...
    assert crop.box.bottom >= 352 and crop.box.bottom < 370  # ... and below, not past the blank
    assert no_word_cut_at_the_sides(crop.box, words)
    assert [len(line.words) for line in lines_of(words)] == [4, 4, 4, 4, 2]


def test_a_box_is_widened_until_no_word_is_cut():
    words = [Box(50, 10, 90, 20), Box(95, 10, 200, 20), Box(0, 40, 400, 50)]
    widened = unclipped(Box(60, 8, 150, 22), words)
    assert widened.x0 <= 50 and widened.x1 >= 200 and widened.top == 8  # the line below is not on it


def test_a_note_says_in_words_when_the_sign_differs_between_printed_and_compared():
    left = Side((180.3,), 1, frozenset({"mnkr"}), 180.3)
    right = Side((-180.4,), 1, frozenset({"mnkr"}), 180.4)
    note = sign_note("right", right, left)
    assert "Höger sida är tryckt som \u2212180,4 men jämförs som 180,4" in plain(note, "sv")
    assert "The right side is printed as \u2212180,4 but compared as 180,4" in plain(note, "en")
    assert sign_note("left", left, right) is None
    assert sign_note("right", Side((180.4,), 1, frozenset(), 180.4), left) is None
    converted = sign_note("left", Side((-180_400.0,), 0, frozenset({"tkr"}), 180.4), Side((180.4,), 1,
                                                                                    frozenset({"mnkr"}), 180.4))
    assert "printed as \u2212180 400 but compared as 180,4" in plain(converted, "en")


def test_a_note_says_in_words_when_the_units_differ():
    note = unit_note(frozenset({"tkr"}), frozenset({"mnkr"}))
    assert "vänster sida är tryckt i tkr, höger i mnkr" in plain(note, "sv") and "1 mnkr = 1 000 tkr" in plain(note)
    assert "the left side is printed in tkr, the right in mnkr" in plain(note, "en")
    assert "converted to mnkr" in plain(note, "en")
    assert "procent" in plain(unit_note(frozenset({"percent"}), frozenset({"tkr"})), "sv")
    assert unit_note(frozenset({"mnkr"}), frozenset({"mnkr"})) is None
    assert unit_note(frozenset({"percent"}), frozenset()) is None  # an unknown unit is no difference


def test_every_crop_links_to_its_page_of_the_local_pdf_or_the_url():
    assert page_link("/data/rapporter/ks 2024.pdf", 19) == "file:///data/rapporter/ks%202024.pdf#page=19"
    assert page_link("https://example.org/ks-2024.pdf", 28) == "https://example.org/ks-2024.pdf#page=28"
    assert page_link("https://example.org/ks.pdf#view=fit", 3) == "https://example.org/ks.pdf#page=3"
    assert page_link(None, 1) is None and page_link("", 1) is None


def test_a_report_ingested_from_a_url_is_cropped_from_its_downloaded_copy(tmp_path):
    from warehouse.review import local_pdf

    cache = tmp_path / "downloads"
    report_id, url = "c0ffee" * 10 + "abcd", "https://example.org/ks-2024.pdf"
    assert local_pdf(report_id, url, cache) is None  # not downloaded here: the page links to the URL only
    cache.mkdir()
    (cache / f"{report_id}.pdf").write_bytes(b"%PDF-1.7")
    assert local_pdf(report_id, url, cache) == cache / f"{report_id}.pdf"
    assert local_pdf(report_id, url) is None  # no download cache given
    assert local_pdf(report_id, str(SAMPLE)) == SAMPLE and local_pdf(report_id, str(tmp_path / "gone.pdf")) is None


def test_a_pdf_replaced_since_it_was_ingested_is_not_cropped_and_the_page_says_why(tmp_path):
    """The crops are drawn where the figures were printed in the file ingested: a file changed since
    (another sha256) would put the boxes over other text, so it is not cropped, and the page says so."""
    from extract.digest import sha256_of
    from warehouse.review import Evidence, ReviewData, Term, page_figure

    report_id = sha256_of(SAMPLE)
    same, replaced = tmp_path / "same.pdf", tmp_path / "replaced.pdf"
    same.write_bytes(SAMPLE.read_bytes())
    replaced.write_bytes(SAMPLE.read_bytes() + b"\n% a later edit\n")
    unchanged = Evidence(ReviewData([], [], [], [], sources={report_id: str(same)}))
    assert unchanged.page(report_id, 19) is not None and not unchanged.changed
    evidence = Evidence(ReviewData([], [], [], [], sources={report_id: str(replaced)}))
    try:
        assert evidence.page(report_id, 19) is None and evidence.changed == {report_id}
        term = Term("KF · Sjukfrånvaro · 2022", 7.7, 1, 19, 292.6, 171.4, 312.3, 181.4)
        shown_html = page_figure(19, "7,7", [term], report_id, evidence)
        assert "<img" not in shown_html and "the PDF file has changed since it was ingested" in shown_html
        assert "PDF-filen har ändrats sedan den lästes in" in shown_html
    finally:
        unchanged.close()
        evidence.close()


def test_the_page_words_exist_in_both_languages_with_the_same_blanks():
    for key, words in WORDS.items():
        assert set(words) == set(LANGUAGES) and all(words.values()), key
        blanks = {lang: sorted(re.findall(r"{(\w+)}", text)) for lang, text in words.items()}
        assert blanks["sv"] == blanks["en"], key
    assert t("page", n=19) == '<span class="sv" lang="sv">sida 19</span><span class="en" lang="en">page 19</span>'


def test_a_report_that_was_not_checked_says_so_and_charts_without_data_are_one_line():
    from warehouse.review import ReviewData, render_page

    report = {"report_id": "ab" * 32, "file_name": "provby-kultur-2025.pdf", "municipality": "Provby kommun",
              "body": "Kulturnämnden", "report_type": "årsredovisning", "fiscal_year": 2025}
    counts = dict(tables_found=1, tables_recognised=0, facts_loaded=12, rows_quarantined=0, checks_evaluated=0,
                  checks_passed=0)
    coverage = [{**counts, "report_id": report["report_id"], "file_name": report["file_name"],
                 "status": "not checked", "reason": "no table recognised"},
                {"report_id": None, "file_name": "broken.pdf", "status": "not checked",
                 "reason": "could not be read: not a PDF"}]
    page = render_page(ReviewData([report], [], [], [], sources={report["report_id"]: None}), coverage)
    swedish, english = shown(page, "sv"), shown(page, "en")
    assert "Ej kontrollerad: no table recognised" in swedish and "Not checked: no table recognised" in english
    assert "Not checked: could not be read: not a PDF" in english and "Not checked: no table recognised" in page
    assert "0 finding(s) in 0 checked report(s), 2 not checked" in english
    assert "No inconsistencies" not in page and "Inga avvikelser." not in page  # never for an unchecked report
    assert "Findings per table: the report was not checked, so no chart." in english
    assert "Outcome against budget: arw read no operating statement per department" in english
    assert "Indicators against targets: the report has no indicator with both" in english
    assert "<svg" not in page and "<figure class='chart'>" not in page
    checked = render_page(ReviewData([report], [], [], []), [{**coverage[0], "status": "checked", "reason": None}])
    assert "Inga avvikelser." in shown(checked, "sv") and "No inconsistencies." in shown(checked, "en")


# --- slow: the sample, built once, and its page -------------------------------------------------

@dataclass(frozen=True)
class ReviewPage:
    warehouse: Path
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def review_page(sample_report, tmp_path_factory) -> ReviewPage:
    from flows.dbt_build import build
    from schemas.validate import validate_report
    from warehouse.store import load_report

    directory = tmp_path_factory.mktemp("review")
    warehouse = directory / "arw.duckdb"
    load_report(warehouse, validate_report(sample_report))
    build(warehouse)
    run = arw_in_process("report", "--warehouse", str(warehouse), "--out", str(directory / "out"))
    assert run.returncode == 0, run.stderr
    return ReviewPage(warehouse, directory / "out" / "inconsistencies.html")


def articles(page: str) -> dict[str, str]:
    found = re.findall(r'<article class="finding[^"]*">.*?</article>', page, flags=re.S)
    return {rule: next(a for a in found if f"<h4>{rule}</h4>" in a) for rule in RULES}


@pytest.mark.slow
def test_page_shows_each_finding_with_both_sides_and_page_crops(review_page):
    page = review_page.text
    assert page.count('<article class="finding') == 3 and set(articles(page)) == set(RULES)
    crops = re.findall(r"<a class='crop' href='([^']+)'><img src='data:image/png;base64,", page)
    assert len(crops) >= 6 and page.count("<img ") == len(crops)  # both sides of every finding, each a link
    sample = SAMPLE.as_uri()
    assert {f"{sample}#page=19", f"{sample}#page=25", f"{sample}#page=28"} == set(crops)
    swedish, english = shown(page, "sv"), shown(page, "en")
    assert "sida 19: 7,7" in swedish and "sida 28: 7,8" in swedish and "page 19: 7,7" not in swedish
    assert "page 19: 7,7" in english and "page 28: 7,8" in english and "sida 19" not in english
    assert "Vänster 7,7 Höger 7,8 Skillnad \u22120,1 Tolerans 0,1" in shown(articles(page)[RULES[0]], "sv")
    assert "Left 180,8 Right 180,3 Difference 0,5 Tolerance 0,15" in shown(articles(page)[RULES[2]], "en")
    assert "row_deviation" in swedish and "row_change_pct" in english  # the rules that passed are listed too
    assert "3 avvikelse(r) i 1 kontrollerad(e) rapport(er), 0 ej kontrollerad(e)" in swedish
    assert "3 finding(s) in 1 checked report(s), 0 not checked" in english


@pytest.mark.slow
def test_numbers_on_the_page_are_printed_the_swedish_way(review_page):
    for rule, article in articles(review_page.text).items():
        figures = " ".join(re.findall(r"<dl class='numbers'>.*?</dl>|<figcaption>.*?</figcaption>", article, re.S))
        assert figures and not re.search(r"\d\.\d", shown(figures, "sv")), rule  # never 661304.0 or 7.7


@pytest.mark.slow
def test_the_sign_note_explains_the_minus_of_the_investment_table(review_page):
    notes = {rule: re.findall(r"<p class='note'>(.*?)</p>", a) for rule, a in articles(review_page.text).items()}
    assert notes[RULES[0]] == [] and notes[RULES[2]] == []
    [note] = notes["prose_development_costs"]
    assert "Höger sida är tryckt som \u2212180,4 men jämförs som 180,4" in plain(note, "sv")
    assert "The right side is printed as \u2212180,4 but compared as 180,4" in plain(note, "en")


@pytest.mark.slow
def test_the_crops_of_the_sample_hold_the_tables_header_and_row_label(review_page):
    """The crop the page computes for each table figure of the sample, against where
    fct_table_cells puts the table's first row and the figure's cell, and where the PDF prints the
    header line above that row and the row's label."""
    import pdfplumber

    from warehouse.read import open_read_only
    from warehouse.review import Evidence, load_review_data

    data = load_review_data(review_page.warehouse)
    report_id = data.reports[0]["report_id"]
    evidence = Evidence(data)
    terms = [term for f in data.findings for term in terms_of(f["left_terms"]) + terms_of(f["right_terms"])]
    table_terms = {term.page: term for term in terms if evidence.cell(report_id, term) is not None}
    assert sorted(table_terms) == [19, 25, 28]
    try:
        with open_read_only(review_page.warehouse) as con, pdfplumber.open(SAMPLE) as pdf:
            for number, term in table_terms.items():
                first_row_top, table_x0, cell_bottom = con.execute(
                    "select min(top), min(x0), max(bottom) filter (where x0 = ? and top = ?) from fct_table_cells "
                    "where page = ? and table_id = ?", [term.x0, term.top, number,
                                                        evidence.cell(report_id, term).table_id]).fetchone()
                words = pdf.pages[number - 1].extract_words()
                header = [w for w in words if first_row_top - 20 < w["bottom"] <= first_row_top]
                label = [w for w in words if abs((w["top"] + w["bottom"]) / 2 - term.box.middle) < 2
                         and w["x1"] < table_x0]
                crop = crop_region([term.box], evidence.cells[(report_id, number)],
                                   evidence.words(report_id, number), Box(0, 0, 595, 842)).box
                assert header and label and cell_bottom, number
                assert crop.top <= min(w["top"] for w in header) and crop.bottom >= cell_bottom, number
                assert crop.x0 <= min(w["x0"] for w in label) and crop.x1 >= max(w["x1"] for w in header), number
                if number == 25:  # the group header "Helår 2024" over Budget and Avvikelse, a line higher
                    helar = next(w for w in words if w["text"] == "Helår" and w["top"] < first_row_top)
                    assert crop.top <= helar["top"] < min(w["top"] for w in header)
    finally:
        evidence.close()


@pytest.mark.slow
def test_charts_show_budget_indicators_and_findings_per_table(review_page):
    swedish = shown(review_page.text, "sv")
    assert "Utfall mot budget per verksamhet 2024 (mnkr)" in swedish
    assert "Politisk organisation utfall \u221251,9 · budget \u221249,9" in swedish
    assert "Sjukfrånvaro 7,1 % (2024) · mål 6,5 % (2026)" in swedish
    assert "Arbetsmiljö, s. 28 1 avvikelse(r) av 5 kontroll(er)" in swedish
    assert review_page.text.count("<figure class='chart'>") == 3 and "<svg viewBox" in review_page.text


@pytest.mark.slow
def test_the_page_is_one_offline_file_with_a_print_stylesheet(review_page):
    page = review_page.text
    assert re.findall(r"\bsrc=['\"]([a-z]+):", page) == ["data"] * len(re.findall(r"\bsrc=", page))
    assert not re.search(r"<link[^>]+stylesheet|<script[^>]+src|url\(|@import|https?://", page)
    print_css = page[page.index("@media print"):]
    assert "#lang { display: none" in print_css and "break-inside: avoid" in print_css
    assert 'a.pdf::after { content: " <" attr(href)' in print_css


@pytest.mark.slow
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")
def test_page_renders_in_headless_chromium_at_three_widths_and_switches_language(review_page):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    text = "return document.body.innerText"
    try:
        for width in WIDTHS:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
            driver.get(Path(review_page.path).as_uri())
            images = driver.execute_script(
                "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
            inner, scroll = driver.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]")
            findings = driver.execute_script("return document.querySelectorAll('article.finding').length")
            errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
            assert inner == width and scroll <= inner, (width, scroll)  # no horizontal scroll
            assert findings == 3 and len(images) >= 6, width
            assert all(done and w > 50 and h > 10 for done, w, h in images), (width, images)
            assert errors == [], (width, errors)
        swedish = driver.execute_script(text)
        assert "Avvikelser (3)" in swedish and "Vänster sida" in swedish and "sida 19: 7,7" in swedish
        assert "Findings (3)" not in swedish and "Left side" not in swedish
        driver.find_element(By.ID, "lang").click()
        english = driver.execute_script(text)
        hidden = driver.execute_script("return Array.from(document.querySelectorAll('.sv'))"
                                       ".every(e => getComputedStyle(e).display === 'none')")
        alts = driver.execute_script("return Array.from(document.images).map(i => i.alt)")
        assert "Findings (3)" in english and "Left side" in english and "page 19: 7,7" in english
        assert "3 finding(s) in 1 checked report(s), 0 not checked" in english
        assert "Avvikelser (3)" not in english and "Vänster sida" not in english and "sida 19" not in english
        assert hidden and driver.execute_script("return document.documentElement.lang") == "en"
        assert all(alt.startswith("Excerpt of page") for alt in alts)
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        driver.get(Path(review_page.path).as_uri())
        without_script = driver.find_element(By.TAG_NAME, "body").text
        assert "Avvikelser (3)" in without_script and "Findings (3)" not in without_script
        assert not driver.find_element(By.ID, "lang").is_displayed()  # the switch needs the script
    finally:
        driver.quit()
