"""Each geometric step alone: words -> lines -> cells -> blocks -> columns -> rows."""
from extract.layout import Line, Ruling, Word, group_lines, join_wrapped, split_cells
from extract.settings import DEFAULT_SETTINGS as S
from extract.tables import (
    Table, build_table, column_spans, continues_on_next_page, find_blocks, join_tables, split_header,
)


def word(text, x0, top, size=10.0, bold=False, width=None):
    return Word(text, x0, x0 + (width or 5.0 * len(text)), top, top + size, size, bold)


def line_of(*cells, top=100.0, size=10.0, page=1, bold=False):
    """A line from (text, x0) cells; words inside a cell are one space apart."""
    words = []
    for text, x0 in cells:
        x = x0
        for token in text.split(" "):
            w = word(token, x, top, size, bold)
            words.append(w)
            x = w.x1 + 2.5
    return Line(page, tuple(split_cells(words, S)))


def test_words_on_one_baseline_form_one_line_in_reading_order():
    words = [word("b", 50, 100.4), word("a", 10, 100), word("c", 10, 115)]
    assert [[w.text for w in line] for line in group_lines(words, S)] == [["a", "b"], ["c"]]


def test_wide_gaps_split_cells_and_thousands_stay_together():
    line = line_of(("Intäkter", 70), ("1 234,1", 210), ("-2,1", 300), ("0,2%", 350))
    assert [c.text for c in line.cells] == ["Intäkter", "1 234,1", "-2,1", "0,2%"]


def test_adjacent_numbers_closer_than_the_gap_are_still_two_cells():
    words = [word("12,3", 100, 100, width=18), word("10,7", 121, 100, width=18)]
    assert [c.text for c in split_cells(words, S)] == ["12,3", "10,7"]


def test_a_vertical_ruling_splits_a_cell():
    words = [word("Alfa", 100, 100), word("Beta", 123, 100)]
    ruling = Ruling("v", 122, 122, 90, 120)
    assert [c.text for c in split_cells(words, S, [ruling])] == ["Alfa", "Beta"]


def test_wrapped_lines_join_with_one_space_and_keep_hyphenated_words():
    assert join_wrapped(["Andel som känner sig trygg i", "området"]) == "Andel som känner sig trygg i området"
    assert join_wrapped(["nya IT-", "system."]) == "nya IT-system."
    assert join_wrapped(["vid gransknings-", "och beslutsattest"]) == "vid gransknings- och beslutsattest"


def indicator_lines(top=100.0, page=1):
    return [
        line_of(("Indikatorer", 70), ("Utfall 2023", 260), ("Utfall 2024", 330), ("Mål 2026", 400), top=top, page=page),
        line_of(("Anmälda brott per 1000", 70), ("32,5", 280), ("*", 350), ("27,0", 420), top=top + 18, page=page),
        line_of(("invånare", 70), top=top + 30, page=page),
        line_of(("Trygghet i skolan", 70), ("79,9%", 275), ("80,4%", 345), ("86,0%", 415), top=top + 48, page=page),
    ]


def test_a_whitespace_table_is_one_block_with_header_columns_and_wrapped_label():
    text_before = line_of(("Löptext som står före tabellen och fortsätter långt åt höger", 70), top=60)
    footnote = line_of(("*Utfall levereras senare.", 70), top=170, size=8)
    lines = [text_before, *indicator_lines(), footnote]
    blocks = find_blocks(lines, S)
    assert len(blocks) == 1 and blocks[0][0] is lines[1] and blocks[0][-1] is lines[4]
    table = build_table(blocks[0], [], S)
    assert table.header == ["Indikatorer", "Utfall 2023", "Utfall 2024", "Mål 2026"]
    assert [r.texts for r in table.rows] == [
        ["Anmälda brott per 1000 invånare", "32,5", "*", "27,0"],
        ["Trygghet i skolan", "79,9%", "80,4%", "86,0%"],
    ]


def test_a_label_centred_between_its_lines_belongs_to_its_own_row():
    lines = [
        line_of(("Post", 70), ("Utfall", 300), top=100),
        line_of(("Första raden", 70), ("1,0", 300), top=118),
        line_of(("Andra raden med", 70), top=136),
        line_of(("lång text", 70), ("2,0", 300), top=148),
        line_of(("som slutar här", 70), top=160),
    ]
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert [r.texts for r in table.rows] == [
        ["Första raden", "1,0"], ["Andra raden med lång text som slutar här", "2,0"],
    ]


def test_rulings_between_rows_decide_which_lines_form_a_row():
    lines = [
        line_of(("Kontrollmoment", 70), ("Frekvens", 330), ("Resultat", 410), top=100),
        line_of(("Kontroll av att riktlinjer", 70), ("Årsbokslut", 330), ("Kontroll", 410), top=120),
        line_of(("har följts.", 70), ("genomförd", 410), top=132),
        line_of(("Kontroll av register", 70), ("Månadsvis", 330), ("Brister", 410), top=150),
    ]
    rulings = [Ruling("h", 65, 520, y, y) for y in (98, 116, 146, 164)]
    table = build_table(find_blocks(lines, S)[0], rulings, S)
    assert [r.texts for r in table.rows] == [
        ["Kontroll av att riktlinjer har följts.", "Årsbokslut", "Kontroll genomförd"],
        ["Kontroll av register", "Månadsvis", "Brister"],
    ]


def test_header_stops_at_the_first_line_with_values_and_text_tables_use_one_line():
    lines = indicator_lines()
    header, body = split_header(lines)
    assert header == lines[:1] and body == lines[1:]
    assert len(column_spans(body, S)) == 4


def test_a_table_cut_by_a_page_break_with_repeated_header_is_joined():
    first = build_table(indicator_lines(page=1), [], S)
    second = build_table(indicator_lines(top=60, page=2), [], S)
    assert continues_on_next_page(first, second)
    joined = join_tables(first, second, [], S)
    assert [r.page for r in joined.rows] == [1, 1, 2, 2] and joined.pages == [1, 2]
    other = Table(2, second.columns[:3], ["a", "b", "c"], [], [], 0, 1, [2])
    assert not continues_on_next_page(first, other)


def test_a_bulleted_list_is_not_a_table():
    lines = [line_of(("-", 80), ("avsaknad av underlag", 94), top=100), line_of(("-", 80), ("felaktiga momsavdrag", 94), top=116)]
    assert find_blocks(lines, S) == []
