"""The engine's fast paths give exactly the numbers of the plain ones they replace.

`simulate_variants` works out what the placements bring (reversal, disruption, fading, local control, transition
and governance costs, savings kept) for every variant at once from per-stage tables; `Run.frame` is built in one
go; `Run.headline_draws` computes the area's figures only when they are read. Each is compared here, bit for bit,
with the straightforward construction (the single-scenario functions that docs/model.md states and
tools/worked_example.py checks by hand; a frame per block; the area's figures computed directly).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from cjcore import engine
from cjcore.engine import (
    COHORT_METRICS,
    MONEY_METRICS,
    Params,
    arrangement_costs,
    baseline_cohorts,
    control,
    fidelity,
    project,
    retained_share,
    sustain,
    transition,
)
from cjcore.money import area_net_pv
from cjcore.schema import Scenario
from cjcore.vocab import (
    ALL_COHORTS,
    COHORT_KEYS,
    FUNCTION_KEYS,
    SERIES_BASELINE,
    SERIES_DEFAULT_BASELINE,
    SERIES_SCENARIO,
    STAGE_KEYS,
)
from tests.core.test_engine_properties import overrides, scenario_data


def _variants(data: dict[str, Any], moves: list[tuple[str, str]]) -> list[Scenario]:
    """The scenario and one variant per move (one function placed at one stage), as sweeps and trade-offs make."""
    scenario = Scenario.model_validate(data)
    return [scenario, *(scenario.with_changes(placements={**scenario.placements, f: s}) for f, s in moves)]


def _one(year_first: np.ndarray, v: int) -> np.ndarray:
    """Variant v's (draws, functions, years) array from `_variant_inputs`' year-first (T, V, D, F) one."""
    return np.moveaxis(year_first[:, v], 0, -1)


@given(scenario_data(), overrides(), st.lists(st.tuples(st.sampled_from(FUNCTION_KEYS), st.sampled_from(STAGE_KEYS)),
                                              max_size=6),
       st.sampled_from([0, 1, 7]), st.integers(0, 2**32 - 1))
def test_variant_inputs_are_the_single_scenario_functions(data: dict[str, Any], extra: dict[str, float],
                                                          moves: list[tuple[str, str]], draws: int, seed: int) -> None:
    variants = _variants({**data, "overrides": extra}, moves)
    first = variants[0]
    p = Params(first.overrides, draws, seed)
    horizon = first.horizon_years
    offenders = baseline_cohorts(first.area, p).size.sum(axis=1)
    batched = engine._variant_inputs(variants, p, horizon, offenders)
    prog = engine.programme(p)
    for v, scenario in enumerate(variants):
        tr = transition(scenario, p, horizon)
        for name in ("alive", "disruption", "potency"):
            np.testing.assert_array_equal(_one(getattr(batched.transition, name), v), getattr(tr, name), err_msg=name)
        delivery = (control(scenario, p, horizon) * fidelity(scenario, p) * sustain(scenario, p, horizon)[None, :]
                    )[None] * tr.alive
        np.testing.assert_array_equal(_one(batched.delivery, v), delivery)
        transition_cost, governance_cost = arrangement_costs(scenario, p, tr, offenders)
        np.testing.assert_array_equal(_one(batched.transition_cost, v), transition_cost)
        np.testing.assert_array_equal(_one(batched.governance_cost, v), governance_cost)
        np.testing.assert_array_equal(batched.retained[v][prog.function_index], retained_share(scenario, p, prog))
    # C order (year, variant, draw, function): the engine's sums over the functions then add in the same order.
    for array in (batched.delivery, batched.transition.disruption, batched.transition.potency,
                  batched.transition_cost, batched.governance_cost):
        assert array.flags.c_contiguous


@given(scenario_data(), st.lists(st.tuples(st.sampled_from(FUNCTION_KEYS), st.sampled_from(STAGE_KEYS)),
                                 min_size=1, max_size=4), st.integers(0, 2**32 - 1))
def test_different_governance_and_funding_in_one_call_each_get_their_own(data: dict[str, Any],
                                                                        moves: list[tuple[str, str]],
                                                                        seed: int) -> None:
    """Variants that differ in more than their placements (allowed by `simulate_variants`) are not mixed up."""
    variants = _variants(data, moves)
    other_year = 0 if data["governance"]["agreed_in_year"] else 2
    other = {**data["governance"], "agreed_in_year": other_year}
    variants.append(variants[-1].with_changes(governance=other,
                                              funding={**data["funding"], "renewed": not data["funding"]["renewed"]}))
    p = Params({}, 5, seed)
    horizon = variants[0].horizon_years
    offenders = baseline_cohorts(variants[0].area, p).size.sum(axis=1)
    batched = engine._variant_inputs(variants, p, horizon, offenders)
    for v, scenario in enumerate(variants):
        tr = transition(scenario, p, horizon)
        np.testing.assert_array_equal(_one(batched.transition.alive, v), tr.alive)
        governance_cost = arrangement_costs(scenario, p, tr, offenders)[1]
        np.testing.assert_array_equal(_one(batched.governance_cost, v), governance_cost)


def _frame_block_by_block(run: engine.Run) -> pd.DataFrame:
    """The tidy frame as one small frame per series and metric, concatenated: the plain construction."""
    parts = []
    years = np.arange(1, run.scenario.horizon_years + 1)
    for series, flows in ((SERIES_BASELINE, run.baseline), (SERIES_SCENARIO, run.flows),
                          (SERIES_DEFAULT_BASELINE, run.default_baseline)):
        for metric in (*COHORT_METRICS, *MONEY_METRICS):
            if metric in COHORT_METRICS:
                per_cohort = getattr(flows, metric)
                total = (flows.reoffenders.sum(2) / flows.cohort_size.sum(2) if metric == "reoffending_rate"
                         else per_cohort.sum(2))
                values, cohorts = np.concatenate([per_cohort, total[:, :, None]], axis=2), (*COHORT_KEYS, ALL_COHORTS)
            else:
                values, cohorts = getattr(flows, metric)[:, :, None], (ALL_COHORTS,)
            if values.shape[0] > 1:
                p10, p50, p90 = np.percentile(values[1:], (10, 50, 90), axis=0)
            else:
                p10 = p50 = p90 = np.full(values.shape[1:], np.nan)
            parts.append(pd.DataFrame({
                "year": np.repeat(years, len(cohorts)), "cohort": np.tile(np.array(cohorts, dtype=object), len(years)),
                "metric": metric, "series": series, "value": values[0].ravel(), "p10": p10.ravel(),
                "median": p50.ravel(), "p90": p90.ravel()}))
    return pd.concat(parts, ignore_index=True)


@given(scenario_data(), overrides(), st.sampled_from([0, 1, 9]), st.integers(0, 2**32 - 1))
def test_frame_is_the_block_by_block_frame(data: dict[str, Any], extra: dict[str, float], draws: int,
                                           seed: int) -> None:
    run = project(Scenario.model_validate({**data, "overrides": extra}), draws=draws, seed=seed)
    pd.testing.assert_frame_equal(run.frame, _frame_block_by_block(run), check_exact=True)


@given(scenario_data(), st.sampled_from([0, 6]), st.integers(0, 2**32 - 1))
def test_headline_draws_compute_the_area_figures_when_read(data: dict[str, Any], draws: int, seed: int) -> None:
    run = project(Scenario.model_validate(data), draws=draws, seed=seed)
    headline = run.headline_draws
    assert list(headline) == [*engine._headlines(run.baseline, run.flows, run.params), "area_net_gbp_m",
                              *engine.CHANCE_KEYS]
    assert set(headline) == set(engine.HEADLINE_KEYS)
    np.testing.assert_array_equal(headline["area_net_gbp_m"], area_net_pv(run, run.money))
    area = headline["area_net_gbp_m"]
    breaks_even = float((area[1:] > 0).mean()) if draws else float(area[0] > 0)
    np.testing.assert_array_equal(headline["chance_area_breaks_even"], np.full(draws + 1, breaks_even))
    assert all(values.shape == (draws + 1,) for values in headline.values())
