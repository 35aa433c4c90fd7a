"""Warnings on implausible settings: each says what is odd, why it matters and where to change it.

Shown where the setting is made and on the projections view. Thresholds are judgements, stated in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from cjcore.engine import (
    Params,
    agreement_start,
    baseline_cohorts,
    programme,
    readiness,
    reversal_hazard,
)
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
    p = Params(scenario.overrides, draws=0, seed=None, baseline=scenario.baseline)
    prog = programme(p)
    placed = np.array([FUNCTION_KEYS[i] in set(_placed(scenario)) for i in prog.function_index])
    places = (prog.reach[0] * baseline_cohorts(scenario.area, p).size[0]).sum(axis=1)  # people at full reach
    return float((places * prog.cost[0] * placed).sum() / 1e6)


def _governance(scenario: Scenario) -> list[Finding]:
    ready = readiness(scenario)
    placed = _placed(scenario)
    p: Params | None = None  # central parameters, made only for a stage short of governance (most runs have none)
    out = []
    for stage in STAGE_KEYS[1:]:
        functions = [FUNCTION[f].label for f in placed if scenario.stage_of(f) == stage]
        if not functions:
            continue
        needed = parameter_value(f"stage.{stage}.governance_needed", scenario.overrides)
        if ready < needed:
            if p is None:
                p = Params(scenario.overrides, draws=0, seed=None)
            hazard = reversal_hazard(scenario, p, stage)
            out.append(Finding(
                "governance_short", "spectrum",
                f"{', '.join(functions)} {'is' if len(functions) == 1 else 'are'} placed at {STAGE[stage].label}, "
                f"which needs governance readiness of {needed:.0%}; the five conditions give {ready:.0%}. The "
                f"arrangements are then likelier to stall or be reversed (a {hazard:.0%} chance a year) — strengthen "
                f"governance (Funding & governance) or choose an earlier stage."))
    return out


#: Stages that hold a budget or powers: beyond co-commissioning.
_BEYOND_CO_COMMISSIONING = STAGE_KEYS[STAGE_KEYS.index("co_commissioning") + 1:]
#: Agreement this many years or more after the start is "late" (the 2023 report: early agreement did best).
LATE_AGREEMENT_YEARS = 2
#: A full transfer running sooner than this many years from the start has no precedent among the areas studied.
FULL_TRANSFER_MIN_YEARS = 2


def _seeds(scenario: Scenario) -> list[Finding]:
    """Warnings the two Crest Advisory reports and the probation reforms give reason for."""
    out = []
    if scenario.stage_of("probation") in _BEYOND_CO_COMMISSIONING:
        out.append(Finding(
            "probation_recentralised", "spectrum",
            f"Adult offender management / probation is placed at {STAGE[scenario.stage_of('probation')].label}. "
            "Probation was contracted out in 2014 and brought back into one national service in 2021, after the "
            "reforms cost at least £467m more than planned and reoffences per reoffender rose (Public Accounts "
            "Committee, 2019). A transfer of probation would cut across that national service: expect a long "
            "negotiation and a real chance of reversal."))
    transfers = [FUNCTION[f].label for f in _placed(scenario) if scenario.stage_of(f) == "full_transfer"]
    running_from = agreement_start(scenario) + parameter_value("stage.full_transfer.setup_years", scenario.overrides)
    if transfers and running_from < FULL_TRANSFER_MIN_YEARS:
        out.append(Finding(
            "full_transfer_fast", "spectrum",
            f"{', '.join(transfers)}: a full transfer set up and running within {FULL_TRANSFER_MIN_YEARS} years has "
            "no precedent among the areas Crest Advisory studied (2023), where even co-commissioning took years to "
            "agree. The set-up time is an assumption on the Evidence page; a shorter one is optimistic."))
    late = [name for name, year in (("funding", scenario.funding.agreed_in_year),
                                    ("governance", scenario.governance.agreed_in_year))
            if year >= LATE_AGREEMENT_YEARS]
    if late and _placed(scenario):
        out.append(Finding(
            "agreed_late", "funding",
            f"The {' and '.join(late)} agreement comes in year {agreement_start(scenario) + 1}. "
            "Crest Advisory (2023) found that the areas that agreed funding and governance early did best; here "
            "momentum is lost each year without both agreements and the chance of reversal is higher."))
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
                        f"{', '.join(late)}: the stage's set-up takes longer than the horizon, so none of its new "
                        f"arrangements operate within it, while today's service may be disrupted and the "
                        f"transition paid for. Lengthen the horizon to see the full effect.")]
    return []


def _overrides(scenario: Scenario) -> list[Finding]:
    register = load_register()
    out = []
    for key, value in scenario.overrides.items():
        p = register.parameters.get(key)
        if p is None:
            continue
        if p.ranged:
            low, high = p.model_range  # type: ignore[misc]
            width = high - low
            far = value < low - width or value > high + width
            evidence = f"the evidence range is {low:,.4g} to {high:,.4g}"
        else:
            lo, hi = p.bounds
            central = p.model_value
            far = (value > lo + (hi - lo) / 2) if central == 0 else not (central / 2 <= value <= central * 2)
            evidence = f"the register's value is {central:,.4g}"
        if far:
            out.append(Finding("override_far", "evidence",
                               f"{p.label} is set to {value:g} {p.unit}; {evidence} ({p.status}). Check the "
                               f"source of the new figure."))
    return out


def check(scenario: Scenario) -> list[Finding]:
    """Every implausible setting in a scenario (an empty list when none)."""
    return (_governance(scenario) + _seeds(scenario) + _funding(scenario) + _timing(scenario)
            + _overrides(scenario))
