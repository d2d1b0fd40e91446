"""Validation keeps good rows, quarantines bad ones with readable reasons, raises on contract breaks."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from extract.frames import FRAME_COLUMNS, FRAME_NAMES, ExtractedReport, empty_frame
from schemas import (
    MODELS,
    QUARANTINE_COLUMNS,
    SchemaContractError,
    validate_frame,
    validate_report,
    validate_report_row,
)

FIXTURES = Path(__file__).parent / "fixtures" / "haninge-ks-2024"
RID = "3f" * 32
OTHER_RID = "0a" * 32


OPERATING_HEADER = "Nämnd, mnkr Utfall Helår 2024 Budget Avvikelse % avv. Helår 2023 Utfall 2023 Förändring %"
INDICATOR_HEADER = "KF-indikatorer Utfall 2022 Utfall 2023 Utfall 2024 Mål 2026"
VEGA = "Ny förskola Vega (4021)"


def cells_frame() -> pd.DataFrame:
    return pd.DataFrame(cell_records()).reindex(columns=FRAME_COLUMNS["cells"])


def cell_records() -> list[dict]:
    """Value cells of Haninge KS 2024 as extraction reads them: the Driftredovisning 'Intäkter'
    row, an investment project under its section, a pending indicator ('*'), a footnoted amount
    ('-350*') and words in a value cell (an internal-control frequency, under its risk heading)."""
    operating = dict(table_id=12, family="operating_summary", page=22, chapter="Ekonomi",
                     heading="Driftredovisning", goal_area=None, caption="Driftredovisning",
                     header_text=OPERATING_HEADER, first_header="Nämnd, mnkr", row_index=1, row_label="Intäkter",
                     row_path="Intäkter", row_depth=0, row_bold=True, note=None)
    rows = [
        dict(operating, col_index=1, column_header="Utfall", column_path="Utfall", period=None, period_year=None,
             group_period_year=None, printed="1 234,1", value=1234.1, decimals=1, value_status="reported",
             unit="mnkr", x0=217.4, top=394.6, x1=243.0, bottom=403.1),
        dict(operating, col_index=2, column_header="Helår 2024 Budget", column_path="Helår 2024 Budget",
             period="2024", period_year=2024, group_period_year=None, printed="1 236,2", value=1236.2, decimals=1,
             value_status="reported", unit="mnkr", x0=263.0, top=394.6, x1=288.6, bottom=403.1),
        dict(operating, col_index=3, column_header="Avvikelse", column_path="Avvikelse", period=None,
             period_year=None, group_period_year=None, printed="-2,1", value=-2.1, decimals=1,
             value_status="reported", unit="mnkr", x0=320.8, top=394.6, x1=334.2, bottom=403.1),
        dict(operating, col_index=4, column_header="% avv.", column_path="% avv.", period=None, period_year=None,
             group_period_year=None, printed="0,2%", value=0.2, decimals=1, value_status="reported",
             unit="percent", x0=358.5, top=394.6, x1=375.5, bottom=403.1),
        dict(operating, col_index=5, column_header="Helår 2023 * Utfall 2023", column_path="Helår 2023 * Utfall 2023",
             period="2023", period_year=2023, group_period_year=None, printed="1 107,6", value=1107.6, decimals=1,
             value_status="reported", unit="mnkr", x0=397.6, top=394.6, x1=423.2, bottom=403.1),
        dict(table_id=14, family="investments", page=25, caption="Investeringsredovisning",
             header_text="Projekt, mnkr Årets investeringar Budget Utfall", first_header="Projekt, mnkr",
             row_index=3, row_label=VEGA, row_path=f"Pågående projekt > {VEGA}", row_depth=1, row_bold=False,
             col_index=2, column_header="Utfall", column_path="Årets investeringar > Utfall", period=None,
             period_year=None, group_period_year=2024, printed="-", value=None, decimals=None,
             value_status="missing", note=None, unit="mnkr", x0=470.2, top=300.5, x1=474.0, bottom=309.0),
        dict(table_id=14, family="investments", page=25, caption="Investeringsredovisning",
             header_text="Projekt, mnkr Årets investeringar Budget Utfall", first_header="Projekt, mnkr",
             row_index=3, row_label=VEGA, row_path=f"Pågående projekt > {VEGA}", row_depth=1, row_bold=False,
             col_index=1, column_header="Budget", column_path="Årets investeringar > Budget", period=None,
             period_year=None, group_period_year=2024, printed="-350*", value=-350.0, decimals=0,
             value_status="reported", note="*", unit="mnkr", x0=401.3, top=300.5, x1=424.0, bottom=309.0),
        dict(table_id=0, family="indicators", page=7, chapter="Mål och resultat", heading="Trygga Invånare",
             goal_area="Trygga invånare", caption="Trygga Invånare", header_text=INDICATOR_HEADER,
             first_header="KF-indikatorer", row_index=1, row_label="Anmälda brott om skadegörelse per 1000 invånare",
             row_path="Anmälda brott om skadegörelse per 1000 invånare", row_depth=0, row_bold=False, col_index=3,
             column_header="Utfall 2024", column_path="Utfall 2024", period="2024", period_year=2024,
             group_period_year=None, printed="*", value=None, decimals=None, value_status="pending", note=None,
             unit=None, x0=443.6, top=314.3, x1=448.6, bottom=324.3),
        dict(table_id=20, family="internal_controls", page=35, chapter="Internkontroll",
             heading="Bristande informationshantering", caption="Bristande informationshantering",
             header_text="Kontrollmoment Frekvens Resultat", first_header="Kontrollmoment", row_index=1,
             row_label="Förfrågningar till medarbetare om vad som registreras.",
             row_path="Förfrågningar till medarbetare om vad som registreras.", row_depth=0, row_bold=False,
             col_index=1, column_header="Frekvens", column_path="Frekvens", period=None, period_year=None,
             group_period_year=None, printed="Årsbokslut", value=None, decimals=None, value_status="text",
             note=None, unit=None, x0=324.7, top=129.2, x1=367.7, bottom=139.2),
    ]
    return [dict(row, report_id=RID) for row in rows]


def goal_frame() -> pd.DataFrame:
    rows = [
        dict(goal_id="1.1", title="Kommunstyrelsens insatser är samordnade för ökad trygghet",
             assessment="partial", page=8),
        dict(goal_id="1.2", title="Kommunstyrelsen verkar för en trygg offentlig miljö", assessment="high", page=8),
        dict(goal_id="6.1", title="Kommunstyrelsen samordnar kommunens miljöarbete", assessment="high", page=12),
        dict(goal_id="6.2", title="Kommunens fordonsflotta är fossilfri", assessment="not_met", page=12),
    ]
    frame = pd.DataFrame(rows).assign(report_id=RID, goal_area="Trygga invånare")
    return frame.reindex(columns=FRAME_COLUMNS["goals"])


SUPPLIER_HEADER = ["Leverantör", "Inv. projekt tkr", "Drift tkr", "Totalt tkr"]
CONTROL_HEADER = ["Kontrollmoment", "Frekvens", "Resultat"]


def list_cell(table_id: int, family: str, page: int, heading: str, header: list[str], row_index: int,
              label: str, col_index: int, printed: str, value: float | None, decimals: int | None,
              status: str, unit: str | None) -> dict:
    """A value cell of a list table (suppliers, procurements, internal controls): dbt builds
    fct_suppliers, fct_procurements and fct_internal_controls from such cells."""
    return dict(report_id=RID, table_id=table_id, family=family, page=page, chapter=heading, heading=heading,
                goal_area=None, caption=heading, header_text=" ".join(h for h in header if h), first_header=header[0],
                row_index=row_index, row_label=label, row_path=label, row_depth=0, row_bold=False,
                col_index=col_index, column_header=header[col_index], column_path=header[col_index], period=None,
                period_year=None, group_period_year=None, printed=printed, value=value, decimals=decimals,
                value_status=status, note=None, unit=unit, x0=300.0 + 60 * col_index, top=100.0 + 12 * row_index,
                x1=340.0 + 60 * col_index, bottom=109.0 + 12 * row_index)


def fixture_list_cells(name: str) -> pd.DataFrame:
    """A list fixture CSV (suppliers, procurements, internal controls) as the value cells the
    extractor loads for it, every column as text ('661304', 'false')."""
    frame = pd.read_csv(FIXTURES / f"{name}.csv", dtype=str, keep_default_na=False)
    records = []
    for row_index, row in enumerate(frame.to_dict("records"), start=1):
        if name == "suppliers":
            cells = [(col, row[column], "tkr") for col, column in
                     enumerate(["investment_tkr", "operating_tkr", "total_tkr"], start=1)]
            header, heading, label = SUPPLIER_HEADER, "Bilaga 1: Större avrop/inköp", row["supplier"]
        elif name == "procurements":
            cells = [(1, row["contract_value_mnkr"], "mnkr")]
            header, heading, label = ["", ""], "Konkurrensutsättning", row["description"]
        else:
            cells = [(1, row["frequency"], None), (2, row["result"], None)]
            header, heading, label = CONTROL_HEADER, row["risk"], row["control"]
        for col_index, text, unit in cells:
            if text == "":  # a blank cell is no value cell
                continue
            number = unit is not None
            decimals = len(text.split(".")[1]) if number and "." in text else 0 if number else None
            records.append(list_cell(1, name, 1, heading, header, row_index, label, col_index, text,
                                     text if number else None, decimals, "reported" if number else "text", unit))
    as_text = [{k: None if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in r.items()}
               for r in records]
    return pd.DataFrame(as_text, dtype=object).reindex(columns=FRAME_COLUMNS["cells"])


def fixture_frame(name: str) -> pd.DataFrame:
    """A fixture CSV read as text (all strings), with provenance columns added."""
    frame = pd.read_csv(FIXTURES / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])
    frame["report_id"], frame["page"] = RID, "1"
    for column in ("table_id", "decimals"):
        if column in FRAME_COLUMNS[name]:
            frame[column] = "1"
    return frame.reindex(columns=FRAME_COLUMNS[name])


def test_models_match_frame_contract() -> None:
    assert set(MODELS) == set(FRAME_NAMES)
    for name, model in MODELS.items():
        assert set(model.to_schema().columns) == set(FRAME_COLUMNS[name]), name


def test_valid_cells_frame_passes_untouched() -> None:
    frame = cells_frame()
    valid, quarantined = validate_frame("cells", frame)
    assert quarantined.empty, quarantined["reason"].tolist()
    assert list(quarantined.columns) == QUARANTINE_COLUMNS
    pd.testing.assert_frame_equal(valid, frame, check_dtype=False)
    assert str(valid["row_index"].dtype) == "Int64" and str(valid["col_index"].dtype) == "Int64"
    assert str(valid["row_bold"].dtype) == "boolean" and str(valid["period_year"].dtype) == "Int64"


@pytest.mark.parametrize("name", ["goals"])
def test_real_fixture_rows_all_pass_from_text(name: str) -> None:
    frame = fixture_frame(name)
    valid, quarantined = validate_frame(name, frame)
    assert quarantined.empty, quarantined["reason"].tolist()
    assert len(valid) == len(frame)


@pytest.mark.parametrize("name, cells", [("suppliers", 116), ("procurements", 23), ("internal_controls", 12)])
def test_real_list_fixture_rows_all_pass_as_cells_from_text(name: str, cells: int) -> None:
    """The supplier, procurement and internal-control lists reach the warehouse as value cells
    (dbt builds their marts from them): every fixture row's cells pass, numbers as 'reported',
    the control's words as 'text'."""
    frame = fixture_list_cells(name)
    assert len(frame) == cells
    valid, quarantined = validate_frame("cells", frame)
    assert quarantined.empty, quarantined["reason"].tolist()
    assert len(valid) == len(frame)
    numbers = valid[valid["value_status"] == "reported"]
    assert numbers["value"].notna().all() and numbers["decimals"].notna().all()
    assert (valid["value_status"] == ("text" if name == "internal_controls" else "reported")).all()


