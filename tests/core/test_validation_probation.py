"""Validation against the one national-scale test of moving a justice service: the 2014 probation reforms.

Transforming Rehabilitation moved most probation work to 21 new providers at once, with no new money for
programmes and little time to build governance. The Public Accounts Committee (HC 1747, 2019) found that it cost
at least £467m more than planned and that reoffences per reoffender rose by 22% (while the share of people who
reoffended fell by 2.5 points, continuing an earlier trend). We run a change like it in every area — probation
moved to a full transfer, no pooled budget, weak readiness (2 of 5 on every condition), agreed at once — and
check that the model points the same way: more reoffences than staying as we are, and a net cost. How close it
comes (far smaller in size) and why is in docs/model.md ("Validation: the 2014 probation reforms").
"""

from __future__ import annotations

from cjcore.areas import AREA_KEYS
from cjcore.engine import project
from cjcore.schema import Scenario
from cjcore.vocab import CONDITION_KEYS


def tr_like(area: str) -> Scenario:
    return Scenario.model_validate({
        "schema": 1, "name": "Transforming Rehabilitation-like change", "area": area, "horizon_years": 5,
        "placements": {"probation": "full_transfer"},
        "funding": {"pooled_budget_gbp_m": 0.0, "national_share": 1.0, "settlement_years": 5, "agreed_in_year": 0,
                    "renewed": True, "reinvest_share": 0.0},
        "governance": {"model": "pcc", "agreed_in_year": 0, "five_conditions": dict.fromkeys(CONDITION_KEYS, 2)},
    })


def national_totals() -> dict[str, float]:
    """England and Wales totals over five years (central), summed over the 43 areas."""
    totals = {"baseline_reoffences": 0.0, "extra_reoffences": 0.0, "net_fiscal_cost_gbp_m": 0.0}
    for area in AREA_KEYS:
        run = project(tr_like(area), draws=0)
        totals["baseline_reoffences"] += float(run.baseline.reoffences[0].sum())
        totals["extra_reoffences"] -= run.headline("reoffences_avoided")
        totals["net_fiscal_cost_gbp_m"] += run.headline("net_fiscal_cost_gbp_m")
    return totals


def test_a_tr_like_change_points_the_way_the_pac_found() -> None:
    totals = national_totals()
    assert totals["extra_reoffences"] > 0, "more reoffences than staying as we are"
    assert totals["net_fiscal_cost_gbp_m"] > 0, "and it costs more"


def test_with_no_disruption_it_would_not() -> None:
    """The direction comes from the transition the model now represents, not from the baseline."""
    calm = {"stage.full_transfer.disruption": 0.0, "stage.full_transfer.reversal_hazard": 0.0}
    run = project(tr_like("greater-manchester").with_changes(overrides=calm), draws=0)
    assert run.headline("reoffences_avoided") == 0
