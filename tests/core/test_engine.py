"""Unit tests of the projection engine: the shape of its results, its fixed points, and the golden summary."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from cjcore.areas import get_area
from cjcore.engine import CHANCE_KEYS, COHORT_METRICS, HEADLINE_KEYS, MONEY_METRICS, project, sweep
from cjcore.schema import Scenario
from cjcore.vocab import ALL_COHORTS, COHORT_KEYS, FUNCTION_KEYS, STAGE_KEYS
from tests.core.conftest import SCENARIOS_DIR, load, no_friction
from tests.update_golden import GOLDEN_FILE, compare_golden, golden_summary

FRAME_COLUMNS = ["year", "cohort", "metric", "series", "value", "p10", "median", "p90"]
REQUIRED_METRICS = {
    "reoffending_rate", "reoffenders", "reoffences", "arrests", "court_cases", "custody_receptions",
    "prison_places", "probation_caseload", "cost_of_reoffending", "system_cost", "intervention_spend",
    "funds_available", "cashable_savings", "retained_savings", "reinvested_savings",
}
#: Metrics that add up over cohorts (the rate does not: the "all" rate is reoffenders / cohort size).
ADDITIVE = [m for m in COHORT_METRICS if m != "reoffending_rate"]

MakeScenario = Callable[..., Scenario]


def central(frame: pd.DataFrame, series: str, cohort: str = ALL_COHORTS) -> pd.DataFrame:
    """Central values by year (rows) and metric (columns) for one series and cohort."""
    rows = frame[(frame.series == series) & (frame.cohort == cohort)]
    return rows.pivot(index="year", columns="metric", values="value")


# ----------------------------------------------------------------------------------------------- the frame
@pytest.mark.parametrize("draws", [0, 20])
def test_frame_is_tidy_and_complete(gm: Scenario, draws: int) -> None:
    frame = project(gm, draws=draws, seed=3).frame
    assert list(frame.columns) == FRAME_COLUMNS
    assert set(frame.series) == {"baseline", "scenario", "baseline_default"}
    assert sorted(frame.year.unique()) == list(range(1, gm.horizon_years + 1))
    assert set(frame.cohort) == {*COHORT_KEYS, ALL_COHORTS}
    assert REQUIRED_METRICS <= set(frame.metric)
    assert set(frame.metric) == set(COHORT_METRICS) | set(MONEY_METRICS)
    assert not frame.duplicated(["year", "cohort", "metric", "series"]).any()
    # Cohort metrics for every cohort and "all"; money metrics for "all" only.
    per_metric = frame.groupby("metric").cohort.nunique()
    assert (per_metric[list(COHORT_METRICS)] == len(COHORT_KEYS) + 1).all()
    assert set(frame[frame.metric.isin(MONEY_METRICS)].cohort) == {ALL_COHORTS}
    assert frame.value.notna().all()


def test_all_cohort_adds_up(gm: Scenario) -> None:
    frame = project(gm, draws=0).frame
    for series in ("baseline", "scenario"):
        total = central(frame, series)
        parts = sum(central(frame, series, c) for c in COHORT_KEYS)
        pd.testing.assert_frame_equal(total[ADDITIVE], parts[ADDITIVE], rtol=1e-12)
        np.testing.assert_allclose(total.reoffending_rate, total.reoffenders / total.cohort_size, rtol=1e-12)


def test_no_draws_gives_nan_bands(gm: Scenario) -> None:
    run = project(gm, draws=0)
    assert run.frame[["p10", "median", "p90"]].isna().all().all()
    assert run.summary[["p10", "median", "p90"]].isna().all().all()
    assert run.summary.value.drop("benefit_cost_ratio").notna().all()
    assert all(v.shape == (1,) for v in run.headline_draws.values())


def test_bands_are_ordered_with_draws(gm: Scenario) -> None:
    run = project(gm, draws=200, seed=1)
    for df in (run.frame, run.summary.drop(index=list(CHANCE_KEYS))):
        assert df[["p10", "median", "p90"]].notna().all().all()
        assert (df.p10 <= df["median"]).all() and (df["median"] <= df.p90).all()
    assert all(v.shape == (201,) for v in run.headline_draws.values())


def test_summary_has_every_headline(gm: Scenario) -> None:
    summary = project(gm, draws=0).summary
    assert list(summary.index) == list(HEADLINE_KEYS)
    assert list(summary.columns) == ["label", "unit", "value", "central", "p10", "median", "p90"]
    assert summary.label.str.len().gt(0).all() and summary.unit.str.len().gt(0).all()


def test_negative_draws_rejected(gm: Scenario) -> None:
    with pytest.raises(ValueError, match="draws"):
        project(gm, draws=-1)


# ----------------------------------------------------------------------------------------------- seeds and caching
def test_same_seed_same_results_and_seeds_differ(gm: Scenario) -> None:
    a, b, c = project(gm, draws=50, seed=7), project(gm, draws=50, seed=7), project(gm, draws=50, seed=8)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    avoided_a, avoided_c = a.headline_draws["reoffences_avoided"], c.headline_draws["reoffences_avoided"]
    assert avoided_a[0] == avoided_c[0]  # the central estimate does not depend on the seed
    assert not np.array_equal(avoided_a[1:], avoided_c[1:])
    assert not a.frame[["p10", "p90"]].equals(c.frame[["p10", "p90"]])


def test_second_call_equals_first(gm: Scenario, make_scenario: MakeScenario) -> None:
    """Nothing cached in the engine makes a later call differ (even after other scenarios ran in between)."""
    first = project(gm, draws=30, seed=5)
    project(make_scenario(overrides={"women_rate_ratio": 1.5, "youth_diversion.effect": 0.5}), draws=30, seed=5)
    sweep(gm, "women", draws=5, seed=1)
    again = project(gm, draws=30, seed=5)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    pd.testing.assert_frame_equal(first.summary, again.summary)
    pd.testing.assert_frame_equal(first.drivers, again.drivers)


# ----------------------------------------------------------------------------------------------- fixed points
def test_baseline_is_steady_and_matches_the_area(gm: Scenario) -> None:
    run = project(gm.with_changes(horizon_years=10), draws=0)
    base = central(run.frame, "baseline")
    cohort_metrics = base[list(COHORT_METRICS)]
    np.testing.assert_allclose(cohort_metrics, np.broadcast_to(cohort_metrics.iloc[[0]], cohort_metrics.shape),
                               rtol=1e-12)
    total = get_area(gm.area).total
    assert base.cohort_size.iloc[0] == pytest.approx(total.offenders, rel=1e-12)
    assert base.reoffenders.iloc[0] == pytest.approx(total.reoffenders, rel=1e-12)
    assert base.reoffences.iloc[0] == pytest.approx(total.reoffences, rel=1e-12)
    assert (base.intervention_spend == 0).all() and (base.participants == 0).all()


def test_gm_scenario_improves_on_the_baseline(gm: Scenario) -> None:
    run = project(gm, draws=0)
    summary = run.summary.value
    assert summary.reoffences_avoided > 0
    assert summary.reoffending_rate_change_pp < 0
    assert summary.prison_places_avoided > 0
    scen = central(run.frame, "scenario")
    assert 0 < summary.intervention_spend_gbp_m <= scen.funds_available.sum() + 1e-9
    assert (scen.intervention_spend <= scen.funds_available + 1e-9).all()
    np.testing.assert_allclose(scen.funds_available, gm.funding.pooled_budget_gbp_m + scen.reinvested_savings)
    np.testing.assert_allclose(scen.reinvested_savings, gm.funding.reinvest_share * scen.retained_savings)


def test_zero_budget_gives_no_effect(make_scenario: MakeScenario) -> None:
    """No money buys no programme; moving functions without money can only cost (disruption, transition)."""
    run = project(make_scenario(funding={"pooled_budget_gbp_m": 0.0, "reinvest_share": 0.5}), draws=20, seed=2)
    for key in ("intervention_spend_gbp_m", "cashable_savings_gbp_m", "retained_savings_gbp_m"):
        assert (run.headline_draws[key] <= 0).all(), key
    assert (run.flows.participants == 0).all() and (run.flows.reoffences_avoided_by == 0).all()
    assert (run.headline_draws["reoffences_avoided"] <= 0).all()
    assert run.headline("reoffences_avoided") < 0, "a full transfer disrupts today's service even with no money"
    assert run.headline("npv_gbp_m") < 0


def test_zero_budget_without_friction_changes_nothing(make_scenario: MakeScenario) -> None:
    run = project(make_scenario(funding={"pooled_budget_gbp_m": 0.0, "reinvest_share": 0.5},
                                overrides=no_friction()), draws=0)
    for key in ("reoffences_avoided", "intervention_spend_gbp_m", "arrangement_costs_gbp_m", "npv_gbp_m"):
        assert (run.headline_draws[key] == 0).all(), key
    np.testing.assert_array_equal(run.flows.reoffences, run.baseline.reoffences)


def test_unplaced_functions_are_national(make_scenario: MakeScenario) -> None:
    implicit = project(make_scenario(placements={"women": "co_design"}), draws=0)
    explicit = project(make_scenario(placements={**dict.fromkeys(FUNCTION_KEYS, "national"), "women": "co_design"}),
                       draws=0)
    pd.testing.assert_frame_equal(implicit.frame, explicit.frame)


def test_drivers_by_function(gm: Scenario) -> None:
    drivers = project(gm, draws=0).drivers
    assert list(drivers.function) == list(FUNCTION_KEYS)
    assert list(drivers.stage) == [gm.stage_of(f) for f in FUNCTION_KEYS]
    national = drivers[drivers.stage == "national"]
    assert (national.reoffences_avoided == 0).all() and (national.spend_gbp_m == 0).all()
    placed = drivers[drivers.stage != "national"]
    assert (placed.reoffences_avoided > 0).all() and (placed.spend_gbp_m > 0).all()
    assert drivers.spend_gbp_m.sum() == pytest.approx(project(gm).headline("intervention_spend_gbp_m"), rel=1e-12)


# ----------------------------------------------------------------------------------------------- monotone spectrum
#: Counterexamples hypothesis found to "one stage further never raises reoffences" in the engine as first
#: written, each with the mechanism it exposed (see cjcore.engine.simulate_variants for the fix).
COUNTEREXAMPLES = {
    # Same-year ranking let substance treatment (co-design, keeps no savings) displace the problem-solving
    # court (devolved budget), whose retained savings would have paid for more the next year.
    "displaced_reinvestment": ({
        "area": "greater-manchester", "horizon_years": 2,
        "placements": {"youth_justice": "co_investment", "probation": "co_investment",
                       "domestic_abuse": "co_investment", "women": "co_investment",
                       "problem_solving_courts": "devolved_budget"},
        "funding": {"pooled_budget_gbp_m": 0.75, "renewed": True, "reinvest_share": 1.0},
        "governance": {"model": "mayor_pcc", "five_conditions": dict.fromkeys(
            ["objectives", "local_picture", "cohort_knowledge", "accountability", "buy_in"], 3)},
    }, "substance_misuse"),
    # Ranking on this year's reoffences let the problem-solving court (adults) displace violence reduction
    # (young people, who reoffend more), so the next cohort was larger and year 3 had more reoffences.
    "cohort_return": ({
        "area": "surrey", "horizon_years": 3,
        "placements": {"youth_justice": "co_investment", "probation": "co_commissioning", "women": "co_investment",
                       "victims_witnesses": "co_investment", "substance_misuse": "co_commissioning",
                       "domestic_abuse": "co_investment", "serious_violence": "co_investment",
                       "custody_budget": "co_investment", "problem_solving_courts": "co_investment"},
        "funding": {"pooled_budget_gbp_m": 1.5, "renewed": True, "reinvest_share": 0.0},
        "governance": {"model": "mayor_pcc", "five_conditions": {
            "objectives": 3, "local_picture": 3, "cohort_knowledge": 4, "accountability": 5, "buy_in": 5}},
    }, "problem_solving_courts"),
    # With no pooled budget, an intermediate version of the fix stopped self-financing interventions but still
    # let the money they would have generated pay for the next in line.
    "self_financing_without_budget": ({
        "area": "avon-and-somerset", "horizon_years": 2,
        "placements": {"victims_witnesses": "co_commissioning", "youth_justice": "devolved_budget"},
        "funding": {"pooled_budget_gbp_m": 0.0, "renewed": True, "reinvest_share": 1.0},
        "governance": {"model": "mayor_pcc"},
        "overrides": {"probation_cost_per_case_gbp": 15000.0, "probation_years_per_offence": 5.0},
    }, "victims_witnesses"),
}


@pytest.mark.parametrize("name", COUNTEREXAMPLES)
def test_former_counterexamples_are_monotone(name: str) -> None:
    data, function = COUNTEREXAMPLES[name]
    data = {**data, "overrides": {**data.get("overrides", {}), **no_friction()}}
    before = Scenario.model_validate({"name": name, **data})
    stage = STAGE_KEYS[STAGE_KEYS.index(before.stage_of(function)) + 1]
    after = before.with_changes(placements={**before.placements, function: stage})
    r_before = project(before).flows.reoffences[0].sum()
    r_after = project(after).flows.reoffences[0].sum()
    assert r_after <= r_before * (1 + 1e-12), (r_before, r_after)


def test_spend_stays_within_the_budget_and_reinvested_savings(make_scenario: MakeScenario) -> None:
    """Net of the savings reinvested in the year, spend never exceeds the pooled budget; a small budget binds."""
    for budget in (0.5, 5.0, 500.0):
        flows = project(make_scenario(funding={"pooled_budget_gbp_m": budget, "renewed": True,
                                               "reinvest_share": 0.5}), draws=20, seed=1).flows
        net_spend = flows.intervention_spend - flows.reinvested_savings
        assert (net_spend <= budget * (1 + 1e-9)).all()
        if budget == 0.5:  # every year after the first (set-up) uses the whole budget
            np.testing.assert_allclose(net_spend[0, 1:], budget, rtol=1e-9)
            assert net_spend[0, 0] == 0
        if budget == 500.0:
            assert (net_spend < 0.5 * budget).all()  # more than enough: capacity, not money, limits


# ----------------------------------------------------------------------------------------------- agreement timing
@pytest.mark.parametrize("part", ["funding", "governance"])
def test_later_agreement_is_strictly_worse(gm: Scenario, part: str) -> None:
    def avoided(delay: int) -> float:
        section = getattr(gm, part).model_dump()
        section["agreed_in_year"] += delay
        return project(gm.with_changes(**{part: section}), draws=0).headline("reoffences_avoided")

    values = [avoided(d) for d in range(4)]
    assert all(later < earlier for earlier, later in zip(values, values[1:], strict=False)), values


def test_settlement_spent_before_governance_is_lost(make_scenario: MakeScenario) -> None:
    """Money paid before governance is agreed cannot be spent: nothing is delivered until both are in place.

    So a short unrenewed settlement that ends before governance is agreed achieves nothing, and agreeing it
    later (in step with governance) does better. This is why the 'later agreement never helps' property
    delays funding only when governance is not the later of the two.
    """
    funding = {"pooled_budget_gbp_m": 12.0, "settlement_years": 2, "agreed_in_year": 0, "renewed": False,
               "reinvest_share": 0.5}
    governance = {"model": "mayor_pcc", "agreed_in_year": 3}
    early = project(make_scenario(funding=funding, governance=governance), draws=0)
    assert early.headline("intervention_spend_gbp_m") == 0 and (early.flows.participants == 0).all()
    assert early.headline("reoffences_avoided") < 0, "the transfers still disrupt today's services"
    aligned = project(make_scenario(funding={**funding, "agreed_in_year": 3}, governance=governance), draws=0)
    assert aligned.headline("reoffences_avoided") > 0


# ----------------------------------------------------------------------------------------------- sweep
@pytest.mark.parametrize("function", FUNCTION_KEYS)
def test_sweep_covers_every_stage_and_without_friction_never_gets_worse(gm: Scenario, function: str) -> None:
    frictionless = gm.with_changes(overrides=no_friction())
    table = sweep(frictionless, function)
    assert {"key", "value", "p10", "median", "p90", "stage", "current"} <= set(table.columns)
    for key, rows in table.groupby("key"):
        assert list(rows.stage) == list(STAGE_KEYS), key
        assert rows.current.sum() == 1 and rows.loc[rows.current, "stage"].item() == gm.stage_of(function), key
    avoided = table[table.key == "reoffences_avoided"].value.to_numpy()
    assert (np.diff(avoided) >= -1e-9 * abs(avoided).max()).all(), avoided
    assert avoided[0] == pytest.approx(project(frictionless.with_changes(
        placements={**gm.placements, function: "national"})).headline("reoffences_avoided"), rel=1e-12)


def test_further_is_not_always_better_with_the_defaults(gm: Scenario) -> None:
    """With the register's transition costs and risks, some function does worse at full transfer than earlier."""
    worse_somewhere = []
    for function in FUNCTION_KEYS:
        table = sweep(gm, function).set_index(["key", "stage"])["value"]
        npv = table.xs("npv_gbp_m").to_numpy()
        if npv[-1] < npv[:-1].max():
            worse_somewhere.append(function)
    assert worse_somewhere, "full transfer is the best stage for every function: no trade-off shown"