def test_cells_pass_from_text() -> None:
    """Every cell as text ('1234.1', '2024', 'true'): coerced to the contract's types."""
    def text(value: object) -> str | None:
        return None if value is None else str(value).lower() if isinstance(value, bool) else str(value)

    records = [{column: text(value) for column, value in record.items()} for record in cell_records()]
    as_text = pd.DataFrame(records, dtype=object).reindex(columns=FRAME_COLUMNS["cells"])
    assert as_text.loc[0, "value"] == "1234.1" and as_text.loc[0, "row_bold"] == "true"
    valid, quarantined = validate_frame("cells", as_text)
    assert quarantined.empty, quarantined["reason"].tolist()
    pd.testing.assert_frame_equal(valid, validate_frame("cells", cells_frame())[0])


def test_unknown_unit_quarantined_with_reason_naming_column_and_value() -> None:
    """Units are the vocabulary's (dbt_project/seeds/units.csv): an unknown one never loads."""
    frame = cells_frame()
    frame.loc[2, "unit"] = "xyz"
    valid, quarantined = validate_frame("cells", frame)
    assert len(valid) == len(frame) - 1 and 2 not in valid.index
    row = quarantined.iloc[0]
    assert (row["frame"], row["row_number"], row["report_id"]) == ("cells", 2, RID)
    assert "column 'unit' failed isin(" in row["reason"] and "'xyz'" in row["reason"]
    record = json.loads(row["record"])
    assert record["unit"] == "xyz" and record["value"] == -2.1 and record["row_label"] == "Intäkter"
    assert record["printed"] == "-2,1" and record["col_index"] == 3


