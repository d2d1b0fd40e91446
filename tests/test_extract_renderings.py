"""The extractor against synthetic reports drawn in many different ways.

Every style in ``pdf_factory.STYLES`` renders the same kind of mini annual report (cover page,
running header/footer, goal follow-up with indicator tables, the operating summary and income
statement with two-level headers, a procurement list, internal-control tables and a supplier
appendix split over two pages), with per-style municipality, body and fiscal year so the
extractor cannot be tuned to the bundled Haninge sample. The expected rows are built from the
description that was rendered (and the pages the layout put each row on), never from the PDF.

One report is rendered per style (the session fixture ``rendered_cases`` renders every style the
run selected; the module fixture ``case`` is parametrised over them) and extracted once; the tests
then compare one frame each. The indicator tables, the statements and the supplier, procurement
and internal-control lists are built by dbt from the ``cells`` frame, so those tests compare
``fct_indicators``, ``fct_budget``, ``fct_suppliers``, ``fct_procurements`` and
``fct_internal_controls`` of ONE warehouse holding every style's report (session fixture
``renderings_warehouse``: extract -> validate -> load each, then one dbt build), filtered by the
report's id. ``test_factory_*`` checks the generator itself with pdfplumber and does not need the
extractor. ``test_random_supplier_appendix`` (slow) draws random supplier lists with hypothesis,
renders every drawn list, and loads them all into one more warehouse (one dbt build) to compare
``fct_suppliers``.

    .venv/bin/python -m pytest tests/test_extract_renderings.py            # everything
    .venv/bin/python -m pytest tests/test_extract_renderings.py -m "not slow"
    .venv/bin/python -m pytest tests/test_extract_renderings.py -k sample_like
    .venv/bin/python tests/pdf_factory.py /tmp/demo   # write a demo PDF in every style
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest

import pdf_factory as pf
from compare import norm
from pdf_factory import (
    Heading, PageBreak, Paragraph, Report, Span, Table, iter_with_context, joined, parse_printed,
)
from extract.frames import FRAME_COLUMNS
from warehouse_harness import build_warehouse, fct_budget, query, query_df

# ---------------------------------------------------------------------------------------------
# The report content, per style
# ---------------------------------------------------------------------------------------------

# municipality, body, office, fiscal year: varied so nothing can be hard-coded
IDENTITIES = {
    "sample_like": ("Testby kommun", "Kommunstyrelsen", "Kommunstyrelseförvaltningen", 2025),
    "times_grid_letter": ("Åsunda kommun", "Kommunstyrelsen", "Kommunstyrelseförvaltningen",
                          2023),
    "courier_bare": ("Västra Ekeby kommun", "Kommunstyrelsen", "Kommunledningsförvaltningen",
                     2025),
    "vera_unicode_minus": ("Ekeborgs stad", "Kommunstyrelsen", "Stadsledningsförvaltningen",
                           2026),
    "fpdf_helvetica_letter": ("Sjöviks kommun", "Tekniska nämnden", "Tekniska förvaltningen",
                              2025),
    "fpdf_vera_grid": ("Lillträsks kommun", "Kommunstyrelsen", "Kommunstyrelseförvaltningen",
                       2024),
    "fpdf_times_bare": ("Norrhamns kommun", "Kommunstyrelsen", "Kommunstyrelseförvaltningen",
                        2025),
}

@dataclass
class IndicatorSpec:
    """``units``: per body row, the unit the vocabulary (dbt_project/seeds/vocab_indicators.csv,
    read by dbt's int_indicators) gives such a label ('per_1000_inhabitants', 'ratio', 'index',
    'kr_per_inhabitant'); 'percent' is implied by values printed with %; None: no unit is
    asserted for that row."""

    table: Table
    level: str
    units: list[str | None]


@dataclass
class StatementSpec:
    table: Table
    statement: str
    measures: list[tuple[str, int]]  # per numeric column: (measure, fiscal_year)


@dataclass
class GoalSpec:
    heading: Heading
    goal_id: str
    title: str
    assessment: str
    comment: Heading  # the "Kommentar:" heading that carries the assessment


@dataclass
class Parts:
    indicators: list[IndicatorSpec] = field(default_factory=list)
    statements: list[StatementSpec] = field(default_factory=list)
    goals: list[GoalSpec] = field(default_factory=list)
    controls: list[Table] = field(default_factory=list)
    suppliers: Table | None = None
    procurements: Table | None = None
    trygga: Table | None = None  # test 1
    split_indicators: Table | None = None  # test 2


PROSE = [
    "Arbetet har bedrivits i nära samverkan med förvaltningarna och de kommunala bolagen.",
    "Under året har flera utvecklingsinsatser genomförts för att stärka styrningen och "
    "uppföljningen av verksamheten.",
    "Kommunens befolkning fortsatte att växa, vilket ställer krav på planering av lokaler, "
    "infrastruktur och kompetensförsörjning.",
    "Ett systematiskt arbetssätt med tydliga roller och ansvar har varit vägledande.",
    "Dialogen med invånare, föreningar och näringsliv har fördjupats genom nya mötesformer.",
    "Digitaliseringen av interna processer har fortsatt och flera e-tjänster har lanserats.",
    "Resultatet följs upp löpande och redovisas till nämnden vid varje tertialbokslut.",
    "Kostnadsutvecklingen har varit högre än beräknat till följd av inflation och "
    "ökade räntor.",
    "Samarbetet med grannkommunerna inom upphandling, räddningstjänst och miljötillsyn har "
    "utvecklats vidare.",
    "Medarbetarna har deltagit i utbildningar om informationssäkerhet, arbetsmiljö och "
    "styrning.",
    "Förvaltningen har under hösten tagit fram en handlingsplan med prioriterade åtgärder "
    "för kommande år.",
    "Åtgärderna bedöms ge full effekt först under nästa mandatperiod.",
    "Uppföljningen visar att de flesta aktiviteter i verksamhetsplanen har genomförts enligt "
    "tidplan.",
    "Några projekt har försenats på grund av vakanser och längre ledtider hos leverantörer.",
]


def filler(n: int, start: int = 0) -> str:
    """``n`` sentences of plain running text: real reports are mostly prose, and an extractor
    may rightly take the most common font size for the body size."""
    return " ".join(PROSE[(start + i) % len(PROSE)] for i in range(n))


def indicator_header(first: str, fy: int) -> list[list[str]]:
    return [[first, f"Utfall {fy - 2}", f"Utfall {fy - 1}", f"Utfall {fy}", f"Mål {fy + 2}"]]


def build_report(municipality: str, body: str, office: str, fy: int) -> tuple[Report, Parts]:
    parts = Parts()
    els: list = []
    add = els.append
    footnote = f"*Utfall levereras senare under {fy + 1}."

    # -- Sammanfattning -------------------------------------------------------------------------
    add(Heading("Sammanfattning", 1))
    for k in range(4):
        add(Paragraph(filler(5, 3 * k)))
    add(Heading("Viktiga händelser under året", 2))
    for k in range(3):
        add(Paragraph(filler(4, 5 * k + 1)))

    # -- Mål och uppdrag ------------------------------------------------------------------------
    add(PageBreak())
    add(Heading("Mål och uppdrag", 1))
    add(Paragraph(
        "I nämndernas årsredovisning redovisas en uppföljning av samtliga nämndmål och uppdrag "
        "samt en bedömning av om nämndplanens målsättningar har uppnåtts för helåret. Om det "
        f"finns resultat för kommunfullmäktiges eller nämndens indikatorer för {fy} redovisas "
        "dessa i tabellerna tillhörande respektive mål."))
    add(Heading("Måluppföljning", 2))
    add(Heading("Trygga invånare", 3))
    add(Paragraph(
        "Alla invånare ska kunna känna sig trygga i hela kommunen, dygnet runt. Arbetet mot "
        "kriminalitet och otrygghet bedrivs tillsammans med polisen och civilsamhället."))
    t = Table(
        header_rows=indicator_header("KF-indikatorer", fy),
        rows=[
            ["Anmälda våldsbrott i offentlig miljö per\n1000 invånare", "41,2", "38,9", "*",
             "35,0"],
            ["Trygghet i skolan, årskurs 9", "78,4%", "79,9%", "82,0%", "85,0%"],
            ["Andel invånare som känner sig trygga utomhus i\nsitt bostadsområde när det är "
             "mörkt", "58,7%", "-", "63,5%", "70,0%"],
            ["Kameraövervakade platser, antal", "12", "15", "-", "25"],
        ],
        footnote=footnote,
    )
    add(t)
    parts.trygga = t
    parts.indicators.append(IndicatorSpec(t, "KF", ["per_1000_inhabitants", "percent", "percent",
                                                    None]))
    g = Heading("Nämndmål 1.1 Kommunstyrelsen samordnar det brottsförebyggande arbetet i "
                "kommunens verksamheter och i den offentliga miljön", 4)
    add(g)
    add(Paragraph(
        "Kommunstyrelsen ansvarar för den strategiska samordningen av trygghetsarbetet i "
        "kommunkoncernen. Under året har en ny samverkansöverenskommelse med lokalpolisområdet "
        "tagits fram och 14 av 18 planerade aktiviteter har genomförts. Kostnaden för "
        "ordningsvakter uppgick till 4,2 mnkr, vilket var 0,3 mnkr mer än budgeterat."))
    add(Paragraph(filler(4, 2)))
    add(PageBreak())  # as in the sample: "Kommentar:" on the page after the goal heading
    c = Heading("Kommentar:", 5)
    add(c)
    add(Paragraph(
        "Bedömningen är att nämndmålet uppfylls delvis. Tryggheten i skolan har ökat men andelen "
        "som känner sig trygga utomhus när det är mörkt ligger fortfarande under målvärdet. "
        + filler(3, 6)))
    parts.goals.append(GoalSpec(
        g, "1.1", "Kommunstyrelsen samordnar det brottsförebyggande arbetet i kommunens "
        "verksamheter och i den offentliga miljön", "partial", c))

    add(Heading("Ett starkt och växande näringsliv", 3))
    add(Paragraph(
        "Kommunen ska vara en attraktiv plats att starta, driva och utveckla företag i. Fler "
        "företag ger fler jobb och minskat bidragsberoende."))
    t = Table(
        header_rows=indicator_header("KF-indikatorer", fy),
        rows=[
            ["Arbetsplatskvot", "0.62", "0.61", "*", "0.64"],
            ["Nöjd kund-index för företagare (NKI)", "74", "76", "*", "78"],
            ["Kostnad ekonomiskt bistånd, kr/inv.", "1 512", "1 498", "1 475", "1 300"],
            ["Sammanfattande omdöme företagsklimat\n(index 1-6 Svenskt näringsliv)", "3.41",
             "3.38", "3.52", "3.80"],
        ],
        split_after=2,  # continues on the next page (header repeated unless the style says no)
        footnote=footnote,
    )
    add(t)
    parts.split_indicators = t
    parts.indicators.append(IndicatorSpec(t, "KF", ["ratio", "index", "kr_per_inhabitant",
                                                    "index"]))
    g = Heading("Nämndmål 2.1 Kommunstyrelsen skapar goda förutsättningar för ett starkt "
                "och växande näringsliv med fler arbetstillfällen i kommunen", 4)
    add(g)
    add(Paragraph(
        "Kommunstyrelsen samordnar arbetet med en snabb och effektiv kommunal service som "
        "underlättar för företag att växa och etablera sig i kommunen. " + filler(3, 9)))
    t = Table(
        header_rows=indicator_header("Nämndindikatorer", fy),
        rows=[
            ["Nystartade företag per 1000 invånare,\n16–64 år", "11,8", "10,9", "*", "12,5"],
            ["Bygglovsärenden som avgörs inom tio veckor", "-", "-", "-", "90,0%"],
        ],
        footnote=footnote,
    )
    add(t)
    parts.indicators.append(IndicatorSpec(t, "nämnd", ["per_1000_inhabitants", "percent"]))
    c = Heading("Kommentar:", 5)
    add(c)
    add(Paragraph(
        "Bedömningen är att nämndmålet uppfylls i hög grad. Företagsklimatet har förbättrats "
        "och samtliga planerade aktiviteter i nämndplanen har genomförts. " + filler(3, 1)))
    parts.goals.append(GoalSpec(
        g, "2.1", "Kommunstyrelsen skapar goda förutsättningar för ett starkt och växande "
        "näringsliv med fler arbetstillfällen i kommunen", "high", c))

    add(Heading("Hållbar och klimatsmart kommun", 3))
    add(Paragraph("Kommunen ska minska sin klimatpåverkan och vara fossilfri senast 2035."))
    g = Heading("Nämndmål 3.1 Kommunens fordonsflotta är fossilfri.", 4)
    add(g)
    add(Paragraph("Omställningen av fordonsflottan har fortsatt under året. " + filler(3, 4)))
    c = Heading("Kommentar:", 5)
    add(c)
    add(Paragraph(
        "Bedömningen är att nämndmålet inte uppfylls. Andelen fossilfria fordon var 61 procent "
        "vid årets slut, målet är 100 procent. " + filler(2, 7)))
    parts.goals.append(GoalSpec(g, "3.1", "Kommunens fordonsflotta är fossilfri.", "not_met", c))
    g = Heading("Nämndmål 3.2 Kommunstyrelsen har ett hållbart perspektiv vid inköp och "
                "upphandling.", 4)
    add(g)
    add(Paragraph("Miljökrav ställs i samtliga upphandlingar där det är relevant."))
    c = Heading("Kommentar:", 5)
    add(c)
    add(Paragraph(
        "Bedömningen är att nämndmålet delvis uppnås. Uppföljningen av ställda krav behöver "
        "utvecklas."))
    parts.goals.append(GoalSpec(
        g, "3.2", "Kommunstyrelsen har ett hållbart perspektiv vid inköp och upphandling.",
        "partial", c))

    # -- God ekonomisk hushållning ----------------------------------------------------------------
    add(PageBreak())
    add(Heading("God ekonomisk hushållning", 1))
    add(Paragraph(
        f"Nämndens beslutade driftbudget i Mål och budget {fy}–{fy + 3} var 397,9 mnkr. "
        "Budgeten reviderades under året och uppgick totalt till 404,4 mnkr. " + filler(3, 7)))
    statement_header = lambda first: [  # noqa: E731
        ["", Span(f"Helår {fy}", 4), Span(f"Helår {fy - 1} *", 3)],
        [first, "Utfall", "Budget", "Avvikelse", "% avv.", f"Utfall {fy - 1}", "Förändring",
         "%"],
    ]
    measures = [("outcome", fy), ("budget", fy), ("deviation", fy), ("deviation_pct", fy),
                ("outcome", fy - 1), ("change", fy), ("change_pct", fy)]
    totals = [
        ["Intäkter", "1 240,1", "1 236,2", "3,9", "0,3%", "1 209,9", "30,2", "2,5%"],
        ["Kostnader", "-1 613,9", "-1 640,6", "26,7", "1,6%", "-1 606,3", "-7,6", "0,5%"],
        ["Nettoresultat", "-373,8", "-404,4", "30,6", "7,6%", "-396,4", "22,6", "-5,7%"],
    ]
    sfoot = f"* I utfall {fy - 1} ingår omorganisation av enheter mellan nämnder"
    add(Heading("Driftredovisning", 2))
    t = Table(header_rows=statement_header("Nämnd, mnkr"), rows=[list(r) for r in totals],
              bold_rows={0, 1, 2}, footnote=sfoot)
    add(t)
    parts.statements.append(StatementSpec(t, "operating_summary", measures))
    add(Paragraph(
        "Nämndens nettoresultat uppgick till 373,8 mnkr, vilket innebar en positiv "
        "budgetavvikelse med 30,6 mnkr eller 7,6 procent. " + filler(3, 10)))
    add(Heading("Resultaträkning", 2))
    t = Table(
        header_rows=statement_header("Konto, mnkr"),
        rows=[
            ["Taxor och avgifter", "918,4", "905,0", "13,4", "1,5%", "850,6", "67,8", "8,0%"],
            ["Försäljning av verksamhet", "198,2", "240,5", "-42,3", "17,6%", "215,2", "-17,0",
             "-7,9%"],
            ["Bidragsintäkter", "31,9", "12,0", "19,9", "165,8%", "27,3", "4,6", "16,8%"],
            ["Övriga intäkter", "91,6", "78,7", "12,9", "16,4%", "116,8", "-25,2", "-21,6%"],
            totals[0],
            ["Löne- och personalkostnader", "-351,7", "-360,0", "8,3", "2,3%", "-328,0",
             "-23,7", "7,2%"],
            ["Lokalkostnader", "-752,4", "-737,4", "-15,0", "2,0%", "-727,6", "-24,8", "3,4%"],
            ["Kostnader för bidrag", "-7,9", "-7,6", "-0,3", "3,9%", "-7,6", "-0,3", "3,9%"],
            ["Köp av tjänster", "-301,5", "-290,2", "-11,3", "3,9%", "-319,8", "18,3", "-5,7%"],
            ["Övriga kostnader", "-69,9", "-81,3", "11,4", "14,0%", "-77,7", "7,8", "-10,0%"],
            ["Avskrivningar och ränta", "-130,5", "-164,1", "33,6", "20,5%", "-145,6", "15,1",
             "-10,4%"],
            totals[1],
            totals[2],
        ],
        bold_rows={4, 11, 12},
        indent_rows={5, 6, 7, 8, 9, 10, 12},
        footnote=sfoot,
    )
    add(t)
    parts.statements.append(StatementSpec(t, "income_statement", measures))
    add(Paragraph(
        "Intäkterna uppgick till 1 240,1 mnkr vilket var 3,9 mnkr mer än budget. Avvikelserna "
        "mellan olika resultatrader är främst budgettekniska. " + filler(4, 0)))

    # -- Konkurrensutsättning ---------------------------------------------------------------------
    add(PageBreak())
    add(Heading("Konkurrensutsättning", 1))
    add(Paragraph(
        "Konkurrensutsättning bidrar till att bredda antalet utförare för att nå bättre kvalitet, "
        "lägre kostnader och ökad effektivitet. " + filler(3, 8)))
    add(Paragraph(
        "Nämnden har under året genomfört följande upphandlingar där avtalets värde överstiger "
        "två mnkr:"))
    t = Table(
        header_rows=[],
        rows=[
            ["Konsultstöd inom fastighetsförvaltning", "85 mnkr"],
            [f"Avrop av e-tjänsteplattform för {municipality}", "48 mnkr"],
            ["Städtjänster", "31 mnkr"],
            ["Chef- och ledarutveckling", "9 mnkr"],
            ["Bevakning och larmcentral", "6 mnkr"],
            ["e-legitimation", "2,7 mnkr"],
            ["Tolktjänster, språk och teckenspråk", "2,3 mnkr"],
        ],
        align=("l", "r"), col_widths=(0.8, 0.2), rules="none",
    )
    add(t)
    parts.procurements = t

    # -- Internkontroll ---------------------------------------------------------------------------
    add(PageBreak())
    add(Heading("Internkontroll", 1))
    add(Paragraph(
        "Genom intern kontroll kontrolleras att verksamheterna fungerar på ett bra sätt, är "
        "kostnadseffektiva och att inga oegentligheter förekommer."))
    add(Heading("Kontroller och åtgärder", 2))
    ic_header = [["Kontrollmoment", "Frekvens", "Resultat"]]
    ic_kw = dict(align=("l", "l", "l"), col_widths=(0.56, 0.19, 0.25))
    controls = [
        ("Bristande hantering av representation och resor",
         "Bristande kunskap om riktlinjerna för representation kan leda till att chefer inte "
         "följer beslutat arbetssätt.",
         [["Kontroll av att riktlinjer för representation, kurser och konferenser har följts "
           "och att beslutsattest har skett enligt gällande delegationsordning i "
           "ekonomisystemet.", "Årsbokslut", "Kontroll genomförd"]]),
        ("Bristande informationssäkerhet i verksamhetssystem",
         "Risk att obehöriga får tillgång till information i kommunens verksamhetssystem.",
         [["Stickprov på behörigheter i fem verksamhetssystem samt kontroll av att behörigheter "
           "för avslutade anställningar har tagits bort inom en månad.", "Tertialvis",
           "Avvikelser noterade"]]),
        ("Felaktiga utbetalningar till leverantörer",
         "Risk för felaktiga eller bedrägliga utbetalningar.",
         [["Kontroll av att ändringar av leverantörers bankgironummer har verifierats av två "
           "personer.", "Månadsvis", "Kontroll genomförd"],
          ["Stickprov på 25 leverantörsfakturor över 100 000 kronor avseende avtalstrohet och "
           "korrekt moms.", "Delårsbokslut och årsbokslut", "Ej genomförd"]]),
    ]
    for risk, description, rows in controls:
        add(Heading(risk, 3))
        add(Paragraph(description))
        t = Table(header_rows=ic_header, rows=rows, **ic_kw)
        add(t)
        parts.controls.append(t)
        add(Heading("Kommentar:", 5))
        add(Paragraph("Kontrollen har genomförts genom stickprov. Identifierade brister har "
                      "återkopplats till berörda chefer. " + filler(2, len(els))))
        add(Heading("Åtgärd", 5))
        add(Paragraph("Rutinen uppdateras och informationsinsatser genomförs under "
                      f"{fy + 1}."))

    # -- Bilaga: leverantörer ---------------------------------------------------------------------
    add(PageBreak())
    add(Heading("Bilaga 1: Större avrop/inköp", 1))
    add(Paragraph("Större avrop/inköp under året (över 2 mnkr)."))
    t = Table(
        header_rows=[["Leverantör", "Inv. projekt tkr", "Drift tkr", "Totalt tkr"]],
        rows=[
            ["Ekebergs Fastighetsförvaltning AB", "11 130", "650 174", "661 304"],
            ["Norrby Mark- & Anläggning AB", "67 738", "", "67 738"],
            ["Södra Räddningstjänstförbundet", "", "58 350", "58 350"],
            ["Sjöstadens Fastighets AB 3:412", "", "41 158", "41 158"],
            ["Dataväxeln Nordic AB", "18 887", "21 618", "40 505"],
            ["3M Svenska AB", "", "12 846", "12 846"],
            ["Kommunalförbundet Miljö- och Hälsoskydd", "23", "8 246", "8 269"],
            ["Återvinning i Öst AB", "1", "8 188", "8 189"],
            ["Lindqvist & Berg Projektledning AB", "4 512", "2 584", "7 096"],
            ["Telekom Mitt AB", "", "6 070", "6 070"],
            ["Bergkonsult Nord AB", "5 082", "272", "5 354"],
            ["ÅF-Akustik", "618", "2 931", "3 549"],
            ["B3 Inköpsstöd AB", "", "3 079", "3 079"],
            ["Sveriges Kommuner och Regioner", "", "3 013", "3 013"],
            ["Arbetsintegrerande Service AB", "", "2 788", "2 788"],
            ["Industrifastigheter i Ekeby AB", "2 703", "", "2 703"],
            ["Publik Systemdrift AB", "", "2 639", "2 639"],
            ["Samhällsbyggnadsbolaget Ekeby AB/ Fastighetspartner", "", "2 492", "2 492"],
            ["Agera Management AB", "1 050", "1 164", "2 214"],
            ["Event Arena", "", "2 095", "2 095"],
            ["JURE rekrytering & bemanning AB", "", "2 111", "2 111"],
            ["Storstadens kommuner i samverkan", "", "2 206", "2 206"],
        ],
        split_after=14,
    )
    add(t)
    parts.suppliers = t

    report = Report(municipality=municipality, fiscal_year=fy, body=body, office=office,
                    elements=els)
    return report, parts


# ---------------------------------------------------------------------------------------------
# Expected frames, from the description and the recorded layout
# ---------------------------------------------------------------------------------------------

def context_of(report: Report, element) -> dict[int, str]:
    for el, ctx in iter_with_context(report):
        if el is element:
            return ctx
    raise KeyError(element)


def cell_value(text: str) -> tuple[float | None, int | None, str]:
    """(value, decimals, value_status) of an indicator cell as described."""
    if text == "*":
        return None, None, "pending"
    if text in ("-", ""):
        return None, None, "missing"
    p = parse_printed(text)
    assert p is not None, text
    return p.float, p.decimals, "reported"


def expected_indicators(case: "Case", specs=None) -> list[dict]:
    out = []
    report, res = case.result.report, case.result
    for spec in specs or case.parts.indicators:
        t = spec.table
        area = context_of(report, t)[3]
        header = t.header_rows[-1]
        pages = res.row_pages(t)
        for r, row in enumerate(t.rows):
            label = joined(row[0])
            percent = any(c.endswith("%") for c in row[1:])
            unit = "percent" if percent else spec.units[r]
            for j, cell in enumerate(row[1:], start=1):
                kind, year = header[j].split()
                value, decimals, status = cell_value(cell)
                out.append(dict(
                    goal_area=area, level=spec.level, entity=report.municipality,
                    indicator=label, year=int(year), value=value, decimals=decimals,
                    value_status=status, is_target=(kind == "Mål"), unit=unit, page=pages[r]))
    return out


def expected_budget(case: "Case", spec: StatementSpec) -> list[dict]:
    out = []
    pages = case.result.row_pages(spec.table)
    for r, row in enumerate(spec.table.rows):
        for j, cell in enumerate(row[1:]):
            p = parse_printed(cell)
            measure, year = spec.measures[j]
            out.append(dict(
                statement=spec.statement, line_item=joined(row[0]), line_order=r + 1,
                is_total=r in spec.table.bold_rows, measure=measure, fiscal_year=year,
                amount=p.float, decimals=p.decimals, unit="percent" if p.percent else "mnkr",
                page=pages[r]))
    return out


def tkr(text: str) -> float | None:
    return parse_printed(text).float if text else None


def expected_suppliers(case: "Case") -> list[dict]:
    t = case.parts.suppliers
    pages = case.result.row_pages(t)
    return [dict(supplier=joined(r[0]), investment_tkr=tkr(r[1]), operating_tkr=tkr(r[2]),
                 total_tkr=tkr(r[3]), page=pages[i]) for i, r in enumerate(t.rows)]


def expected_procurements(case: "Case") -> list[dict]:
    t = case.parts.procurements
    pages = case.result.row_pages(t)
    out = []
    for i, (description, value) in enumerate(t.rows):
        p = parse_printed(value, allow_suffix=True)
        assert p.suffix == "mnkr"
        out.append(dict(description=description, contract_value_mnkr=p.float,
                        decimals=p.decimals, page=pages[i]))
    return out


def expected_goals(case: "Case") -> list[dict]:
    return [dict(goal_area=context_of(case.result.report, g.heading)[3], goal_id=g.goal_id,
                 title=g.title, assessment=g.assessment, page=case.result.page_of(g.heading))
            for g in case.parts.goals]


def expected_controls(case: "Case") -> list[dict]:
    out = []
    for t in case.parts.controls:
        risk = context_of(case.result.report, t)[3]
        pages = case.result.row_pages(t)
        for i, (control, frequency, result) in enumerate(t.rows):
            out.append(dict(risk=risk, control=joined(control), frequency=joined(frequency),
                            result=joined(result), page=pages[i]))
    return out


# ---------------------------------------------------------------------------------------------
# Comparison helpers
# ---------------------------------------------------------------------------------------------

def rows_of(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    missing = [c for c in columns if c not in df.columns]
    assert not missing, f"frame lacks columns {missing}; has {list(df.columns)}"
    return [tuple(norm(v) for v in rec) for rec in df[columns].itertuples(index=False, name=None)]


def assert_same_rows(actual: pd.DataFrame, expected: list[dict], columns: list[str],
                     what: str) -> None:
    difference = row_differences(actual, expected, columns, what)
    if difference:
        pytest.fail(difference, pytrace=False)


def row_differences(actual: pd.DataFrame, expected: list[dict], columns: list[str],
                    what: str) -> str | None:
    """None when `actual` holds exactly the `expected` rows (as a multiset), else what differs."""
    got = Counter(rows_of(actual, columns))
    want = Counter(tuple(norm(e[c]) for c in columns) for e in expected)
    if got == want:
        return None
    missing = sorted((want - got).elements(), key=repr)
    extra = sorted((got - want).elements(), key=repr)
    lines = [f"{what}: {len(missing)} expected rows missing, {len(extra)} unexpected rows",
             f"columns: {columns}"]
    lines += ["  - " + repr(m) for m in missing[:25]]
    if len(missing) > 25:
        lines.append(f"  ... {len(missing) - 25} more missing")
    lines += ["  + " + repr(x) for x in extra[:25]]
    if len(extra) > 25:
        lines.append(f"  ... {len(extra) - 25} more unexpected")
    return "\n".join(lines)


def frame(case: "Case", name: str) -> pd.DataFrame:
    ex = case.extracted()
    df = ex.frames.get(name)
    assert df is not None, f"extract_report returned no {name!r} frame (has {list(ex.frames)})"
    return df


def table_ids_of(df: pd.DataFrame, key: str, values) -> set:
    return set(df.loc[df[key].isin(list(values)), "table_id"].map(norm))


def indicator_table_ids(warehouse: "RenderingsWarehouse", case: "Case", spec: "IndicatorSpec") -> set:
    """The tables (table_id of fct_table_cells, the general form fct_indicators is built from)
    that hold the value cells of the indicator table `spec` describes, found by its row labels."""
    cells = warehouse.mart(case, "fct_table_cells")
    return table_ids_of(cells, "row_label", {joined(r[0]) for r in spec.table.rows})


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------

@dataclass
class Case:
    style: pf.Style
    result: pf.RenderResult
    parts: Parts
    _extracted: object = None
    _error: BaseException | None = None

    def extracted(self):
        if self._extracted is None and self._error is None:
            try:
                from extract.report import extract_report

                self._extracted = extract_report(self.result.path)
            except Exception as exc:  # noqa: BLE001 - reported per test below
                self._error = exc
        if self._error is not None:
            raise AssertionError(
                f"extract_report({self.result.path.name}) failed in style {self.style.name}: "
                f"{type(self._error).__name__}: {self._error}") from self._error
        return self._extracted


def make_case(style: pf.Style, directory: Path) -> Case:
    municipality, body, office, fy = IDENTITIES.get(style.name, IDENTITIES["sample_like"])
    report, parts = build_report(municipality, body, office, fy)
    slug = re.sub(r"[^a-z]+", "-", municipality.lower().translate(str.maketrans("åäö", "aao")))
    result = pf.render(report, style, directory / f"{slug}-{style.name}-arsredovisning-{fy}.pdf")
    return Case(style, result, parts)


def selected_styles(session: pytest.Session) -> list[str]:
    """The styles whose `case` tests this run collected (`-k sample_like` renders one style)."""
    chosen = {item.callspec.params["case"] for item in session.items
              if hasattr(item, "callspec") and "case" in item.callspec.params}
    return [name for name in pf.STYLES if name in chosen] or list(pf.STYLES)


@pytest.fixture(scope="session")
def rendered_cases(request, tmp_path_factory) -> dict[str, Case]:
    """One rendered report per selected style, for the whole session."""
    return {name: make_case(pf.STYLES[name], tmp_path_factory.mktemp(name))
            for name in selected_styles(request.session)}


@pytest.fixture(scope="module", params=list(pf.STYLES), ids=list(pf.STYLES))
def case(request, rendered_cases, tmp_path_factory) -> Case:
    if request.param not in rendered_cases:  # not foreseen by selected_styles: render it now
        rendered_cases[request.param] = make_case(pf.STYLES[request.param], tmp_path_factory.mktemp(request.param))
    return rendered_cases[request.param]


@dataclass
class RenderingsWarehouse:
    """Every rendered style's report loaded into one warehouse, built once."""

    path: Path
    loaded: set[str] = field(default_factory=set)  # report ids
    _budget: dict[str, pd.DataFrame] = field(default_factory=dict)
    _marts: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)

    def report_id(self, case: Case) -> str:
        """The case's report id (raises the case's extraction error, if any)."""
        report_id = case.extracted().report_id
        assert report_id in self.loaded, f"{case.style.name}: its report is not in the warehouse"
        return report_id

    def budget(self, case: Case) -> pd.DataFrame:
        """fct_budget of this case's report (raises the case's extraction error, if any)."""
        report_id = self.report_id(case)
        if report_id not in self._budget:
            self._budget[report_id] = fct_budget(self.path, report_id)
        return self._budget[report_id]

    def mart(self, case: Case, name: str) -> pd.DataFrame:
        """The rows of mart `name` (fct_suppliers, fct_table_cells, ...) of this case's report."""
        report_id = self.report_id(case)
        if (report_id, name) not in self._marts:
            self._marts[report_id, name] = query_df(
                self.path, f"select * from {name} where report_id = ?", [report_id])
        return self._marts[report_id, name]