def test_bands_widen_further_along_the_spectrum(gm: Scenario) -> None:
    table = sweep(gm.with_changes(placements={}), "youth_justice", draws=300, seed=3)
    npv = table[table.key == "npv_gbp_m"].set_index("stage")
    width = npv.p90 - npv.p10
    assert width["full_transfer"] > width["co_commissioning"] > 0


def test_sweep_matches_project(gm: Scenario) -> None:
    table = sweep(gm, "youth_justice", draws=20, seed=4).set_index(["stage", "key"])
    for stage in ("co_design", "full_transfer"):
        variant = gm.with_changes(placements={**gm.placements, "youth_justice": stage})
        summary = project(variant, draws=20, seed=4).summary
        pd.testing.assert_frame_equal(table.xs(stage)[summary.columns], summary, check_names=False)


def test_sweep_rejects_unknown_function(gm: Scenario) -> None:
    with pytest.raises(ValueError, match="unknown function"):
        sweep(gm, "parking")


# ----------------------------------------------------------------------------------------------- assumptions
def test_effect_override_moves_only_the_scenario(gm: Scenario) -> None:
    plain = project(gm, draws=0)
    bigger = project(gm.with_changes(overrides={"youth_diversion.effect": 0.3}), draws=0)
    pd.testing.assert_frame_equal(central(plain.frame, "baseline"), central(bigger.frame, "baseline"))
    assert bigger.headline("reoffences_avoided") > plain.headline("reoffences_avoided")


