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


def budget_frame() -> pd.DataFrame:
    """Driftredovisning 'Intäkter' row of Haninge KS 2024, as extraction types it."""
    rows = [
        ("operating_summary", "Intäkter", 1, False, "outcome", 2024, 1234.1, 1, "mnkr"),
        ("operating_summary", "Intäkter", 1, False, "budget", 2024, 1236.2, 1, "mnkr"),
        ("operating_summary", "Intäkter", 1, False, "deviation", 2024, -2.1, 1, "mnkr"),
        ("operating_summary", "Intäkter", 1, False, "deviation_pct", 2024, 0.2, 1, "percent"),
        ("operating_summary", "Intäkter", 1, False, "outcome", 2023, 1107.6, 1, "mnkr"),
        ("operating_summary", "Nettoresultat", 3, True, "outcome", 2024, -379.8, 1, "mnkr"),
        ("investments", "Investeringsreserv", 2, False, "outcome", 2024, None, None, "mnkr"),
    ]
    frame = pd.DataFrame(rows, columns=[
        "statement", "line_item", "line_order", "is_total", "measure", "fiscal_year", "amount",
        "decimals", "unit"])
    frame.insert(0, "report_id", RID)
    frame.insert(1, "table_id", 4)
    frame["page"] = 12
    return frame.reindex(columns=FRAME_COLUMNS["budget"])


def indicator_frame() -> pd.DataFrame:
    base = dict(report_id=RID, table_id=7, goal_area="Trygga invånare", level="KF",
                entity="Haninge kommun", indicator="Anmälda brott om skadegörelse per 1000 invånare",
                decimals=1, is_target=False, unit="per_1000_inhabitants", page=5)
    rows = [
        dict(base, year=2022, value=32.5, value_status="reported"),
        dict(base, year=2023, value=30.7, value_status="reported"),
        dict(base, year=2024, value=None, value_status="pending", decimals=None),
        dict(base, year=2026, value=27.0, value_status="reported", is_target=True),
    ]
    return pd.DataFrame(rows).reindex(columns=FRAME_COLUMNS["indicators"])


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


def test_valid_budget_frame_passes_untouched() -> None:
    frame = budget_frame()
    valid, quarantined = validate_frame("budget", frame)
    assert quarantined.empty
    assert list(quarantined.columns) == QUARANTINE_COLUMNS
    pd.testing.assert_frame_equal(valid, frame, check_dtype=False)
    assert str(valid["line_order"].dtype) == "Int64" and str(valid["is_total"].dtype) == "boolean"


@pytest.mark.parametrize("name", ["budget", "indicators", "suppliers", "procurements", "goals", "internal_controls"])
def test_real_fixture_rows_all_pass_from_text(name: str) -> None:
    frame = fixture_frame(name)
    valid, quarantined = validate_frame(name, frame)
    assert quarantined.empty, quarantined["reason"].tolist()
    assert len(valid) == len(frame)


def test_bad_measure_quarantined_with_reason_naming_column() -> None:
    frame = budget_frame()
    frame.loc[2, "measure"] = "foo"
    valid, quarantined = validate_frame("budget", frame)
    assert len(valid) == len(frame) - 1 and 2 not in valid.index
    row = quarantined.iloc[0]
    assert (row["frame"], row["row_number"], row["report_id"]) == ("budget", 2, RID)
    assert "column 'measure' failed isin(" in row["reason"] and "'foo'" in row["reason"]
    record = json.loads(row["record"])
    assert record["measure"] == "foo" and record["amount"] == -2.1 and record["line_item"] == "Intäkter"


def test_all_failing_checks_of_a_row_are_joined() -> None:
    frame = budget_frame().astype({"amount": object})
    frame.loc[0, ["unit", "page", "amount"]] = ["percent", 0, "1 234,1"]
    _, quarantined = validate_frame("budget", frame)
    reasons = quarantined.iloc[0]["reason"].split("; ")
    assert "column 'amount' could not be read as float from value '1 234,1'" in reasons
    assert "column 'page' failed greater_than_or_equal_to(1) with value 0" in reasons
    assert "unit must be 'percent' exactly when measure ends with '_pct'" in reasons