@pytest.fixture(scope="session")
def renderings_warehouse(rendered_cases, tmp_path_factory) -> RenderingsWarehouse:
    reports = []
    for case in rendered_cases.values():
        try:
            reports.append(case.extracted())
        except AssertionError:
            continue  # that style's tests report its extraction error themselves
    path = tmp_path_factory.mktemp("renderings-warehouse") / "arw.duckdb"
    validated = build_warehouse(path, reports)
    return RenderingsWarehouse(path, loaded=set(validated))


# ---------------------------------------------------------------------------------------------
# The generator itself (no extractor needed)
# ---------------------------------------------------------------------------------------------

def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_factory_renders_what_was_described(case: Case):
    """The PDF holds what the description says, where the layout says (checked with
    pdfplumber, so a broken generator cannot masquerade as an extractor bug)."""
    style, res = case.style, case.result
    family = {"Times": "Times", "Helvetica": "Helvetica", "Courier": "Courier",
              "Vera": "Vera"}[style.font]
    with pdfplumber.open(res.path) as pdf:
        assert len(pdf.pages) == res.page_count
        pages = pdf.pages
        assert abs(pages[0].width - style.page_width) < 1
        assert abs(pages[0].height - style.page_height) < 1
        cover = pages[0].extract_text()
        assert res.report.municipality in cover and res.report.body in cover
        texts = {}
        for p in pages:
            chars = _squeeze("".join(c["text"] for c in p.chars))
            texts[p.page_number] = chars
            assert all(family in c["fontname"] for c in p.chars), {c["fontname"] for c in p.chars}
            if p.page_number > 1:
                assert _squeeze(f"{p.page_number} ({res.page_count})") in chars
                assert _squeeze(res.report.full_title) in chars
            ruled = style.rules != "none"
            assert (len(p.lines) > 0) == (ruled and p.page_number > 1 and _has_ruled_table(
                case, p.page_number)), f"page {p.page_number}: {len(p.lines)} lines"
        for el in res.report.elements:
            if isinstance(el, Table):
                for row, page in zip(el.rows, res.row_pages(el)):
                    for j, cell in enumerate(row):
                        shown = pf.printed_text(cell, el.column_align(j), style)
                        assert _squeeze(shown) in texts[page], (shown, page)
                for page in res.header_pages(el):
                    for cell in el.header_rows[-1]:
                        text = cell.text if isinstance(cell, Span) else cell
                        assert _squeeze(text) in texts[page], (text, page)
            elif isinstance(el, Heading):
                assert _squeeze(el.text) in texts[res.page_of(el)]
    all_text = "".join(texts.values())
    if style.minus == pf.MINUS:
        assert pf.MINUS in all_text
    else:
        assert pf.MINUS not in all_text
    # the hard bits really are there: wrapped goal titles, wrapped labels and control cells
    for g in case.parts.goals[:2]:
        assert res.line_count(g.heading) >= 2, g.goal_id
    assert res.page_of(case.parts.goals[0].comment) == res.page_of(case.parts.goals[0].heading) + 1
    lines = res.row_line_counts(case.parts.trygga)
    assert lines[0] >= 2 and lines[2] >= 2, lines
    header_lines = res.header_line_counts(case.parts.trygga)
    assert (header_lines[0] > 1) == style.wrap_headers, header_lines
    for t in case.parts.controls:
        assert all(n >= 2 for n in res.row_line_counts(t)), res.row_line_counts(t)
    # the split tables really are split
    for t in (case.parts.split_indicators, case.parts.suppliers):
        pages = res.row_pages(t)
        assert len(set(pages)) == 2, pages
        expected_headers = 2 if style.repeat_header else 1
        assert len(res.header_pages(t)) == expected_headers