def test_every_unit_of_the_vocabulary_is_accepted() -> None:
    units = ["kr", "tkr", "mnkr", "mdkr", "percent"]
    frame = pd.concat([cells_frame().iloc[[0]].assign(unit=u, col_index=i) for i, u in enumerate(units, 1)],
                      ignore_index=True)
    valid, quarantined = validate_frame("cells", frame)
    assert quarantined.empty, quarantined["reason"].tolist()
    assert valid["unit"].tolist() == units


def test_all_failing_checks_of_a_row_are_joined() -> None:
    frame = cells_frame().astype({"value": object})
    frame.loc[0, ["unit", "page", "value"]] = ["kronor", 0, "1 234,1"]
    _, quarantined = validate_frame("cells", frame)
    assert quarantined["row_number"].tolist() == [0]
    reasons = quarantined.iloc[0]["reason"].split("; ")
    assert "column 'value' could not be read as float from value '1 234,1'" in reasons
    assert "column 'page' failed greater_than_or_equal_to(1) with value 0" in reasons
    assert any(r.startswith("column 'unit' failed isin(") and "'kronor'" in r for r in reasons), reasons
    # the unreadable value is null now, so the row no longer holds the number it says it reports
    assert "value must be present exactly when value_status is 'reported'" in reasons
    assert len(reasons) == 4


