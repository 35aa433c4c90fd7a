"""What changed between two scenarios, in plain English: for the "what changed" list and the undo history."""

from __future__ import annotations

from cjcore.evidence import load_register
from cjcore.schema import Scenario
from cjcore.vocab import CONDITION, FUNCTION, FUNCTION_KEYS, GOVERNANCE, STAGE

_FUNDING = {
    "pooled_budget_gbp_m": ("Pooled budget", lambda v: f"£{v:,.1f}m a year"),
    "national_share": ("National share of the budget", lambda v: f"{100 * v:.0f}%"),
    "settlement_years": ("Settlement length", lambda v: f"{v} years"),
    "agreed_in_year": ("Funding agreed in year", str),
    "renewed": ("Settlement renewed", lambda v: "yes" if v else "no"),
    "reinvest_share": ("Share of retained savings reinvested", lambda v: f"{100 * v:.0f}%"),
}


def policy_changes(before: Scenario, after: Scenario) -> list[str]:
    """Changes to the policy choices: placements, funding, governance, horizon, area."""
    out: list[str] = []
    if before.area != after.area:
        from cjcore.areas import get_area

        out.append(f"Area: {get_area(before.area).name} → {get_area(after.area).name}")
    for f in FUNCTION_KEYS:
        if before.stage_of(f) != after.stage_of(f):
            out.append(f"{FUNCTION[f].label}: {STAGE[before.stage_of(f)].label} → {STAGE[after.stage_of(f)].label}")
    for name, (label, show) in _FUNDING.items():
        a, b = getattr(before.funding, name), getattr(after.funding, name)
        if a != b:
            out.append(f"{label}: {show(a)} → {show(b)}")
    g0, g1 = before.governance, after.governance
    if g0.model != g1.model:
        out.append(f"Governance model: {GOVERNANCE[g0.model].label} → {GOVERNANCE[g1.model].label}")
    if g0.agreed_in_year != g1.agreed_in_year:
        out.append(f"Governance agreed in year: {g0.agreed_in_year} → {g1.agreed_in_year}")
    for key, term in CONDITION.items():
        a, b = getattr(g0.five_conditions, key), getattr(g1.five_conditions, key)
        if a != b:
            out.append(f"{term.label} score: {a} → {b}")
    if before.horizon_years != after.horizon_years:
        out.append(f"Horizon: {before.horizon_years} → {after.horizon_years} years")
    return out


def assumption_changes(before: Scenario, after: Scenario) -> list[str]:
    """Changes to the assumptions: the area's own baseline figures, evidence-register overrides."""
    register = load_register()
    out = []
    if before.baseline != after.baseline:
        if after.baseline is None:
            out.append("Own baseline figures removed: the derived area figures are used again")
        else:
            verb = "supplied" if before.baseline is None else "changed"
            out.append(f"Own baseline figures {verb} (source: {after.baseline.source.strip()})")
    for key in sorted(set(before.overrides) | set(after.overrides)):
        p = register.parameters.get(key)
        a = before.overrides.get(key, p.value if p else None)
        b = after.overrides.get(key, p.value if p else None)
        if a != b:
            out.append(f"{p.label if p else key}: {a:g} → {b:g} {p.unit if p else ''}".rstrip())
    return out


def other_changes(before: Scenario, after: Scenario) -> list[str]:
    """Changes to the name, description and notes."""
    out = []
    if before.name != after.name:
        out.append(f"Name: {before.name} → {after.name}")
    if before.description != after.description:
        out.append("Description edited")
    if before.notes != after.notes:
        out.append(f"Notes: {len(before.notes)} → {len(after.notes)}" if len(before.notes) != len(after.notes)
                   else "Notes edited")
    return out


def all_changes(before: Scenario, after: Scenario) -> list[str]:
    """Every change, policy first, then assumptions, then the rest."""
    return policy_changes(before, after) + assumption_changes(before, after) + other_changes(before, after)