def _has_ruled_table(case: Case, page: int) -> bool:
    for el in case.result.report.elements:
        if isinstance(el, Table) and (el.rules or case.style.rules) != "none":
            if page in case.result.row_pages(el) or page in case.result.header_pages(el):
                return True
    return False


def test_factory_number_literals_parse():
    assert parse_printed("1 234,1") == pf.Printed(Decimal("1234.1"), 1, False)
    assert parse_printed("-1 613,9").value == Decimal("-1613.9")
    assert parse_printed("79,9%") == pf.Printed(Decimal("79.9"), 1, True)
    assert parse_printed("0.62") == pf.Printed(Decimal("0.62"), 2, False)
    assert parse_printed("11 130").value == Decimal("11130")
    assert parse_printed("2,7 mnkr", allow_suffix=True).suffix == "mnkr"
    for bad in ("*", "-", "", "1 23", "12 345 6", "Utfall 2025", "1,2,3"):
        assert parse_printed(bad) is None, bad


def test_factory_rejects_unicode_minus_without_ttf():
    with pytest.raises(ValueError):
        pf.Style("bad", font="Helvetica", minus=pf.MINUS)


# ---------------------------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------------------------

def test_report_id_is_sha256_of_bytes(case: Case):
    ex = case.extracted()
    digest = hashlib.sha256(case.result.path.read_bytes()).hexdigest()
    assert ex.report["report_id"] == digest
    assert ex.report_id == digest
    for name, df in ex.frames.items():
        if "report_id" in df.columns and len(df):
            assert set(df["report_id"]) == {digest}, name