def test_value_without_decimals_is_quarantined() -> None:
    frame = cells_frame()
    frame.loc[1, "decimals"] = None
    _, quarantined = validate_frame("cells", frame)
    assert quarantined["row_number"].tolist() == [1]
    assert quarantined.iloc[0]["reason"] == "decimals must be present when the number is present"


@pytest.mark.parametrize("value", [float("inf"), float("-inf")])
def test_non_finite_value_is_quarantined(value: float) -> None:
    frame = cells_frame()
    frame.loc[3, "value"] = value
    valid, quarantined = validate_frame("cells", frame)
    assert quarantined["row_number"].tolist() == [3] and 3 not in valid.index
    assert quarantined.iloc[0]["reason"] == "value must be a finite number"
    assert json.loads(quarantined.iloc[0]["record"])["value"] == str(value)  # 'inf' / '-inf', valid JSON


def test_cell_value_present_exactly_when_reported() -> None:
    frame = cells_frame()
    frame.loc[0, "value"] = None  # a reported number that lost its value
    frame.loc[7, ["value", "decimals"]] = [12.0, 0]  # a pending '*' with a value
    frame.loc[8, "value_status"] = "words"  # not a status
    valid, quarantined = validate_frame("cells", frame)
    assert quarantined["row_number"].tolist() == [0, 7, 8]
    reasons = quarantined["reason"].tolist()
    assert reasons[0] == reasons[1] == "value must be present exactly when value_status is 'reported'"
    assert "column 'value_status' failed isin(" in reasons[2] and "'words'" in reasons[2]
    assert valid.index.tolist() == [1, 2, 3, 4, 5, 6]


