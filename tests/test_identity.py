"""Who published a report, for which year (extract/identity.py), on any report: the bundled
sample, 13 real housing-association reports (tests/fixtures/identity/: their first pages) and
generated PDFs (a region, a city, a municipality named only in the running footer or only in
the PDF metadata, and a PDF that names nothing)."""
from __future__ import annotations

import contextlib
import csv
import sys
import types
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pdf_factory as pf
from expected import SAMPLE_PDF
from extract import identity
from extract.document import PageContent, remove_furniture
from extract.report import read_document
from extract.identity import (
    apply_overrides, association_name, describe_report, describe_report_file, fiscal_year_in, is_organisation_number,
    municipality_names, patterns, read_pdf_metadata, seat_of, vocabulary,
)
from extract.settings import DEFAULT_SETTINGS

FIXTURES = Path(__file__).parent / "fixtures" / "identity"
RID = "ab" * 32
KEYS = ["report_id", "file_name", "source", "municipality", "body", "report_type", "fiscal_year", "page_count",
        "administration", "organisation", "organisation_number", "identity_notes"]


def read_pages(path: Path, first: int | None = None) -> tuple[list[PageContent], dict]:
    """The pages as extract_report sees them (furniture separated), and the PDF's metadata."""
    pages, _ = read_document(path, DEFAULT_SETTINGS)
    with pdfplumber.open(path) as pdf:
        metadata = dict(pdf.metadata)
    return remove_furniture(pages[:first], DEFAULT_SETTINGS), metadata