def test_report_metadata(case: Case):
    rep = case.extracted().report
    r = case.result.report
    assert rep["file_name"] == case.result.path.name
    assert rep["municipality"] == r.municipality
    assert rep["body"] == r.body
    assert norm(rep["fiscal_year"]) == r.fiscal_year
    assert norm(rep["page_count"]) == case.result.page_count


def test_frames_have_contract_columns(case: Case):
    ex = case.extracted()
    for name, columns in FRAME_COLUMNS.items():
        assert list(ex.frame(name).columns) == columns, name


INDICATOR_COLUMNS = ["goal_area", "level", "entity", "indicator", "year", "value", "decimals",
                     "value_status", "is_target", "page"]


def _assert_indicators(case: Case, warehouse: RenderingsWarehouse, specs, what: str) -> None:
    df = warehouse.mart(case, "fct_indicators")
    expected = expected_indicators(case, specs)
    labels = {e["indicator"] for e in expected}
    areas = {e["goal_area"] for e in expected}
    others = {joined(r[0]) for s in case.parts.indicators if s not in specs for r in s.table.rows}
    # rows of these tables, plus anything else the extractor put in their goal areas
    mine = df[(df["indicator"].isin(labels) | df["goal_area"].isin(areas))
              & ~df["indicator"].isin(others)]
    assert_same_rows(mine, expected, INDICATOR_COLUMNS, what)
    # unit 'percent' whenever the row prints its values with %
    pct = [e for e in expected if e["unit"] == "percent"]
    assert_same_rows(mine[mine["indicator"].isin({e["indicator"] for e in pct})], pct,
                     ["indicator", "year", "unit"], what + " (percent units)")


