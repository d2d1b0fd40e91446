"""Figures in the running text: paragraphs, sentences and numbers with units, with provenance."""
from __future__ import annotations

import pytest

from extract.document import Heading
from extract.layout import Cell, Line, Word
from extract.stream import Item
from extract.tables import Table
from extract.text_figures import find_figures, paragraphs, split_sentences, text_figure_rows


def line(page: int, top: float, text: str, size: float = 11.0) -> Item:
    """A text line of 5-point-wide characters starting at x=71."""
    words, x = [], 71.0
    for token in text.split(" "):
        words.append(Word(token, x, x + 5 * len(token), top, top + size, size, False))
        x += 5 * len(token) + 3
    return Item(page, line=Line(page, (Cell(tuple(words)),)))


def heading(page: int, text: str) -> Item:
    return Item(page, heading=Heading(page, text, 14.0, 50.0, 2))


def table(page: int) -> Item:
    return Item(page, table=Table(page, [], [], [], [], 300.0, 400.0))


def figures(sentence: str) -> list[tuple]:
    return [(f.value, f.decimals, f.unit, f.text) for f in find_figures(sentence)]


# --- sentences --------------------------------------------------------------------------------

def test_sentences_split_after_full_stops_before_capitals_and_digits() -> None:
    text = ("Under året har kostnader på 180,3 mnkr upparbetats i pågående investeringar. 139,0 mnkr var "
            "kopplade till skattekollektivet. Varför? Därför! klart")
    assert split_sentences(text) == [
        "Under året har kostnader på 180,3 mnkr upparbetats i pågående investeringar.",
        "139,0 mnkr var kopplade till skattekollektivet.", "Varför?", "Därför! klart"]


def test_sentences_do_not_split_after_abbreviations_or_inside_numbers() -> None:
    text = ("Kostnaderna ökade bl.a. Tornberget och t.ex. IT-enheten med ca. 3,2 mnkr. Omdömet uppgår till "
            "3.22 och mötet börjar kl. 10.00 i rum nr. 5. Slut.")
    assert split_sentences(text) == [
        "Kostnaderna ökade bl.a. Tornberget och t.ex. IT-enheten med ca. 3,2 mnkr.",
        "Omdömet uppgår till 3.22 och mötet börjar kl. 10.00 i rum nr. 5.", "Slut."]


# --- numbers and units ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Resultatet var 379,8 mnkr, vilket utgjorde 6,1 procent av budgeten.",
     [(379.8, 1, "mnkr", "379,8 mnkr"), (6.1, 1, "percent", "6,1 procent")]),
    ("Intäkterna uppgick till 1 234,1 mnkr och 1 924 miljoner kronor.",
     [(1234.1, 1, "mnkr", "1 234,1 mnkr"), (1924.0, 0, "mnkr", "1 924 miljoner kronor")]),
    ("Avvikelsen var −0,3 mnkr och -2 tkr, andelen 74,9% och avgiften 350 kronor (12 kr).",
     [(-0.3, 1, "mnkr", "−0,3 mnkr"), (-2.0, 0, "tkr", "-2 tkr"), (74.9, 1, "percent", "74,9%"),
      (350.0, 0, "kr", "350 kronor"), (12.0, 0, "kr", "12 kr")]),
    ("HME-resultaten ökade från 79,4 2023 till 79,5 2024 och omdömet var 3.22.",
     [(79.4, 1, None, "79,4"), (79.5, 1, None, "79,5"), (3.22, 2, None, "3.22")]),
    ("Budgeten var 278,0 mnkr.", [(278.0, 1, "mnkr", "278,0 mnkr")]),
])
def test_numbers_with_units_and_bare_decimals_are_figures(sentence: str, expected: list[tuple]) -> None:
    assert figures(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Under 2024 passerade Haninge kommun 100 000 invånare i mars 2024.",  # years and counts
    "Skulden per 2024-12-31 och beslutet KF 2023-06-12 § 111 gäller.",  # dates
    "Ändringar i §6 i Lag (2006:412) för fastigheterna Söderbymalm 3:380 och 3:21.",  # references
    "Mål och budget 2024–2027 och åldrarna 16–65 år, en 11-spelarplan.",  # ranges and compounds
    "Se Nämndmål 6.1 och avsnitt 2.3 på sidan 12, mötet kl. 10.00.",  # goal, section, page, time
    "1.2 Kommunen ska växa.",  # list numbering
    "Ökningen var 0,6 procentenheter.",  # a point change is not a percent (kept unitless)
])
def test_years_dates_references_and_integers_without_unit_are_skipped(sentence: str) -> None:
    found = figures(sentence)
    assert found == ([(0.6, 1, None, "0,6")] if "procentenheter" in sentence else [])


