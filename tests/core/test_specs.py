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