def test_indicator_table_with_wrapped_labels_and_markers(case: Case, renderings_warehouse: RenderingsWarehouse):
    """Test 1: "Trygga invånare" KF table: wrapped label, '*' pending, '-' missing, 79,9%
    (fct_indicators, built by dbt from the table's cells and the vocabulary)."""
    spec = next(s for s in case.parts.indicators if s.table is case.parts.trygga)
    _assert_indicators(case, renderings_warehouse, [spec], "KF-indikatorer under 'Trygga invånare'")


def test_indicator_table_continued_on_next_page_is_one_table(case: Case,
                                                             renderings_warehouse: RenderingsWarehouse):
    """Test 2: a table split over a page break (header repeated or not, per style) is one
    table whose rows keep their own page numbers; dot decimals like 0.62 keep 2 decimals."""
    spec = next(s for s in case.parts.indicators if s.table is case.parts.split_indicators)
    _assert_indicators(case, renderings_warehouse, [spec], "split KF-indikatorer")
    ids = indicator_table_ids(renderings_warehouse, case, spec)
    assert len(ids) == 1, f"split table extracted as {len(ids)} tables: {ids}"


def test_all_indicators(case: Case, renderings_warehouse: RenderingsWarehouse):
    df = renderings_warehouse.mart(case, "fct_indicators")
    assert_same_rows(df, expected_indicators(case), INDICATOR_COLUMNS, "all indicators")
    ids = [indicator_table_ids(renderings_warehouse, case, s) for s in case.parts.indicators]
    assert all(len(i) == 1 for i in ids), ids
    assert len(set().union(*ids)) == len(ids), f"tables share ids: {ids}"