# --- paragraphs -------------------------------------------------------------------------------

def test_wrapped_lines_join_with_hyphens_and_break_at_gaps_headings_tables_and_size() -> None:
    items = [
        line(3, 100.0, "Kostnaderna för IT-"), line(3, 115.5, "system och drift-"),
        line(3, 131.0, "och underhålls- eller investeringsutgifter var 5,0 mnkr."),
        line(3, 152.4, "Nytt stycke efter luft."),  # gap 10.4 > 0.9 x 11
        line(3, 167.9, "En fotnot i mindre stil.", size=8.0),
        heading(3, "Rubrik"), line(3, 200.0, "Efter rubriken."), table(3), line(3, 420.0, "Efter tabellen."),
    ]
    assert [p.text for p in paragraphs(items)] == [
        "Kostnaderna för IT-system och drift- och underhålls- eller investeringsutgifter var 5,0 mnkr.",
        "Nytt stycke efter luft.", "En fotnot i mindre stil.", "Efter rubriken.", "Efter tabellen."]


def test_paragraph_continues_across_a_page_break_only_mid_sentence() -> None:
    items = [
        line(25, 752.3, "redovisas från och med 2024-12-31 tillsammans med övriga pågående VA"),
        line(26, 64.9, "projekt och uppgick till 217,8 mnkr. Under"),
        line(26, 80.4, "2024 har intäkter på 22,6 mnkr intäktsförts."),
        line(27, 64.9, "Ny sida, nytt stycke."),
    ]
    assert [p.text for p in paragraphs(items)] == [
        "redovisas från och med 2024-12-31 tillsammans med övriga pågående VA projekt och uppgick till 217,8 mnkr. "
        "Under 2024 har intäkter på 22,6 mnkr intäktsförts.",
        "Ny sida, nytt stycke."]
    rows = text_figure_rows(items)
    assert [(r["page"], r["figure_index"], r["value"], r["sentence"][:24]) for r in rows] == [
        (26, 1, 217.8, "redovisas från och med 2"), (26, 1, 22.6, "Under 2024 har intäkter ")]


def test_rows_locate_the_number_and_its_sentence() -> None:
    items = [line(12, 194.5, "Kommunen har 1 498 mnkr i kassa samt 426"), line(12, 210.0, "mnkr i fonder.")]
    rows = text_figure_rows(items)
    assert [(r["figure_index"], r["value"], r["text"]) for r in rows] == [
        (1, 1498.0, "1 498 mnkr"), (2, 426.0, "426 mnkr")]
    first, second = rows
    assert first["sentence"] == second["sentence"] == "Kommunen har 1 498 mnkr i kassa samt 426 mnkr i fonder."
    # "1 498" is two words: the box spans both, not the unit
    assert (first["x0"], first["x1"], first["top"], first["bottom"]) == (132.0, 155.0, 194.5, 205.5)
    assert second["top"] == 194.5 and second["page"] == 12


# --- the sample report ------------------------------------------------------------------------

def sentence_rows(frame, page: int, sentence: str) -> list[tuple]:
    rows = frame[(frame["page"] == page) & (frame["sentence"] == sentence)].sort_values("figure_index")
    rows = rows[["figure_index", "value", "decimals", "unit", "text"]].astype(object)
    return list(rows.where(rows.notna(), None).itertuples(index=False, name=None))


