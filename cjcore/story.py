"""The story of a scenario: a short plain-English account generated from its numbers.

What is placed where, what is agreed when, what changes (and whether it first gets worse: the J-curve), who
gains and who pays, and how sure we are. Built only from a Run, so the words always match the figures on screen
and in the briefing. Two more accounts read the trade-off tables of `cjcore.report`: `tradeoff_sentences` (what each
placed function adds, and where going further stops paying) and `postcode_sentences` (the postcode lottery).
"""

from __future__ import annotations

import math

import pandas as pd

from cjcore.areas import get_area
from cjcore.engine import Run, agreement_start, funding_in_place, readiness
from cjcore.evidence import load_register
from cjcore.precision import money_m, no_change, number
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.report import PostcodeLottery, overtake_year, starts_behind, years_above
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, GOVERNANCE, STAGE, STAGE_KEYS


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def _rate_change(pp: float) -> str:
    """The final-year change in the reoffending rate in words, 'no change' when it rounds to 0.00 points."""
    if no_change(pp, 2):
        return "the reoffending rate shows no change by the final year (less than 0.005 percentage points)"
    return f"the reoffending rate {'falls' if pp < 0 else 'rises'} by {abs(pp):.2f} percentage points by the final year"


def _saved(count: float, noun: str, verb: str) -> str:
    """'9 prison places are freed', '3 more prison places are needed' or 'prison places show no change'."""
    if no_change(count, 0):
        return f"{noun} show no change"
    if count < 0:
        return f"{-count:,.0f} more {noun} are needed"
    return f"{count:,.0f} {noun} {verb}"


def _years(years: tuple[int, ...]) -> str:
    """'the first year', 'the first 2 years', 'year 3', 'years 2 to 3' or 'years 2, 4 and 5'."""
    if years == tuple(range(1, len(years) + 1)):
        return "the first year" if len(years) == 1 else f"the first {len(years)} years"
    if len(years) == 1:
        return f"year {years[0]}"
    if years == tuple(range(years[0], years[-1] + 1)):
        return f"years {years[0]} to {years[-1]}"
    return "years " + _join([str(y) for y in years])


def jcurve(run: Run) -> str:
    """The J-curve in one sentence, when the scenario starts with more reoffending than today ('' otherwise).

    The years in which reoffending is higher than today's, and the year from which the scenario's reoffences,
    counted since the start, stay below today's (`cjcore.report.overtake_year`), or that they do not within the
    horizon. Central estimate.
    """
    if not starts_behind(run):
        return ""
    year = overtake_year(run)
    above = tuple(y for y in years_above(run) if year is None or y < year)
    when = _years(above)
    lead = f"Reoffending is higher than today's {'for' if when.startswith('the') else 'in'} {when} while the new " \
           "arrangements are set up"
    if year is None:
        return (f"{lead}; taking the years together, it is still above today's at the end of the "
                f"{run.scenario.horizon_years}-year horizon.")
    return f"{lead}; taking the years together, it falls below today's from year {year}."


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
    text = (f"A pooled budget of {money_m(f.pooled_budget_gbp_m)} a year ({f.national_share:.0%} national), "
            f"{settlement}, with funding and governance both agreed {when}. Governance model: "
            f"{GOVERNANCE[g.model].label}, readiness {readiness(sc):.0%} on the five conditions.")
    note = budget_note(run)
    return f"{text} {note}" if note else text


def committed_budget(run: Run) -> float:
    """The pooled budget committed over the horizon (£m): the yearly budget in each year it is paid in."""
    sc = run.scenario
    return float((sc.funding.pooled_budget_gbp_m * funding_in_place(sc, sc.horizon_years)).sum())