def test_indicator_units_from_labels(case: Case, renderings_warehouse: RenderingsWarehouse):
    """Units implied by the label (vocabulary): per 1000 invånare, kvot, index, kr/inv."""
    df = renderings_warehouse.mart(case, "fct_indicators")
    expected = [e for e in expected_indicators(case) if e["unit"] is not None]
    keys = {e["indicator"] for e in expected}
    assert_same_rows(df[df["indicator"].isin(keys)], expected, ["indicator", "year", "unit"],
                     "indicator units")


BUDGET_COLUMNS = ["statement", "line_item", "line_order", "is_total", "measure", "fiscal_year",
                  "amount", "decimals", "unit", "page"]


def _assert_statement(case: Case, warehouse: RenderingsWarehouse, statement: str) -> None:
    spec = next(s for s in case.parts.statements if s.statement == statement)
    df = warehouse.budget(case)
    mine = df[df["statement"] == statement]
    assert_same_rows(mine, expected_budget(case, spec), BUDGET_COLUMNS, statement)
    assert mine["table_id"].nunique() == 1


def test_income_statement_two_level_header(case: Case, renderings_warehouse: RenderingsWarehouse):
    """Test 3: Resultaträkning with "Helår <fy>"/"Helår <fy-1> *" over the column header, bold
    totals, indented sub-rows, "1 234,1", "-1 613,9" (or with U+2212)."""
    _assert_statement(case, renderings_warehouse, "income_statement")


