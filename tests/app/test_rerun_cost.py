"""A rerun that changes nothing redoes none of the scenario's work, and what it shows is what it showed before.

Spectrum and Funding & governance rerun on every click in a workshop: the checks, the headline cards' text, the
trade-off sentences, the charts' rows in Arrow and the built-in scenarios' names are made once per scenario (or
file version) and kept (explorer.runs, explorer.cards, explorer.chartdata, explorer.sidebar). These tests count the
real builders on reruns and compare the kept results with freshly made ones.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from cjcore.checks import check
from cjcore.report import stage_tradeoff
from cjcore.scenario_io import builtin_scenarios, load_builtin
from explorer import cards, chartdata, runs, sidebar, specs
from explorer.runview import build_run_view
from tests.cards import cards as shown_cards


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """How often each real builder ran in this test (the builders themselves, counted; every cache emptied)."""
    counts: Counter = Counter()

    def counted(module, name: str) -> None:
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counted(runs, "check")
    counted(runs, "headline_cards")
    counted(runs, "tradeoff_sentences")
    counted(chartdata, "_spectrum_spec")
    counted(sidebar, "load_scenario")
    for memo in (runs._findings, runs._cards, runs._notes, runs._tradeoff_text, sidebar._builtin_names,
                 runs._tradeoff_spec, chartdata._spectrum):
        memo.cache_clear()
    return counts


@pytest.mark.parametrize("page", ["pages/spectrum.py", "pages/funding_governance.py"])
def test_a_rerun_with_no_change_rebuilds_nothing(make_app, built, page):
    at = make_app().run()
    at.switch_page(page).run()
    assert not at.exception
    first = dict(built)
    assert first["check"] == 1 and first["headline_cards"] == 1
    assert first["load_scenario"] == len(builtin_scenarios()), "each built-in's name read once"
    if page == "pages/spectrum.py":
        assert first["tradeoff_sentences"] == 1 and first["_spectrum_spec"] == 1
    shown = [(m.label, m.value, m.delta, m.help) for m in shown_cards(at)]
    markdown = [m.value for m in at.markdown]
    for _ in range(3):
        at.run()
        assert not at.exception
    assert dict(built) == first, "a rerun with nothing changed reused every kept result"
    assert [(m.label, m.value, m.delta, m.help) for m in shown_cards(at)] == shown
    assert [m.value for m in at.markdown] == markdown


def test_a_note_typed_rebuilds_nothing_and_a_stage_moved_rebuilds_once(make_app, built):
    at = make_app().run()
    at.switch_page("pages/spectrum.py").run()
    first = dict(built)
    at.text_area(key=next(t.key for t in at.text_area if t.label == "Overall decisions")).input("Agreed.").run()
    assert not at.exception
    assert dict(built) == first, "a note plays no part in the numbers, checks or charts"
    next(s for s in at.select_slider if s.label == "Substance misuse").set_value("co_investment").run()
    assert not at.exception
    assert built["check"] == first["check"] + 1
    assert built["headline_cards"] == first["headline_cards"] + 1
    assert built["tradeoff_sentences"] == first["tradeoff_sentences"] + 1
    assert built["_spectrum_spec"] == first["_spectrum_spec"] + 1
    assert built["load_scenario"] == first["load_scenario"], "the built-in files did not change"


@pytest.mark.parametrize("key", sorted(builtin_scenarios()))
def test_kept_findings_and_cards_are_the_fresh_ones(key):
    scenario = load_builtin(key)
    assert runs.findings(scenario) == tuple(check(scenario))
    for draws in (0, 7):
        full = build_run_view(scenario, draws, runs.SEED)
        lazy = runs.LazyRunView(runs.model_key(scenario), draws, runs.SEED)
        for compact in (False, True):
            assert lazy.cards(compact) == cards.headline_cards(full, scenario.horizon_years, compact)


def test_the_model_key_is_made_once_per_scenario_and_names_its_content():
    one, other = load_builtin("staged-path"), load_builtin("london")
    assert runs.model_key(one) is runs.model_key(one), "the same object's key is the one made first"
    renamed = one.with_changes(name="Another name", notes=[{"topic": "overall", "text": "x"}])
    assert runs.model_key(renamed) == runs.model_key(one) != runs.model_key(other)
    moved = one.with_changes(placements={**one.placements, "women": "full_transfer"})
    assert runs.model_key(moved) != runs.model_key(one)
    for _ in range(2 * runs._KEYS_KEPT):  # many scenarios later the first is still named by its content
        runs.model_key(one.with_changes(horizon_years=3))
    assert runs.model_key(one) == runs.model_key(load_builtin("staged-path"))


def _chart_messages(chart_specs: list[dict]) -> list[tuple[str, list[tuple[str, bytes]]]]:
    """The vega-lite elements a script sends for these specs: the spec and each data set's name and bytes."""

    def script(chart_specs: list[dict]) -> None:
        import streamlit as st

        for spec in chart_specs:
            st.vega_lite_chart(spec=spec, width="stretch")

    at = AppTest.from_function(script, args=(chart_specs,), default_timeout=60).run()
    assert not at.exception
    return [(c.proto.spec, [(d.name, d.data.data) for d in c.proto.datasets]) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("key", ["staged-path", "west-midlands"])
def test_charts_with_rows_in_arrow_send_what_the_rows_send(key):
    scenario = load_builtin(key)
    frame = stage_tradeoff(scenario, draws=5, seed=1)
    made = [specs.spectrum_spec(scenario.placements, ["women"], presenter=False),
            specs.tradeoff_spec(frame, "npv_gbp_m", True), specs.tradeoff_spec(frame, "reoffences_avoided", False)]
    sent = _chart_messages(made)
    assert len(sent) == 3 and all(datasets for _, datasets in sent)
    assert _chart_messages([chartdata.arrow_datasets(spec) for spec in made]) == sent


def test_the_kept_spectrum_spec_is_the_spec_with_its_rows_in_arrow():
    placements = {"women": "co_design", "probation": "full_transfer"}
    kept = chartdata.spectrum_spec(placements, ["women", "probation"], presenter=True)
    fresh = specs.spectrum_spec(placements, ["probation", "women"], presenter=True)
    assert {k: v for k, v in kept.items() if k != "datasets"} == {k: v for k, v in fresh.items() if k != "datasets"}
    (name, data), = kept["datasets"].items()
    shown = pa.ipc.open_stream(data).read_all().to_pandas()
    pd.testing.assert_frame_equal(shown, pd.DataFrame(fresh["datasets"][name]))


def test_results_kept_for_every_session_cannot_be_changed_by_one():
    """The memos hand every session the same object: nothing in it can be changed in place."""
    scenario = load_builtin("greater-manchester").with_changes(funding={"pooled_budget_gbp_m": 0.0})
    key = runs.model_key(scenario)
    found, notes = runs.findings(scenario), runs._notes(key, 0, runs.SEED)
    cards_kept, text = runs._cards(key, 0, runs.SEED, True), runs.tradeoff_text(scenario, uncertainty=False)
    assert found and notes.stage_notes and cards_kept.groups and text, "a scenario with something in each"
    assert isinstance(found, tuple) and isinstance(text, tuple) and isinstance(cards_kept.groups[0], tuple)
    with pytest.raises(TypeError):
        notes.stage_notes["women"] = "changed"  # type: ignore[index]
    with pytest.raises(AttributeError):
        cards_kept.caption = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        sidebar._builtin_names(())["x"] = "changed"  # type: ignore[index]


def test_a_kept_spec_is_a_fresh_copy_for_every_caller():
    """`st.vega_lite_chart` changes the spec it draws: a caller's changes never reach the next caller."""
    scenario = load_builtin("staged-path")
    first = runs.tradeoff_spec(scenario, "npv_gbp_m", presenter=False, uncertainty=False)
    second = runs.tradeoff_spec(scenario, "npv_gbp_m", presenter=False, uncertainty=False)
    assert first == second and first is not second
    first.pop("datasets")
    first["layer"].clear()
    third = runs.tradeoff_spec(scenario, "npv_gbp_m", presenter=False, uncertainty=False)
    assert third == second and third["datasets"] and third["layer"]