def budget_note(run: Run) -> str:
    """When the pooled budget is more than the placed functions can use: how much they can, and what that means.

    Said next to the budget control and in the story, so a budget raised past what can be used does not change
    nothing silently. The used share is the committed budget less the model's `committed_unused_gbp_m` (expected
    value); '' when all of it is used.
    """
    committed = committed_budget(run)
    unused = float(run.summary.at["committed_unused_gbp_m", "value"])
    if committed <= 0 or no_change(unused, 1):
        return ""
    fate = ("is returned to those who paid it" if run.scenario.funding.unspent == "returned" else
            "is kept in the pooled budget and counted as spent in the appraisal")
    return (f"Only {money_m(committed - unused)} of the {money_m(committed)} committed over the horizon "
            f"(expected value, {PRICE_BASE_LABEL}) can be used by the programmes of the functions placed, at their "
            f"stages; the rest {fate}. A bigger budget changes nothing until a function moves further along the "
            "spectrum or another is placed.")


def stage_notes(run: Run) -> dict[str, str]:
    """Why a function placed beyond national changes no outcome: its programmes get no money (central run).

    For each placed function whose programmes spend nothing over the horizon, the reason read from the model: no
    pooled budget, a budget all used by programmes that avoid more reoffences per pound, or no money within the
    horizon. Moving such a function between stages changes only its transition and governance costs.
    """
    sc = run.scenario
    spend: dict[str, float] = {}  # central spend by function over the horizon, as `Run.drivers` (without its table)
    for intervention, amount in zip(load_register().interventions, run.flows.spend_by[0].sum(axis=0).tolist(),
                                    strict=True):
        spend[intervention.function] = spend.get(intervention.function, 0.0) + amount
    committed = committed_budget(run)
    all_used = bool((run.flows.unused_commitment[0] <= 1e-9).all())
    notes = {}
    for function in FUNCTION_KEYS:
        stage = sc.stage_of(function)
        if stage == STAGE_KEYS[0] or spend.get(function, 0.0) > 1e-9:
            continue
        if committed <= 0:
            why = "there is no pooled budget, so none of its programmes run (set one on Funding & governance)"
        elif all_used:
            why = (f"the pooled budget ({money_m(sc.funding.pooled_budget_gbp_m)} a year) is all used by programmes "
                   "that avoid more reoffences per pound")
        else:
            why = "none of its programmes is funded within the horizon"
        notes[function] = (f"At {STAGE[stage].label.lower()} this changes no outcome: {why}. Moving it between "
                           "stages changes only its transition and governance costs.")
    return notes


def _change(run: Run) -> str:
    s = run.summary
    avoided = s.at["reoffences_avoided", "value"]
    curve = jcurve(run)
    band = ""
    if not math.isnan(s.at["reoffences_avoided", "p10"]):
        band = (f" (expected value over the uncertainty draws; likely between "
                f"{number(s.at['reoffences_avoided', 'p10'])} and {number(s.at['reoffences_avoided', 'p90'])})")
    if no_change(avoided, 0):
        return "The projection shows no change in reoffending over the horizon."
    if avoided < 0:
        return (f"Over {run.scenario.horizon_years} years about {-avoided:,.0f} more proven reoffences are committed "
                f"than under today's arrangements{band}: the disruption to today's services while the new arrangements "
                f"are set up outweighs what they achieve within the horizon. {curve}").strip()
    text = (f"Over {run.scenario.horizon_years} years about {avoided:,.0f} proven reoffences are avoided{band}, "
            f"{_rate_change(s.at['reoffending_rate_change_pp', 'value'])}; "
            f"{_saved(s.at['prison_places_avoided', 'value'], 'prison places', 'are freed')} and "
            f"{_saved(s.at['court_cases_avoided', 'value'], 'court cases', 'are saved')}.")
    if curve:
        text += f" It gets worse before it gets better: {curve[0].lower()}{curve[1:]}"
    return text


