"""Each geometric step alone: words -> lines -> cells -> blocks -> columns -> rows."""
from extract.document import on_page
from extract.grids import header_rows
from extract.layout import Line, Ruling, Word, group_lines, join_words, join_wrapped, normalise_text, split_cells
from extract.layout import drop_leaders, words_from_plumber
from extract.settings import DEFAULT_SETTINGS as S
from extract.tables import (
    Span, Table, build_table, build_tables, column_spans, continues_on_next_page, find_blocks, join_header, join_tables, split_header,
)

REGULAR, BOLD = "AAAAAI+ArialMT", "AAAAAK+ArialMT"  # one font's subsets, named alike, as in real files


def word(text, x0, top, size=10.0, bold=False, width=None, font=""):
    return Word(text, x0, x0 + (width or 5.0 * len(text)), top, top + size, size, bold, font)


def line_of(*cells, top=100.0, size=10.0, page=1, bold=False, font=""):
    """A line from (text, x0) cells; words inside a cell are one space apart."""
    words = []
    for text, x0 in cells:
        x = x0
        for token in text.split(" "):
            w = word(token, x, top, size, bold, font=font)
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


def test_rows_of_figures_printed_as_accounts_abroad_are_rows_not_header_lines():
    """A currency sign on the first row, an expense row all in parentheses: before the rows were
    read as figures, both joined the header and made one row of two."""
    lines = [line_of(("Item", 70), ("2024", 330), ("2023", 420), top=100, bold=True, font=BOLD)]
    rows = [("Revenue", "$ 1,234,567", "$ 1,100,200"), ("Expenses", "(987,654)", "(876,543)"),
            ("Transfers", "(12,000)", "15,000"), ("Net change", "$ 234,913", "$ 238,657")]
    for index, (label, this_year, last_year) in enumerate(rows):
        lines.append(line_of((label, 70), (this_year, 300), (last_year, 390), top=114 + 14 * index, font=REGULAR))
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert table.header == ["Item", "2024", "2023"]
    assert [r.texts for r in table.rows] == [list(row) for row in rows]


def test_a_table_cut_by_a_page_break_with_repeated_header_is_joined():
    first = build_table(indicator_lines(page=1), [], S)
    second = build_table(indicator_lines(top=60, page=2), [], S)
    assert continues_on_next_page(first, second)
    joined = join_tables(first, second, [], S)
    assert [r.page for r in joined.rows] == [1, 1, 2, 2] and joined.pages == [1, 2]
    other = Table(2, second.columns[:3], ["a", "b", "c"], [], [], 0, 1, [2])
    assert not continues_on_next_page(first, other)


def chars_of(*runs, top=100.0, size=10.0, width=5.0):
    """Characters from (text, x0) runs on one line, `width` apart, in content order."""
    return [{"text": ch, "x0": x0 + i * width, "x1": x0 + (i + 1) * width, "top": top, "bottom": top + size,
             "size": size} for text, x0 in runs for i, ch in enumerate(text)]


def test_leader_dots_before_figures_are_white_space_but_a_contents_line_keeps_them():
    def text(chars):
        return "".join(c["text"] for c in drop_leaders(chars, S))

    assert text(chars_of(("Skatteintäkter ........", 70), ("3 512,0", 300))) == "Skatteintäkter 3 512,0"
    assert text(chars_of(("Expenses . . . . . .", 70), ("(987,654)", 300))) == "Expenses" + " " * 6 + "(987,654)"
    assert text(chars_of(("Sammanfattning ........", 70), ("3", 300))) == "Sammanfattning ........3"  # contents
    assert text(chars_of(("Namn: ........", 70))) == "Namn: ........"  # nothing follows
    assert text(chars_of(("Prognos ...", 70), ("1 200", 300))) == "Prognos ...1 200"  # '...' is a value mark
    # dots of two lines, or far apart, are no run
    assert len(drop_leaders(chars_of(("..", 70)) + chars_of(("..", 80), top=120) + chars_of(("5 000", 300), top=120),
                            S)) == 9


