"""Specs made from a template per shape (explorer.specs) are exactly altair's spec of the same chart."""

from __future__ import annotations

import pytest
from altair.vegalite.v6.api import _dataset_name
from hypothesis import given
from hypothesis import strategies as st

from cjcore.report import TRADEOFF_MEASURES, stage_tradeoff
from cjcore.scenario_io import builtin_scenarios, load_builtin
from cjcore.vocab import FUNCTION_KEYS, STAGE_KEYS
from explorer import specs
from explorer.charts import spectrum_chart, tradeoff_chart

SCENARIOS = [load_builtin(key) for key in builtin_scenarios()]


@pytest.fixture(autouse=True)
def _no_templates():
    """Each test starts without templates, so both the first spec of a shape and the later ones are checked."""
    specs._TEMPLATES.clear()
    yield
    specs._TEMPLATES.clear()


@pytest.mark.parametrize("draws", [0, 5])
@pytest.mark.parametrize("presenter", [False, True])
@pytest.mark.parametrize("measure", TRADEOFF_MEASURES)
def test_tradeoff_specs_are_altairs_for_every_builtin_scenario(measure, presenter, draws):
    for scenario in SCENARIOS:
        tradeoff = stage_tradeoff(scenario, draws=draws, seed=1)
        assert specs.tradeoff_spec(tradeoff, measure, presenter) == \
            tradeoff_chart(tradeoff, measure, presenter).to_dict(validate=False), scenario.name
    assert len(specs._TEMPLATES) == 1, "one template for the shape, reused for every later scenario"


placements = st.dictionaries(st.sampled_from(FUNCTION_KEYS), st.sampled_from(STAGE_KEYS))


@given(st.lists(st.tuples(placements, st.sets(st.sampled_from(FUNCTION_KEYS))), min_size=2, max_size=4),
       st.booleans())
def test_spectrum_specs_are_altairs(cases, presenter):
    for placed, priorities in cases:
        assert specs.spectrum_spec(placed, priorities, presenter) == \
            spectrum_chart(placed, priorities, presenter).to_dict(validate=False)


@pytest.mark.parametrize("presenter", [False, True])
def test_the_spectrum_chart_is_a_valid_vega_lite_spec(presenter):
    """The schema check `st.altair_chart` ran on every script run, run here once per shape instead."""
    chart = spectrum_chart({"youth_justice": "full_transfer"}, {"youth_justice"}, presenter)
    assert chart.to_dict(validate=True) == specs.spectrum_spec({"youth_justice": "full_transfer"}, {"youth_justice"},
                                                               presenter)


def test_each_spec_is_a_copy_of_its_own():
    first = specs.spectrum_spec({}, (), False)
    first["config"]["axis"]["labelFontSize"] = -1
    first["datasets"].clear()
    second = specs.spectrum_spec({}, (), False)
    assert second == spectrum_chart({}, (), False).to_dict(validate=False)


def test_data_sets_are_named_as_altair_names_them():
    rows = [{"Function": "Youth justice", "value": 1.5, "p10": None}, {"Function": "Probation", "value": -2.0}]
    assert specs.data_name(rows) == _dataset_name(rows)


def test_a_chart_without_its_rows_as_one_named_data_set_is_built_every_time():
    calls = []

    def build():
        calls.append(1)
        return spectrum_chart({}, (), False)

    rows = [{"Function": "not what the chart draws"}]
    for _ in range(2):
        assert specs.templated_spec(("odd",), rows, build) == spectrum_chart({}, (), False).to_dict(validate=False)
    assert len(calls) == 2 and ("odd",) not in specs._TEMPLATES


@pytest.fixture(scope="module")
def projections() -> list:
    """Every built-in scenario projected with and without draws, and one with an assumption changed (whose baseline
    with default assumptions is a third line)."""
    from cjcore.engine import project

    runs = [project(scenario, draws=draws, seed=1) for scenario in SCENARIOS for draws in (0, 5)]
    changed = SCENARIOS[0].with_changes(overrides={"women_share_25plus": 0.19})
    return [*runs, project(changed, draws=5, seed=1)]


