"""Numbers the story and the briefing write themselves use the screens' minus sign (issue 15 item 8)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cjcore import precision, story
from explorer import format as fmt
from explorer.briefing import build

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(finite)
def test_story_counts_and_money_never_carry_an_ascii_minus(value: float) -> None:
    assert (story.number, story.money_m) == (precision.number, precision.money_m) == (fmt.number, fmt.money_m)
    for text in (story.number(value), story.money_m(value)):
        assert "-" not in text


@given(finite)
def test_a_negative_whole_number_reads_with_the_minus_sign_and_never_as_minus_zero(value: float) -> None:
    text = story.number(value)
    assert text.startswith(fmt.MINUS) == (round(value) < 0)
    assert text.replace(fmt.MINUS, "") == f"{abs(value):,.0f}"


@given(finite)
def test_briefing_parameter_values_never_carry_an_ascii_minus(value: float) -> None:
    text = build._number_text(value)
    assert "-" not in text and "e" not in text.lower()
    if value < 0 and text.strip(fmt.MINUS + "0.,"):
        assert text.startswith(fmt.MINUS)