def test_a_title_over_two_years_each_over_two_measures_stands_over_all_four():
    """'Municipality' centred over the four value columns is narrower than they are, and the two
    middle columns are as well centred under it; it still covers whole year groups."""
    lines = [line_of(("Municipality", 287.5), top=100, bold=True),  # as well centred under it as the middle two
             line_of(("2024", 240), ("2023", 380), top=113, bold=True),
             line_of(("Mnkr", 50), ("Budget", 200), ("Outcome", 265), ("Budget", 340), ("Outcome", 405), top=126,
                     bold=True)]
    columns = [Span(50, 70), Span(200, 230), Span(265, 300), Span(340, 370), Span(405, 440)]
    assert header_rows(lines, columns, S) == [
        [None, "Municipality", "Municipality", "Municipality", "Municipality"],
        [None, "2024", "2024", "2023", "2023"],
        ["Mnkr", "Budget", "Outcome", "Budget", "Outcome"],
    ]


def test_a_title_whose_words_stand_over_two_columns_is_one_cell_over_all_four():
    """'Samtliga' over one measure column and 'nämnder' over the next: a title alone on its line
    above the other header lines, not two headers printed too close together."""
    lines = [line_of(("Samtliga nämnder", 270), top=100, bold=True),
             line_of(("2024", 240), ("2023", 380), top=113, bold=True),
             line_of(("Mnkr", 50), ("Budget", 200), ("Outcome", 265), ("Budget", 340), ("Outcome", 405), top=126,
                     bold=True)]
    columns = [Span(50, 70), Span(200, 230), Span(265, 300), Span(340, 370), Span(405, 440)]
    assert header_rows(lines, columns, S)[0] == [None] + ["Samtliga nämnder"] * 4


def test_two_tables_side_by_side_under_the_same_header_are_two_tables():
    cells = [("Mnkr", 70), ("2024", 200), ("2023", 250), ("Mnkr", 320), ("2024", 450), ("2023", 500)]
    lines = [line_of(*cells, top=100, bold=True)]
    rows = [("Intäkter", "1 234", "1 100", "Tillgångar", "9 876", "9 000"),
            ("Kostnader", "-1 000", "-950", "Skulder", "5 432", "5 100")]
    for index, row in enumerate(rows):
        lines.append(line_of(*((text, x0) for text, (_, x0) in zip(row, cells)), top=114 + 12 * index))
    left, right = build_tables(find_blocks(lines, S)[0], [], S)
    assert left.header == right.header == ["Mnkr", "2024", "2023"]
    assert [r.texts for r in left.rows] == [list(row[:3]) for row in rows]
    assert [r.texts for r in right.rows] == [list(row[3:]) for row in rows]
    # the same header twice over figures (no labels under the second) is one table
    lines[1:] = [line_of(*((text, x0) for text, (_, x0) in zip(row[:3] + row[1:3] + row[1:2], cells)),
                         top=114 + 12 * index) for index, row in enumerate(rows)]
    assert len(build_tables(find_blocks(lines, S)[0], [], S)) == 1


def test_a_label_centred_beside_two_unlabelled_rows_labels_both():
    lines = [line_of(("År", 50), ("Typ", 110), ("Belopp", 230), ("Andel", 300), top=80, bold=True)]
    for year, top in (("2024", 100), ("2023", 130)):
        lines += [line_of(("Budget", 110), ("1 200", 230), ("45,0%", 300), top=top),
                  line_of((year, 50), top=top + 7),
                  line_of(("Utfall", 110), ("1 150", 230), ("43,1%", 300), top=top + 14)]
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert [r.texts[:2] for r in table.rows] == [["2024", "Budget"], ["2024", "Utfall"], ["2023", "Budget"],
                                                 ["2023", "Utfall"]]
    # set nearer one row, the label is that row's alone
    lines[2] = line_of(("2024", 50), top=103)
    assert [r.texts[0] for r in build_table(find_blocks(lines, S)[0], [], S).rows][:2] in ([None, "2024"],
                                                                                         ["2024", None])


def test_a_bulleted_list_is_not_a_table():
    lines = [line_of(("-", 80), ("avsaknad av underlag", 94), top=100), line_of(("-", 80), ("felaktiga momsavdrag", 94), top=116)]
    assert find_blocks(lines, S) == []


# ---------------------------------------------------------------- words
def test_touching_words_are_one_word_and_a_printed_space_stays():
    """pdfplumber splits a word where a glyph comes from another font subset ('R!relseint"kter')."""
    words = [word("R", 70, 100, width=7), word("!", 77, 100, width=5, font="other"), word("relseint", 82, 100),
             word("kter", 124.5, 100)]
    assert join_words(words) == "R!relseint kter"