@pytest.mark.parametrize(("key", "value", "metric", "cohort"), [
    ("women_rate_ratio", 0.6, "reoffending_rate", "adult_women"),
    ("women_share_25plus", 0.3, "cohort_size", "adult_women"),
    ("cost_per_reoffence_gbp", 50_000, "cost_of_reoffending", ALL_COHORTS),
    ("prison_cost_per_place_gbp", 60_000, "system_cost", ALL_COHORTS),
    ("arrests_per_offence", 0.7, "arrests", ALL_COHORTS),
])
def test_baseline_assumption_moves_the_baseline(gm: Scenario, key: str, value: float, metric: str,
                                                cohort: str) -> None:
    plain = central(project(gm, draws=0).frame, "baseline", cohort)[metric]
    moved = central(project(gm.with_changes(overrides={key: value}), draws=0).frame, "baseline", cohort)[metric]
    assert not np.allclose(plain, moved)


# ----------------------------------------------------------------------------------------------- golden
def test_golden_summary() -> None:
    """The Greater Manchester summary (200 draws, seed 1) is unchanged; regenerate with tests/update_golden.py."""
    problems = compare_golden(golden_summary())
    assert not problems, (
        f"{GOLDEN_FILE.name} differs from the engine's output (fresh output written next to it as *.actual.csv).\n"
        f"{problems}\nIf the change is intended, run: .venv/bin/python tests/update_golden.py"
    )


