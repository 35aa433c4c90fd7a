"""Share links: any scenario survives encode -> decode from any named scenario, and nothing crashes decode."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cjcore.scenario_io import builtin_scenarios, load_builtin
from cjcore.schema import Scenario
from explorer.urlstate import MAX_NOTES_CHARS, decode, encode
from tests.core.test_engine_properties import overrides, scenario_data
from tests.core.test_own_figures import baselines

ORIGINS = sorted(builtin_scenarios())
notes = st.lists(st.builds(lambda topic, text: {"topic": topic, "text": text},
                           st.sampled_from(["overall", "youth_justice", "women"]),
                           st.text(min_size=1, max_size=80).filter(str.strip)), max_size=3)


@given(scenario_data(), overrides(), notes, st.sampled_from(ORIGINS), st.booleans())
def test_a_link_rebuilds_the_scenario(data: dict[str, Any], extra, note_list, origin_key: str, presenter: bool):
    origin = load_builtin(origin_key)
    scenario = Scenario.model_validate({**data, "name": origin.name, "description": origin.description,
                                        "overrides": extra, "notes": note_list})
    params = encode(scenario, origin_key, origin, presenter)
    assert all(isinstance(v, str) for v in params.values())
    decoded = decode(params, load_builtin)
    assert decoded.presenter is presenter
    if "n" in params or scenario.notes == origin.notes:
        assert decoded.warnings == []
        assert decoded.scenario == scenario
    else:  # notes too long for a link travel in the YAML and the briefing instead; the recipient is told
        assert len(params.get("n", "")) <= MAX_NOTES_CHARS and "nh" in params
        assert decoded.warnings == ["The sender's notes differ from these: they were too long for the link. Ask "
                                    "for the YAML file or the briefing to see them."]
        assert decoded.scenario == scenario.with_changes(notes=[n.model_dump() for n in origin.notes])


@given(st.dictionaries(st.sampled_from(["s", "area", "h", "p", "fb", "fn", "fs", "fa", "fr", "fi", "fu", "gm", "ga",
                                        "gc", "o", "n", "b", "pm", "nm", "d", "nh", "dh", "zz"]),
                       st.text(max_size=60), max_size=8))
def test_any_tampered_link_decodes_to_a_valid_scenario(params: dict[str, str]):
    decoded = decode(params, load_builtin)
    assert isinstance(decoded.scenario, Scenario)
    assert all(isinstance(w, str) for w in decoded.warnings)


@given(st.sampled_from(ORIGINS), st.sampled_from(["returned", "retained"]))
def test_a_link_carries_what_happens_to_unspent_money(origin_key: str, unspent: str):
    origin = load_builtin(origin_key)
    scenario = origin.with_changes(funding={**origin.funding.model_dump(), "unspent": unspent})
    params = encode(scenario, origin_key, origin)
    assert ("fu" in params) is (unspent != origin.funding.unspent)
    decoded = decode(params, load_builtin)
    assert decoded.warnings == []
    assert decoded.scenario.funding.unspent == unspent


def test_a_bad_unspent_value_in_a_link_is_reported_and_ignored():
    decoded = decode({"s": ORIGINS[0], "fu": "lapses"}, load_builtin)
    assert decoded.scenario.funding.unspent == load_builtin(ORIGINS[0]).funding.unspent
    assert any("unspent pooled money" in w for w in decoded.warnings)


@given(baselines(), st.sampled_from(ORIGINS))
def test_the_areas_own_figures_travel_in_the_link(own, origin_key: str):
    origin = load_builtin(origin_key)
    scenario = origin.with_changes(baseline=own)
    params = encode(scenario, origin_key, origin)
    assert "b" in params, "a short set of figures travels in the link"
    decoded = decode(params, load_builtin)
    assert decoded.warnings == [] and decoded.scenario == scenario
    assert decoded.scenario.baseline == own


def test_tampered_own_figures_warn_and_fall_back():
    origin = load_builtin("london")
    decoded = decode({"s": "london", "b": "bm90IGpzb24"}, load_builtin)
    assert decoded.scenario == origin and len(decoded.warnings) == 1
    assert "own figures" in decoded.warnings[0]
