"""Green Book appraisal: committed money that is not spent, and expected values as the appraisal figures."""

from __future__ import annotations

import numpy as np
import pytest

from cjcore.engine import project
from cjcore.schema import Scenario
from tests.core.test_money import assert_attribution_adds_up


def with_unspent(scenario: Scenario, unspent: str, budget: float = 40.0) -> Scenario:
    return scenario.with_changes(funding={**scenario.funding.model_dump(), "pooled_budget_gbp_m": budget,
                                          "unspent": unspent})


def test_unspent_money_costs_only_when_retained(gm: Scenario) -> None:
    returned = project(with_unspent(gm, "returned"), draws=0)
    retained = project(with_unspent(gm, "retained"), draws=0)
    unused = returned.flows.unused_commitment[0].sum()
    assert unused > 0, "£40m a year is more than the placed functions can use"
    np.testing.assert_array_equal(returned.flows.unused_commitment, retained.flows.unused_commitment)
    assert (returned.flows.committed_cost == 0).all()
    np.testing.assert_allclose(retained.flows.committed_cost, retained.flows.unused_commitment)
    assert retained.headline("npv_gbp_m") < returned.headline("npv_gbp_m")
    assert retained.headline("benefit_cost_ratio") < returned.headline("benefit_cost_ratio")
    assert retained.headline("net_fiscal_cost_gbp_m") == pytest.approx(
        returned.headline("net_fiscal_cost_gbp_m") + unused, rel=1e-9)
    # Nothing else moves: the programme and its effects are the same either way.
    assert retained.headline("reoffences_avoided") == returned.headline("reoffences_avoided")


def test_used_plus_unused_is_what_was_committed(gm: Scenario) -> None:
    run = project(with_unspent(gm, "returned", budget=3.0), draws=0)
    flows = run.flows
    from_pooled = np.maximum(flows.intervention_spend - flows.reinvested_savings, 0)
    paid_in = 3.0 * np.ones(gm.horizon_years)
    np.testing.assert_allclose(from_pooled[0] + flows.unused_commitment[0], paid_in, rtol=1e-9)


@pytest.mark.parametrize("unspent", ["returned", "retained"])
def test_unspent_money_is_attributed_to_its_payers(gm: Scenario, unspent: str) -> None:
    run = project(with_unspent(gm, unspent), draws=10, seed=1)
    assert_attribution_adds_up(run)
    area = run.agency_summary.set_index("agency").at["police", "invests"]
    other = project(with_unspent(gm, "returned"), draws=10, seed=1).agency_summary.set_index("agency")
    if unspent == "retained":
        assert area > other.at["police", "invests"]


def test_expected_values_are_means_over_the_draws(gm: Scenario) -> None:
    run = project(gm, draws=400, seed=3)
    summary, draws = run.summary, run.headline_draws
    for key in ("reoffences_avoided", "npv_gbp_m", "arrangement_costs_gbp_m"):
        assert summary.at[key, "value"] == pytest.approx(draws[key][1:].mean(), rel=1e-12)
        assert summary.at[key, "central"] == draws[key][0]
    expected_bcr = draws["pv_benefits_gbp_m"][1:].mean() / draws["pv_costs_gbp_m"][1:].mean()
    assert summary.at["benefit_cost_ratio", "value"] == pytest.approx(expected_bcr, rel=1e-12)
    assert run.central_headline("npv_gbp_m") == pytest.approx(project(gm, draws=0).headline("npv_gbp_m"), rel=1e-12)


def test_without_draws_expected_and_central_agree(gm: Scenario) -> None:
    summary = project(gm, draws=0).summary
    np.testing.assert_array_equal(summary.value.to_numpy(), summary.central.to_numpy())