def test_invisible_characters_are_dropped_and_a_line_end_soft_hyphen_is_printed():
    assert normalise_text("Ne\x00oomsä\x00ning") == "Neoomsäning"
    assert normalise_text("Bud\u00adget\ufffe") == "Budget"
    assert normalise_text("Budget\u00ad") == "Budget-"
    raw = [{"text": t, "x0": 70, "x1": 80, "top": 100, "bottom": 110, "size": 10, "fontname": "F1"}
           for t in ("\x00", "Not")]
    assert [w.text for w in words_from_plumber(raw)] == ["Not"]


def test_words_placed_outside_the_page_are_dropped():
    words = [word("kassaflödesanalys", 71, -430), word("Not", 330, 83), word("bottom", 71, 845)]
    assert [w.text for w in on_page(words, (0.0, 0.0, 595.0, 842.0), S)] == ["Not"]


def test_a_note_number_beside_an_amount_is_its_own_cell():
    """'9' in the note column and '353 112' in the amount column: a wide gap, not a thousands group."""
    words = [word("Förutbetalda", 73, 100, width=60), word("9", 332, 100, width=5),
             word("353", 408, 100, width=15), word("112", 426, 100, width=15)]
    assert [c.text for c in split_cells(words, S)] == ["Förutbetalda", "9", "353 112"]


# ---------------------------------------------------------------- statements
def statement_lines(top=100.0, page=1):
    """A balance sheet: title + note + period header, bold section headings (one set directly
    above another in the same style), a label wrapped below its figures, a bold total."""
    t = top
    return [
        line_of(("Balans", 70), ("Not", 250), ("2023-12-31", 330), ("2022-12-31", 420), top=t, page=page,
                bold=True, font=BOLD),
        line_of(("Omsättningstillgångar", 70), top=t + 30, page=page, bold=True, font=BOLD),
        line_of(("Kortfristiga fordringar", 70), top=t + 42, page=page, bold=True, font=BOLD),
        line_of(("Kundfordringar", 70), ("11 238", 350), ("19 268", 440), top=t + 54, page=page, font=REGULAR),
        line_of(("Upplupna kostnader och förutbetalda", 70), ("9", 255), ("353 112", 350), ("293 002", 440),
                top=t + 66, page=page, font=REGULAR),
        line_of(("intäkter", 70), top=t + 78, page=page, font=REGULAR),
        line_of(("Summa kortfristiga fordringar", 70), ("364 350", 350), ("312 270", 440), top=t + 90,
                page=page, bold=True, font=BOLD),
    ]


def test_section_headings_are_rows_of_their_own_and_a_wrapped_label_is_one_row():
    blocks = find_blocks(statement_lines(), S)
    assert len(blocks) == 1
    table = build_table(blocks[0], [], S)
    assert table.header == ["Balans", "Not", "2023-12-31", "2022-12-31"]
    assert [r.texts for r in table.rows] == [
        ["Omsättningstillgångar", None, None, None],
        ["Kortfristiga fordringar", None, None, None],
        ["Kundfordringar", None, "11 238", "19 268"],
        ["Upplupna kostnader och förutbetalda intäkter", "9", "353 112", "293 002"],
        ["Summa kortfristiga fordringar", None, "364 350", "312 270"],
    ]


def test_a_heading_in_the_style_of_its_rows_is_told_by_the_capital_below_it():
    """No bold at all: 'Kortfristiga fordringar' is a heading because the next label starts a
    new label with a capital; 'anläggningstillgångar' continues the label above it."""
    lines = [
        line_of(("Post", 70), ("2023", 350), ("2022", 440), top=100),
        line_of(("Summa anläggningstillgångar", 70), ("1 000", 350), ("900", 440), top=118),
        line_of(("Kortfristiga fordringar", 70), top=136),
        line_of(("Kundfordringar", 70), ("11 238", 350), ("19 268", 440), top=148),
        line_of(("Av- och nedskrivningar av materiella och", 70), top=160),
        line_of(("anläggningstillgångar", 70), ("-899 311", 350), ("-899 311", 440), top=172),
    ]
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert [r.texts for r in table.rows] == [
        ["Summa anläggningstillgångar", "1 000", "900"],
        ["Kortfristiga fordringar", None, None],
        ["Kundfordringar", "11 238", "19 268"],
        ["Av- och nedskrivningar av materiella och anläggningstillgångar", "-899 311", "-899 311"],
    ]


