"""The trade-offs of moving along the spectrum: each function at every stage, the J-curve, the postcode lottery."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjcore.areas import AREA_KEYS, get_area
from cjcore.engine import Run, project, sweep
from cjcore.report import (
    TRADEOFF_CHANCES,
    TRADEOFF_MEASURES,
    area_baseline_rates,
    money_by_year,
    overtake_year,
    postcode_lottery,
    stage_tradeoff,
    starts_behind,
    years_above,
)
from cjcore.schema import Scenario
from cjcore.vocab import ALL_COHORTS, FUNCTION_KEYS, SERIES_BASELINE, SERIES_SCENARIO, STAGE_KEYS
from tests.core.conftest import scenario_dict

DRAWS, SEED = 40, 3
MEASURE_COLUMNS = [f"{m}{suffix}" for m in TRADEOFF_MEASURES for suffix in ("", "_central", "_p10", "_p90")]


def make(**changes) -> Scenario:
    """The test scenario (Greater Manchester-like, four functions placed) with top-level keys replaced."""
    return Scenario.model_validate(scenario_dict(**changes))


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return make()


@pytest.fixture(scope="module")
def tradeoff(scenario) -> pd.DataFrame:
    return stage_tradeoff(scenario, draws=DRAWS, seed=SEED)


# ----------------------------------------------------------------------------------------------- stage grid
def test_one_row_per_function_and_stage_with_the_placed_stage_marked(scenario, tradeoff):
    assert len(tradeoff) == len(FUNCTION_KEYS) * len(STAGE_KEYS)
    assert list(tradeoff.function.unique()) == list(FUNCTION_KEYS)
    for function, rows in tradeoff.groupby("function", sort=False):
        assert list(rows.stage) == list(STAGE_KEYS)
        assert list(rows[rows.current].stage) == [scenario.stage_of(function)]


def test_the_national_row_of_every_function_is_zero_effect(tradeoff):
    national = tradeoff[tradeoff.stage == "national"]
    assert len(national) == len(FUNCTION_KEYS)
    assert (national[MEASURE_COLUMNS + list(TRADEOFF_CHANCES)] == 0).all().all()


def _deals() -> list[Scenario]:
    """Deals that exercise every cost the engine counts: late, short, unrenewed, and keeping unspent money."""
    funding = scenario_dict()["funding"]
    deals = [make(), make(funding={**funding, "pooled_budget_gbp_m": 3.0, "agreed_in_year": 1, "renewed": False},
                          horizon_years=7)]
    if "unspent" in Scenario.model_fields["funding"].annotation.model_fields:
        deals.append(make(funding={**funding, "pooled_budget_gbp_m": 40.0, "unspent": "retained"}))
    return deals


@pytest.mark.parametrize("deal", _deals(), ids=lambda d: f"{d.funding.pooled_budget_gbp_m:g}m-{d.horizon_years}y")
def test_central_values_are_the_engine_sweep_against_leaving_the_function_national(deal):
    tradeoff = stage_tradeoff(deal, draws=0)
    for function in ("youth_justice", "substance_misuse"):
        swept = sweep(deal, function, draws=0).set_index(["key", "stage"])["value"]
        rows = tradeoff[tradeoff.function == function].set_index("stage")
        for measure in TRADEOFF_MEASURES:
            expected = [swept[(measure, s)] - swept[(measure, "national")] for s in STAGE_KEYS]
            assert rows.loc[list(STAGE_KEYS), measure].to_numpy() == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_bands_and_chances_are_taken_draw_by_draw(scenario, tradeoff):
    function, stage = "probation", "full_transfer"
    moved = project(scenario.with_changes(placements={**scenario.placements, function: stage}), DRAWS, SEED)
    left = project(scenario.with_changes(placements={**scenario.placements, function: "national"}), DRAWS, SEED)
    row = tradeoff.set_index(["function", "stage"]).loc[(function, stage)]
    for measure, chance in zip(TRADEOFF_MEASURES, TRADEOFF_CHANCES, strict=True):
        extra = moved.headline_draws[measure][1:] - left.headline_draws[measure][1:]
        assert row[measure] == pytest.approx(extra.mean(), rel=1e-9, abs=1e-9), "expected value: mean of draws"
        assert row[measure] == pytest.approx(moved.headline(measure) - left.headline(measure), rel=1e-9, abs=1e-9)
        central = moved.headline_draws[measure][0] - left.headline_draws[measure][0]
        assert row[f"{measure}_central"] == pytest.approx(central, rel=1e-9, abs=1e-9)
        p10, p90 = np.percentile(extra, (10, 90))
        assert row[f"{measure}_p10"] == pytest.approx(p10, rel=1e-9, abs=1e-9)
        assert row[f"{measure}_p90"] == pytest.approx(p90, rel=1e-9, abs=1e-9)
        assert row[chance] == pytest.approx((extra < 0).mean())
        assert row[f"{measure}_p10"] <= row[f"{measure}_p90"]


def test_a_full_transfer_is_riskier_than_co_design(tradeoff):
    """The honest trade-off: set-up disruption and reversal risk make the far end of the spectrum uncertain."""
    by = tradeoff.set_index(["function", "stage"])
    wider = [by.loc[(f, "full_transfer"), "reoffences_avoided_p90"] - by.loc[(f, "full_transfer"),
                                                                             "reoffences_avoided_p10"]
             > by.loc[(f, "co_design"), "reoffences_avoided_p90"] - by.loc[(f, "co_design"), "reoffences_avoided_p10"]
             for f in FUNCTION_KEYS]
    assert sum(wider) >= len(FUNCTION_KEYS) - 1
    assert (by.xs("full_transfer", level="stage").chance_npv_negative
            >= by.xs("co_design", level="stage").chance_npv_negative).all()


def test_without_draws_the_bands_are_empty_and_the_chances_read_the_central_value(scenario):
    central = stage_tradeoff(scenario, draws=0)
    assert central[[c for c in MEASURE_COLUMNS if c.endswith(("_p10", "_p90"))]].isna().all().all()
    for measure in TRADEOFF_MEASURES:
        assert (central[measure] == central[f"{measure}_central"]).all()
    assert set(central.chance_npv_negative) <= {0.0, 1.0}
    assert (central.chance_npv_negative == (central.npv_gbp_m < 0)).all()
    with pytest.raises(ValueError):
        stage_tradeoff(scenario, draws=-1)


placements = st.dictionaries(st.sampled_from(FUNCTION_KEYS), st.sampled_from(STAGE_KEYS), max_size=4)


@settings(max_examples=8)
@given(placements)
def test_any_placements_give_zero_at_national_and_the_scenario_at_the_placed_stage(chosen):
    sc = make(placements=chosen)
    grid = stage_tradeoff(sc, draws=0)
    assert (grid[grid.stage == "national"][["reoffences_avoided", "npv_gbp_m"]] == 0).all().all()
    whole = project(sc)
    for function in {*chosen} or {"women"}:
        row = grid[(grid.function == function) & grid.current].iloc[0]
        without = project(sc.with_changes(placements={**sc.placements, function: "national"}))
        assert row.reoffences_avoided == pytest.approx(
            whole.headline("reoffences_avoided") - without.headline("reoffences_avoided"), rel=1e-9, abs=1e-6)
        assert row.npv_gbp_m == pytest.approx(whole.headline("npv_gbp_m") - without.headline("npv_gbp_m"),
                                              rel=1e-9, abs=1e-9)


# ----------------------------------------------------------------------------------------------- J-curve
@pytest.fixture(scope="module")
def plain_run(scenario) -> Run:
    return project(scenario.with_changes(placements={}, horizon_years=6))


def constructed(run: Run, gaps: list[float]) -> Run:
    """The run with its scenario's reoffences set to the baseline's plus the given yearly gaps (young people)."""
    reoffences = run.baseline.reoffences.copy()
    reoffences[:, :, 0] += np.asarray(gaps, dtype=float)[None, :]
    return Run(run.scenario, run.baseline, dataclasses.replace(run.flows, reoffences=reoffences), run.params)


@pytest.mark.parametrize("gaps, year", [
    ([10, 5, -30, -10, -5, -5], 3),  # behind by 15 after two years, ahead from the third
    ([0, 10, -5, -8, -1, -1], 4),  # nothing in year 1 (agreed late), behind from year 2, ahead from year 4
    ([10, -15, 10, -20, -1, -1], 4),  # ahead in year 2, behind again in year 3: it stays ahead from year 4
    ([10, 10, -5, -5, -5, -1], None),  # starts behind and is still behind at the end of the horizon
    ([-5, 10, -30, -10, -5, -5], None),  # starts ahead: no J-curve
    ([0, 0, 0, 0, 0, 0], None),  # no change at all
])
def test_overtake_year_on_constructed_runs(plain_run, gaps, year):
    assert overtake_year(constructed(plain_run, gaps)) == year


@given(st.lists(st.integers(-50, 50), min_size=6, max_size=6))
def test_overtake_year_is_the_first_year_from_which_cumulative_reoffences_stay_below(plain_run, gaps):
    run = constructed(plain_run, gaps)
    cumulative = np.cumsum(gaps)
    year = overtake_year(run)
    moved = [c for c in cumulative if c != 0]
    if year is None:
        assert not moved or moved[0] < 0 or cumulative[-1] >= 0
    else:
        assert moved[0] > 0, "it started behind"
        assert (cumulative[year - 1:] < 0).all(), "below from that year on"
        assert cumulative[year - 2] >= 0, "and not the year before"
    assert years_above(run) == tuple(t + 1 for t, g in enumerate(gaps) if g > 0)
    assert starts_behind(run) == bool(moved and moved[0] > 0)


def test_a_full_transfer_draws_a_j_curve_read_from_the_tidy_frame():
    run = project(make(placements={"probation": "full_transfer"}, horizon_years=8))
    frame = run.frame[(run.frame.metric == "reoffences") & (run.frame.cohort == ALL_COHORTS)]
    wide = frame.pivot(index="year", columns="series", values="value")
    cumulative = (wide[SERIES_SCENARIO] - wide[SERIES_BASELINE]).cumsum().to_numpy()
    assert starts_behind(run) and cumulative[0] > 0, "disruption while the transfer is set up"
    year = overtake_year(run)
    assert year is not None and 1 < year <= 8
    assert (cumulative[year - 1:] < 0).all() and cumulative[year - 2] >= 0
    assert years_above(run) and years_above(run)[0] == 1


def test_no_overtake_when_the_horizon_ends_inside_the_set_up():
    run = project(make(placements={"probation": "full_transfer"}, horizon_years=2))
    assert starts_behind(run) and overtake_year(run) is None


def test_no_j_curve_without_devolution():
    run = project(make(placements={}))
    assert not starts_behind(run) and overtake_year(run) is None and years_above(run) == ()


# ----------------------------------------------------------------------------------------------- postcode lottery
@pytest.fixture(scope="module")
def baselines(scenario) -> pd.DataFrame:
    return area_baseline_rates(scenario)


def final_rate(run: Run, series: str) -> float:
    rows = run.frame[(run.frame.metric == "reoffending_rate") & (run.frame.series == series)
                     & (run.frame.cohort == ALL_COHORTS)]
    return float(rows.loc[rows.year.idxmax(), "value"])


def test_every_area_has_a_baseline_rate_from_its_own_projection(scenario, baselines):
    assert list(baselines.area) == list(AREA_KEYS) and len(baselines) == 43
    assert (baselines.cohort_before > 0).all() and baselines.before.between(0, 1).all()
    for key in ("north-wales", "greater-manchester", "city-of-london"):
        run = project(scenario.with_changes(area=key, placements={}))
        assert baselines.set_index("area").at[key, "before"] == pytest.approx(final_rate(run, SERIES_BASELINE))


def test_national_everywhere_changes_nothing(scenario, baselines):
    lottery = postcode_lottery(scenario.with_changes(placements={}), baselines)
    assert (lottery.rates.after == lottery.rates.before).all()
    for measure in (lottery.national, lottery.spread, lottery.std, lottery.gap_national):
        assert measure("after") == pytest.approx(measure("before"), abs=1e-12)
    assert lottery.gap_region("after") == pytest.approx(lottery.gap_region("before"), abs=1e-12)


def test_the_area_moves_and_no_other(scenario, baselines):
    lottery = postcode_lottery(scenario, baselines)
    run = project(scenario)
    assert lottery.area_before == pytest.approx(final_rate(run, SERIES_BASELINE))
    assert lottery.area_after == pytest.approx(final_rate(run, SERIES_SCENARIO))
    assert lottery.area_after < lottery.area_before, "this deal lowers the area's reoffending"
    others = lottery.rates[~lottery.rates.current]
    assert (others.after == others.before).all() and lottery.rates.current.sum() == 1
    assert lottery.national("after") < lottery.national("before")
    assert lottery.gap_national("after") < lottery.gap_national("before")
    assert lottery.region == get_area(scenario.area).region == "North West"
    same_region = others[others.region == "North West"]
    assert lottery.region_others == pytest.approx(
        (same_region.before * same_region.cohort_before).sum() / same_region.cohort_before.sum())


def test_england_and_wales_rate_is_every_reoffender_over_every_offender(scenario, baselines):
    lottery = postcode_lottery(scenario, baselines)
    rates = lottery.rates
    for when in ("before", "after"):
        cohort = rates[f"cohort_{when}"]
        assert lottery.national(when) == pytest.approx((rates[when] * cohort).sum() / cohort.sum())
        assert lottery.spread(when) == pytest.approx(rates[when].max() - rates[when].min())
        mean = lottery.national(when)
        assert lottery.std(when) == pytest.approx(np.sqrt(((rates[when] - mean) ** 2 * cohort).sum() / cohort.sum()))


@settings(max_examples=10)
@given(st.sampled_from(AREA_KEYS))
def test_any_area_moves_only_itself_and_the_average_follows(scenario, baselines, area):
    lottery = postcode_lottery(scenario.with_changes(area=area), baselines)
    moved = lottery.rates[lottery.rates.after != lottery.rates.before]
    assert set(moved.area) <= {area}
    change = lottery.area_after - lottery.area_before
    shift = lottery.national("after") - lottery.national("before")
    assert np.sign(shift) == np.sign(change) or abs(shift) < 1e-12
    assert abs(shift) <= abs(change) + 1e-12, "one area moves the average less than itself"
    assert lottery.spread("after") >= lottery.spread("before") - abs(change) - 1e-12
    gap = lottery.gap_region("after")
    assert gap is None or gap == pytest.approx(lottery.area_after - lottery.region_others)


def test_money_by_year_includes_the_arrangement_costs():
    run = project(make())
    money = money_by_year(run)
    assert {"transition_cost", "governance_cost"} <= set(money.metric)
    total = money[money.metric.isin(["transition_cost", "governance_cost"])].value.sum()
    assert total == pytest.approx(run.headline("arrangement_costs_gbp_m")) and total > 0


@pytest.mark.parametrize("measure", TRADEOFF_MEASURES)
@pytest.mark.parametrize("presenter", [False, True])
def test_the_tradeoff_chart_is_a_valid_vega_lite_spec_with_or_without_bands(scenario, tradeoff, measure, presenter):
    """The app draws the chart from a spec made without altair's schema check (explorer.runs): it is checked here."""
    from explorer.charts import tradeoff_chart

    for frame in (tradeoff, stage_tradeoff(scenario, draws=0)):
        spec = tradeoff_chart(frame, measure, presenter).to_dict(validate=True)
        assert spec == tradeoff_chart(frame, measure, presenter).to_dict(validate=False)
        rows = max(spec["datasets"].values(), key=len)
        assert len(rows) == len(FUNCTION_KEYS) * len(STAGE_KEYS)
        assert len(spec["layer"]) == (3 if frame[f"{measure}_p10"].notna().any() else 2)
