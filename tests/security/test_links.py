"""Share links (issue 14, items 7 and 9): one bad value costs only itself, numbers are plain ASCII digits, and
text too long for a link is said to be left out on both sides."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cjcore.scenario_io import load_builtin
from cjcore.schema import MAX_NOTE_CHARS
from explorer.urlstate import LEFT_OUT, MAX_NOTES_CHARS, decode, encode, left_out
from tests.security.oracle import shown_text

ORIGIN = "greater-manchester"
GM = load_builtin(ORIGIN)


def test_one_bad_value_keeps_the_links_other_values() -> None:
    decoded = decode({"s": ORIGIN, "h": "7", "fb": "20", "gm": "nonsense", "fn": "0.25"}, load_builtin)
    assert decoded.scenario.horizon_years == 7
    assert decoded.scenario.funding.pooled_budget_gbp_m == 20
    assert decoded.scenario.funding.national_share == 0.25
    assert decoded.scenario.governance.model == GM.governance.model
    assert len(decoded.warnings) == 1 and "governance model" in decoded.warnings[0]


def test_a_value_out_of_range_costs_only_itself() -> None:
    decoded = decode({"s": ORIGIN, "h": "99", "fb": "20", "area": "london"}, load_builtin)
    assert decoded.scenario.horizon_years == GM.horizon_years, "h=99 is not a horizon the schema allows"
    assert decoded.scenario.funding.pooled_budget_gbp_m == 20
    assert decoded.scenario.area == "london"
    assert len(decoded.warnings) == 1 and "horizon" in decoded.warnings[0] and "'99'" in decoded.warnings[0]


def test_an_unknown_area_costs_only_itself_and_is_echoed_short() -> None:
    decoded = decode({"s": ORIGIN, "area": "Sign in again at evil.example " * 40, "h": "6"}, load_builtin)
    assert decoded.scenario.area == GM.area and decoded.scenario.horizon_years == 6
    assert len(decoded.warnings) == 1
    assert len(decoded.warnings[0]) < 400


@pytest.mark.parametrize("value", ["1_0", "١٠", "１０", "+7", " 7", "7 ", "0x7", "7.0", "²", "1e1", "-7"])
def test_link_integers_are_plain_ascii_digits(value: str) -> None:
    decoded = decode({"s": ORIGIN, "h": value, "fs": value, "ga": value}, load_builtin)
    assert decoded.scenario == GM
    assert len(decoded.warnings) == 3


@pytest.mark.parametrize("value", ["1_0", "１０", "nan", "inf", "-inf", "0x10", " 10", "10 ", "1e999"])
def test_link_numbers_are_plain_ascii_digits(value: str) -> None:
    decoded = decode({"s": ORIGIN, "fb": value, "o": f"reoffending_effect:{value}"}, load_builtin)
    assert decoded.scenario.funding.pooled_budget_gbp_m == GM.funding.pooled_budget_gbp_m
    assert dict(decoded.scenario.overrides) == dict(GM.overrides)
    assert len(decoded.warnings) == 2


@pytest.mark.parametrize("value", ["012345012", "01234501２", "012345012 ", "01234501³"])
def test_link_placements_are_plain_ascii_digits(value: str) -> None:
    decoded = decode({"s": ORIGIN, "p": value}, load_builtin)
    ascii_only = value.isascii() and len(value) == 9
    assert (decoded.warnings == []) is ascii_only


@settings(deadline=None, max_examples=25)
@given(st.text(min_size=MAX_NOTE_CHARS // 2, max_size=MAX_NOTE_CHARS, alphabet=st.characters(codec="utf-8")))
def test_notes_too_long_for_the_link_are_said_to_differ(text: str) -> None:
    text = text.strip() or "x"
    scenario = GM.with_changes(notes=[{"topic": "overall", "text": text},
                                      {"topic": "women", "text": text[::-1].strip() or "y"}])
    params = encode(scenario, ORIGIN, GM)
    if "n" in params:  # compressible text still fits
        assert len(params["n"]) <= MAX_NOTES_CHARS and left_out(params, scenario, GM) == []
        return
    assert "nh" in params
    assert left_out(params, scenario, GM) == [LEFT_OUT["notes"]]
    decoded = decode(params, load_builtin)
    assert decoded.scenario.notes == GM.notes
    assert decoded.warnings == ["The sender's notes differ from these: they were too long for the link. Ask for "
                                "the YAML file or the briefing to see them."]


def test_a_long_description_is_said_to_differ_and_the_name_travels() -> None:
    import secrets

    description = secrets.token_hex(2400)  # 4,800 characters that do not compress
    scenario = GM.with_changes(name="Our uploaded plan", description=description)
    params = encode(scenario, ORIGIN, GM)
    assert params["nm"] == "Our uploaded plan" and "dh" in params and "d" not in params
    assert left_out(params, scenario, GM) == [LEFT_OUT["description"]]
    decoded = decode(params, load_builtin)
    assert decoded.scenario.name == "Our uploaded plan", "not replaced by the built-in's title"
    assert decoded.scenario.description == GM.description
    assert any("description differs" in w for w in decoded.warnings)


def test_notes_the_recipient_already_has_raise_no_warning() -> None:
    scenario = GM.with_changes(notes=[{"topic": "overall", "text": "x" * 10}])
    params = {**encode(scenario, ORIGIN, GM)}
    params.pop("n")
    from explorer.urlstate import notes_digest

    params["nh"] = notes_digest(GM)
    assert decode(params, load_builtin).warnings == []


def test_the_sender_is_told_in_the_sidebar(make_app: Callable[..., AppTest]) -> None:
    import secrets

    at = make_app().run()
    notes = [{"topic": t, "text": secrets.token_hex(MAX_NOTE_CHARS // 2)} for t in ("overall", "women")]
    at.session_state["cj_scenario"] = GM.with_changes(notes=notes)
    at.session_state["cj_version"] += 1  # every control redraws from the new scenario (as after a load)
    at.run()
    captions = [shown_text(c.value) for c in at.sidebar.caption]
    assert LEFT_OUT["notes"] in captions
    assert "nh" in at.query_params, "the link carries the notes' digest"