def test_operating_summary(case: Case, renderings_warehouse: RenderingsWarehouse):
    _assert_statement(case, renderings_warehouse, "operating_summary")


def test_budget_has_only_described_statements(case: Case, renderings_warehouse: RenderingsWarehouse):
    df = renderings_warehouse.budget(case)
    expected = [r for s in case.parts.statements for r in expected_budget(case, s)]
    assert_same_rows(df, expected, BUDGET_COLUMNS, "fct_budget")
    # every figure points at a table the extractor kept, of the statement's family
    tables = frame(case, "tables").groupby("table_id")["family"].first()
    for table_id, statement in df[["table_id", "statement"]].drop_duplicates().itertuples(index=False):
        assert norm(table_id) in set(tables.index.map(norm)), f"fct_budget table {table_id} not in tables"
        assert tables[table_id] == statement, (table_id, tables[table_id], statement)


def test_statement_tables_are_value_cells(case: Case):
    """The statements reach dbt as value cells of their tables: one table per statement, every
    printed number of the description a reported cell (dbt then gives it its measure)."""
    cells = frame(case, "cells")
    for spec in case.parts.statements:
        mine = cells[cells["family"] == spec.statement]
        assert mine["table_id"].nunique() == 1, spec.statement
        reported = mine[mine["value_status"] == "reported"]
        assert len(reported) == len(mine) == sum(len(row) - 1 for row in spec.table.rows), spec.statement
        assert Counter(reported["row_label"]) == Counter(
            joined(row[0]) for row in spec.table.rows for _ in row[1:]), spec.statement


SUPPLIER_COLUMNS = ["supplier", "investment_tkr", "operating_tkr", "total_tkr", "page"]


def test_suppliers_over_two_pages(case: Case, renderings_warehouse: RenderingsWarehouse):
    """Test 4: supplier appendix over two pages with empty cells and "11 130" thousands
    (fct_suppliers, built by dbt from the appendix's cells)."""
    df = renderings_warehouse.mart(case, "fct_suppliers")
    assert_same_rows(df, expected_suppliers(case), SUPPLIER_COLUMNS, "fct_suppliers")
    cells = renderings_warehouse.mart(case, "fct_table_cells")
    supplier_tables = cells.loc[cells["statement"] == "suppliers", "table_id"]
    assert supplier_tables.nunique() == 1, "the continued supplier table must be one table"
    for col in ("investment_tkr", "operating_tkr", "total_tkr"):
        assert pd.api.types.is_float_dtype(df[col]), f"{col} should be float, is {df[col].dtype}"


GOAL_COLUMNS = ["goal_area", "goal_id", "title", "assessment"]


def test_goals_with_wrapped_titles_and_assessments(case: Case):
    """Test 5: "Nämndmål 2.1 <title over two lines>" + "Kommentar:" + "Bedömningen är att
    nämndmålet uppfylls i hög grad." -> high (also delvis -> partial, inte -> not_met)."""
    df = frame(case, "goals")
    expected = expected_goals(case)
    assert_same_rows(df, expected, GOAL_COLUMNS, "goals")
    # the page is the heading's page; goal 1.1's "Kommentar:" is on the next page, so its
    # assessment's page is accepted too
    got = {norm(r.goal_id): norm(r.page) for r in df.itertuples()}
    for g in case.parts.goals:
        allowed = {case.result.page_of(g.heading), case.result.page_of(g.comment)}
        assert got.get(g.goal_id) in allowed, (g.goal_id, got.get(g.goal_id), allowed)


CONTROL_COLUMNS = ["risk", "control", "frequency", "result", "page"]


def test_internal_controls_with_wrapped_cells(case: Case, renderings_warehouse: RenderingsWarehouse):
    """Test 6: risk = the 12 pt heading above; control = the wrapped first cell joined; a risk
    with two controls; a frequency that wraps too in narrow layouts (fct_internal_controls, built
    by dbt from the plans' cells and the heading each table stands under)."""
    df = renderings_warehouse.mart(case, "fct_internal_controls")
    assert_same_rows(df, expected_controls(case), CONTROL_COLUMNS, "fct_internal_controls")


def test_procurement_list(case: Case, renderings_warehouse: RenderingsWarehouse):
    """A headerless list of descriptions and amounts printed "85 mnkr" / "2,7 mnkr"
    (fct_procurements, built by dbt from the list's cells)."""
    df = renderings_warehouse.mart(case, "fct_procurements")
    assert_same_rows(df, expected_procurements(case),
                     ["description", "contract_value_mnkr", "decimals", "page"], "fct_procurements")


LIST_STATEMENTS = ("suppliers", "procurements", "internal_controls")  # dbt builds their marts from cells