def test_figures_on_a_line_of_their_own_between_the_two_lines_of_their_label():
    lines = [
        line_of(("Post", 70), ("2023", 350), ("2022", 440), top=100, font=BOLD, bold=True),
        line_of(("Personalkostnader", 70), ("-186 684", 350), ("-169 716", 440), top=118, font=REGULAR),
        line_of(("Av- och nedskrivningar av materiella och immateriella", 70), top=132, font=REGULAR),
        line_of(("-2 535 928", 350), ("-2 535 928", 440), top=137, font=REGULAR),
        line_of(("anläggningstillgångar", 70), top=142.5, font=REGULAR),
        line_of(("Summa rörelsekostnader", 70), ("-6 620 576", 350), ("-6 963 587", 440), top=157.5,
                font=BOLD, bold=True),
    ]
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert [r.texts for r in table.rows] == [
        ["Personalkostnader", "-186 684", "-169 716"],
        ["Av- och nedskrivningar av materiella och immateriella anläggningstillgångar", "-2 535 928", "-2 535 928"],
        ["Summa rörelsekostnader", "-6 620 576", "-6 963 587"],
    ]


def test_section_headings_carry_a_table_across_wide_gaps_and_larger_type():
    """The header stands 3 lines above the first heading; 'TILLGÅNGAR' is set larger; a total
    is set apart by two lines. A heading further away than the reach ends the table."""
    lines = [
        line_of(("Balans", 70), ("Not", 250), ("2023-12-31", 330), ("2022-12-31", 420), top=100),
        line_of(("TILLGÅNGAR", 70), top=138, size=12),
        line_of(("Anläggningstillgångar", 70), top=168),
        line_of(("Byggnader och mark", 70), ("7", 255), ("434 145 057", 335), ("437 341 448", 425), top=182),
        line_of(("Summa anläggningstillgångar", 70), ("434 145 057", 335), ("437 341 448", 425), top=213),
        line_of(("Kassaflöde", 70), top=290),
        line_of(("Årets resultat", 70), ("-2 127 794", 340), ("-1 646 203", 430), top=304),
        line_of(("Avskrivningar", 70), ("3 196 391", 340), ("3 196 391", 430), top=318),
    ]
    blocks = find_blocks(lines, S)
    assert [len(b) for b in blocks] == [5, 2] and blocks[0][0] is lines[0] and blocks[1][0] is lines[6]
    table = build_table(blocks[0], [], S)
    assert [r.label for r in table.rows] == [
        "TILLGÅNGAR", "Anläggningstillgångar", "Byggnader och mark", "Summa anläggningstillgångar",
    ]


def test_a_note_number_and_a_second_period_line_belong_to_the_header():
    """'Not' over '1' and '2023-01-01' over '-2023-12-31', the title on the first line in
    larger type: one header, and the title is the label column's header, not a column."""
    title = Word("Resultaträkning", 73, 184, 87, 103, 16.0, True, BOLD)
    first = Line(1, tuple(split_cells([title] + [word(t, x, 88, 11, True, font=BOLD) for t, x in
                                                 (("Not", 332), ("2023-01-01", 393), ("2022-01-01", 478))], S)))
    lines = [
        first,
        line_of(("1", 332), ("-2023-12-31", 389), ("-2022-12-31", 474), top=100, size=11),
        line_of(("Rörelseintäkter", 73), top=141, size=11, bold=True, font=BOLD),
        line_of(("Nettoomsättning", 73), ("2", 332), ("4 553 432", 400), ("4 454 626", 485), top=155, size=11,
                font=REGULAR),
        line_of(("Övriga rörelseintäkter", 73), ("3", 332), ("143 830", 408), ("0", 524), top=169, size=11,
                font=REGULAR),
    ]
    header, body = split_header(lines, S)
    assert header == lines[:2] and body == lines[2:]
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert table.header == ["Resultaträkning", "Not 1", "2023-01-01 -2023-12-31", "2022-01-01 -2022-12-31"]
    assert table.rows[0].texts == ["Rörelseintäkter", None, None, None]
    assert table.rows[1].texts == ["Nettoomsättning", "2", "4 553 432", "4 454 626"]


