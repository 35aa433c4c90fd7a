"""Who pays and who gains, the chance of breaking even, policy vs assumption, and implausible settings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from cjcore.checks import check
from cjcore.engine import economic_benefit, project
from cjcore.money import net_by_agency
from cjcore.scenario_io import builtin_scenarios, load_builtin
from cjcore.schema import Scenario
from cjcore.vocab import AGENCY_KEYS, MONEY_CATEGORY_KEYS, SERIES_BASELINE, SERIES_DEFAULT_BASELINE
from tests.core.test_engine_properties import overrides, scenario_data

K = {k: i for i, k in enumerate(MONEY_CATEGORY_KEYS)}
A = {a: i for i, a in enumerate(AGENCY_KEYS)}


def assert_attribution_adds_up(run) -> None:
    money = run.money
    scen = run.flows
    paid = scen.intervention_spend + scen.transition_cost + scen.governance_cost + scen.optimism_bias \
        + scen.committed_cost
    np.testing.assert_allclose(money[..., K["invests"]].sum(2), paid, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(money[..., K["fiscal_cashable"]].sum(2), scen.cashable_savings, rtol=1e-9, atol=1e-12)
    benefits = money[..., [K["fiscal_cashable"], K["fiscal_non_cashable"], K["economic_social"]]].sum(axis=(2, 3))
    np.testing.assert_allclose(benefits, economic_benefit(run.baseline, scen, run.params), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(money[..., K["transfer"]].sum(2), 0.0, atol=1e-9)
    np.testing.assert_allclose(money[:, :, A["police"], K["transfer"]], scen.retained_savings, rtol=1e-12)


@pytest.mark.parametrize("key", sorted(builtin_scenarios()))
def test_attributions_sum_to_the_totals_for_every_builtin(key: str) -> None:
    assert_attribution_adds_up(project(load_builtin(key), draws=20, seed=2))


@given(scenario_data(), overrides())
def test_attributions_sum_to_the_totals_in_every_year(data: dict[str, Any], extra: dict[str, float]) -> None:
    assert_attribution_adds_up(project(Scenario.model_validate({**data, "overrides": extra}), draws=3, seed=1))


def test_everything_national_leaves_every_agency_at_zero(make_scenario) -> None:
    run = project(make_scenario(placements={}), draws=10, seed=1)
    np.testing.assert_array_equal(net_by_agency(run.money), 0.0)
    assert (run.agency_summary.net == 0).all()
    assert run.agency_summary.payback_year.isna().all()


def test_custody_diversion_moves_cost_from_prisons_to_probation(make_scenario) -> None:
    run = project(make_scenario(placements={"custody_budget": "full_transfer"}), draws=0)
    summary = run.agency_summary.set_index("agency")
    assert run.headline("custody_receptions_avoided") > 0
    assert summary.at["prisons", "fiscal_cashable"] > 0
    diverted_caseload = run.flows.probation_caseload.sum() - run.baseline.probation_caseload.sum()
    reoffence_caseload = -(run.flows.reoffences.sum() - run.baseline.reoffences.sum()) * 0.164
    assert diverted_caseload > -reoffence_caseload, "diverted sentences add probation caseload"
    assert summary.at["prisons", "invests"] > 0, "the custody budget's national share comes from prisons"


def test_the_area_pays_and_national_budgets_gain_without_a_retained_share(make_scenario) -> None:
    placements = {"youth_justice": "co_design", "probation": "co_design"}
    summary = project(make_scenario(placements=placements), draws=0).agency_summary.set_index("agency")
    assert summary.at["police", "transfer"] == 0, "co-design keeps no savings"
    assert summary.at["police", "net"] < 0 < summary.at["prisons", "net"]
    assert summary.at["society", "net"] > 0


def test_budget_holding_stages_move_savings_to_the_area(make_scenario) -> None:
    def area_transfer(stage: str) -> float:
        run = project(make_scenario(placements={f: stage for f in ("youth_justice", "probation", "women")}))
        return run.agency_summary.set_index("agency").at["police", "transfer"]

    assert area_transfer("co_design") == 0 < area_transfer("devolved_budget") < area_transfer("full_transfer")


def test_payback_year_and_return(make_scenario) -> None:
    summary = project(make_scenario(), draws=0).agency_summary.set_index("agency")
    for agency, row in summary.iterrows():
        if row.invests > 0:
            assert row.return_on_investment == pytest.approx(row.net / row.invests)
        if not pd.isna(row.payback_year):
            assert 1 <= row.payback_year <= 5, agency


# ------------------------------------------------------------------------------------- chance of breaking even
def test_break_even_chances_are_shares_and_reproducible(gm: Scenario) -> None:
    a, b = project(gm, draws=300, seed=7), project(gm, draws=300, seed=7)
    for key in ("chance_npv_positive", "chance_area_breaks_even"):
        assert 0.0 <= a.headline(key) <= 1.0
        assert a.headline(key) == b.headline(key)


def test_break_even_chance_rises_with_effect_sizes(make_scenario) -> None:
    placements = {"probation": "full_transfer", "women": "full_transfer", "youth_justice": "full_transfer"}
    funding = {"pooled_budget_gbp_m": 12.0, "national_share": 0.5, "settlement_years": 5, "agreed_in_year": 0,
               "renewed": True, "reinvest_share": 0.5}
    weak = {"deferred_prosecution.effect": 0.02, "integrated_offender_management.effect": 0.0,
            "womens_centres.effect": 0.03, "youth_diversion.effect": 0.04}
    strong = {k: v * 6 for k, v in weak.items()}
    chance = [project(make_scenario(placements=placements, funding=funding, overrides=o), draws=400, seed=3)
              .headline("chance_npv_positive") for o in (weak, strong)]
    assert chance[0] < chance[1]


# ------------------------------------------------------------------------------------- policy or assumption?
def baseline_values(run, series: str):
    f = run.frame
    return f[f.series == series].sort_values(["year", "cohort", "metric"]).value.to_numpy()


def test_modified_baseline_equals_default_until_an_assumption_changes(make_scenario) -> None:
    run = project(make_scenario(), draws=0)
    np.testing.assert_array_equal(baseline_values(run, SERIES_BASELINE), baseline_values(run, SERIES_DEFAULT_BASELINE))
    policy_only = project(make_scenario(placements={"women": "full_transfer"}), draws=0)
    np.testing.assert_array_equal(baseline_values(policy_only, SERIES_DEFAULT_BASELINE),
                                  baseline_values(run, SERIES_DEFAULT_BASELINE))
    changed = project(make_scenario(overrides={"women_rate_ratio": 0.6}), draws=0)
    np.testing.assert_array_equal(baseline_values(changed, SERIES_DEFAULT_BASELINE),
                                  baseline_values(run, SERIES_DEFAULT_BASELINE))
    assert not np.array_equal(baseline_values(changed, SERIES_BASELINE), baseline_values(run, SERIES_BASELINE))


# ------------------------------------------------------------------------------------- implausible settings
@pytest.mark.parametrize("key", sorted(builtin_scenarios()))
def test_builtins_raise_no_warnings(key: str) -> None:
    assert check(load_builtin(key)) == []


def codes(sc: Scenario) -> set[str]:
    return {f.code for f in check(sc)}


def test_full_transfer_without_the_governance_it_needs(make_scenario) -> None:
    weak = {"model": "pcc", "agreed_in_year": 0, "five_conditions": dict.fromkeys(
        ("objectives", "local_picture", "cohort_knowledge", "accountability", "buy_in"), 2)}
    assert "governance_short" in codes(make_scenario(governance=weak))
    assert "governance_short" not in codes(make_scenario())


def test_no_budget_and_a_budget_too_small(make_scenario) -> None:
    funding = {"pooled_budget_gbp_m": 0.0, "national_share": 0.5, "settlement_years": 3, "agreed_in_year": 0,
               "renewed": False, "reinvest_share": 0.5}
    assert "no_budget" in codes(make_scenario(funding=funding))
    assert "budget_too_small" in codes(make_scenario(funding={**funding, "pooled_budget_gbp_m": 0.05}))
    assert not codes(make_scenario(funding={**funding, "pooled_budget_gbp_m": 5.0})) & {"no_budget", "budget_too_small"}


def test_agreements_after_the_horizon(make_scenario) -> None:
    late = {"model": "mayor_pcc", "agreed_in_year": 6,
            "five_conditions": dict.fromkeys(("objectives", "local_picture", "cohort_knowledge", "accountability",
                                              "buy_in"), 4)}
    assert "agreed_after_horizon" in codes(make_scenario(governance=late))
    assert "agreed_after_horizon" not in codes(make_scenario(governance=late, horizon_years=10))


def test_an_override_far_outside_the_evidence(make_scenario) -> None:
    assert "override_far" in codes(make_scenario(overrides={"youth_diversion.effect": 0.6}))
    assert "override_far" in codes(make_scenario(overrides={"prison_cost_per_place_gbp": 200000}))
    assert "override_far" not in codes(make_scenario(overrides={"youth_diversion.effect": 0.15}))


# ------------------------------------------------------------------------------------- the story
def test_story_tells_the_numbers(gm: Scenario) -> None:
    from cjcore.story import story

    run = project(gm, draws=100, seed=1)
    text = " ".join(story(run))
    assert "Greater Manchester places youth justice at full transfer" in text
    assert f"{run.headline('reoffences_avoided'):,.0f} proven reoffences are avoided" in text
    assert f"benefits exceed costs in {run.headline('chance_npv_positive'):.0%}" in text
    assert f"does worse than staying as we are (costs exceed benefits) is {run.headline('chance_npv_negative'):.0%}" \
        in text
    assert "Mayor with PCC functions" in text


def test_story_of_no_devolution_says_nothing_changes(make_scenario) -> None:
    from cjcore.story import story

    text = " ".join(story(project(make_scenario(placements={}), draws=0)))
    assert "nothing changes" in text and "no change in reoffending" in text


def test_an_override_of_a_zero_default_can_be_far(make_scenario) -> None:
    assert "override_far" in codes(make_scenario(overrides={"stage.co_design.savings_retained": 1.0}))
    assert "override_far" not in codes(make_scenario(overrides={"stage.co_design.savings_retained": 0.1}))


def test_payback_year_is_when_the_cumulative_net_stays_positive() -> None:
    from cjcore.money import agency_summary

    money = np.zeros((1, 5, len(AGENCY_KEYS), len(MONEY_CATEGORY_KEYS)))
    police = A["police"]
    money[0, :, police, K["invests"]] = [3, 0, 0, 0, 0]
    money[0, :, police, K["fiscal_cashable"]] = [0, 3, -1, 2, 0]  # cumulative net −3, 0, −1, 1, 1
    summary = agency_summary(money).set_index("agency")
    assert summary.at["police", "payback_year"] == 4
    assert summary.at["police", "net"] == pytest.approx(1.0)


def test_national_grants_pay_for_pcc_commissioned_services(make_scenario) -> None:
    run = project(make_scenario(placements={"victims_witnesses": "full_transfer"}), draws=0)
    summary = run.agency_summary.set_index("agency")
    assert summary.at["central_government", "invests"] > 0
    share = summary.at["central_government", "invests"] / summary.invests.sum()
    assert share < 0.6 + 1e-9, "no more than the national share (60%) of the spend"


def test_story_says_when_most_of_the_budget_lapses(make_scenario) -> None:
    from cjcore.story import story

    funding = {"pooled_budget_gbp_m": 200.0, "national_share": 0.5, "settlement_years": 5, "agreed_in_year": 0,
               "renewed": True, "reinvest_share": 0.5}
    text = " ".join(story(project(make_scenario(funding=funding), draws=0)))
    assert "of the £1,000.0m committed over the horizon" in text
    assert "A bigger budget changes nothing until a function moves further" in text


@pytest.mark.parametrize("stage", ["devolved_budget", "full_transfer"])
def test_probation_beyond_co_commissioning_recalls_its_recentralisation(make_scenario, stage: str) -> None:
    found = [f for f in check(make_scenario(placements={"probation": stage})) if f.code == "probation_recentralised"]
    assert len(found) == 1 and "2021" in found[0].message and "£467m" in found[0].message
    assert "probation_recentralised" not in codes(make_scenario(placements={"probation": "co_commissioning"}))


def test_a_full_transfer_running_within_two_years_is_flagged(make_scenario) -> None:
    assert "full_transfer_fast" not in codes(make_scenario())  # agreed now, set up over two years
    quick = make_scenario(overrides={"stage.full_transfer.setup_years": 1})
    assert "full_transfer_fast" in codes(quick)
    assert "full_transfer_fast" not in codes(make_scenario(placements={"women": "devolved_budget"},
                                                           overrides={"stage.full_transfer.setup_years": 1}))


@pytest.mark.parametrize(("part", "year", "flagged"), [("funding", 1, False), ("funding", 2, True),
                                                       ("governance", 3, True)])
def test_late_agreement_is_flagged(make_scenario, part: str, year: int, flagged: bool) -> None:
    base = scenario_dict_part(part)
    assert ("agreed_late" in codes(make_scenario(**{part: {**base, "agreed_in_year": year}}))) is flagged


def scenario_dict_part(part: str) -> dict[str, Any]:
    from tests.core.conftest import scenario_dict

    return scenario_dict()[part]