@pytest.mark.parametrize("presenter", [False, True])
@pytest.mark.parametrize("metric", ["reoffending_rate", "prison_places", "probation_caseload"])
def test_trend_specs_are_altairs(projections, metric, presenter):
    from explorer.charts import trend_chart

    for run in projections:
        assert specs.trend_spec(run.frame, metric, presenter) == \
            trend_chart(run.frame, metric, presenter).to_dict(validate=False)
    # one shape each for: with and without the band, with and without the baseline with default assumptions
    assert len(specs._TEMPLATES) == 3


@pytest.mark.parametrize("presenter", [False, True])
def test_change_specs_are_altairs_for_one_to_four_options(projections, presenter):
    from explorer.charts import change_chart, change_rows

    frames = [run.frame for run in projections]
    for count in (1, 2, 4):
        for start in range(0, len(frames) - count, 3):
            options = {f"{'ABCD'[i]}: option {start + i}": frames[start + i] for i in range(count)}
            for metric in ("reoffences", "reoffending_rate", "prison_places"):
                rows = {name: change_rows(frame, metric) for name, frame in options.items()}
                assert specs.change_spec(rows, metric, presenter) == \
                    change_chart(options, metric, presenter).to_dict(validate=False)
    assert len(specs._TEMPLATES) == 3 * 3, "one template per metric and number of options, whatever their names"


@given(st.lists(st.text(max_size=30), min_size=1, max_size=4, unique=True))
def test_change_specs_name_the_options_as_typed(names):
    """Any names (markup, quotes, the stand-ins' own private-use characters) reach the spec as altair puts them."""
    from explorer.charts import change_chart_of

    changes = {name: [{"year": 1, "change": float(i)}, {"year": 2, "change": -1.5 * i}] for i, name in enumerate(names)}
    expected = change_chart_of(changes, "reoffending_rate", title="Change").to_dict(validate=False)
    assert specs.change_spec(changes, "reoffending_rate", title="Change") == expected
    assert specs.change_spec(changes, "reoffending_rate", title="Change") == expected, "from the template"


@pytest.mark.parametrize("presenter", [False, True])
def test_sweep_specs_are_altairs(presenter):
    from cjcore.engine import sweep
    from explorer.charts import sweep_chart

    for scenario in SCENARIOS[:4]:
        for draws in (0, 5):
            swept = sweep(scenario, "youth_justice", draws=draws, seed=1)
            for key, title in (("reoffences_avoided", "Reoffences avoided"), ("npv_gbp_m", "Net present value")):
                assert specs.sweep_spec(swept, key, presenter, title) == \
                    sweep_chart(swept, key, presenter, title).to_dict(validate=False)
    assert len(specs._TEMPLATES) == 2 * 2, "per figure: with and without the range bars"


@pytest.mark.parametrize("presenter", [False, True])
def test_the_page_charts_are_valid_vega_lite_specs(projections, presenter):
    """The schema check `st.altair_chart` ran on every script run, run here once per shape instead."""
    from cjcore.engine import sweep
    from explorer.charts import change_chart, sweep_chart, trend_chart

    run = projections[1]
    assert trend_chart(run.frame, "reoffending_rate", presenter).to_dict(validate=True)
    assert change_chart({"A: one": run.frame, "B: two": projections[3].frame}, "arrests", presenter).to_dict()
    assert sweep_chart(sweep(SCENARIOS[0], "probation", draws=5, seed=1), "npv_gbp_m", presenter, "NPV").to_dict()


def test_layers_that_draw_the_same_rows_are_built_every_time():
    from explorer.charts import trend_chart_of

    lines = [{"year": 1, "Series": "Scenario", "value": 0.5, "p10": 0.4, "p90": 0.6}]
    calls = []

    def build():
        calls.append(1)
        return trend_chart_of(lines, [], "reoffending_rate")

    for _ in range(2):
        assert specs.templated_spec(("same",), [lines, lines], build) == build().to_dict(validate=False)
    assert ("same",) not in specs._TEMPLATES