def squeeze(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def brf_equivalent(text: str | None) -> str:
    """Brf, Bostadsrättsföreningen and bostadsrättsförening name the same thing."""
    words = squeeze(text).split()
    return " ".join("brf" if w in ("bostadsrättsföreningen", "bostadsrättsförening") else w for w in words)


# --- the bundled sample ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_pages() -> list[PageContent]:
    pages, _ = read_pages(SAMPLE_PDF, first=4)  # the cover and three pages with running headers
    return pages


def test_sample_report(sample_pages, monkeypatch):
    monkeypatch.setattr(identity, "read_pdf_metadata", lambda path: pytest.fail("metadata read although not needed"))
    report = describe_report_file(sample_pages, RID, SAMPLE_PDF, None)
    assert list(report) == KEYS
    assert {k: report[k] for k in KEYS[3:]} == {
        "municipality": "Haninge kommun", "body": "Kommunstyrelsen", "report_type": "årsredovisning",
        "fiscal_year": 2024, "page_count": 4, "administration": "Kommunstyrelseförvaltningen",
        "organisation": "Haninge kommun", "organisation_number": None, "identity_notes": []}
    assert report["file_name"] == SAMPLE_PDF.name and report["source"] == str(SAMPLE_PDF)


# --- 13 real housing-association reports ------------------------------------------------------------

EXPECTED_BRF = list(csv.DictReader((FIXTURES / "brf_expected.csv").open(encoding="utf-8")))


@pytest.fixture(scope="module")
def brf_reports() -> dict[str, dict]:
    reports = {}
    for row in EXPECTED_BRF:
        path = FIXTURES / row["file"]
        pages, metadata = read_pages(path)
        reports[row["file"]] = describe_report(pages, RID, path, f"https://example.org/{row['file']}", metadata)
    return reports


def test_every_real_report_is_a_fixture():
    assert len(EXPECTED_BRF) == 13
    assert sorted(p.name for p in FIXTURES.glob("*.pdf")) == sorted(r["file"] for r in EXPECTED_BRF)


@pytest.mark.parametrize("row", EXPECTED_BRF, ids=[r["file"] for r in EXPECTED_BRF])
def test_housing_association(brf_reports, row):
    report = brf_reports[row["file"]]
    assert squeeze(report["organisation"]) == squeeze(row["organisation"])  # as printed on the cover
    assert brf_equivalent(report["organisation"]) == brf_equivalent(row["name_in_notes"])
    assert report["organisation_number"] == (row["organisation_number"] or None)
    assert report["fiscal_year"] == int(row["fiscal_year"])
    assert report["report_type"] == row["report_type"]
    assert report["body"] is None and report["administration"] is None  # an association has no nämnd
    assert report["municipality"] == (row["seat"] or None)  # only its stated seat
    assert report["identity_notes"] == []
    assert report["source"] == f"https://example.org/{row['file']}" and report["page_count"] == 4


# --- generated reports --------------------------------------------------------------------------------

def _canvas_pdf(path: Path, pages: list[list[str]], footer: str | None = None, title: str | None = None,
                author: str | None = None) -> Path:
    """A plain reportlab PDF: lines of text per page, an optional running footer on pages 2.."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595.0, 842.0), invariant=1)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    for number, lines in enumerate(pages, start=1):
        c.setFont("Helvetica-Bold" if number == 1 else "Helvetica", 20 if number == 1 else 10)
        y = 700 if number == 1 else 760
        for line in lines:
            c.drawString(60, y, line)
            y -= 28 if number == 1 else 14
        if footer and number > 1:
            c.setFont("Helvetica", 8)
            c.drawString(60, 30, footer)
            c.drawRightString(535, 30, f"{number} ({len(pages)})")
        c.showPage()
    c.save()
    return path


PROSE = ["Verksamheten har under året bedrivits enligt plan och inom given budgetram.",
         "Nämnden har genomfört de uppdrag som fullmäktige har beslutat om.",
         "Arbetet med digitalisering och effektivisering har fortsatt under perioden."]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, tuple[list[PageContent], dict, Path]]:
    folder = tmp_path_factory.mktemp("identity")
    elements = [pf.Heading("Inledning", 1), pf.Paragraph(" ".join(PROSE)), pf.PageBreak(),
                pf.Heading("Ekonomi", 1), pf.Paragraph(" ".join(PROSE))]
    paths = {
        "region": pf.render(pf.Report(municipality="Region Stockholm", body="Regionstyrelsen",
                                      office="Regionledningsförvaltningen", fiscal_year=2024, elements=elements),
                            pf.STYLES["sample_like"], folder / "region.pdf").path,
        "stad": pf.render(pf.Report(municipality="Göteborgs stad", body="Kommunstyrelsen",
                                    office="Stadsledningsförvaltningen", fiscal_year=2023, elements=elements),
                          pf.STYLES["fpdf_helvetica_letter"], folder / "stad.pdf").path,
        "footer_only": _canvas_pdf(folder / "footer.pdf", [["Tekniska nämnden", "Årsredovisning 2023"],
                                                           PROSE, PROSE, PROSE], footer="Provby kommun"),
        "metadata_only": _canvas_pdf(folder / "metadata.pdf", [["Verksamhet och ekonomi"], PROSE, PROSE],
                                     title="Årsredovisning 2022", author="Provby kommun"),
        "nothing": _canvas_pdf(folder / "nothing.pdf", [["Lorem ipsum"], ["Dolor sit amet."], ["Consectetur."]]),
    }
    result = {}
    for name, path in paths.items():
        pages, metadata = read_pages(path)
        result[name] = (pages, metadata, path)
    return result


def describe(generated, name: str, with_metadata: bool = True) -> dict:
    pages, metadata, path = generated[name]
    return describe_report(pages, RID, path, None, metadata if with_metadata else None)


def test_region(generated):
    report = describe(generated, "region")
    assert (report["municipality"], report["organisation"], report["body"], report["report_type"],
            report["fiscal_year"]) == ("Region Stockholm", "Region Stockholm", "Regionstyrelsen", "årsredovisning", 2024)
    assert report["administration"] == "Regionledningsförvaltningen" and report["identity_notes"] == []


def test_city(generated):
    report = describe(generated, "stad")
    assert (report["municipality"], report["organisation"], report["body"], report["fiscal_year"]) == (
        "Göteborgs stad", "Göteborgs stad", "Kommunstyrelsen", 2023)
    assert report["identity_notes"] == []


def test_municipality_named_only_in_the_running_footer(generated):
    pages = generated["footer_only"][0]
    assert not any("Provby" in line.text for page in pages for line in page.lines)
    assert any("Provby kommun" in line.text for line in pages[1].furniture)
    report = describe(generated, "footer_only", with_metadata=False)
    assert (report["municipality"], report["organisation"], report["body"], report["report_type"],
            report["fiscal_year"]) == ("Provby kommun", "Provby kommun", "Tekniska nämnden", "årsredovisning", 2023)
    assert report["identity_notes"] == []


def test_municipality_named_only_in_the_metadata(generated):
    pages, metadata, path = generated["metadata_only"]
    without = describe(generated, "metadata_only", with_metadata=False)
    assert without["municipality"] is None and without["fiscal_year"] is None
    for report in (describe(generated, "metadata_only"), describe_report_file(pages, RID, path, None)):
        assert (report["municipality"], report["organisation"], report["report_type"], report["fiscal_year"]) == (
            "Provby kommun", "Provby kommun", "årsredovisning", 2022)
        notes = " | ".join(report["identity_notes"])
        assert "PDF metadata (Author)" in notes and "--municipality" in notes
        assert "fiscal year 2022 was taken from the PDF metadata" in notes


def test_nothing_to_identify(generated):
    report = describe(generated, "nothing")
    pages, _, path = generated["nothing"]
    assert report == describe_report_file(pages, RID, path, None)
    assert {k: report[k] for k in ("municipality", "body", "report_type", "fiscal_year", "administration",
                                   "organisation", "organisation_number")} == dict.fromkeys(
        ["municipality", "body", "report_type", "fiscal_year", "administration", "organisation",
         "organisation_number"])
    notes = report["identity_notes"]
    assert any(n.startswith("municipality unknown") and "--municipality" in n for n in notes)
    assert any(n.startswith("fiscal year unknown") and "--year" in n for n in notes)
    assert any(n.startswith("report type unknown") for n in notes)
    empty = describe_report([], RID, Path("empty.pdf"), None)
    assert empty["page_count"] == 0 and empty["organisation"] is None and empty["identity_notes"]


def test_metadata_of_a_file_that_cannot_be_read(tmp_path):
    assert read_pdf_metadata(tmp_path / "missing.pdf") == {}
    (tmp_path / "junk.pdf").write_bytes(b"not a pdf")
    assert read_pdf_metadata(tmp_path / "junk.pdf") == {}


# --- the recognisers --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, cover, year", [
    ("Årsredovisning 2024", False, 2024),
    ("Kommunstyrelsens årsredovisning 2024", False, 2024),
    ("Årsredovisning januari–december 2024", False, 2024),
    ("Styrelsen avger årsredovisning för räkenskapsåret 2023-01-01 – 2023-12-31", False, 2023),
    ("för räkenskapsåret 2022-07-01 - 2023-06-30.", False, 2023),  # a split year: its closing date's year
    ("räkenskapsåret 1 juli 2022 – 30 juni 2023", False, 2023),
    ("räkenskapsåret 1 januari - 31 december 2021.", False, 2021),
    ("Årsredovisning 2022 - 2023", False, 2023),
    ("Årsredovisning 2022/23", False, 2023),
    ("Verksamhetsåret 2023", False, 2023),
    ("Verksamhetsberättelse 2023", False, 2023),
    ("2023 ÅRSREDOVISNING", False, 2023),
    ("2022\nÅrsredovisning", False, 2022),
    ("Delårsrapport januari–augusti 2024", False, 2024),
    ("R kenskaps ! ret\n2023", True, 2023),  # a cover line holding only the year
    ("R kenskaps ! ret\n2023", False, None),
    ("Underhållsplan för perioden 2018-2048", False, None),
    ("Lorem ipsum", True, None),
])
def test_fiscal_year(text, cover, year):
    assert fiscal_year_in(text, patterns(), cover=cover) == year


@pytest.mark.parametrize("line, names", [
    ("Haninge kommun", ["Haninge kommun"]),
    ("HANINGE KOMMUN", ["Haninge kommun"]),
    ("Kommunstyrelsen Haninge kommun 2 (40)", ["Haninge kommun"]),
    ("I Haninge kommun bor 100 000 invånare", ["Haninge kommun"]),
    ("Västra Ekeby kommun", ["Västra Ekeby kommun"]),
    ("Upplands Väsby kommun", ["Upplands Väsby kommun"]),
    ("Göteborgs Stad", ["Göteborgs stad"]),
    ("Region Stockholm", ["Region Stockholm"]),
    ("Region Stockholm Årsredovisning 2024", ["Region Stockholm"]),
    ("Region Örebro län", ["Region Örebro län"]),
    ("Västra Götalandsregionen", ["Västra Götalandsregionen"]),
    ("Stockholms stad och Solna stad", ["Stockholms stad", "Solna stad"]),
    ("En kommun i Sverige", []),
    ("Sveriges Kommuner och Regioner", []),
    ("Kommunen och regionen", []),
])
def test_municipality_names(line, names):
    assert municipality_names(line) == names


@pytest.mark.parametrize("line, name", [
    ("Brf Bergsvåg", "Brf Bergsvåg"),
    ("Bostadsrättsföreningen Bergsvåg 1 (15)", "Bostadsrättsföreningen Bergsvåg"),
    ("Brf Strandparken 1 1 (13)", "Brf Strandparken 1"),
    ("Brf ND Studios Årsredovisning 2022 - 2023", "Brf ND Studios"),
    ("Brf ND Studios, 769617-1029 - Årsredovisning 2023", "Brf ND Studios"),
    ("2023 ÅRSREDOVISNING HSB bostadsrättsförening Lill-Jan i Stockholm 1 (15)",
     "HSB bostadsrättsförening Lill-Jan i Stockholm"),
    ("Styrelsen för Brf Friskytten, med säte i Stockholm, får härmed avge", "Brf Friskytten"),
    ("Bostadsrättsföreningen Sjöfallet i Stockholms kommun bildades den 1 juli 2014",
     "Bostadsrättsföreningen Sjöfallet"),
    ("Bostadsrättsföreningen registrerades 2014-11-03.", None),
    ("bostadsrättsförening.", None),
    ("Haninge kommun", None),
])
def test_association_names(line, name):
    assert association_name(line) == name


def test_association_name_broken_over_two_cover_lines():
    assert association_name("Bostadsrättsföreningen", "Björk och Plaza") == "Bostadsrättsföreningen Björk och Plaza"


@pytest.mark.parametrize("text, seat", [
    ("Föreningen har sitt säte i Stockholm.", "Stockholm"),
    ("Styrelsen för Brf Sjöfallet, med säte i Stockholms kommun, får härmed", "Stockholm"),
    ("med säte i Stockholm kommun, får", "Stockholm"),
    ("Föreningen har sitt säte i\nStockholm. Föreningen", "Stockholm"),
    ("Företagets säte är Stockholm", "Stockholm"),
    ("med säte i Borås kommun", "Borås"),  # the s is the name's own
    ("med säte i Upplands Väsby kommun", "Upplands Väsby"),
    ("har sitt s te i Stockholms Kommun", None),  # garbled: not clearly stated
])
def test_seat(text, seat):
    assert seat_of([text]) == seat


def test_organisation_numbers():
    assert is_organisation_number("769630", "4687") and is_organisation_number("212000", "0142")
    assert not is_organisation_number("769630", "4688")  # check digit
    assert not is_organisation_number("800101", "0019")  # a personal identity number (month 01)
    p = patterns()
    for text in ("Org nr 769630-4687", "Org.nr 769630-4687", "org.nr. 769630-4687", "Organisationsnummer: 769630-4687",
                 "Orgnr 7696304687"):
        m = p.org_number_labelled.search(text)
        assert m and f"{m['a']}-{m['b']}" == "769630-4687", text


def text_pages(*pages: list[str]) -> list[PageContent]:
    """A report of plain text lines, one list per page (for sources that need no layout)."""
    from extract.layout import Cell, Line, Word

    def line(number: int, text: str, top: float) -> Line:
        return Line(number, (Cell((Word(text, 50.0, 300.0, top, top + 10, 10.0, False),)),))

    return [PageContent(number, 595.0, 842.0, tuple(line(number, t, 100.0 + 20 * i) for i, t in enumerate(lines)), ())
            for number, lines in enumerate(pages, start=1)]


def test_labelled_lines():
    report = describe_report(text_pages(["Verksamhetsberättelse"], ["Organisation: Provby kommun",
                                        "Organisationsnummer 212000-0142", "Verksamhetsåret 2023"]),
                             RID, Path("x.pdf"), None)
    assert (report["organisation"], report["municipality"], report["organisation_number"], report["report_type"],
            report["fiscal_year"]) == ("Provby kommun", "Provby kommun", "212000-0142", "verksamhetsberättelse", 2023)


def test_most_frequent_municipality_in_the_text():
    report = describe_report(text_pages(["Årsredovisning 2024"], ["Vi samarbetar med Nacka kommun."],
                                        ["Tyresö kommun växer.", "Tyresö kommun bygger skolor."]),
                             RID, Path("x.pdf"), None)
    assert report["municipality"] == "Tyresö kommun" and report["fiscal_year"] == 2024
    assert any("found only in the running text" in n for n in report["identity_notes"])


# --- the vocabulary is data ---------------------------------------------------------------------------

KINDS = {"report_type", "housing_association", "association_intro", "association_prefix", "municipality_suffix",
         "municipality_prefix",
         "municipality_compound", "municipality_first_word", "body_suffix", "administration_suffix",
         "organisation_label", "org_number_label", "fiscal_year_label", "seat_phrase", "native_s_ending",
         "not_a_name", "month"}


def test_vocabulary_kinds_are_known():
    assert set(vocabulary().words) == KINDS
    with identity.vocabulary_csv().open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["kind", "text", "value", "example"]


def test_a_new_word_needs_no_code(tmp_path, monkeypatch):
    cover = text_pages(["Samfällighetsföreningen Ekbacken", "Budgetuppföljning 2025"])
    assert describe_report(cover, RID, Path("x.pdf"), None)["report_type"] is None
    custom = tmp_path / identity.VOCABULARY_FILE
    custom.write_text(identity.vocabulary_csv().read_text(encoding="utf-8")
                      + "report_type,budgetuppföljning,budgetuppföljning,Budgetuppföljning 2025\n"
                      + "housing_association,samfällighetsföreningen,,Samfällighetsföreningen Ekbacken\n",
                      encoding="utf-8")
    monkeypatch.setenv("ARW_VOCABULARY_DIR", str(tmp_path))  # a user's own copy of the seeds
    report = describe_report(cover, RID, Path("x.pdf"), None)
    assert (report["organisation"], report["report_type"], report["fiscal_year"], report["body"]) == (
        "Samfällighetsföreningen Ekbacken", "budgetuppföljning", 2025, None)


# --- the user's overrides -----------------------------------------------------------------------------

def test_overrides_fill_an_unknown_identity(generated):
    report = describe(generated, "nothing")
    result = apply_overrides(report, {"municipality": " Provby  kommun ", "body": "Tekniska nämnden",
                                      "fiscal_year": 2023})
    assert (result["municipality"], result["organisation"], result["body"], result["fiscal_year"]) == (
        "Provby kommun", "Provby kommun", "Tekniska nämnden", 2023)
    assert not any(n.startswith(("municipality", "body", "fiscal year")) for n in result["identity_notes"])
    assert any(n.startswith("report type") for n in result["identity_notes"])
    assert report["municipality"] is None, "the report itself is not changed"


def test_overrides_replace_what_was_read(brf_reports):
    report = brf_reports["brf_271852.pdf"]
    result = apply_overrides(report, {"municipality": "Stockholms stad", "fiscal_year": "2022", "body": None})
    assert (result["municipality"], result["fiscal_year"], result["body"]) == ("Stockholms stad", 2022, None)
    assert result["organisation"] == "Brf Bergsvåg", "an association keeps its own name"
    assert "fiscal year set to 2022 by the user (the report says 2023)" in result["identity_notes"]
    assert apply_overrides(report, {}) == report and apply_overrides(report, None) == report


@pytest.mark.parametrize("overrides", [{"fiscal_year": 1800}, {"fiscal_year": "tjugo"}, {"fiscal_year": True},
                                       {"municipality": "  "}, {"organisation": "X"}])
def test_bad_overrides_are_refused(overrides):
    with pytest.raises(ValueError):
        apply_overrides({}, overrides)


def test_cli_passes_overrides_to_the_flow(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from flows import cli

    calls = []

    class Flow:
        def with_options(self, **options):
            return self

        def __call__(self, names, warehouse, return_state=False, **kwargs):
            calls.append(kwargs)
            return types.SimpleNamespace(outcomes=[], ok=True, dbt_error=None, inconsistencies=0, warehouse=warehouse,
                                         record_problem=None)

    monkeypatch.setitem(sys.modules, "flows.pipeline",
                        types.SimpleNamespace(ingest_flow=Flow(), summary_of=lambda summary: summary))
    monkeypatch.setattr(cli, "make_task_runner", lambda *args: None)
    monkeypatch.setattr(cli, "prefect_server", contextlib.nullcontext)  # the flow is a stand-in: no server
    monkeypatch.setattr(cli, "local_files_to_read", lambda names, warehouse, force: [])  # nothing read ahead
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    runner = CliRunner()
    args = ["ingest", str(pdf), "--warehouse", str(tmp_path / "w.duckdb")]
    result = runner.invoke(cli.app, [*args, "--municipality", "Provby kommun", "--body", "Kommunstyrelsen",
                                     "--year", "2023"])
    assert result.exit_code == 0, result.output
    assert calls[-1]["overrides"] == {"municipality": "Provby kommun", "body": "Kommunstyrelsen", "fiscal_year": 2023}
    assert runner.invoke(cli.app, args).exit_code == 0 and "overrides" not in calls[-1]
    assert runner.invoke(cli.app, [*args, "--year", "1800"]).exit_code == 2
    assert runner.invoke(cli.app, [*args, "--municipality", " "]).exit_code == 2


def test_association_named_only_in_the_text():
    presented = describe_report(text_pages(["Årsredovisning 2023"], ["Styrelsen för Brf Ekbacken, med säte i Solna, "
                                                                     "får härmed avge årsredovisning."]),
                                RID, Path("x.pdf"), None)
    assert (presented["organisation"], presented["municipality"], presented["body"]) == ("Brf Ekbacken", "Solna", None)
    mentioned = describe_report(text_pages(["Årsredovisning 2023"], ["Brf Ekbacken fick bygglov i Tyresö kommun."]),
                                RID, Path("x.pdf"), None)
    assert (mentioned["organisation"], mentioned["municipality"]) == ("Tyresö kommun", "Tyresö kommun")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="Årsredovisning 2023-01-01 –kommun Brf Org.nr 769630-4687:\n", max_size=80),
                         max_size=4), min_size=0, max_size=3),
       st.dictionaries(st.sampled_from(["Title", "Subject", "Author"]), st.text(max_size=40), max_size=3))
def test_never_raises(pages, metadata):
    report = describe_report(text_pages(*[[line for line in page if line.strip()] for page in pages]),
                             RID, Path("x.pdf"), None, metadata)
    assert list(report) == KEYS and isinstance(report["identity_notes"], list)
    assert report["fiscal_year"] is None or 1990 <= report["fiscal_year"] <= 2100


def test_overrides_reach_the_facts_built_from_the_identity(sample_warehouse, tmp_path):
    """--municipality replaces the municipality before any table is read: the KF indicators'
    entity (dbt's fct_indicators reads it from the report row) is the overridden one, and the note
    says what the user set."""
    from expected import SAMPLE_PDF
    from extract.report import extract_report
    from schemas.validate import validate_report
    from warehouse.store import load_report
    from warehouse_harness import copy_warehouse, query

    extracted = extract_report(SAMPLE_PDF, overrides={"municipality": "Provby kommun", "fiscal_year": 2024})
    assert extracted.report["municipality"] == "Provby kommun"
    # the sample warehouse with the sample's rows replaced by the overridden extraction's (same
    # report id). Its staging and intermediate models are views, so int_indicators (what
    # fct_indicators selects, `where reject_reason is null`) reads the new rows without a dbt build.
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "arw.duckdb")
    load_report(warehouse, validate_report(extracted))
    assert query(warehouse, "select distinct entity from intermediate.int_indicators "
                            "where report_id = ? and reject_reason is null and level = ?",
                 [extracted.report_id, "KF"]) == [("Provby kommun",)]
    assert query(sample_warehouse, "select distinct entity from fct_indicators where report_id = ? and level = ?",
                 [extracted.report_id, "KF"]) == [("Haninge kommun",)]  # as read, without the override