@pytest.mark.parametrize("page, sentence, expected", [
    (25, "Under året har kostnader på 180,3 mnkr upparbetats i pågående investeringar.",
     [(1, 180.3, 1, "mnkr", "180,3 mnkr")]),
    (25, "139,0 mnkr var kopplade till skattekollektivet och 41,8 mnkr kopplade till VA-kollektivet.",
     [(1, 139.0, 1, "mnkr", "139,0 mnkr"), (2, 41.8, 1, "mnkr", "41,8 mnkr")]),
    (3, "Kommunstyrelsens ackumulerade resultat för 2024 var 379,8 mnkr, vilket utgjorde 6,1 procent av "
        "årets budget.",
     [(1, 379.8, 1, "mnkr", "379,8 mnkr"), (2, 6.1, 1, "percent", "6,1 procent")]),
    (26, "Under 2024 har intäkter på 22,6 mnkr inom exploateringsverksamheten intäktsförts.",
     [(1, 22.6, 1, "mnkr", "22,6 mnkr")]),
    (24, "Utfallet var 36,9 mnkr, vilket är i linje med budget.", [(1, 36.9, 1, "mnkr", "36,9 mnkr")]),
    (3, "Förbrukning av investeringsmedel inklusive exploateringsutgifter uppgick till 208,2 mnkr, eller 74,9 "
        "procent av helårsbudgeten på 278,0 mnkr.",
     [(1, 208.2, 1, "mnkr", "208,2 mnkr"), (2, 74.9, 1, "percent", "74,9 procent"),
      (3, 278.0, 1, "mnkr", "278,0 mnkr")]),
    (27, "Trots ett omfattande omställningsarbete inom förvaltningen har HME-resultaten ökat något från 79,4 2023 "
         "till 79,5 2024, till skillnad från kommunens totala HME-resultat som sjunkit.",
     [(1, 79.4, 1, None, "79,4"), (2, 79.5, 1, None, "79,5")]),
])
def test_sample_report_sentences(sample_report, page: int, sentence: str, expected: list[tuple]) -> None:
    assert sentence_rows(sample_report.frames["text_figures"], page, sentence) == expected


def test_sample_report_figures_come_from_text_only(sample_report) -> None:
    frame = sample_report.frames["text_figures"]
    assert len(frame) > 50 and frame["report_id"].eq(sample_report.report_id).all()
    assert not frame["text"].str.fullmatch(r"(?:19|20)\d\d").any()  # no year became a figure
    assert 2024 not in frame["value"].tolist()
    # the supplier appendix (pages 39-40) is a table: only its caption's threshold is a text figure
    assert frame[frame["page"] == 40].empty
    assert frame.loc[frame["page"] == 39, "text"].tolist() == ["2 mnkr"]
    cells = sample_report.frames["tables"]
    for row in frame.itertuples():  # no figure lies inside a table cell
        inside = cells[(cells["page"] == row.page) & (cells["x0"] <= row.x0 + 0.1) & (cells["x1"] >= row.x1 - 0.1)
                       & (cells["top"] <= row.top + 0.1) & (cells["bottom"] >= row.bottom - 0.1)]
        assert inside.empty, (row.page, row.sentence)
    assert ((frame["x0"] < frame["x1"]) & (frame["top"] < frame["bottom"])).all()
    assert not frame.duplicated(["page", "sentence", "figure_index"]).any()


def test_sample_report_figure_box_is_where_the_number_is_printed(sample_report) -> None:
    frame = sample_report.frames["text_figures"]
    row = frame[(frame["page"] == 24) & (frame["text"] == "36,9 mnkr")].iloc[0]
    assert row["x0"] == pytest.approx(457.2, abs=1) and row["top"] == pytest.approx(548.5, abs=1)
    assert row["x1"] - row["x0"] == pytest.approx(19, abs=2)  # the number '36,9' only, not its unit
