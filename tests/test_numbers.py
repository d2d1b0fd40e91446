"""Printed Swedish numbers keep their value, decimals and status."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.numbers import MISSING, PENDING, REPORTED, is_thousands_group, is_value_text, parse_value, years_in


@pytest.mark.parametrize(
    ("text", "value", "decimals", "suffix"),
    [
        ("1 234,1", 1234.1, 1, None),
        ("-1 613,9", -1613.9, 1, None),
        ("\u22120,3", -0.3, 1, None),
        ("–4,2", -4.2, 1, None),
        ("80,4%", 80.4, 1, "%"),
        ("0.62", 0.62, 2, None),
        ("3.70", 3.7, 2, None),
        ("764,0", 764.0, 1, None),
        ("0", 0.0, 0, None),
        ("+0,3", 0.3, 1, None),
        ("661\u00a0304", 661304.0, 0, None),
        ("2,7 mnkr", 2.7, 1, "mnkr"),
        ("287,6 %", 287.6, 1, "%"),
    ],
)
def test_numbers_keep_value_and_printed_decimals(text, value, decimals, suffix):
    parsed = parse_value(text)
    assert parsed.status == REPORTED
    assert parsed.value == pytest.approx(value)
    assert parsed.decimals == decimals
    assert parsed.suffix == suffix


@pytest.mark.parametrize(("text", "status"), [("*", PENDING), ("-", MISSING), ("–", MISSING), ("", MISSING)])
def test_marks_are_statuses_without_value(text, status):
    parsed = parse_value(text)
    assert parsed.status == status and parsed.value is None and parsed.decimals is None


@pytest.mark.parametrize("text", ["Utfall", "2024-10-07", "KS 8 april", "1 23", "12,3 10,7"])
def test_text_is_not_a_value(text):
    assert parse_value(text) is None


def test_years_are_header_words_not_values():
    assert not is_value_text("2024")
    assert is_value_text("2 024")
    assert years_in("Helår 2023 * Utfall 2023") == [2023, 2023]
    assert years_in("Mål 2026") == [2026]


@pytest.mark.parametrize("text", ["(987,654)", "$ 1,234,567", "$(12.5)", "£ 3,000", "1 234 $", "1,234,567.5",
                                  "1.234.567", "(1 100)", "€ -5"])
def test_figures_as_printed_abroad_are_values_to_the_table_structure_only(text):
    """A negative in parentheses, a currency sign, thousands grouped by commas or dots: the
    row holding them is a row of figures, though arw loads none of them as a value."""
    assert is_value_text(text)
    assert parse_value(text) is None


@pytest.mark.parametrize("text", ["(2023)", "$", "()", "(a1)", "Not (2)", "13.05.2024", "1.1.2", "3, 4, 5",
                                  "1,23,456", "10-40", "$ Revenue"])
def test_years_references_and_words_in_those_forms_are_not_figures(text):
    assert not is_value_text(text)


def test_thousands_grouping_only_joins_groups_of_three():
    assert is_thousands_group("1", "234,1")
    assert is_thousands_group("-1", "613,9")
    assert is_thousands_group("11 130", "650")
    assert not is_thousands_group("12,3", "107")
    assert not is_thousands_group("2022", "2023")
    assert not is_thousands_group("1", "23")


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=3))
def test_formatted_numbers_round_trip(number, decimals):
    """Any number printed the Swedish way parses back to itself with its decimals."""
    value = number / 10**decimals
    grouped = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    text = ("\u2212" if value < 0 else "") + grouped
    parsed = parse_value(text)
    assert parsed.value == pytest.approx(value)
    assert parsed.decimals == decimals