def test_a_long_label_reaching_over_the_note_column_does_not_swallow_it():
    lines = [
        line_of(("Nettoomsättning", 72), ("Not 2", 254), ("5 161 170", 337), top=100),
        line_of(("Övriga ränteintäkter och liknande poster", 72), ("4 904", 355), top=112),
    ]
    assert lines[1].cells[0].x1 > 254  # the label ends over the note column
    spans = column_spans(lines, S)
    assert len(spans) == 3 and spans[1].x0 == 254
    assert [build_table([line_of(("Post", 72), ("2022", 357), top=88)] + lines, [], S).rows[i].texts
            for i in (0, 1)] == [["Nettoomsättning", "Not 2", "5 161 170"],
                                 ["Övriga ränteintäkter och liknande poster", None, "4 904"]]


def test_a_rule_above_a_total_only_does_not_merge_the_rows_between_rules():
    lines = [
        line_of(("Post", 70), ("2022", 350), ("2021", 430), top=100),
        line_of(("Övriga ränteintäkter", 70), ("4 904", 350), ("317", 430), top=118),
        line_of(("Räntekostnader", 70), ("-296 595", 350), ("-136 954", 430), top=130),
        line_of(("Summa finansiella poster", 70), ("-291 691", 350), ("-136 637", 430), top=144),
    ]
    rulings = [Ruling("h", 66, 470, 142, 142)]
    table = build_table(find_blocks(lines, S)[0], rulings, S)
    assert [r.label for r in table.rows] == ["Övriga ränteintäkter", "Räntekostnader", "Summa finansiella poster"]


# ---------------------------------------------------------------- page breaks
def test_a_balance_sheet_continued_under_its_own_section_name_is_one_table():
    assets = build_table(statement_lines(page=1), [], S)
    liabilities_lines = statement_lines(top=60, page=2)
    liabilities_lines[0] = line_of(("Skulder", 70), ("Not", 250), ("2023-12-31", 330), ("2022-12-31", 420),
                                   top=60, page=2, bold=True, font=BOLD)
    liabilities = build_table(liabilities_lines, [], S)
    assert continues_on_next_page(assets, liabilities)
    joined = join_tables(assets, liabilities, [], S)
    assert joined.pages == [1, 2] and joined.header == assets.header
    assert [r.texts for r in joined.rows[5:7]] == [["Skulder", None, None, None],
                                                   ["Omsättningstillgångar", None, None, None]]


def test_the_next_statement_on_the_next_page_is_not_joined():
    balance = build_table(statement_lines(page=1), [], S)
    cash_flow_lines = statement_lines(top=60, page=2)
    cash_flow_lines[0] = line_of(("Kassaflöde", 70), ("Not", 250), ("2023-01-01", 330), ("2022-01-01", 420),
                                 top=60, page=2, bold=True, font=BOLD)
    assert not continues_on_next_page(balance, build_table(cash_flow_lines, [], S))


def test_header_words_broken_over_two_lines_are_joined():
    assert join_header(["Budget-", "avvikelse"]) == "Budgetavvikelse"
    assert join_header(["IT-", "kostnader"]) == "IT-kostnader"
    assert join_header(["Drift-", "och investeringar"]) == "Drift- och investeringar"
    assert join_header(["2023-01-01", "-2023-12-31"]) == "2023-01-01 -2023-12-31"
    assert join_header([normalise_text("Bud\u00adget\u00ad"), "avvikelse"]) == "Budgetavvikelse"


def test_a_label_starting_with_a_bold_term_wraps_onto_its_next_line():
    """Text runs on in one style across a line break: the first line's bold term does not make
    its regular continuation a row of its own."""
    term = word("Förvaltningsberättelse", 70, 118, width=110, bold=True, font=BOLD)
    rest = [word(t, x, 118, font=REGULAR) for t, x in (("Del", 183), ("i", 201))]
    values = [word("1 000", 350, 118, font=REGULAR), word("900", 440, 118, font=REGULAR)]
    lines = [
        line_of(("Post", 70), ("2023", 350), ("2022", 440), top=100, font=BOLD, bold=True),
        Line(1, tuple(split_cells([term, *rest, *values], S))),
        line_of(("årsredovisningen", 70), top=130, font=REGULAR),
        line_of(("Kundfordringar", 70), ("11 238", 350), ("19 268", 440), top=142, font=REGULAR),
    ]
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert [r.texts for r in table.rows] == [
        ["Förvaltningsberättelse Del i årsredovisningen", "1 000", "900"],
        ["Kundfordringar", "11 238", "19 268"],
    ]


