"""Numbers are written one way on every view: the checks a facilitator would make by eye, run on every page.

Each view is opened in AppTest (Compare with three options, so its side-by-side table and every tab's tables are
drawn) and everything it shows as text is read back: cards, markdown, captions, notes, static tables and data
tables. The checks fail on a raw float ("419.0394"), a signed zero ("-0.00"), a chance written as a fraction
("0.92"), a header that is a code name ("label"), a float column shown without a format, a share slider without a
percentage format, a card whose change rounds to zero but is not "no change" in neutral colour, and a negative
number written with the ASCII hyphen-minus instead of the minus sign "−" that money and chart axes use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest

from explorer import format as fmt
from explorer.theme import CHANCE_CARDS, COMPARE_TABS, PROJECTION_TABS
from tests.app.conftest import VIEWS, open_compare_tab, open_projection_tab
from tests.cards import cards
from tests.tables import static_tables

RAW_FLOAT = re.compile(r"(?<![\w.])\d[\d,]*\.\d{4,}(?![\d])")  # '419.0394': more decimals than any format shows
SIGNED_ZERO = re.compile(r"(?<![\w.])[-−+]£?0(?:\.0+)?(?![.\d])")  # '-0.00', '−0.0', '+0', '-£0.0'
ZERO_DELTA = re.compile(r"^[-−+]?£?0(?:\.0+)?(?: pp|%|m)?$")  # a change that rounds to zero, shown as a number
CODE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")  # 'label', 'metric', 'change_pct': not words
FRACTION_CHANCE = re.compile(r"^0?\.\d+$|^1\.0+$")  # '0.92'
PERCENT = re.compile(r"^(\d{1,3}%|–)$")
ASCII_MINUS = re.compile(r"(?<![\w.\-/])-(?=£?\d)")  # '-837', '-0.22 pp', '-£1.2m': a number's sign, not '2023-24'


def _page(make_app, view: str, **query: str):
    at = make_app(**query).run()
    at.switch_page(f"pages/{view}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    if view == "compare":
        at.multiselect[0].set_value(["__on_screen__", "london", "staged-path"]).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def _states(make_app, view: str):
    """The view with each of its tabs open in turn (only the open tab is drawn), or the view itself."""
    at = _page(make_app, view)
    tabs = {"projections": (PROJECTION_TABS, open_projection_tab), "compare": (COMPARE_TABS, open_compare_tab)}
    if view not in tabs:
        yield at
        return
    names, open_tab = tabs[view]
    for tab in names:
        open_tab(at, tab)
        assert not at.exception, [e.value for e in at.exception]
        yield at


def _texts(at) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text a page shows, tables cell by cell."""
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "subheader", "title"):
        for element in getattr(at, kind):
            yield kind, str(element.value)
    for metric in cards(at):
        yield f"card {metric.label}", str(metric.value)
        yield f"card {metric.label} help", metric.help
        if metric.delta:
            yield f"card {metric.label} change", str(metric.delta)
    for frame in static_tables(at):
        for column in frame.columns:
            yield "table header", str(column)
            for cell in frame[column]:
                yield f"table {column}", str(cell)
        for label in frame.index:
            yield "table row", str(label)
    for data in at.dataframe:
        frame = data.value
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                for cell in frame[column].dropna():
                    yield f"data table {column}", str(cell)


@pytest.mark.parametrize("view", VIEWS)
def test_no_raw_floats_signed_zeros_or_code_names_on_any_view(make_app, view):
    problems = []
    for at in _states(make_app, view):
        problems += _problems(at)
    assert not problems, "\n".join(dict.fromkeys(problems))


def _problems(at) -> list[str]:
    problems = []
    for where, text in _texts(at):
        if RAW_FLOAT.search(text) and "docs/" not in text:
            problems.append(f"raw float in {where}: {text[:120]!r}")
        if SIGNED_ZERO.search(text):
            problems.append(f"signed zero in {where}: {text[:120]!r}")
        if ASCII_MINUS.search(text):
            problems.append(f"hyphen for a minus sign in {where}: {text[:120]!r}")
        if where == "table header" and CODE_NAME.match(text):
            problems.append(f"code name as a header: {text!r}")
    for data in at.dataframe:
        frame = data.value
        config = json.loads(data.proto.columns or "{}")
        for column in frame.columns:
            if CODE_NAME.match(str(column)):
                problems.append(f"code name as a data table header: {column!r}")
            if pd.api.types.is_float_dtype(frame[column]):
                formatted = config.get(str(column), {}).get("type_config", {}).get("format")
                if not formatted:
                    problems.append(f"float column {column!r} shown without a format")
    return problems


@pytest.mark.parametrize("view", ["spectrum", "funding_governance", "projections"])
def test_chances_are_whole_percentages_and_zero_changes_read_no_change(make_app, view):
    at = _page(make_app, view)
    chances = [m for m in cards(at) if m.label in CHANCE_CARDS.values()]
    assert chances
    for card in chances:
        assert PERCENT.match(card.value), f"{card.label}: {card.value!r}"
        assert not FRACTION_CHANCE.match(card.value)
    for card in cards(at):
        if card.delta:
            assert not ZERO_DELTA.match(card.delta), f"{card.label}: {card.delta!r} should read 'no change'"


