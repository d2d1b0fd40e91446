"""A report whose indicator table prints an impossible year: dbt's int_indicators refuses those
indicator rows into fct_quarantine with a reason (refused_by 'dbt'), the run counts them as
quarantined and says why, and nothing else is lost."""
import json

import duckdb
import pytest

from cli_harness import arw_in_process

import pdf_factory as pf
from pdf_factory import Heading, Paragraph, Report, Table

pytestmark = pytest.mark.slow

PROSE = "Kommunen har under året arbetat vidare med sina mål och följt upp verksamheten noga. " * 6


def report_with_a_bad_table() -> Report:
    """An indicator table whose first outcome column is headed by an impossible year (1850)."""
    return Report(municipality="Provby kommun", fiscal_year=2025, elements=[
        Heading("Mål och uppdrag", 1), Paragraph(PROSE),
        Heading("Måluppföljning", 2),
        Heading("Trygga invånare", 3), Paragraph(PROSE),
        Table(header_rows=[["KF-indikatorer", "Utfall 1850", "Utfall 2024", "Utfall 2025", "Mål 2027"]],
              rows=[["Trygghet i skolan, årskurs 9", "78,4%", "79,9%", "82,0%", "85,0%"],
                    ["Arbetsplatskvot", "0.62", "0.61", "*", "0.64"]]),
        Heading("Nämndmål 1.1 Kommunstyrelsen samordnar arbetet för ökad trygghet", 4),
        Paragraph(PROSE), Heading("Kommentar:", 5),
        Paragraph("Bedömningen är att nämndmålet uppfylls delvis. " + PROSE),
    ])


def test_bad_rows_are_quarantined_with_reasons_and_the_rest_loads(tmp_path):
    pdf = tmp_path / "provby.pdf"
    pf.render(report_with_a_bad_table(), pf.STYLES["sample_like"], pdf)
    warehouse = tmp_path / "arw.duckdb"
    run = arw_in_process("ingest", str(pdf), "--warehouse", str(warehouse))
    assert run.returncode == 0, run.stderr
    assert "quarantined" in run.stdout and "year" in run.stderr

    with duckdb.connect(str(warehouse), read_only=True) as con:
        quarantined = con.execute("select frame, reason, record, refused_by from fct_quarantine "
                                  "order by row_number").fetchall()
        kept = con.execute("select indicator, year, value from fct_indicators order by indicator, year, is_target").fetchall()
        goals = con.execute("select goal_id, assessment from fct_goals").fetchall()
        cells = con.execute("select period, fiscal_year, printed, value from fct_table_cells "
                            "where row_label = 'Trygghet i skolan, årskurs 9' order by column_index").fetchall()
    assert [q[0] for q in quarantined] == ["indicators", "indicators"]
    assert all("year" in q[1] and "1850" in q[1] for q in quarantined)
    assert all(q[1].startswith("year 1850 is outside 1990–2100 (a misprinted year?): ") for q in quarantined)
    assert [q[3] for q in quarantined] == ["dbt", "dbt"]  # refused by the model typing the cells
    assert '"Trygghet i skolan, årskurs 9"' in quarantined[0][2]
    records = [json.loads(q[2]) for q in quarantined]
    assert [(r["indicator"], r["year"], r["value"]) for r in records] == [
        ("Trygghet i skolan, årskurs 9", 1850, 78.4), ("Arbetsplatskvot", 1850, 0.62)]
    said = " ".join(run.stderr.split())  # rich may wrap the message
    assert "2 rows quarantined" in said and "year 1850 is outside 1990–2100" in said
    assert ("Trygghet i skolan, årskurs 9", 2024, 79.9) in kept and ("Arbetsplatskvot", 2024, 0.61) in kept
    assert not any(year == 1850 for _, year, _ in kept)
    assert goals == [("1.1", "partial")]
    # the table itself is kept as printed, its odd year too: only the typed indicator rows are refused
    assert cells == [("1850", 1850, "78,4%", 78.4), ("2024", 2024, "79,9%", 79.9), ("2025", 2025, "82,0%", 82.0),
                     ("2027", 2027, "85,0%", 85.0)]