def test_cell_positions_and_printed_years_are_checked() -> None:
    frame = cells_frame().astype({"row_bold": object})
    frame.loc[0, "row_index"] = 0  # rows count from 1
    frame.loc[1, "col_index"] = 0  # column 0 is the label column, never a value cell
    frame.loc[2, "row_depth"] = -1
    frame.loc[4, "period_year"] = 1750
    frame.loc[5, "printed"] = None
    frame.loc[6, "row_bold"] = "fet"
    _, quarantined = validate_frame("cells", frame)
    reasons = dict(zip(quarantined["row_number"], quarantined["reason"]))
    assert sorted(reasons) == [0, 1, 2, 4, 5, 6]
    assert "column 'row_index' failed greater_than_or_equal_to(1) with value 0" in reasons[0]
    assert "column 'col_index' failed greater_than_or_equal_to(1) with value 0" in reasons[1]
    assert "column 'row_depth' failed greater_than_or_equal_to(0) with value -1" in reasons[2]
    assert "column 'period_year' failed in_range(1800, 2199) with value 1750" in reasons[4]
    assert reasons[5] == "column 'printed' is null but required"
    assert reasons[6] == "column 'row_bold' could not be read as boolean from value 'fet'"


def test_reported_indicator_cell_without_value_is_quarantined() -> None:
    """An indicator reaches the warehouse as a value cell of its table (dbt's int_indicators
    types it): a cell that says it reports a number but holds none never loads."""
    frame = cells_frame()
    assert frame.loc[7, "family"] == "indicators"
    frame.loc[7, "value_status"] = "reported"  # the pending '*' now claims a number it does not hold
    valid, quarantined = validate_frame("cells", frame)
    assert valid.index.tolist() == [0, 1, 2, 3, 4, 5, 6, 8]
    assert quarantined["row_number"].tolist() == [7]
    reason = quarantined.iloc[0]["reason"]
    assert "value" in reason and "value_status" in reason
    assert json.loads(quarantined.iloc[0]["record"])["value"] is None  # NaN -> null


def test_indicator_cells_with_nothing_printed_pass_as_empty() -> None:
    """A value cell with nothing printed (an indicator's year not reported) is kept as an
    'empty' cell: printed '', no value, the row's bounding box; it never claims a number."""
    frame = cells_frame()
    empty = frame.iloc[[7]].assign(col_index=2, column_header="Utfall 2023", column_path="Utfall 2023",
                                   period="2023", period_year=2023, printed="", value_status="empty")
    frame = pd.concat([frame, empty], ignore_index=True)
    valid, quarantined = validate_frame("cells", frame)
    assert quarantined.empty, quarantined["reason"].tolist()
    assert valid.loc[9, ["printed", "value_status"]].tolist() == ["", "empty"] and pd.isna(valid.loc[9, "value"])
    frame.loc[9, ["value", "decimals"]] = [30.7, 1]  # an empty cell with a number
    _, quarantined = validate_frame("cells", frame)
    assert dict(zip(quarantined["row_number"], quarantined["reason"])) == {
        9: "value must be present exactly when value_status is 'reported'"}


def test_duplicate_keys_quarantine_every_copy() -> None:
    frame = pd.concat([cells_frame(), cells_frame().iloc[[0]]], ignore_index=True)
    valid, quarantined = validate_frame("cells", frame)
    assert sorted(quarantined["row_number"]) == [0, len(frame) - 1]
    assert set(quarantined["reason"]) == {"duplicate key (report_id, table_id, row_index, col_index)"}
    assert len(valid) == len(frame) - 2