# ----------------------------------------------------------------------------------------------- honest spectrum
def _function_effect_by_year(scenario: Scenario, function: str) -> np.ndarray:
    """Reoffences each year with the function where placed, less with it left national (central)."""
    placed = project(scenario).flows.reoffences[0].sum(axis=1)
    left = project(scenario.with_changes(placements={**scenario.placements, function: "national"})).flows
    return placed - left.reoffences[0].sum(axis=1)


def test_a_builtin_function_shows_a_j_curve() -> None:
    """Worse than leaving it national in year 1 (set-up disruption), better by the final year."""
    found = []
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        scenario = load(path)
        for function in FUNCTION_KEYS:
            if scenario.stage_of(function) in ("devolved_budget", "full_transfer"):
                diff = _function_effect_by_year(scenario, function)
                if diff[0] > 0 and diff[-1] < 0:
                    found.append((path.stem, function))
    assert found, "no built-in placement shows a J-curve"


def test_a_full_transfer_can_do_worse_than_staying_as_we_are(gm: Scenario) -> None:
    run = project(gm.with_changes(placements={"youth_justice": "full_transfer"}), draws=300, seed=1)
    assert run.headline("chance_npv_negative") > 0
    assert run.headline("chance_npv_negative") == pytest.approx(1 - run.headline("chance_npv_positive"), abs=1e-12)