def test_amount_without_decimals_is_quarantined() -> None:
    frame = budget_frame()
    frame.loc[1, "decimals"] = None
    _, quarantined = validate_frame("budget", frame)
    assert quarantined["row_number"].tolist() == [1]
    assert quarantined.iloc[0]["reason"] == "decimals must be present when amount is present"


def test_reported_indicator_without_value_is_quarantined() -> None:
    frame = indicator_frame()
    frame.loc[1, "value"] = None
    valid, quarantined = validate_frame("indicators", frame)
    assert valid.index.tolist() == [0, 2, 3]
    assert quarantined["row_number"].tolist() == [1]
    reason = quarantined.iloc[0]["reason"]
    assert "value" in reason and "value_status" in reason
    assert json.loads(quarantined.iloc[0]["record"])["value"] is None  # NaN -> null


def test_duplicate_keys_quarantine_every_copy() -> None:
    frame = pd.concat([budget_frame(), budget_frame().iloc[[0]]], ignore_index=True)
    valid, quarantined = validate_frame("budget", frame)
    assert sorted(quarantined["row_number"]) == [0, len(frame) - 1]
    assert set(quarantined["reason"]) == {
        "duplicate key (report_id, statement, line_item, line_order, measure, fiscal_year)"}
    assert len(valid) == len(frame) - 2


def test_other_frames_quarantine_their_rules() -> None:
    suppliers = pd.DataFrame({
        "report_id": [RID, RID, RID], "table_id": [20, 20, 20],
        "supplier": ["Tornbergets Fastighetsförvaltning AB", "  ", "Advania AB"],
        "investment_tkr": [11130.0, None, None], "operating_tkr": [650174.0, 10.0, None],
        "total_tkr": [661304.0, 10.0, None], "page": [40, 40, 40]}).reindex(columns=FRAME_COLUMNS["suppliers"])
    _, quarantined = validate_frame("suppliers", suppliers)
    assert quarantined["reason"].tolist() == [
        "column 'supplier' failed not_blank with value '  '",
        "at least one of investment_tkr, operating_tkr, total_tkr must be present"]

    goals = pd.DataFrame({"report_id": [RID, RID], "goal_area": ["Trygga invånare"] * 2,
                          "goal_id": ["1.1", "1."], "title": ["Trygghet", "Trygghet"],
                          "assessment": ["partial", "partly"], "page": [8, 8]}).reindex(columns=FRAME_COLUMNS["goals"])
    _, quarantined = validate_frame("goals", goals)
    assert quarantined["row_number"].tolist() == [1]
    assert "column 'goal_id' failed str_matches" in quarantined.iloc[0]["reason"]
    assert "column 'assessment' failed isin" in quarantined.iloc[0]["reason"]


def test_report_id_must_be_lowercase_hex() -> None:
    frame = budget_frame()
    frame.loc[0, "report_id"] = RID.upper()
    _, quarantined = validate_frame("budget", frame)
    assert "column 'report_id' failed str_matches" in quarantined.iloc[0]["reason"]


def test_missing_or_unknown_column_raises_contract_error() -> None:
    with pytest.raises(SchemaContractError, match="missing columns \\['unit'\\]"):
        validate_frame("budget", budget_frame().drop(columns=["unit"]))
    with pytest.raises(SchemaContractError, match="unknown columns \\['note'\\]"):
        validate_frame("budget", budget_frame().assign(note="x"))
    with pytest.raises(SchemaContractError, match="unknown frame"):
        validate_frame("balance_sheet", budget_frame())


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
    budget = budget_frame()
    budget.loc[0, "measure"] = "foo"
    indicators = indicator_frame()
    indicators.loc[3, "report_id"] = OTHER_RID
    extracted = ExtractedReport(report_dict(), {"budget": budget, "indicators": indicators})
    validated = validate_report(extracted)
    assert validated.report_id == RID
    assert set(validated.frames) == set(FRAME_NAMES)
    assert len(validated.frames["budget"]) == len(budget) - 1
    assert len(validated.frames["indicators"]) == 3
    assert validated.frames["goals"].empty
    quarantine = validated.quarantine
    assert quarantine[["frame", "row_number"]].values.tolist() == [["budget", 0], ["indicators", 3]]
    assert (quarantine["report_id"] == RID).all()
    assert "does not belong to report" in quarantine.iloc[1]["reason"]


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