def test_supplier_cells_keep_words_as_text_and_quarantine_broken_numbers() -> None:
    """A supplier list reaches the warehouse as value cells: a number is a reported cell, words
    in an amount column ('Ingår ovan') a text cell without a value (fct_suppliers then has no
    amount there); a cell that claims a number it does not hold never loads."""
    tornberget, advania = "Tornbergets Fastighetsförvaltning AB", "Advania AB"
    rows = [
        list_cell(25, "suppliers", 39, "Bilaga 1", SUPPLIER_HEADER, 1, tornberget, 1, "11 130", 11130.0, 0,
                  "reported", "tkr"),
        list_cell(25, "suppliers", 39, "Bilaga 1", SUPPLIER_HEADER, 1, tornberget, 3, "661 304", 661304.0, 0,
                  "reported", "tkr"),
        list_cell(25, "suppliers", 39, "Bilaga 1", SUPPLIER_HEADER, 8, advania, 1, "Ingår ovan", None, None,
                  "text", None),
        list_cell(25, "suppliers", 39, "Bilaga 1", SUPPLIER_HEADER, 8, advania, 2, "21 618", None, 0,
                  "reported", "tkr"),  # a number that lost its value
        list_cell(25, "suppliers", 39, "Bilaga 1", SUPPLIER_HEADER, 8, advania, 3, "40 505", 40505.0, None,
                  "reported", "tkr"),  # a number without its decimals
        list_cell(25, "suppliers", 39, "Bilaga 1", SUPPLIER_HEADER, 9, "Event City", 3, "Ej aktuellt", 0.0, 0,
                  "text", None),  # words that carry a number
    ]
    frame = pd.DataFrame(rows).reindex(columns=FRAME_COLUMNS["cells"])
    valid, quarantined = validate_frame("cells", frame)
    assert valid.index.tolist() == [0, 1, 2]
    assert valid.loc[2, ["printed", "value_status"]].tolist() == ["Ingår ovan", "text"]
    assert pd.isna(valid.loc[2, "value"])
    assert valid["heading"].tolist() == ["Bilaga 1"] * 3 and valid["unit"].tolist()[:2] == ["tkr", "tkr"]
    assert dict(zip(quarantined["row_number"], quarantined["reason"])) == {
        3: "value must be present exactly when value_status is 'reported'",
        4: "decimals must be present when the number is present",
        5: "value must be present exactly when value_status is 'reported'"}


def test_other_frames_quarantine_their_rules() -> None:
    goals = pd.DataFrame({"report_id": [RID, RID], "goal_area": ["Trygga invånare"] * 2,
                          "goal_id": ["1.1", "1."], "title": ["Trygghet", "Trygghet"],
                          "assessment": ["partial", "partly"], "page": [8, 8]}).reindex(columns=FRAME_COLUMNS["goals"])
    _, quarantined = validate_frame("goals", goals)
    assert quarantined["row_number"].tolist() == [1]
    assert "column 'goal_id' failed str_matches" in quarantined.iloc[0]["reason"]
    assert "column 'assessment' failed isin" in quarantined.iloc[0]["reason"]


def test_report_id_must_be_lowercase_hex() -> None:
    frame = cells_frame()
    frame.loc[0, "report_id"] = RID.upper()
    _, quarantined = validate_frame("cells", frame)
    assert "column 'report_id' failed str_matches" in quarantined.iloc[0]["reason"]


def test_missing_or_unknown_column_raises_contract_error() -> None:
    with pytest.raises(SchemaContractError, match="missing columns \\['unit'\\]"):
        validate_frame("cells", cells_frame().drop(columns=["unit"]))
    with pytest.raises(SchemaContractError, match="unknown columns \\['measure'\\]"):
        validate_frame("cells", cells_frame().assign(measure="outcome"))
    with pytest.raises(SchemaContractError, match="unknown frame"):
        validate_frame("balance_sheet", cells_frame())
    with pytest.raises(SchemaContractError, match="unknown frame 'budget'"):  # dbt builds fct_budget from cells
        validate_frame("budget", cells_frame())


def test_empty_frames_validate() -> None:
    for name in FRAME_NAMES:
        valid, quarantined = validate_frame(name, empty_frame(name))
        assert valid.empty and quarantined.empty


def report_dict(**overrides: object) -> dict:
    report = dict(report_id=RID, file_name="haninge-ks-arsredovisning-2024.pdf", source="sample",
                  municipality="Haninge", body="Kommunstyrelsen", report_type="arsredovisning",
                  fiscal_year=2024, page_count=44)
    return report | overrides


