"""Warnings on implausible settings: each says what is odd, why it matters and where to change it.

Shown where the setting is made and on the projections view. Thresholds are judgements, stated in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from cjcore.engine import Params, agreement_start, baseline_cohorts, governance_fit, programme, readiness
from cjcore.evidence import load_register, parameter_value
from cjcore.schema import Scenario
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, STAGE, STAGE_KEYS

Where = Literal["spectrum", "funding", "evidence"]

#: A budget below this share of the cost of full reach of the placed interventions is "no meaningful reach".
MEANINGFUL_REACH_SHARE = 0.1


@dataclass(frozen=True)
class Finding:
    """One implausible setting: a stable code for tests, the view where it is set, and the message."""

    code: str
    where: Where
    message: str


def _placed(scenario: Scenario) -> list[str]:
    return [f for f in FUNCTION_KEYS if scenario.stage_of(f) != "national"]


def full_reach_cost_gbp_m(scenario: Scenario) -> float:
    """Year-1 cost (£m) of running every placed function's interventions at full reach, at central values."""
    p = Params(scenario.overrides, draws=0, seed=None)
    prog = programme(p)
    placed = np.array([FUNCTION_KEYS[i] in set(_placed(scenario)) for i in prog.function_index])
    places = (prog.reach[0] * baseline_cohorts(scenario.area, p).size[0]).sum(axis=1)  # people at full reach
    return float((places * prog.cost[0] * placed).sum() / 1e6)


def _governance(scenario: Scenario) -> list[Finding]:
    ready = readiness(scenario)
    out = []
    for stage in STAGE_KEYS[1:]:
        functions = [FUNCTION[f].label for f in _placed(scenario) if scenario.stage_of(f) == stage]
        needed = parameter_value(f"stage.{stage}.governance_needed", scenario.overrides)
        if functions and ready < needed:
            out.append(Finding(
                "governance_short", "spectrum",
                f"{', '.join(functions)} {'is' if len(functions) == 1 else 'are'} placed at {STAGE[stage].label}, "
                f"which needs governance readiness of {needed:.0%}; the five conditions give {ready:.0%}. Only "
                f"{governance_fit(ready, needed):.0%} of that stage's control can be delivered — strengthen "
                f"governance (Funding & governance) or choose an earlier stage."))
    return out


def _funding(scenario: Scenario) -> list[Finding]:
    if not _placed(scenario):
        return []
    budget = scenario.funding.pooled_budget_gbp_m
    if budget == 0:
        return [Finding("no_budget", "funding",
                        "There is no pooled budget, so the placed functions cannot fund any intervention and the "
                        "placements have no effect. Set a pooled budget on Funding & governance.")]
    need = full_reach_cost_gbp_m(scenario)
    if budget < MEANINGFUL_REACH_SHARE * need:
        return [Finding("budget_too_small", "funding",
                        f"The pooled budget (£{budget:,.2f}m a year) is under {MEANINGFUL_REACH_SHARE:.0%} of the "
                        f"£{need:,.1f}m a year it would cost to reach everyone eligible for the placed functions' "
                        f"programmes: expect little effect.")]
    return []


def _timing(scenario: Scenario) -> list[Finding]:
    start = agreement_start(scenario)
    horizon = scenario.horizon_years
    if start >= horizon:
        return [Finding("agreed_after_horizon", "funding",
                        f"Funding and governance are both agreed only in year {start + 1}, after the {horizon}-year "
                        f"horizon: nothing can happen within the projection.")]
    late = [FUNCTION[f].label for f in _placed(scenario)
            if start + parameter_value(f"stage.{scenario.stage_of(f)}.setup_years", scenario.overrides) >= horizon
            and scenario.stage_of(f) != "co_design"]
    if late:
        return [Finding("setup_after_horizon", "spectrum",
                        f"{', '.join(late)}: the stage's set-up takes longer than the horizon, so only an earlier "
                        f"stage's arrangements operate within it. Lengthen the horizon to see the full effect.")]
    return []


def _overrides(scenario: Scenario) -> list[Finding]:
    register = load_register()
    out = []
    for key, value in scenario.overrides.items():
        p = register.parameters.get(key)
        if p is None:
            continue
        if p.ranged:
            width = p.high - p.low  # type: ignore[operator]
            far = value < p.low - width or value > p.high + width  # type: ignore[operator]
            evidence = f"the evidence range is {p.low:g} to {p.high:g}"
        else:
            lo, hi = p.bounds
            far = (value > lo + (hi - lo) / 2) if p.value == 0 else not (p.value / 2 <= value <= p.value * 2)
            evidence = f"the register's value is {p.value:g}"
        if far:
            out.append(Finding("override_far", "evidence",
                               f"{p.label} is set to {value:g} {p.unit}; {evidence} ({p.status}). Check the "
                               f"source of the new figure."))
    return out


def check(scenario: Scenario) -> list[Finding]:
    """Every implausible setting in a scenario (an empty list when none)."""
    return _governance(scenario) + _funding(scenario) + _timing(scenario) + _overrides(scenario)