def _who(run: Run) -> str:
    s, agencies = run.summary, run.agency_summary.set_index("agency")
    if s.at["intervention_spend_gbp_m", "value"] <= 0:
        return ""
    payers = agencies[agencies.invests > 0].sort_values("invests", ascending=False)
    gainers = agencies[agencies.net > 0].sort_values("net", ascending=False)
    text = (f"The programmes cost {money_m(s.at['intervention_spend_gbp_m', 'value'])}, paid mainly by "
            f"{_join([r.label for r in payers.head(2).itertuples()])}.")
    if not gainers.empty:
        text += (f" The biggest gains go to {_join([r.label for r in gainers.head(2).itertuples()])}"
                 f" ({_join([money_m(r.net) for r in gainers.head(2).itertuples()])}).")
    area = agencies.loc["police"]
    text += (f" The area's own net position is {money_m(s.at['area_net_gbp_m', 'value'])} (discounted), after "
             f"{money_m(area.transfer)} of savings returned to it by the deal.")
    return text


def _sure(run: Run) -> str:
    s = run.summary
    arrangements = s.at["arrangement_costs_gbp_m", "value"]
    if s.at["intervention_spend_gbp_m", "value"] <= 0 and arrangements <= 0:
        return ""
    npv, bcr = s.at["npv_gbp_m", "value"], s.at["benefit_cost_ratio", "value"]
    text = f"The net present value is {money_m(npv)}"
    if not math.isnan(bcr):
        text += (f", {bcr:.2f} of economic benefit for every £1 of cost" if bcr >= 0 else
                 ", with no economic benefit to set against the costs (reoffending rises)")
    bias = s.at["optimism_bias_gbp_m", "value"]
    if arrangements > 0:
        text += f", after {money_m(arrangements)} of one-off transition and yearly governance costs"
    if bias > 0:
        text += (f"{' and' if arrangements > 0 else ', after'} {money_m(bias)} of optimism bias (the Green Book "
                 "adjustment to costs)")
    text += "."
    if run.draws:
        better = s.at["chance_npv_positive", "value"]
        worse, more = s.at["chance_npv_negative", "value"], s.at["chance_more_reoffences", "value"]
        text += (f" Across the uncertainty draws, benefits exceed costs in {_percent(better)} of them; the chance "
                 f"that this path does worse than staying as we are (costs exceed benefits) is "
                 f"{_percent(worse)}, ")
        text += ("and no draw has more reoffences than staying as we are" if more == 0 else
                 f"and the chance of more reoffences than staying as we are is {_percent(more)}")
        text += f"; the area breaks even in {_percent(s.at['chance_area_breaks_even', 'value'])}."
    return text + " Effect sizes and several costs are uncertain; see the Evidence page for which are assumptions."


def story(run: Run) -> list[str]:
    """The story as short paragraphs (plain text)."""
    return [p for p in (_placements(run), _deal(run), _change(run), _who(run), _sure(run)) if p]


def story_frame(run: Run) -> pd.DataFrame:
    """The story as a one-column table, for exports."""
    return pd.DataFrame({"paragraph": story(run)})


#: The columns of `cjcore.report.stage_tradeoff` that `tradeoff_sentences` reads.
_TRADEOFF_READ = ("function", "stage", "current", "reoffences_avoided", "reoffences_avoided_p10", "npv_gbp_m",
                  "chance_more_reoffences", "chance_npv_negative")