def test_a_subtotal_without_label_is_not_continued_by_the_heading_under_it():
    lines = [
        line_of(("Post", 119), ("2021", 350), ("2020", 428), top=86, font=BOLD, bold=True),
        line_of(("Skador/klotter", 119), ("2 366", 348), ("76 468", 421), top=479, font=REGULAR),
        line_of(("258 004", 339), ("206 330", 417), top=490, font=BOLD, bold=True),
        line_of(("Periodiskt underhåll", 119), top=501.5, font=BOLD, bold=True),
        line_of(("Entré/trapphus", 119), ("27 308", 344), ("0", 442), top=513, font=REGULAR),
    ]
    table = build_table(find_blocks(lines, S)[0], [], S)
    assert [r.texts for r in table.rows] == [
        ["Skador/klotter", "2 366", "76 468"],
        [None, "258 004", "206 330"],
        ["Periodiskt underhåll", None, None],
        ["Entré/trapphus", "27 308", "0"],
    ]


def test_figures_centred_between_two_label_lines_join_them_whatever_the_case():
    lines = [
        line_of(("Leverantör", 94), ("Drift tkr", 410), ("Totalt tkr", 486), top=94, size=8),
        line_of(("Publik Systemdrift AB", 94), ("2 639", 410), ("2 639", 486), top=111, size=8),
        line_of(("Samhällsbyggnadsbolaget Ekeby AB/", 94), top=125.8, size=8),
        line_of(("2 492", 410), ("2 492", 486), top=130.7, size=8),
        line_of(("Fastighetspartner", 94), top=135.6, size=8),
    ]
    rulings = [Ruling("h", 90, 540, y, y) for y in (107.7, 122.2, 146.6)]
    table = build_table(find_blocks(lines, S)[0], rulings, S)
    assert [r.texts for r in table.rows] == [
        ["Publik Systemdrift AB", "2 639", "2 639"],
        ["Samhällsbyggnadsbolaget Ekeby AB/ Fastighetspartner", "2 492", "2 492"],
    ]


def test_a_heading_in_the_band_of_a_ruled_total_is_a_row_of_its_own():
    lines = [
        line_of(("Post", 46), ("Belopp", 494), top=475, font=BOLD, bold=True),
        line_of(("Ianspråkstagande av underhållsfond, kr", 46), ("78 732", 515), top=545, font=REGULAR),
        line_of(("Summa till förfogande, kr", 46), ("-20 357 963", 494), top=562.7, font=BOLD, bold=True),
        line_of(("Styrelsen föreslår att medlen disponeras enligt följande:", 46), top=595, font=BOLD, bold=True),
        line_of(("Balanseras i ny räkning, kr", 46), ("-20 357 963", 494), top=613, font=BOLD, bold=True),
    ]
    rulings = [Ruling("h", 44, 545, y, y) for y in (560, 610)]
    table = build_table(find_blocks(lines, S)[0], rulings, S)
    assert [r.texts for r in table.rows] == [
        ["Ianspråkstagande av underhållsfond, kr", "78 732"],
        ["Summa till förfogande, kr", "-20 357 963"],
        ["Styrelsen föreslår att medlen disponeras enligt följande:", None],
        ["Balanseras i ny räkning, kr", "-20 357 963"],
    ]


def justified(words: list[str], top: float, left: float = 70.0, right: float = 600.0) -> Line:
    """One line of justified running text: its words spread evenly from margin to margin."""
    widths = [5.0 * len(w) for w in words]
    gap = (right - left - sum(widths)) / (len(words) - 1)
    x, cells = left, []
    for text, width in zip(words, widths):
        cells.append((text, x))
        x += width + gap
    return line_of(*cells, top=top)


def test_two_lines_of_justified_prose_are_not_a_table_but_a_text_table_is():
    prose = [justified("Revisorerna har granskat årsredovisningen och tillstyrker att fullmäktige beviljar".split(), 100),
             justified("ansvarsfrihet för nämnderna och styrelsen samt de enskilda ledamöterna i dessa".split(), 114)]
    assert all(len(line.cells) >= 4 for line in prose)  # the stretched gaps split them into 'cells'
    assert find_blocks(prose, S) == []
    text_table = [line_of(("Risk", 70), ("sannolikhet", 200), ("konsekvens", 320), ("åtgärd", 440), top=100),
                  line_of(("Brand", 70), ("låg", 200), ("stor", 320), ("övning", 440), top=114)]
    assert len(find_blocks(text_table, S)) == 1  # lower-case words too, but in columns