def test_disruption_can_outweigh_the_increment(gm: Scenario) -> None:
    """With no reach beyond today's (additionality) and a disruptive transfer, full transfer adds reoffences."""
    nothing_to_add = {"youth_diversion.national_reach": 0.8, "stage.full_transfer.disruption": 0.5}
    run = project(gm.with_changes(placements={"youth_justice": "full_transfer"}, overrides=nothing_to_add))
    assert run.headline("reoffences_avoided") < 0
    assert run.headline("npv_gbp_m") < 0


def test_national_reach_is_not_credited_to_devolution(gm: Scenario) -> None:
    """Raising today's reach shrinks what devolution adds, and does not move the baseline."""
    plain = project(gm, draws=0)
    more_today = project(gm.with_changes(overrides={"youth_diversion.national_reach": 0.7}), draws=0)
    np.testing.assert_array_equal(plain.baseline.reoffences, more_today.baseline.reoffences)
    assert more_today.flows.participants[0, :, 0].sum() < plain.flows.participants[0, :, 0].sum()


def test_a_certain_reversal_ends_the_increment(gm: Scenario) -> None:
    only_youth = gm.with_changes(placements={"youth_justice": "full_transfer"}, horizon_years=6)
    reversed_ = project(only_youth.with_changes(overrides={"stage.full_transfer.reversal_hazard": 1.0}), draws=0)
    assert (reversed_.flows.participants == 0).all()
    assert reversed_.headline("reoffences_avoided") < 0, "the reversal disrupts today's service and adds nothing"
    assert reversed_.flows.governance_cost[0].sum() == 0, "no arrangements survive to be governed"
    assert reversed_.flows.transition_cost[0].sum() > 0, "the transition was paid for all the same"


