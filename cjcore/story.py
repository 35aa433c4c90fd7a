"""The story of a scenario: a short plain-English account generated from its numbers.

What is placed where, what is agreed when, what changes, who gains and who pays, and how sure we are. Built
only from a Run, so the words always match the figures on screen and in the briefing.
"""

from __future__ import annotations

import math

import pandas as pd

from cjcore.areas import get_area
from cjcore.engine import Run, agreement_start, funding_in_place, readiness
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, GOVERNANCE, STAGE, STAGE_KEYS


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _money(value: float) -> str:
    return f"{'−' if value < 0 else ''}£{abs(value):,.1f}m"


def _placements(run: Run) -> str:
    sc = run.scenario
    by_stage = {s: [FUNCTION[f].label.lower() for f in FUNCTION_KEYS if sc.stage_of(f) == s] for s in STAGE_KEYS[1:]}
    parts = [f"{_join(fs)} at {STAGE[s].label.lower()}" for s, fs in reversed(by_stage.items()) if fs]
    area = get_area(sc.area).name
    if not parts:
        return f"{area} keeps every function under today's national arrangements, so nothing changes."
    return f"{area} places {_join(parts)}; everything else stays national."


def _deal(run: Run) -> str:
    sc = run.scenario
    f, g = sc.funding, sc.governance
    start = agreement_start(sc)
    when = "at the start" if start == 0 else f"in year {start}, so nothing is delivered before year {start + 1}"
    settlement = "renewed when it ends" if f.renewed else f"for {f.settlement_years} years, not renewed"
    text = (f"A pooled budget of {_money(f.pooled_budget_gbp_m)} a year ({f.national_share:.0%} national), "
            f"{settlement}, with funding and governance both agreed {when}. Governance model: "
            f"{GOVERNANCE[g.model].label}, readiness {readiness(sc):.0%} on the five conditions.")
    budget = float((sc.funding.pooled_budget_gbp_m * funding_in_place(sc, sc.horizon_years)).sum())
    spend = run.summary.at["intervention_spend_gbp_m", "value"]
    if budget > 0 and spend < 0.9 * budget:
        text += (f" Only {_money(spend)} of the {_money(budget)} pooled over the horizon is spent: the rest is more "
                 f"than the placed functions can use at their stages, and lapses.")
    return text


def _change(run: Run) -> str:
    s = run.summary
    avoided = s.at["reoffences_avoided", "value"]
    if avoided <= 0:
        return "The projection shows no fall in reoffending over the horizon."
    band = ""
    if not math.isnan(s.at["reoffences_avoided", "p10"]):
        band = (f" (likely between {s.at['reoffences_avoided', 'p10']:,.0f} and "
                f"{s.at['reoffences_avoided', 'p90']:,.0f})")
    return (f"Over {run.scenario.horizon_years} years about {avoided:,.0f} proven reoffences are avoided{band}, "
            f"the reoffending rate falls by {-s.at['reoffending_rate_change_pp', 'value']:.2f} percentage points by "
            f"the final year, and {s.at['prison_places_avoided', 'value']:,.0f} prison places and "
            f"{s.at['court_cases_avoided', 'value']:,.0f} court cases are saved.")


def _who(run: Run) -> str:
    s, agencies = run.summary, run.agency_summary.set_index("agency")
    if s.at["intervention_spend_gbp_m", "value"] <= 0:
        return ""
    payers = agencies[agencies.invests > 0].sort_values("invests", ascending=False)
    gainers = agencies[agencies.net > 0].sort_values("net", ascending=False)
    text = (f"The programmes cost {_money(s.at['intervention_spend_gbp_m', 'value'])}, paid mainly by "
            f"{_join([r.label for r in payers.head(2).itertuples()])}.")
    if not gainers.empty:
        text += (f" The biggest gains go to {_join([r.label for r in gainers.head(2).itertuples()])}"
                 f" ({_join([_money(r.net) for r in gainers.head(2).itertuples()])}).")
    area = agencies.loc["police"]
    text += (f" The area's own net position is {_money(s.at['area_net_gbp_m', 'value'])} (discounted), after "
             f"{_money(area.transfer)} of savings returned to it by the deal.")
    return text


def _sure(run: Run) -> str:
    s = run.summary
    if s.at["intervention_spend_gbp_m", "value"] <= 0:
        return ""
    npv, bcr = s.at["npv_gbp_m", "value"], s.at["benefit_cost_ratio", "value"]
    text = f"The net present value is {_money(npv)}"
    if not math.isnan(bcr):
        text += f", {bcr:.2f} of economic benefit for every £1 spent"
    if run.draws:
        text += (f"; benefits exceed costs in {s.at['chance_npv_positive', 'value']:.0%} of the uncertainty draws, "
                 f"and the area breaks even in {s.at['chance_area_breaks_even', 'value']:.0%}")
    return text + ". Effect sizes and several costs are uncertain; see the Evidence page for which are assumptions."


def story(run: Run) -> list[str]:
    """The story as short paragraphs (plain text)."""
    return [p for p in (_placements(run), _deal(run), _change(run), _who(run), _sure(run)) if p]


def story_frame(run: Run) -> pd.DataFrame:
    """The story as a one-column table, for exports."""
    return pd.DataFrame({"paragraph": story(run)})