def tradeoff_sentences(tradeoff: pd.DataFrame, horizon_years: int) -> list[str]:
    """What each placed function adds at its stage and where going further stops paying, one sentence each.

    Read from `cjcore.report.stage_tradeoff`: for each function placed beyond national, its reoffences avoided and
    net present value against leaving it national, the stage that would avoid the most reoffences if that is not
    the placed one, and the chances of doing worse than leaving it national when there are draws.
    """
    by_function: dict[str, dict[str, dict]] = {}
    # Plain rows of only the columns read, from one array: pandas' own records cost more than the sentences.
    for values in tradeoff[list(_TRADEOFF_READ)].to_numpy(dtype=object).tolist():
        record = dict(zip(_TRADEOFF_READ, values, strict=True))
        by_function.setdefault(record["function"], {})[record["stage"]] = record
    out = []
    for function in FUNCTION_KEYS:
        rows = by_function[function]
        placed = next(stage for stage, r in rows.items() if r["current"])
        if placed == STAGE_KEYS[0]:
            continue
        row = rows[placed]
        name, stage = FUNCTION[function].label, STAGE[placed].label.lower()
        text = (f"{name} at {stage}: about {number(row['reoffences_avoided'])} reoffences avoided over {horizon_years} "
                f"years and {money_m(row['npv_gbp_m'])} net present value, against leaving it national.")
        best = max(STAGE_KEYS, key=lambda s: rows[s]["reoffences_avoided"])
        if best != placed and rows[best]["reoffences_avoided"] > row["reoffences_avoided"] + 0.5:
            further = STAGE_KEYS.index(best) < STAGE_KEYS.index(placed)
            text += (f" {'Going this far costs reoffences: it' if further else 'It'} would avoid the most at "
                     f"{STAGE[best].label.lower()} (about {number(rows[best]['reoffences_avoided'])}).")
        if not math.isnan(row["reoffences_avoided_p10"]):
            text += (f" Chance of more reoffences than leaving it national: {_percent(row['chance_more_reoffences'])};"
                     f" of costing more than it brings: {_percent(row['chance_npv_negative'])}.")
        out.append(text)
    return out


def _points(share: float) -> str:
    """A difference of two rates as percentage points, e.g. '0.39 percentage points'."""
    return f"{abs(100 * share):.2f} percentage points"


def _relative(gap: float) -> str:
    """'0.39 percentage points below', '… above' or 'level with'."""
    if round(100 * gap, 2) == 0:
        return "level with"
    return f"{_points(gap)} {'below' if gap < 0 else 'above'}"


def _today(gap: float | None) -> str:
    return "level" if gap is None or round(100 * gap, 2) == 0 else _relative(gap)


def postcode_sentences(lottery: PostcodeLottery, horizon_years: int) -> list[str]:
    """The postcode lottery in words: where the area's rate would stand against England and Wales and its region.

    Read from `cjcore.report.postcode_lottery` (central estimates, final year of the horizon).
    """
    area = get_area(lottery.area).name
    before, after = lottery.area_before, lottery.area_after
    first = (f"If only {area} devolves as on screen, its proven reoffending rate in year {horizon_years} would be "
             f"{100 * after:.2f}%, against {100 * before:.2f}% under today's arrangements. That puts it "
             f"{_relative(lottery.gap_national('after'))} the England and Wales rate of "
             f"{100 * lottery.national('after'):.2f}% (today: {_today(lottery.gap_national('before'))})")
    region_gap = lottery.gap_region("after")
    if region_gap is not None:
        place = lottery.region if lottery.region in ("Wales", "London") else f"the {lottery.region}"
        first += (f", and {_relative(region_gap)} the other areas of {place} "
                  f"(today: {_today(lottery.gap_region('before'))})")
    spread_before, spread_after = lottery.spread("before"), lottery.spread("after")
    if round(100 * (spread_after - spread_before), 2) == 0:
        spread = f"stays {_points(spread_after)}"
    else:
        spread = f"goes from {_points(spread_before)} to {_points(spread_after)}"
    std_before, std_after = lottery.std("before"), lottery.std("after")
    if round(100 * (std_after - std_before), 2) == 0:
        typical = f"stays {_points(std_after)}"
    else:
        typical = f"goes from {_points(std_before)} to {_points(std_after)}"
    second = (f"Across all 43 areas of England and Wales the gap between the highest and lowest rate {spread}; the "
              f"typical distance from the average (standard deviation, weighted by cohort) {typical}.")
    return [first + ".", second]
