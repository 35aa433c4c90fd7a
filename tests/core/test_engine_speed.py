"""The engine's fast paths give exactly the numbers of the plain ones they replace.

`simulate_variants` works out what the placements bring (reversal, disruption, fading, local control, transition
and governance costs, savings kept) for every variant at once from per-stage tables; `Run.frame` is built in one
go; `Run.headline_draws` computes the area's figures only when they are read. Each is compared here, bit for bit,
with the straightforward construction (the single-scenario functions that docs/model.md states and
tools/worked_example.py checks by hand; a frame per block; the area's figures computed directly).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cjcore import engine
from cjcore.engine import (
    COHORT_METRICS,
    MONEY_METRICS,
    Flows,
    Params,
    arrangement_costs,
    baseline_cohorts,
    control,
    fidelity,
    headline_draws_stacked,
    national_baseline,
    national_placements,
    params_for,
    project,
    retained_share,
    simulate_stacked,
    simulate_variants,
    sustain,
    transition,
)
from cjcore.evidence import load_register
from cjcore.money import area_net_pv
from cjcore.report import stage_tradeoff
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

#: A ten-year scenario with nothing placed: every variant's figures rest on exact zeros (no change at all).
_TEN_YEARS: dict[str, Any] = {
    "schema": 1, "name": "Ten years", "area": "avon-and-somerset", "horizon_years": 10, "placements": {},
    "funding": {"pooled_budget_gbp_m": 0.0, "national_share": 0.0, "settlement_years": 1, "agreed_in_year": 0,
                "renewed": False, "reinvest_share": 0.0},
    "governance": {"model": "mayor_pcc", "agreed_in_year": 0,
                   "five_conditions": {"objectives": 0, "local_picture": 0, "cohort_knowledge": 0,
                                       "accountability": 0, "buy_in": 0}},
    "overrides": {}, "notes": [],
}


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


# ----------------------------------------------------------------------------------------------- stacked headlines
@given(scenario_data(), overrides(),
       st.lists(st.tuples(st.sampled_from(FUNCTION_KEYS), st.sampled_from(STAGE_KEYS)), min_size=1, max_size=5),
       st.sampled_from([0, 1, 7]), st.integers(0, 2**32 - 1))
@example(data=_TEN_YEARS, extra={}, moves=[("youth_justice", "national")], draws=0, seed=0)
def test_stacked_headlines_are_each_variants_own_and_do_not_depend_on_the_batch(
        data: dict[str, Any], extra: dict[str, float], moves: list[tuple[str, str]], draws: int, seed: int) -> None:
    """`headline_draws_stacked` gives each variant, bit for bit, its own run's headline figures, wherever it sits.

    With one draw numpy adds up a single run's years pairwise but a stacked array's year by year, which differ
    from 8 years on (the explicit example): a trade-off's chance that rests on an exact zero would then jump.
    """
    variants = _variants({**data, "overrides": extra}, moves)
    p = Params(variants[0].overrides, draws, seed)
    base = simulate_variants([national_placements(variants[0])], p, headline_only=True)[0]
    together = headline_draws_stacked(base, simulate_stacked(variants, p, base, headline_only=True), p)
    for v, (variant, flows) in enumerate(zip(variants, simulate_variants(variants, p, base, headline_only=True),
                                             strict=True)):
        own = engine.Run(variant, base, flows, p).headline_draws
        alone = headline_draws_stacked(base, simulate_stacked([variant], p, base, headline_only=True), p)
        for key, values in together.items():
            np.testing.assert_array_equal(values[v], own[key], err_msg=key)
            np.testing.assert_array_equal(values[v], alone[key][0], err_msg=key)


# ----------------------------------------------------------------------------------------------- shared caches
@given(overrides(), st.sampled_from([0, 3]), st.integers(0, 2**32 - 1))
def test_shared_params_are_read_only_and_those_of_a_fresh_run(extra: dict[str, float], draws: int, seed: int) -> None:
    shared = params_for(extra, draws, seed)
    fresh = Params(extra, draws, seed)
    assert params_for(dict(reversed(extra.items())), draws, seed) is shared  # the same overrides in any order
    for key in load_register().parameters:
        np.testing.assert_array_equal(shared[key], fresh[key], err_msg=key)
        with pytest.raises(ValueError, match="read-only"):
            shared[key][0] = -1.0
    np.testing.assert_array_equal(shared.uniforms("reversal", (3,)), fresh.uniforms("reversal", (3,)))
    assert not shared.uniforms("reversal", (3,)).flags.writeable


def test_unseeded_draws_are_never_shared() -> None:
    assert params_for({}, 3, None) is not params_for({}, 3, None)
    assert params_for({}, 0, None) is params_for({}, 0, None)  # no draws: nothing random in them


@given(scenario_data(), st.sampled_from([0, 4]), st.integers(0, 2**32 - 1), st.booleans())
def test_shared_baseline_is_read_only_and_that_of_a_fresh_run(data: dict[str, Any], draws: int, seed: int,
                                                              headline_only: bool) -> None:
    scenario = Scenario.model_validate(data)
    shared = national_baseline(scenario, params_for({}, draws, seed), headline_only)
    fresh = simulate_variants([national_placements(scenario)], Params({}, draws, seed), headline_only=headline_only)[0]
    moved = scenario.with_changes(placements={f: STAGE_KEYS[-1] for f in FUNCTION_KEYS})
    assert national_baseline(moved, params_for({}, draws, seed), headline_only) is shared  # placements play no part
    for name in Flows.__dataclass_fields__:
        np.testing.assert_array_equal(getattr(shared, name), getattr(fresh, name), err_msg=name)
        assert not getattr(shared, name).flags.writeable, name


def test_runs_in_many_threads_at_once_give_the_numbers_of_one(gm: Scenario) -> None:
    """The app's sessions are threads sharing the caches: filling them at the same time mixes nothing up."""
    scenario = gm
    expected = project(scenario, draws=20, seed=3).summary
    trade_off = stage_tradeoff(scenario, draws=5, seed=3)
    engine._PARAMS.clear()
    engine._BASELINES.clear()
    with ThreadPoolExecutor(max_workers=6) as pool:
        runs = list(pool.map(lambda _: project(scenario, draws=20, seed=3).summary, range(6)))
        trade_offs = list(pool.map(lambda _: stage_tradeoff(scenario, draws=5, seed=3), range(6)))
    for summary in runs:
        pd.testing.assert_frame_equal(summary, expected, check_exact=True)
    for frame in trade_offs:
        pd.testing.assert_frame_equal(frame, trade_off, check_exact=True)