def test_a_scenario_that_changes_nothing_reads_no_change_in_neutral_colour_everywhere(make_app):
    at = _page(make_app, "projections", s="greater-manchester", p="0" * 9)
    deltas = [m for m in cards(at) if m.delta]
    assert deltas, "outcome cards carry a change"
    for card in deltas:
        assert card.delta == fmt.NO_CHANGE, f"{card.label}: {card.delta!r}"
        assert card.colour == "gray", f"{card.label} is coloured"
        assert not card.arrow, f"{card.label} has an arrow"
    story = " ".join(m.value for m in at.markdown)
    assert "falls by 0.00" not in story and "rises by 0.00" not in story


def test_share_sliders_show_percentages(make_app):
    at = _page(make_app, "funding_governance")
    shares = [s for s in at.slider if s.proto.min == 0.0 and s.proto.max == 1.0]
    assert shares, "the funding shares are sliders from 0 to 1"
    for slider in shares:
        assert slider.proto.format == fmt.SLIDER_PERCENT, f"{slider.label}: {slider.proto.format!r}"


def test_compare_writes_every_option_rounded_with_units_and_differences_from_the_first(make_app):
    at = _page(make_app, "compare")
    table = static_tables(at)[0]
    assert len(table.columns) == 3
    for column in table.columns:
        for row, cell in zip(table.index, table[column], strict=True):
            if "(£m" in row:
                assert "£" in cell and cell.split(" (")[0].endswith("m"), (row, cell)
            if "share of uncertainty draws" in row:
                assert PERCENT.match(cell.split(" (")[0]), (row, cell)
    for column in table.columns[1:]:
        assert all(re.search(r"\((no change|[+-−£\d][^)]*) vs A\)$", cell) for cell in table[column])


def test_the_format_rules_themselves():
    assert fmt.signed(-0.0013, 2, " pp") == fmt.NO_CHANGE
    assert fmt.points(-0.000013) == fmt.NO_CHANGE
    assert fmt.signed(-0.2, 2, " pp") == "−0.20 pp" and fmt.signed(-837) == "−837" and fmt.signed(9.3, 1) == "+9.3"
    assert fmt.number(-0.2) == "0" and fmt.percent(-0.00001, 2) == "0.00%"
    assert fmt.chance(0.92) == "92%"
    assert fmt.money_change(0.04) == fmt.NO_CHANGE and fmt.money_change(1.26) == "+£1.3m"
    assert fmt.delta_colour(-0.004, 2) == "gray" and fmt.delta_colour(-0.006, 2) == "green"
    assert fmt.delta_colour(0.006, 2) == "red" and fmt.delta_colour(0.006, 2, "normal") == "green"
    assert fmt.delta_arrow("−837") == "down" and fmt.delta_arrow("+9.3") == "up"
    assert fmt.delta_arrow(fmt.NO_CHANGE) == "off" and fmt.delta_arrow(None) == "off"
    negatives = (fmt.number(-1213.4), fmt.money_m(-14.04), fmt.percent(-0.015), fmt.ratio(-0.5),
                 fmt.significant(-0.035))
    assert negatives == ("−1,213", "−£14.0m", "−1.5%", "−0.50", "−0.035")
    assert all(fmt.MINUS == "\u2212" and "-" not in text for text in (fmt.points(-0.002), fmt.money_change(-1.26)))
    assert fmt.significant(42705.75) == "42,706" and fmt.significant(0.0351234) == "0.03512"
    assert fmt.register_range(800.0, 5000.0, "£ per case") == "800 to 5,000"
    assert RAW_FLOAT.search("Offenders in cohort 1,213.4") is None  # one decimal is a choice, not a raw float
    assert RAW_FLOAT.search("419.0394") and SIGNED_ZERO.search("-0.00") and SIGNED_ZERO.search("−£0.0m")
    assert not SIGNED_ZERO.search("-0.05") and not SIGNED_ZERO.search("10.0")
    assert ASCII_MINUS.search("reoffences -758") and ASCII_MINUS.search("(-£1.2m)")
    assert not ASCII_MINUS.search("2023-24 prices, 5-year horizon, p10–p90, −837")


def test_cards_write_a_fall_with_the_minus_sign_and_show_it_falling(make_app):
    """The Greater Manchester scenario cuts reoffences: '−837', a green arrow pointing down (a fall is good)."""
    at = _page(make_app, "spectrum", s="greater-manchester")
    falls = [m for m in cards(at) if m.delta and m.delta.startswith(fmt.MINUS)]
    assert falls, [m.delta for m in cards(at)]
    for card in falls:
        assert card.arrow == "↓", f"{card.label}: {card.delta!r}"
        assert card.colour == "green", f"{card.label}: {card.delta!r}"
    assert not [m.delta for m in cards(at) if m.delta and "-" in m.delta]