def test_validate_report_collects_quarantine_and_foreign_rows() -> None:
    cells = cells_frame()
    cells.loc[0, "unit"] = "xyz"
    goals = goal_frame()
    goals.loc[3, "report_id"] = OTHER_RID
    extracted = ExtractedReport(report_dict(), {"cells": cells, "goals": goals})
    validated = validate_report(extracted)
    assert validated.report_id == RID
    assert set(validated.frames) == set(FRAME_NAMES)
    assert len(validated.frames["cells"]) == len(cells) - 1
    assert len(validated.frames["goals"]) == 3
    assert validated.frames["text_figures"].empty
    quarantine = validated.quarantine
    assert quarantine[["frame", "row_number"]].values.tolist() == [["cells", 0], ["goals", 3]]
    assert (quarantine["report_id"] == RID).all()
    assert "column 'unit' failed isin(" in quarantine.iloc[0]["reason"] and "'xyz'" in quarantine.iloc[0]["reason"]
    assert "does not belong to report" in quarantine.iloc[1]["reason"]


def test_validate_report_refuses_the_retired_budget_frame() -> None:
    extracted = ExtractedReport(report_dict(), {"budget": cells_frame()})
    with pytest.raises(SchemaContractError, match="unknown frames \\['budget'\\]"):
        validate_report(extracted)


def test_the_indicators_frame_is_retired() -> None:
    """dbt builds fct_indicators from the cells (int_indicators): the extractor's indicators frame,
    its pandera model and its raw table are gone, and validation refuses such a frame."""
    assert "indicators" not in FRAME_NAMES and "indicators" not in MODELS
    with pytest.raises(SchemaContractError, match="unknown frame 'indicators'"):
        validate_frame("indicators", cells_frame())
    extracted = ExtractedReport(report_dict(), {"indicators": cells_frame()})
    with pytest.raises(SchemaContractError, match="unknown frames \\['indicators'\\]"):
        validate_report(extracted)


@pytest.mark.parametrize("overrides, message", [
    ({"report_id": "not-a-hash"}, "report_id"),
    ({"fiscal_year": "2024"}, "fiscal_year"),
    ({"page_count": 0}, "page_count"),
])
def test_bad_report_row_raises(overrides: dict, message: str) -> None:
    with pytest.raises(SchemaContractError, match=message):
        validate_report_row(report_dict(**overrides))


def test_report_row_accepts_missing_fiscal_year() -> None:
    assert validate_report_row(report_dict(fiscal_year=None))["fiscal_year"] is None


def test_report_row_keeps_the_administration() -> None:
    """The administration (förvaltning) serving the body is the entity of a staff table's own
    rows in fct_indicators (dbt reads it from raw_reports): kept as text, None when not known."""
    administration = "Kommunstyrelseförvaltningen"
    assert validate_report_row(report_dict(administration=administration))["administration"] == administration
    assert validate_report_row(report_dict())["administration"] is None
    with pytest.raises(SchemaContractError, match="administration must be text or None"):
        validate_report_row(report_dict(administration=7))


def test_text_figures_quarantine_unknown_units_blank_sentences_and_duplicates() -> None:
    sentence = "139,0 mnkr var kopplade till skattekollektivet och 41,8 mnkr kopplade till VA-kollektivet."
    rows = [
        (25, sentence, 1, 139.0, 1, "mnkr", "139,0 mnkr"),
        (25, sentence, 2, 41.8, 1, "mnkr", "41,8 mnkr"),
        (27, "HME-resultaten ökade från 79,4.", 1, 79.4, 1, None, "79,4"),
        (27, "Det var 3 ggr.", 1, 3.0, 0, "ggr", "3 ggr"),
        (27, "  ", 1, 3.0, 0, "mnkr", "3 mnkr"),
        (25, sentence, 2, 41.8, 1, "mnkr", "41,8 mnkr"),
    ]
    frame = pd.DataFrame(rows, columns=["page", "sentence", "figure_index", "value", "decimals", "unit", "text"])
    frame = frame.assign(report_id=RID).reindex(columns=FRAME_COLUMNS["text_figures"])
    valid, quarantined = validate_frame("text_figures", frame)
    assert valid.index.tolist() == [0, 2]
    reasons = dict(zip(quarantined["row_number"], quarantined["reason"]))
    assert "column 'unit' failed isin" in reasons[3] and "'ggr'" in reasons[3]
    assert reasons[4] == "column 'sentence' failed not_blank with value '  '"
    assert reasons[1] == reasons[5] == "duplicate key (report_id, page, sentence, figure_index)"