def test_reversal_is_drawn_and_its_expectation_is_the_central_row(gm: Scenario) -> None:
    only_youth = gm.with_changes(placements={"youth_justice": "full_transfer"}, horizon_years=8)
    run = project(only_youth, draws=4000, seed=5)
    governance = run.flows.governance_cost  # proportional to "still in place" in every row
    drawn = governance[1:]
    assert set(np.unique(np.round(drawn / governance[1:, :1].clip(1e-12), 9))) >= {0.0, 1.0}
    share_alive = (drawn[:, -1] > 0).mean()
    expected_alive = governance[0, -1] / run.params.scalar("stage.full_transfer.governance_cost_gbp_m")
    assert share_alive == pytest.approx(expected_alive, abs=0.03)


def test_fading_lowers_the_effect_not_the_spend(gm: Scenario) -> None:
    steady = project(gm.with_changes(overrides={"effect_decay": 0.0}), draws=0)
    fading = project(gm.with_changes(overrides={"effect_decay": 0.3}), draws=0)
    assert fading.headline("reoffences_avoided") < steady.headline("reoffences_avoided")
    np.testing.assert_allclose(fading.flows.participants, steady.flows.participants, rtol=0.02)


def test_arrangement_costs_count_in_the_appraisal(gm: Scenario) -> None:
    run = project(gm, draws=0)
    costs = run.flows.transition_cost[0] + run.flows.governance_cost[0]
    assert run.headline("arrangement_costs_gbp_m") == pytest.approx(costs.sum(), rel=1e-12) and costs.sum() > 0
    free = project(gm.with_changes(overrides={k: 0.0 for k in no_friction() if k.endswith("cost_gbp_m")
                                              or k.endswith("per_offender_gbp")}), draws=0)
    assert free.headline("npv_gbp_m") > run.headline("npv_gbp_m")
    bias_on_them = run.flows.optimism_bias[0].sum() - free.flows.optimism_bias[0].sum()
    assert bias_on_them > 0, "optimism bias applies to the arrangement costs too"
    assert free.headline("net_fiscal_cost_gbp_m") == pytest.approx(
        run.headline("net_fiscal_cost_gbp_m") - costs.sum() - bias_on_them, rel=1e-9)


@pytest.mark.parametrize("path", sorted(SCENARIOS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_central_value_lies_within_its_band(path) -> None:
    run = project(load(path), draws=500, seed=11)
    summary = run.summary.drop(index=list(CHANCE_KEYS)).dropna(subset=["p10"])
    tol = 1e-9 * (summary.p90 - summary.p10).abs().max()
    outside = summary[(summary.value < summary.p10 - tol) | (summary.value > summary.p90 + tol)]
    assert outside.empty, outside[["value", "p10", "p90"]]