def test_tables_frame_covers_family_frames(case: Case, renderings_warehouse: RenderingsWarehouse):
    """Every table a family frame points at is in `tables`, with sane cell boxes; so is every
    table the indicator and list marts (fct_indicators, fct_suppliers, fct_procurements,
    fct_internal_controls) are built from, as the cells of that family."""
    ex = case.extracted()
    tables = frame(case, "tables")
    known = set(tables["table_id"].map(norm))
    for name in ("cells",):
        df = ex.frame(name)
        ids = set(df["table_id"].map(norm)) if len(df) else set()
        assert ids <= known, f"{name} table_ids missing from tables: {ids - known}"
    families = tables.groupby("table_id")["family"].first()
    families.index = families.index.map(norm)
    cells = renderings_warehouse.mart(case, "fct_table_cells")
    ids = set(cells["table_id"].map(norm))
    assert ids <= known, f"fct_table_cells table_ids missing from tables: {ids - known}"
    for statement in LIST_STATEMENTS:
        ids = set(cells.loc[cells["statement"] == statement, "table_id"].map(norm))
        assert ids, f"no {statement} table reached fct_table_cells"
        assert {families[i] for i in ids} == {statement}, (statement, ids)
    # the indicator tables fct_indicators is built from: every described one, of family indicators
    ids = set(cells.loc[cells["statement"] == "indicators", "table_id"].map(norm))
    described = set().union(*(indicator_table_ids(renderings_warehouse, case, s) for s in case.parts.indicators))
    assert ids == described, (ids, described)
    assert {families[i] for i in ids} == {"indicators"}, ids
    width, height = case.style.page_width, case.style.page_height
    for rec in tables.itertuples():
        assert 1 <= rec.page <= case.result.page_count
        assert -1 <= rec.x0 <= rec.x1 <= width + 1, rec
        assert -1 <= rec.top <= rec.bottom <= height + 1, rec


# ---------------------------------------------------------------------------------------------
# Property: random supplier appendices in random styles
# ---------------------------------------------------------------------------------------------

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NAME_HEAD = ["Norra", "Södra", "Ekeby", "Åkers", "Bergs", "Öster", "3M", "B3", "Lind & Berg",
              "Stads", "Älvdalens", "Nordic"]
_NAME_CORE = ["Fastighets", "Bygg", "Konsult", "IT-tjänst", "Miljö- och Hälso", "Transport",
              "Mark & Anläggning", "Städ", "Bemannings", "Energi"]
_NAME_TAIL = ["AB", "HB", "Sverige AB", "förbund", "AB (publ)", "Service AB", "3:412 AB"]


def _tkr(n: int | None) -> str:
    return "" if n is None else f"{n:,}".replace(",", " ")


@st.composite
def supplier_rows(draw):
    names = draw(st.lists(
        st.tuples(st.sampled_from(_NAME_HEAD), st.sampled_from(_NAME_CORE),
                  st.sampled_from(_NAME_TAIL)).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        min_size=3, max_size=40, unique=True))
    rows = []
    for name in names:
        inv = draw(st.one_of(st.none(), st.integers(1, 999_999)))
        drift = draw(st.one_of(st.none(), st.integers(1, 9_999_999)))
        if (inv or 0) + (drift or 0) < 2_000:  # the appendix lists purchases over 2 mnkr
            drift = (drift or 0) + draw(st.integers(2_000, 99_999))
        rows.append([name, _tkr(inv), _tkr(drift), _tkr((inv or 0) + (drift or 0))])
    return rows


RANDOM_SUPPLIER_EXAMPLES = 12
SUPPLIER_HEADER = ["Leverantör", "Inv. projekt tkr", "Drift tkr", "Totalt tkr"]


def drawn_supplier_lists() -> list[tuple[list[list[str]], str]]:
    """The (rows, style) pairs hypothesis draws, collected first so that every drawn list can be
    rendered, extracted and loaded into one warehouse that dbt builds once."""
    drawn: list[tuple[list[list[str]], str]] = []

    @settings(max_examples=RANDOM_SUPPLIER_EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is a PDF
              suppress_health_check=[HealthCheck.too_slow])
    @given(rows=supplier_rows(), style_name=st.sampled_from(sorted(pf.STYLES)))
    def draw(rows, style_name):
        drawn.append((rows, style_name))

    draw()
    return drawn


@dataclass
class RandomAppendix:
    """One drawn supplier list, rendered (and, unless it failed, extracted)."""

    rows: list[list[str]]
    style_name: str
    table: Table
    result: pf.RenderResult
    report_id: str | None = None
    error: str | None = None

    def expected(self) -> list[dict]:
        pages = self.result.row_pages(self.table)
        return [dict(supplier=r[0], investment_tkr=tkr(r[1]), operating_tkr=tkr(r[2]),
                     total_tkr=tkr(r[3]), page=pages[i]) for i, r in enumerate(self.rows)]


@pytest.fixture(scope="module")
def random_appendices(tmp_path_factory) -> tuple[Path, list[RandomAppendix]]:
    """Every drawn supplier list in its drawn style, loaded into one warehouse, built once.
    Each report has its own fiscal year, so no drawn report replaces another as its new version."""
    from extract.report import extract_report

    directory = tmp_path_factory.mktemp("random-suppliers")
    appendices, reports = [], []
    for i, (rows, style_name) in enumerate(drawn_supplier_lists()):
        table = Table(header_rows=[SUPPLIER_HEADER], rows=rows)
        report = Report(municipality="Provby kommun", fiscal_year=2014 + i, elements=[
            Heading("Sammanfattning", 1), *[Paragraph(filler(5, k)) for k in range(6)],
            PageBreak(), Heading("Bilaga 1: Större avrop/inköp", 1),
            Paragraph("Större avrop/inköp under året (över 2 mnkr)."), table,
        ])
        result = pf.render(report, pf.STYLES[style_name], directory / f"provby-{i}-{style_name}.pdf")
        appendix = RandomAppendix(rows, style_name, table, result)
        try:
            extracted = extract_report(result.path)
        except Exception as exc:  # noqa: BLE001 - reported by the test, with the drawn list
            appendix.error = f"extract_report failed: {type(exc).__name__}: {exc}"
        else:
            appendix.report_id = extracted.report_id
            reports.append(extracted)
        appendices.append(appendix)
    path = directory / "arw.duckdb"
    build_warehouse(path, reports)
    return path, appendices


@pytest.mark.slow
def test_random_supplier_appendix(random_appendices):
    """Any supplier list (3-40 rows, so it may run onto the next page by itself), any style:
    every row comes back in fct_suppliers with its numbers, NULL for empty cells, and its page."""
    path, appendices = random_appendices
    assert len(appendices) == RANDOM_SUPPLIER_EXAMPLES
    loaded = {report_id for (report_id,) in query(path, "select report_id from raw.raw_reports")}
    failures = []
    for appendix in appendices:
        what = (f"random suppliers in {appendix.style_name} ({len(appendix.rows)} rows, "
                f"{appendix.result.path.name})")
        if appendix.error is None and appendix.report_id not in loaded:
            appendix.error = "its report is not in the warehouse"
        if appendix.error is not None:
            failures.append(f"{what}: {appendix.error}")
            continue
        df = query_df(path, "select * from fct_suppliers where report_id = ?", [appendix.report_id])
        difference = row_differences(df, appendix.expected(), SUPPLIER_COLUMNS, what)
        if difference:
            failures.append(f"{difference}\n  drawn rows: {appendix.rows!r}")
    if failures:
        pytest.fail(f"{len(failures)} of {len(appendices)} drawn supplier lists:\n\n" + "\n\n".join(failures),
                    pytrace=False)
