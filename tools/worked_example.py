"""The worked example and generated tables of docs/model.md, computed by hand and checked against the engine.

Why this script exists: docs/model.md promises that a reader can reproduce any number of the model by hand.
This script does that arithmetic for year 1 of ``scenarios/greater-manchester.yaml`` (and year 2 for one
cohort) in plain Python floats (no numpy, none of the engine's functions), straight from the evidence register
and the area baseline, and checks every hand-computed number against ``cjcore.engine.project``: the funding
order by reoffences avoided over the horizon per net pound, the savings kept and reinvested in the same year,
the flows and demand, the money by agency (who puts in, who gains, what is transferred) and the headlines. It
then writes the generated parts of docs/model.md (the worked example, the parameter table, who pays the
national share of each function, and the warning thresholds), so the doc always quotes the engine's current
numbers and the register's current values::

    .venv/bin/python tools/worked_example.py              # print the worked example; exit 1 if a check fails
    .venv/bin/python tools/worked_example.py --params     # print the parameter table (Markdown)
    .venv/bin/python tools/worked_example.py --write      # rewrite the generated blocks of docs/model.md
    .venv/bin/python tools/worked_example.py --check      # exit 1 if a check fails or docs/model.md is stale
    .venv/bin/python tools/worked_example.py --all-checks # print every hand-vs-engine comparison

``problems()`` is the same check as ``--check`` for use in-process (tests/core/test_model_doc.py).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cjcore import engine  # noqa: E402
from cjcore.areas import get_area  # noqa: E402
from cjcore.checks import MEANINGFUL_REACH_SHARE, check, full_reach_cost_gbp_m  # noqa: E402
from cjcore.evidence import load_register  # noqa: E402
from cjcore.money import net_by_agency  # noqa: E402
from cjcore.schema import Scenario  # noqa: E402
from cjcore.story import story  # noqa: E402
from cjcore.vocab import (  # noqa: E402
    AGENCY,
    AGENCY_KEYS,
    COHORT_KEYS,
    FUNCTION,
    FUNCTION_KEYS,
    FUNCTION_PAYER,
    MONEY_CATEGORY,
    MONEY_CATEGORY_KEYS,
    SERIES_BASELINE,
    SERIES_DEFAULT_BASELINE,
    SERIES_SCENARIO,
    STAGE_KEYS,
)

DOC = ROOT / "docs" / "model.md"
SCENARIO_FILE = ROOT / "scenarios" / "greater-manchester.yaml"
BLOCKS = ("payers", "warnings", "parameters", "worked-example")
TOLERANCE = 1e-9  # relative difference allowed between a hand-computed number and the engine's
ILLUSTRATIVE_BUDGET_GBP_M = 0.15  # a budget small enough that the funding order matters in year 1
ASSUMPTION = ("custody_per_offence", 0.06)  # an override for the "policy or assumption" step
DRAWS, SEED = 1000, 1  # the uncertainty run quoted in the doc
UNCERTAIN_HEADLINES = ("reoffences_avoided", "prison_places_avoided", "intervention_spend_gbp_m",
                       "cashable_savings_gbp_m", "economic_benefit_gbp_m", "npv_gbp_m", "benefit_cost_ratio",
                       "area_net_gbp_m", "chance_npv_positive", "chance_area_breaks_even")
CHANCES = ("chance_npv_positive", "chance_area_breaks_even")

AGENCY_VOLUME = {"police": "arrests", "courts": "court_cases", "prisons": "prison_places",
                 "probation": "probation_caseload"}
UNIT_COST = {"police": "police_cost_per_arrest_gbp", "courts": "court_cost_per_case_gbp",
             "prisons": "prison_cost_per_place_gbp", "probation": "probation_cost_per_case_gbp"}
JUSTICE = ("police", "courts", "prisons", "probation")  # agencies with a unit cost, in the engine's order
NATIONAL = ("courts", "prisons", "probation")  # the national budgets the area's retained savings come from
AREA = "police"  # the PCC or mayor, and police
FLOW_METRICS = ("reoffending_rate", "reoffenders", "reoffences", "arrests", "court_cases", "custody_receptions",
                "prison_places", "probation_caseload")


# ----------------------------------------------------------------------------------------------- formatting
def f4(x: float, sig: int = 4) -> str:
    """A number to `sig` significant figures (whole numbers of 1,000 or more in full, with separators)."""
    if abs(x) < 1e-12 or not math.isfinite(x):  # rounding noise (a sum of transfers) reads as 0
        return "0" if math.isfinite(x) else ("∞" if x > 0 else str(x))
    if abs(x) >= 10 ** (sig - 1):
        return f"{x:,.0f}"  # whole numbers of 1,000 or more in full
    x = float(f"{x:.{sig - 1}e}")  # round first, so a carry (0.099996 -> 0.1000) sets the decimals
    if abs(x) >= 10 ** (sig - 1):
        return f"{x:,.0f}"
    decimals = sig - 1 - math.floor(math.log10(abs(x)))
    return f"{x:,.{decimals}f}"


def money_m(x: float) -> str:
    """£m to 4 significant figures, the sign in front of the pound sign."""
    return f"{'−' if x < 0 else ''}£{f4(abs(x))}m"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A Markdown table; `align` is one letter per column, l or r (default: first left, rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---" if a == "l" else "---:" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    """min(hi, max(lo, x))."""
    return min(hi, max(lo, x))


# ----------------------------------------------------------------------------------------------- inputs
def load() -> Scenario:
    """The Greater Manchester scenario, read with yaml.safe_load and validated by the schema."""
    return Scenario.model_validate(yaml.safe_load(SCENARIO_FILE.read_text(encoding="utf-8")))


def value(sc: Scenario, key: str) -> float:
    """A parameter's central value: the scenario's override, else the register's (custody_diversion: 0)."""
    if key in sc.overrides:
        return float(sc.overrides[key])
    reg = load_register()
    if key in reg.parameters:
        return reg[key].value
    if key.endswith(".custody_diversion"):
        return 0.0
    raise KeyError(key)


# ----------------------------------------------------------------------------------------------- by hand
class Hand:
    """Year 1 (and the year-2 allocation) of a scenario by hand, in plain floats, from the register and area file."""

    def __init__(self, sc: Scenario, budget: float | None = None) -> None:
        self.sc = sc
        v: Callable[[str], float] = lambda k: value(sc, k)  # noqa: E731
        self.v = v
        area = get_area(sc.area)
        self.area = area
        g = area.groups
        # -- baseline cohorts (3.1)
        self.groups = {k: (x.offenders, x.reoffenders, x.reoffences) for k, x in g.items()}
        s, k = v("women_share_25plus"), v("women_rate_ratio")
        r25 = g["adults_25plus"].reoffenders / g["adults_25plus"].offenders
        f25 = g["adults_25plus"].reoffences / g["adults_25plus"].reoffenders
        self.r25, self.f25 = r25, f25
        self.rate_men = r25 / ((1 - s) + k * s)
        n25 = g["adults_25plus"].offenders
        self.N = {"young_people": g["young_people"].offenders, "young_adults": g["young_adults"].offenders,
                  "adult_men": n25 * (1 - s), "adult_women": n25 * s}
        self.r = {"young_people": g["young_people"].reoffenders / g["young_people"].offenders,
                  "young_adults": g["young_adults"].reoffenders / g["young_adults"].offenders,
                  "adult_men": self.rate_men, "adult_women": self.rate_men * k}
        self.f = {"young_people": g["young_people"].reoffences / g["young_people"].reoffenders,
                  "young_adults": g["young_adults"].reoffences / g["young_adults"].reoffenders,
                  "adult_men": f25, "adult_women": f25}
        # -- policy (3.2-3.7)
        c = sc.governance.five_conditions
        self.scores = [c.objectives, c.local_picture, c.cohort_knowledge, c.accountability, c.buy_in]
        self.R = sum(self.scores) / 25
        self.gf = v(f"governance_factor.{sc.governance.model}")
        self.floor = v("fidelity_floor")
        self.F = self.gf * (self.floor + (1 - self.floor) * self.R)
        self.start = max(sc.funding.agreed_in_year, sc.governance.agreed_in_year)
        self.H = sc.horizon_years
        self.h = v("cohort_return_share")
        fin = sc.funding
        self.budget = fin.pooled_budget_gbp_m if budget is None else budget
        self.eta, self.nu = fin.reinvest_share, fin.national_share
        # -- what a reoffence and a diverted sentence cost national budgets in cash, and the system (3.8, 3.14)
        kappa, tau = v("custody_per_offence"), v("prison_years_per_custodial_sentence")
        self.n_parts = {
            "courts": v("court_cases_per_offence") * v("court_cost_per_case_gbp") * v("cashable_share_courts"),
            "prisons": kappa * tau * v("prison_cost_per_place_gbp") * v("cashable_share_prisons"),
            "probation": v("probation_years_per_offence") * v("probation_cost_per_case_gbp")
            * v("cashable_share_probation"),
        }
        self.n_nat = sum(self.n_parts.values())
        self.m_div = (tau * v("prison_cost_per_place_gbp") * v("cashable_share_prisons")
                      - v("community_order_years") * v("probation_cost_per_case_gbp") * v("cashable_share_probation"))
        self.p_sys_parts = {
            "police": v("arrests_per_offence") * v("police_cost_per_arrest_gbp"),
            "courts": v("court_cases_per_offence") * v("court_cost_per_case_gbp"),
            "prisons": kappa * tau * v("prison_cost_per_place_gbp"),
            "probation": v("probation_years_per_offence") * v("probation_cost_per_case_gbp"),
        }
        self.p_sys = sum(self.p_sys_parts.values())
        best, self.theta = 0.0, {"national": 0.0}
        for stage in STAGE_KEYS[1:]:
            best = max(best, v(f"stage.{stage}.savings_retained"))
            self.theta[stage] = best
        # -- each intervention at full realisation (3.8)
        self.ivs: list[dict[str, Any]] = []
        for iv in load_register().interventions:
            stage = sc.stage_of(iv.function)
            reach = v(f"{iv.key}.eligible_share") * v(f"{iv.key}.max_reach")
            cost, effect = v(f"{iv.key}.cost_per_participant_gbp"), v(f"{iv.key}.effect")
            diversion = v(f"{iv.key}.custody_diversion")
            places = {c: reach * self.N[c] for c in iv.cohorts}
            per_participant = {c: max(0.0, self.r[c] * self.f[c] * (effect * self.n_nat
                                                                    + diversion * kappa * self.m_div))
                               for c in iv.cohorts}
            people = sum(places.values())
            saving = sum(places[c] * per_participant[c] for c in places) / 1e6
            gross = people * cost / 1e6
            kept = self.theta[stage] * saving
            self.ivs.append(dict(
                iv=iv, stage=stage, reach=reach, cost=cost, effect=effect, diversion=diversion, places=places,
                people=people, gross=gross, per_participant=per_participant, saving=saving,
                theta=self.theta[stage], kept=kept, net=gross - self.eta * kept,
                avoided_full=effect * sum(places[c] * self.r[c] * self.f[c] for c in places)))
        # -- year 1: allocation, flows, money
        self.y1 = self.allocate(0)
        self.base = {c: self.cohort_flows(c, self.N[c], None) for c in COHORT_KEYS}
        self.scen = {c: self.cohort_flows(c, self.N[c], self.y1) for c in COHORT_KEYS}
        self.entrants = {c: self.N[c] - self.h * self.N[c] * self.r[c] for c in COHORT_KEYS}
        self.next_size = {c: self.entrants[c] + self.h * self.scen[c]["reoffenders"] for c in COHORT_KEYS}
        self.cost = {series: {a: sum(fl[c][AGENCY_VOLUME[a]] for c in COHORT_KEYS) * v(UNIT_COST[a]) / 1e6
                              for a in JUSTICE}
                     for series, fl in (("baseline", self.base), ("scenario", self.scen))}
        self.saving = {a: self.cost["baseline"][a] - self.cost["scenario"][a] for a in JUSTICE}
        self.cashable_by = {a: self.saving[a] * v(f"cashable_share_{a}") for a in JUSTICE}
        self.cashable = sum(self.cashable_by.values())
        self.avoided = sum(self.base[c]["reoffences"] - self.scen[c]["reoffences"] for c in COHORT_KEYS)
        self.cor = {s_: sum(fl[c]["reoffences"] for c in COHORT_KEYS) * v("cost_per_reoffence_gbp") / 1e6
                    for s_, fl in (("baseline", self.base), ("scenario", self.scen))}
        self.beyond = (v("cost_per_reoffence_gbp") - self.p_sys) / 1e6
        self.benefit = self.avoided * self.beyond + sum(self.saving.values())
        self.money = self.agency_money()
        # -- year 2 (index 1): the allocation, and the cohorts on which last year's places now sit
        self.y2 = self.allocate(1) if self.H > 1 else None
        if self.y2 is not None:
            self.scen2 = {c: self.cohort_flows(c, self.next_size[c], self.y2) for c in COHORT_KEYS}

    # -- policy over time
    def stage_rows(self, t: int) -> list[tuple[str, float, float, float, float, float, float, float]]:
        """For each stage: local control, governance needed, fit, set-up, ramp, capacity and best so far."""
        v, rows, best = self.v, [], 0.0
        for stage in STAGE_KEYS[1:]:
            local, needed = v(f"stage.{stage}.local_control"), v(f"stage.{stage}.governance_needed")
            fit = 1.0 if needed <= 0 else min(1.0, self.R / needed)
            setup = v(f"stage.{stage}.setup_years")
            ramp = clip((t - self.start - setup + 1) / v("ramp_years"))
            cap = local * fit * ramp
            best = max(best, cap)
            rows.append((stage, local, needed, fit, setup, ramp, cap, best))
        return rows

    def control(self, t: int) -> dict[str, float]:
        """Effective control of a function placed at each stage in year index t."""
        return {"national": 0.0, **{row[0]: row[7] for row in self.stage_rows(t)}}

    def funded(self, t: int) -> bool:
        """Whether the pooled budget is paid in year index t."""
        fin = self.sc.funding
        return t >= fin.agreed_in_year and (fin.renewed or t < fin.agreed_in_year + fin.settlement_years)

    def years_without(self, t: int) -> int:
        """Years up to and including t without both agreements in place."""
        return sum(1 for u in range(t + 1) if not (self.funded(u) and u >= self.sc.governance.agreed_in_year))

    def sustain(self, t: int) -> float:
        """Momentum kept in year index t."""
        return (1 - self.v("policy_conflict_decay")) ** self.years_without(t)

    def worth(self, t: int) -> dict[str, float]:
        """Reoffences over the rest of the horizon per reoffence avoided in year t, by cohort: Σ (h r)^k."""
        return {c: sum((self.h * self.r[c]) ** k for k in range(self.H - t)) for c in COHORT_KEYS}

    # -- the funding allocation (3.9)
    def allocate(self, t: int) -> dict[str, Any]:
        """Rank, fund and realise every intervention in year index t."""
        control, sustain = self.control(t), self.sustain(t)
        pooled = self.budget if self.funded(t) else 0.0
        worth = self.worth(t)
        rows = []
        for d in self.ivs:
            delivery = control[d["stage"]] * self.F * sustain
            horizon_value = d["effect"] * sum(d["places"][c] * self.r[c] * self.f[c] * worth[c] for c in d["places"])
            rows.append(dict(d=d, delivery=delivery, value=horizon_value,
                             ratio=horizon_value / d["net"] if d["net"] > 0 else math.inf,
                             net_now=d["net"] * delivery))
        order = sorted(range(len(rows)), key=lambda i: -rows[i]["ratio"])  # stable: ties keep the register order
        before = 0.0
        for rank, i in enumerate(order, start=1):
            y = rows[i]
            y["rank"], y["before"] = rank, before
            share = 1.0 if y["net_now"] <= 0 else clip((pooled - before) / y["net_now"])
            y["share"] = share if pooled > 0 else 0.0  # nothing runs without a pooled budget
            y["realisation"] = y["delivery"] * y["share"]
            y["spend"] = y["d"]["gross"] * y["realisation"]
            y["kept"] = y["d"]["kept"] * y["realisation"]
            y["avoided"] = y["d"]["avoided_full"] * y["realisation"]
            y["participants"] = y["d"]["people"] * y["realisation"]
            before += y["net_now"]
        retained = sum(y["kept"] for y in rows)
        spend = sum(y["spend"] for y in rows)
        reinvested = self.eta * retained
        return dict(t=t, control=control, sustain=sustain, pooled=pooled, worth=worth, rows=rows, order=order,
                    retained=retained, reinvested=reinvested, spend=spend, funds=pooled + reinvested,
                    pooled_used=spend - reinvested, lapsed=pooled - (spend - reinvested))

    # -- flows (3.11-3.13)
    def cohort_flows(self, c: str, size: float, y: dict[str, Any] | None) -> dict[str, float]:
        """One cohort's flows and demand in a year, at a cohort size, under an allocation (None: baseline)."""
        v = self.v
        reduction = diverted = 0.0
        if y is not None and size > 0:
            served = [r_ for r_ in y["rows"] if c in r_["d"]["places"]]
            reduction = sum(r_["realisation"] * r_["d"]["places"][c] * r_["d"]["effect"] for r_ in served) / size
            diverted = clip(sum(r_["realisation"] * r_["d"]["places"][c] * r_["d"]["diversion"] for r_ in served)
                            / size)
        rate = self.r[c] * clip(1 - reduction)
        reoffenders = size * rate
        reoffences = reoffenders * self.f[c]
        sentences = reoffences * v("custody_per_offence")
        receptions = sentences * (1 - diverted)
        return {
            "cohort_size": size, "reduction": reduction, "diverted": diverted, "reoffending_rate": rate,
            "reoffenders": reoffenders, "reoffences": reoffences, "arrests": reoffences * v("arrests_per_offence"),
            "court_cases": reoffences * v("court_cases_per_offence"), "sentences": sentences,
            "custody_receptions": receptions,
            "prison_places": receptions * v("prison_years_per_custodial_sentence"),
            "probation_caseload": reoffences * v("probation_years_per_offence")
            + (sentences - receptions) * v("community_order_years"),
        }

    # -- who pays and who gains (section 4)
    def agency_money(self) -> dict[str, dict[str, float]]:
        """Year 1's £m by agency and category, by the attribution rules."""
        y = self.y1
        m = {a: dict.fromkeys(MONEY_CATEGORY_KEYS, 0.0) for a in AGENCY_KEYS}
        spend = y["spend"]
        self.from_reinvested = min(spend, y["reinvested"])
        self.from_pooled = spend - self.from_reinvested
        self.pooled_share = self.from_pooled / spend if spend > 0 else 0.0
        m[AREA]["invests"] += self.from_reinvested + (1 - self.nu) * self.from_pooled
        self.national_by_payer: dict[str, list[tuple[str, float]]] = {}
        for row in y["rows"]:
            payer = FUNCTION_PAYER[row["d"]["iv"].function]
            paid = self.nu * row["spend"] * self.pooled_share
            m[payer]["invests"] += paid
            if paid > 0:
                self.national_by_payer.setdefault(payer, []).append((row["d"]["iv"].key, paid))
        for a in JUSTICE:
            m[a]["fiscal_cashable"] = self.saving[a] * self.v(f"cashable_share_{a}")
            m[a]["fiscal_non_cashable"] = self.saving[a] * (1 - self.v(f"cashable_share_{a}"))
        m["society"]["economic_social"] = self.avoided * self.beyond
        gains = {a: max(0.0, m[a]["fiscal_cashable"]) for a in NATIONAL}
        total = sum(gains.values())
        self.transfer_weights = ({a: gains[a] / total for a in NATIONAL} if total > 0
                                 else {a: float(a == "prisons") for a in NATIONAL})
        for a in NATIONAL:
            m[a]["transfer"] = -y["retained"] * self.transfer_weights[a]
        m[AREA]["transfer"] = y["retained"]
        return m

    def net(self, agency: str) -> float:
        """An agency's year-1 net position: everything it gains and is transferred, less what it puts in."""
        m = self.money[agency]
        return sum(m[k] for k in MONEY_CATEGORY_KEYS if k != "invests") - m["invests"]


# ----------------------------------------------------------------------------------------------- checks
class Checks:
    """Hand-computed numbers paired with the engine's, each checked to a relative tolerance."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def add(self, name: str, hand: float, engine_value: float) -> None:
        """Record one comparison."""
        self.rows.append((name, float(hand), float(engine_value)))

    @staticmethod
    def ok(hand: float, eng: float) -> bool:
        """Whether two numbers agree to the tolerance."""
        return abs(hand - eng) <= TOLERANCE * max(1.0, abs(hand), abs(eng))

    @property
    def failures(self) -> list[tuple[str, float, float]]:
        """The comparisons that disagree."""
        return [r for r in self.rows if not self.ok(r[1], r[2])]


def compare(h: Hand, run: engine.Run, ch: Checks, prefix: str = "") -> None:
    """Check every year-1 number of `h` (and its year-2 allocation) against the engine's run of the same scenario."""
    sc, fl, bl = h.sc, run.flows, run.baseline
    p = engine.Params(sc.overrides, 0, None)
    ch.add(prefix + "readiness", h.R, engine.readiness(sc))
    ch.add(prefix + "fidelity", h.F, engine.fidelity(sc, p))
    sustain = engine.sustain(sc, p, sc.horizon_years)
    ctrl = engine.control(sc, p, sc.horizon_years)
    for t, y in ((0, h.y1), (1, h.y2)):
        if y is None:
            continue
        ch.add(prefix + f"sustain, year {t + 1}", y["sustain"], sustain[t])
        for f in FUNCTION_KEYS:
            ch.add(prefix + f"control of {f}, year {t + 1}", y["control"][sc.stage_of(f)],
                   ctrl[FUNCTION_KEYS.index(f), t])
    cohorts = engine.baseline_cohorts(sc.area, p)
    for j, c in enumerate(COHORT_KEYS):
        ch.add(prefix + f"{c}: baseline cohort size", h.N[c], cohorts.size[0, j])
        ch.add(prefix + f"{c}: baseline rate", h.r[c], cohorts.rate[0, j])
        ch.add(prefix + f"{c}: reoffences per reoffender", h.f[c], cohorts.frequency[0, j])
        for metric in FLOW_METRICS:
            ch.add(prefix + f"{c}: scenario {metric}", h.scen[c][metric], getattr(fl, metric)[0, 0, j])
            ch.add(prefix + f"{c}: baseline {metric}", h.base[c][metric], getattr(bl, metric)[0, 0, j])
        if h.y2 is not None:
            ch.add(prefix + f"{c}: cohort size in year 2", h.next_size[c], fl.cohort_size[0, 1, j])
            for metric in ("reoffending_rate", "reoffenders", "reoffences", "prison_places", "probation_caseload"):
                ch.add(prefix + f"{c}: scenario {metric}, year 2", h.scen2[c][metric], getattr(fl, metric)[0, 1, j])
    prog = engine.programme(p)
    saving = engine.direct_saving_per_participant(p, prog, cohorts)
    kept_share = engine.retained_share(sc, p, prog)
    for i, d in enumerate(h.ivs):
        key = d["iv"].key
        ch.add(prefix + f"{key}: retained share", d["theta"], kept_share[i])
        for c, x in d["per_participant"].items():
            ch.add(prefix + f"{key}: direct saving per participant, {c} £", x, saving[0, i, COHORT_KEYS.index(c)])
        for t, y in ((0, h.y1), (1, h.y2)):
            if y is None:
                continue
            row = y["rows"][i]
            ch.add(prefix + f"{key}: realisation, year {t + 1}", row["realisation"], fl.realisation[0, t, i])
            ch.add(prefix + f"{key}: spend £m, year {t + 1}", row["spend"], fl.spend_by[0, t, i])
            ch.add(prefix + f"{key}: reoffences avoided, year {t + 1}", row["avoided"],
                   fl.reoffences_avoided_by[0, t, i])
    for a_i, a in enumerate(engine.AGENCIES):
        ch.add(prefix + f"{a}: baseline cost £m", h.cost["baseline"][a], bl.agency_cost[0, 0, a_i])
        ch.add(prefix + f"{a}: scenario cost £m", h.cost["scenario"][a], fl.agency_cost[0, 0, a_i])
    for t, y in ((0, h.y1), (1, h.y2)):
        if y is None:
            continue
        ch.add(prefix + f"funds available £m, year {t + 1}", y["funds"], fl.funds_available[0, t])
        ch.add(prefix + f"intervention spend £m, year {t + 1}", y["spend"], fl.intervention_spend[0, t])
        ch.add(prefix + f"retained savings £m, year {t + 1}", y["retained"], fl.retained_savings[0, t])
        ch.add(prefix + f"reinvested savings £m, year {t + 1}", y["reinvested"], fl.reinvested_savings[0, t])
    ch.add(prefix + "cost of reoffending, baseline £m", h.cor["baseline"], bl.cost_of_reoffending[0, 0])
    ch.add(prefix + "cost of reoffending, scenario £m", h.cor["scenario"], fl.cost_of_reoffending[0, 0])
    ch.add(prefix + "cashable savings £m", h.cashable, fl.cashable_savings[0, 0])
    ch.add(prefix + "economic benefit £m, year 1", h.benefit, engine.economic_benefit(bl, fl, run.params)[0, 0])
    money = run.money
    for a_i, a in enumerate(AGENCY_KEYS):
        for k_i, k in enumerate(MONEY_CATEGORY_KEYS):
            ch.add(prefix + f"money, year 1: {a} {k} £m", h.money[a][k], money[0, 0, a_i, k_i])
        ch.add(prefix + f"money, year 1: {a} net £m", h.net(a), net_by_agency(money)[0, 0, a_i])
    frame = run.frame
    for metric in ("reoffences", "prison_places", "arrests"):
        row = frame[(frame.year == 1) & (frame.cohort == "all") & (frame.metric == metric)
                    & (frame.series == SERIES_SCENARIO)]
        ch.add(prefix + f"Run.frame all-cohort {metric}, year 1",
               sum(h.scen[c][metric] for c in COHORT_KEYS), float(row["value"].iloc[0]))


def headline_checks(run: engine.Run, ch: Checks, prefix: str = "") -> dict[str, float]:
    """Recompute each headline figure from the yearly flows, as docs/model.md states it, and compare."""
    fl, bl, sc = run.flows, run.baseline, run.scenario
    v: Callable[[str], float] = lambda k: value(sc, k)  # noqa: E731
    total = lambda f, m: float(getattr(f, m)[0].sum())  # noqa: E731
    final = lambda f, m: float(getattr(f, m)[0, -1].sum())  # noqa: E731
    rate = lambda f: float(f.reoffenders[0, -1].sum() / f.cohort_size[0, -1].sum())  # noqa: E731
    factor = [(1 + v("discount_rate")) ** -t for t in range(sc.horizon_years)]
    benefit, area_net = yearly_benefit(run), yearly_area_net(run)
    spend = [float(x) for x in fl.intervention_spend[0]]
    pvb = sum(b * f for b, f in zip(benefit, factor, strict=True))
    pvs = sum(s * f for s, f in zip(spend, factor, strict=True))
    area_pv = sum(n * f for n, f in zip(area_net, factor, strict=True))
    by_hand = {
        "reoffences_avoided": total(bl, "reoffences") - total(fl, "reoffences"),
        "reoffending_rate_change_pp": 100 * (rate(fl) - rate(bl)),
        "prison_places_avoided": final(bl, "prison_places") - final(fl, "prison_places"),
        "probation_caseload_change": final(fl, "probation_caseload") - final(bl, "probation_caseload"),
        "court_cases_avoided": total(bl, "court_cases") - total(fl, "court_cases"),
        "arrests_avoided": total(bl, "arrests") - total(fl, "arrests"),
        "custody_receptions_avoided": total(bl, "custody_receptions") - total(fl, "custody_receptions"),
        "intervention_spend_gbp_m": sum(spend),
        "cashable_savings_gbp_m": total(fl, "cashable_savings"),
        "retained_savings_gbp_m": total(fl, "retained_savings"),
        "net_fiscal_cost_gbp_m": sum(spend) - total(fl, "cashable_savings"),
        "economic_benefit_gbp_m": sum(benefit),
        "npv_gbp_m": pvb - pvs,
        "benefit_cost_ratio": pvb / pvs if pvs > 0 else math.nan,
        "chance_npv_positive": float(pvb - pvs > 0),
        "area_net_gbp_m": area_pv,
        "chance_area_breaks_even": float(area_pv > 0),
    }
    assert set(by_hand) == set(engine.HEADLINE_KEYS), "a headline is not recomputed by hand"
    for key, x in by_hand.items():
        if not (math.isnan(x) and math.isnan(run.headline(key))):
            ch.add(prefix + f"headline {key}", x, run.headline(key))
    return by_hand


def yearly_benefit(run: engine.Run) -> list[float]:
    """Economic benefit per year (£m): reoffences avoided × (cost per reoffence − its system cost) + system saving."""
    fl, bl, sc = run.flows, run.baseline, run.scenario
    v: Callable[[str], float] = lambda k: value(sc, k)  # noqa: E731
    p_sys = (v("arrests_per_offence") * v("police_cost_per_arrest_gbp")
             + v("court_cases_per_offence") * v("court_cost_per_case_gbp")
             + v("custody_per_offence") * v("prison_years_per_custodial_sentence") * v("prison_cost_per_place_gbp")
             + v("probation_years_per_offence") * v("probation_cost_per_case_gbp"))
    beyond = (v("cost_per_reoffence_gbp") - p_sys) / 1e6
    return [float((bl.reoffences[0, t].sum() - fl.reoffences[0, t].sum()) * beyond
                  + (bl.agency_cost[0, t].sum() - fl.agency_cost[0, t].sum())) for t in range(sc.horizon_years)]


def yearly_area_net(run: engine.Run) -> list[float]:
    """The area's net position per year (£m) by the attribution rules, from the yearly flows."""
    fl, bl, sc = run.flows, run.baseline, run.scenario
    nu = sc.funding.national_share
    police_functions = [i for i, iv in enumerate(load_register().interventions) if FUNCTION_PAYER[iv.function] == AREA]
    out = []
    for t in range(sc.horizon_years):
        spend = float(fl.intervention_spend[0, t])
        from_reinvested = min(spend, float(fl.reinvested_savings[0, t]))
        pooled_share = (spend - from_reinvested) / spend if spend > 0 else 0.0
        puts_in = (from_reinvested + (1 - nu) * (spend - from_reinvested)
                   + sum(nu * float(fl.spend_by[0, t, i]) * pooled_share for i in police_functions))
        police_saving = float(bl.agency_cost[0, t, 0] - fl.agency_cost[0, t, 0])  # cashable + non-cashable
        out.append(police_saving + float(fl.retained_savings[0, t]) - puts_in)
    return out


# ----------------------------------------------------------------------------------------------- the text
def worked_example() -> tuple[str, Checks]:
    """The worked example section of docs/model.md, and the checks behind it."""
    sc = load()
    h = Hand(sc)
    run = engine.project(sc)
    ch = Checks()
    compare(h, run, ch)
    v = h.v
    out: list[str] = []
    w = out.append
    y1 = h.y1
    placed = [f for f in FUNCTION_KEYS if sc.stage_of(f) != "national"]
    fin = sc.funding

    w(f"Scenario: `{SCENARIO_FILE.relative_to(ROOT)}` ({sc.name}), area `{sc.area}`, horizon "
      f"{sc.horizon_years} years, central estimate (`draws=0`). Placements: "
      + ", ".join(f"{f} `{sc.stage_of(f)}`" for f in placed)
      + f"; every other function `national`. Funding: £{f4(fin.pooled_budget_gbp_m)}m a year "
      f"(national share {fin.national_share:g}), agreed in year index {fin.agreed_in_year}, "
      f"{fin.settlement_years}-year settlement, renewed: {str(fin.renewed).lower()}, reinvest share "
      f"{fin.reinvest_share:g}. Governance: `{sc.governance.model}`, agreed in year index "
      f"{sc.governance.agreed_in_year}, five conditions {h.scores}. "
      + ("No overrides. " if not sc.overrides else f"Overrides: {dict(sc.overrides)}. ")
      + "Every number below is year 1 (year index t = 0) unless it says otherwise; numbers are rounded to 4 "
      "significant figures for reading, but each step was computed from the unrounded previous step.\n")

    # -- step 1
    w("### Step 1. Baseline cohorts\n")
    w(f"`cjcore/data/area_cohorts.csv` gives {h.area.name}'s derived counts (its method: *{h.area.cohort_method}*). "
      "The engine computes each rate and frequency from the three counts as stored (rounded to 0.1), not from "
      "the file's own rate columns.")
    derivation(h, ch, w)
    rows = [[gkey, f"{o:,.1f}", f"{ro:,.1f}", f"{rc:,.1f}", f4(ro / o), f4(rc / ro)]
            for gkey, (o, ro, rc) in h.groups.items()]
    w(table(["group", "offenders", "reoffenders", "reoffences", "rate = reoffenders / offenders",
             "frequency = reoffences / reoffenders"], rows))
    s, k = v("women_share_25plus"), v("women_rate_ratio")
    w(f"\nAdults 25+ are split with `women_share_25plus` s = {s:g} and `women_rate_ratio` k = {k:g}: men's rate "
      f"= {f4(h.r25)} / ((1 − {s:g}) + {k:g} × {s:g}) = {f4(h.r25)} / {f4((1 - s) + k * s)} = {f4(h.rate_men)}; "
      f"women's rate = {k:g} × {f4(h.rate_men)} = {f4(h.r['adult_women'])}. Sizes: men {f4(h.N['adult_men'])}"
      f" = {h.groups['adults_25plus'][0]:,.1f} × {f4(1 - s)}; women {f4(h.N['adult_women'])}. The four "
      "cohorts, with their baseline reoffenders (N·r) and reoffences (N·r·f):\n")
    rows = [[c, f4(h.N[c]), f4(h.r[c]), f4(h.f[c]), f4(h.base[c]["reoffenders"]), f4(h.base[c]["reoffences"])]
            for c in COHORT_KEYS]
    n_all = sum(h.N.values())
    rows.append(["**all**", f4(n_all), f4(sum(h.base[c]["reoffenders"] for c in COHORT_KEYS) / n_all), "",
                 f4(sum(h.base[c]["reoffenders"] for c in COHORT_KEYS)),
                 f4(sum(h.base[c]["reoffences"] for c in COHORT_KEYS))])
    w(table(["cohort", "N", "r (base)", "f", "reoffenders", "reoffences"], rows))

    # -- step 2
    w("\n### Step 2. Readiness and fidelity\n")
    w(f"R = ({' + '.join(str(x) for x in h.scores)}) / 25 = {sum(h.scores)} / 25 = {f4(h.R)}. "
      f"F = `governance_factor.{sc.governance.model}` × (`fidelity_floor` + (1 − `fidelity_floor`) × R) = "
      f"{h.gf:g} × ({h.floor:g} + {f4(1 - h.floor)} × {f4(h.R)}) = **{f4(h.F)}**.\n")

    # -- step 3
    w("### Step 3. Stage capacity and control in year 1\n")
    w(f"Both agreements are in place from year index a = {h.start}, `ramp_years` = {v('ramp_years'):g}, "
      f"so ramp = clip((0 − {h.start} − setup + 1) / {v('ramp_years'):g}, 0, 1):\n")
    stage_rows = h.stage_rows(0)
    rows = [[s_, f4(lc), f4(nd), f"min(1, {f4(h.R)} / {f4(nd)}) = {f4(fit)}", f"{su:g}", f4(rp), f4(cap), f4(b)]
            for s_, lc, nd, fit, su, rp, cap, b in stage_rows]
    w(table(["stage", "local_control", "governance_needed", "fit", "setup_years", "ramp (t=0)",
             "capacity = local × fit × ramp", "best so far"], rows))
    started = [row[0] for row in stage_rows if row[6] > 0]
    yj = sc.stage_of("youth_justice")
    w("\nEach placed function works at the *best so far* of its stage. In year 1 the stages with capacity are "
      f"{', '.join(started) or 'none'}, so youth justice, placed at {yj}, works at {f4(y1['control'][yj])}. "
      "The engine's control for the whole horizon (rows: placed functions; columns: years 1–"
      f"{sc.horizon_years}):\n")
    p = engine.Params(sc.overrides, 0, None)
    ctrl = engine.control(sc, p, sc.horizon_years)
    w(table(["function (stage)"] + [f"year {y}" for y in range(1, sc.horizon_years + 1)],
            [[f"{f} ({sc.stage_of(f)})"] + [f4(x) for x in ctrl[FUNCTION_KEYS.index(f)]] for f in placed]))

    # -- step 4
    w("\n### Step 4. Sustain, funding in place and delivery\n")
    delivered = sorted({round(r_["delivery"], 12) for r_ in y1["rows"] if r_["delivery"] > 0})
    w(f"Funding is {'' if h.funded(0) else 'not '}in place in year 1 and governance is "
      f"{'' if sc.governance.agreed_in_year <= 0 else 'not '}agreed, so years without agreement = "
      f"{h.years_without(0)} and sustain = (1 − {v('policy_conflict_decay'):g})^{h.years_without(0)} = "
      f"{f4(y1['sustain'])}. The pooled budget paid this year is £{f4(y1['pooled'])}m. Delivery of an "
      "intervention = control of its function × F × sustain"
      + (f" = {f4(y1['control']['co_design'])} × {f4(h.F)} × {f4(y1['sustain'])} = **{f4(delivered[0])}** for "
         "every placed function in year 1" if len(delivered) == 1 else "")
      + "; interventions of national functions have delivery 0.\n")

    # -- step 5
    w("### Step 5. What a place costs, saves and is worth\n")
    kappa, tau = v("custody_per_offence"), v("prison_years_per_custodial_sentence")
    w("Places are bought on the *baseline* cohort: places = reach × N, with reach = `eligible_share` × "
      "`max_reach` and N from step 1, in every year. The cashable cost of one proven reoffence to national "
      f"budgets is n = courts {v('court_cases_per_offence'):g} × £{v('court_cost_per_case_gbp'):,.0f} × "
      f"{v('cashable_share_courts'):g} + prisons {kappa:g} × {tau:g} × £{v('prison_cost_per_place_gbp'):,.0f} × "
      f"{v('cashable_share_prisons'):g} + probation {v('probation_years_per_offence'):g} × "
      f"£{v('probation_cost_per_case_gbp'):,.0f} × {v('cashable_share_probation'):g} = "
      f"£{f4(h.n_parts['courts'])} + £{f4(h.n_parts['prisons'])} + £{f4(h.n_parts['probation'])} = "
      f"**£{f4(h.n_nat)}**; a custodial sentence diverted to the community saves m = {tau:g} × "
      f"£{v('prison_cost_per_place_gbp'):,.0f} × {v('cashable_share_prisons'):g} − "
      f"{v('community_order_years'):g} × £{v('probation_cost_per_case_gbp'):,.0f} × "
      f"{v('cashable_share_probation'):g} = £{f4(h.m_div)}. A participant in cohort c saves national budgets "
      "s = max(0, r·f × (effect × n + custody_diversion × "
      f"{kappa:g} × m)), e.g. `youth_diversion` for young people: {f4(h.r['young_people'])} × "
      f"{f4(h.f['young_people'])} × {v('youth_diversion.effect'):g} × {f4(h.n_nat)} = "
      f"£{f4(h.ivs[0]['per_participant']['young_people'])}. The area keeps the `savings_retained` share θ of "
      "the best of its stage and the earlier ones (θ: "
      + ", ".join(f"{s_} {h.theta[s_]:g}" for s_ in STAGE_KEYS)
      + f") and reinvests η = {h.eta:g} of it in the same year, so the net cost of a place is its cost less "
      "η × θ × s. At full realisation (every place bought; £m):\n")
    rows = []
    for d in h.ivs:
        rows.append([f"{d['iv'].key} ({d['stage']})", f4(d["reach"]), f4(d["people"]), f4(d["gross"]),
                     f4(d["avoided_full"]), f4(d["saving"]), f"{d['theta']:g}", f4(d["kept"]), f4(d["net"])])
    w(table(["intervention (stage)", "reach", "places = Σ reach·N", "gross cost = places × cost",
             "reoffences avoided = effect × Σ reach·N·r·f", "direct saving = Σ reach·N·s", "θ",
             "kept = θ × saving", "net cost = gross − η × kept"], rows))

    # -- step 6
    w("\n### Step 6. Funding order, share funded and realisation\n")
    worth = y1["worth"]
    w(f"A reoffence avoided in cohort c this year also leaves next year's cohort smaller by h = "
      f"{h.h:g} × the reoffenders avoided, and so on: over the {h.H}-year horizon it is worth M = Σ (h·r)^k, k = "
      f"0 … {h.H - 1}, reoffences: "
      + "; ".join(f"{c} {f4(worth[c])}" for c in COHORT_KEYS)
      + ". The value of an intervention at full realisation is effect × Σ reach·N·r·f·M; interventions are "
      "funded in order of value per £m of *net* cost (a net cost of 0 or less means the savings reinvested pay "
      "for it: value per £m ∞, funded first). Each gets clip((pooled budget − net cost at delivery of those "
      "before it) / its own net cost at delivery, 0, 1). Rows in funding order:\n")
    rows = []
    for i in y1["order"]:
        r_ = y1["rows"][i]
        d = r_["d"]
        rows.append([str(r_["rank"]), f"{d['iv'].key} ({d['stage']})", f4(r_["value"]), f4(d["net"]),
                     f4(r_["ratio"]), f4(r_["delivery"]), f4(r_["net_now"]), f4(r_["before"]),
                     f4(r_["share"]) if r_["delivery"] > 0 else "–", f4(r_["realisation"]), f4(r_["spend"]),
                     f4(r_["kept"])])
    w(table(["rank", "intervention (stage)", "value over horizon", "net cost £m", "value per net £m",
             "delivery", "net cost at delivery £m", "net before £m", "share funded", "realisation",
             "spend £m = gross × realisation", "kept £m = kept × realisation"], rows, align="rl" + "r" * 10))
    net_total = sum(r_["net_now"] for r_ in y1["rows"])
    w(f"\nThe net costs at delivery add up to £{f4(net_total)}m, "
      + ("within" if net_total <= y1["pooled"] else "more than")
      + f" the £{f4(y1['pooled'])}m pooled budget, so "
      + ("every placed intervention is fully funded (share 1) and realisation = delivery. "
         if net_total <= y1["pooled"] else "the interventions ranked last are only partly funded or not at all. ")
      + f"Savings kept by the area = Σ kept = **£{f4(y1['retained'])}m**; reinvested this year = {h.eta:g} × "
      f"{f4(y1['retained'])} = £{f4(y1['reinvested'])}m; funds available = pooled £{f4(y1['pooled'])}m + "
      f"reinvested £{f4(y1['reinvested'])}m = **£{f4(y1['funds'])}m**. Spend = £{f4(y1['spend'])}m, of which "
      f"£{f4(y1['reinvested'])}m comes from the reinvested savings and £{f4(y1['pooled_used'])}m from the pooled "
      f"budget; the other £{f4(y1['lapsed'])}m of the pooled budget is not spent and lapses.\n")
    w(f"To see the order at work, the same scenario with a pooled budget of £{ILLUSTRATIVE_BUDGET_GBP_M:g}m "
      "(computed the same way and checked against the engine; only interventions with delivery are shown):\n")
    small = sc.with_changes(funding={**fin.model_dump(), "pooled_budget_gbp_m": ILLUSTRATIVE_BUDGET_GBP_M})
    hs = Hand(small)
    prefix = f"(budget £{ILLUSTRATIVE_BUDGET_GBP_M:g}m) "
    compare(hs, engine.project(small), ch, prefix=prefix)
    ys = hs.y1
    rows = [[str(r_["rank"]), r_["d"]["iv"].key, f4(r_["net_now"]), f4(r_["before"]),
             f"clip(({f4(ys['pooled'])} − {f4(r_['before'])}) / {f4(r_['net_now'])}, 0, 1) = {f4(r_['share'])}",
             f4(r_["spend"]), f4(r_["kept"])]
            for r_ in (ys["rows"][i] for i in ys["order"]) if r_["delivery"] > 0]
    w(table(["rank", "intervention", "net cost at delivery £m", "net before £m", "share funded", "spend £m",
             "kept £m"], rows, align="rlrrrrr"))
    need = sum(d["gross"] for d in hs.ivs if d["stage"] != "national")
    ch.add(prefix + "full-reach cost of the placed functions £m", need, full_reach_cost_gbp_m(small))
    codes = sorted(f.code for f in check(small))
    ch.add(prefix + "warning budget_too_small raised", float(ILLUSTRATIVE_BUDGET_GBP_M < MEANINGFUL_REACH_SHARE * need),
           float("budget_too_small" in codes))
    ch.add("warnings for the scenario itself (none expected)", 0.0, float(len(check(sc))))
    w(f"\nSpend is £{f4(ys['spend'])}m, more than the £{ILLUSTRATIVE_BUDGET_GBP_M:g}m budget, because the "
      f"£{f4(ys['reinvested'])}m of savings reinvested in the same year pays for the rest: the net costs funded "
      f"add up to the budget exactly. This budget is under {MEANINGFUL_REACH_SHARE:.0%} of the £{f4(need)}m a "
      "year it would cost to reach everyone eligible for the placed functions' programmes (Σ gross cost of the "
      "placed interventions in step 5), so the app warns `budget_too_small` (section 6); the scenario itself "
      "raises no warning.\n")

    # -- step 7
    yp = "young_people"
    w("### Step 7. Reoffending rate, reoffenders and reoffences (young people in full)\n")
    served = [r_ for r_ in y1["rows"] if yp in r_["d"]["places"]]
    w("In year 1 the cohort is still the baseline's, so each intervention's share of the cohort served is reach "
      "× realisation. Interventions that target young people: "
      + "; ".join(f"`{r_['d']['iv'].key}` ({r_['d']['stage']}): reach {f4(r_['d']['reach'])} × realisation "
                  f"{f4(r_['realisation'])} × effect {f4(r_['d']['effect'])} = "
                  f"{f4(r_['d']['reach'] * r_['realisation'] * r_['d']['effect'])}" for r_ in served)
      + f". Reduction = {f4(h.scen[yp]['reduction'])}.\n")
    base_yp, scen_yp = h.base[yp], h.scen[yp]
    w(f"- rate r = {f4(h.r[yp])} × (1 − {f4(scen_yp['reduction'])}) = **{f4(scen_yp['reoffending_rate'])}** "
      f"(baseline {f4(h.r[yp])}: {f4(100 * (scen_yp['reoffending_rate'] - h.r[yp]))} percentage points)\n"
      f"- reoffenders = {f4(h.N[yp])} × {f4(scen_yp['reoffending_rate'])} = **{f4(scen_yp['reoffenders'])}** "
      f"(baseline {f4(base_yp['reoffenders'])})\n"
      f"- reoffences = {f4(scen_yp['reoffenders'])} × {f4(h.f[yp])} = **{f4(scen_yp['reoffences'])}** "
      f"(baseline {f4(base_yp['reoffences'])}; {f4(base_yp['reoffences'] - scen_yp['reoffences'])} avoided)\n"
      f"- arrests = {f4(scen_yp['reoffences'])} × {v('arrests_per_offence'):g} = {f4(scen_yp['arrests'])}; "
      f"court cases = × {v('court_cases_per_offence'):g} = {f4(scen_yp['court_cases'])}\n"
      f"- custodial sentences = × {v('custody_per_offence'):g} = {f4(scen_yp['sentences'])}; diverted share = "
      f"{f4(scen_yp['diverted'])}"
      f"{' (no intervention that reaches young people diverts custody)' if scen_yp['diverted'] == 0 else ''}, "
      f"so receptions = {f4(scen_yp['custody_receptions'])} and prison places = × "
      f"{v('prison_years_per_custodial_sentence'):g} = **{f4(scen_yp['prison_places'])}** "
      f"(baseline {f4(base_yp['prison_places'])})\n"
      f"- probation caseload = {f4(scen_yp['reoffences'])} × {v('probation_years_per_offence'):g} + "
      f"({f4(scen_yp['sentences'])} − {f4(scen_yp['custody_receptions'])}) × {v('community_order_years'):g} = "
      f"{f4(scen_yp['probation_caseload'])}\n"
      f"- next year's cohort = entrants {f4(h.entrants[yp])} (= {f4(h.N[yp])} × (1 − {h.h:g} "
      f"× {f4(h.r[yp])})) + {h.h:g} × {f4(scen_yp['reoffenders'])} = "
      f"**{f4(h.next_size[yp])}** (baseline stays {f4(h.N[yp])})\n")
    w("All four cohorts, scenario (baseline in brackets):\n")
    rows = []
    for c in COHORT_KEYS:
        rows.append([c, f4(h.scen[c]["reduction"]), f4(h.scen[c]["diverted"])]
                    + [f"{f4(h.scen[c][m])} ({f4(h.base[c][m])})" for m in FLOW_METRICS] + [f4(h.next_size[c])])
    tot = {s_: {m: sum(fl[c][m] for c in COHORT_KEYS) for m in FLOW_METRICS}
           for s_, fl in (("scenario", h.scen), ("baseline", h.base))}
    for s_ in tot:
        tot[s_]["reoffending_rate"] = tot[s_]["reoffenders"] / n_all
    rows.append(["**all**", "", ""] + [f"{f4(tot['scenario'][m])} ({f4(tot['baseline'][m])})" for m in FLOW_METRICS]
                + [f4(sum(h.next_size.values()))])
    w(table(["cohort", "reduction", "diverted share", "rate", "reoffenders", "reoffences", "arrests",
             "court cases", "custody receptions", "prison places", "probation caseload", "cohort in year 2"], rows))
    w(f"\nReoffences avoided in year 1: {f4(h.avoided)}; attributed to interventions (realisation × effect × "
      "Σ reach·N·r·f over targeted cohorts): "
      + "; ".join(f"`{r_['d']['iv'].key}` {f4(r_['avoided'])}" for r_ in y1["rows"] if r_["avoided"] > 0)
      + f" (total {f4(sum(r_['avoided'] for r_ in y1['rows']))}). In year 1 the attribution adds up to the "
      "reoffences avoided exactly, because the cohorts are still the baseline's; from year 2 the smaller cohorts "
      "carry earlier years' gains too, and the two drift apart.\n")

    # -- step 8
    w("### Step 8. Money in year 1\n")
    rows = []
    for a in JUSTICE:
        vol = AGENCY_VOLUME[a]
        rows.append([a, f"{vol} × £{v(UNIT_COST[a]):,.0f}", f"{f4(tot['baseline'][vol])} → {f4(tot['scenario'][vol])}",
                     f4(h.cost["baseline"][a]), f4(h.cost["scenario"][a]), f4(h.saving[a]),
                     f"{v(f'cashable_share_{a}'):g}", f4(h.cashable_by[a])])
    rows.append(["**total**", "", "", f4(sum(h.cost["baseline"].values())), f4(sum(h.cost["scenario"].values())),
                 f4(sum(h.saving.values())), "", f4(h.cashable)])
    w(table(["agency", "volume × unit cost", "volume base → scenario", "cost base £m", "cost scenario £m",
             "saving £m", "cashable share", "cashable £m"], rows))
    w(f"\n- Cashable savings (all four agencies) = **£{f4(h.cashable)}m**. The area's kept savings "
      f"(£{f4(y1['retained'])}m, step 6) are counted from each participant's direct saving; in year 1 they are "
      f"θ-weighted shares of the national cashable savings £{f4(sum(h.cashable_by[a] for a in NATIONAL))}m "
      "(courts + prisons + probation).\n"
      f"- System cost of one reoffence = {v('arrests_per_offence'):g} × £{v('police_cost_per_arrest_gbp'):,.0f} + "
      f"{v('court_cases_per_offence'):g} × £{v('court_cost_per_case_gbp'):,.0f} + {kappa:g} × {tau:g} × "
      f"£{v('prison_cost_per_place_gbp'):,.0f} + {v('probation_years_per_offence'):g} × "
      f"£{v('probation_cost_per_case_gbp'):,.0f} = £{f4(h.p_sys)}; beyond the justice system, each reoffence "
      f"costs victims and society £{v('cost_per_reoffence_gbp'):,.0f} − £{f4(h.p_sys)} = "
      f"£{f4(h.beyond * 1e6)}.\n"
      f"- Economic benefit = reoffences avoided × that + the agencies' saving = {f4(h.avoided)} × "
      f"£{f4(h.beyond * 1e6)} + £{f4(sum(h.saving.values()))}m = **£{f4(h.benefit)}m**. (Cost of reoffending "
      f"= reoffences × £{v('cost_per_reoffence_gbp'):,.0f}: baseline £{f4(h.cor['baseline'])}m, scenario "
      f"£{f4(h.cor['scenario'])}m, difference £{f4(h.cor['baseline'] - h.cor['scenario'])}m — the same as the "
      "benefit here because no placed intervention diverts custody.)\n"
      f"- Net fiscal cost this year = spend − cashable = £{f4(y1['spend'])}m − £{f4(h.cashable)}m = "
      f"£{f4(y1['spend'] - h.cashable)}m.\n")

    # -- step 9
    w("### Step 9. Who pays and who gains in year 1\n")
    payers = "; ".join(f"{AGENCY[a].label}: " + " + ".join(f"`{key}` {f4(x)}" for key, x in items)
                       for a, items in h.national_by_payer.items())
    w(f"Spend £{f4(y1['spend'])}m is paid first from the reinvested savings, £{f4(h.from_reinvested)}m (the "
      f"area), the rest, £{f4(h.from_pooled)}m, from the pooled budget: {1 - h.nu:g} of it by the area, "
      f"{h.nu:g} by the budget that owns each function (`FUNCTION_PAYER`), i.e. {h.nu:g} × spend × "
      f"{f4(h.pooled_share)} (the pooled share of spend). National shares: {payers}. Each justice agency's "
      "saving (step 8) splits into cashable and non-cashable; victims and society get reoffences avoided × "
      f"£{f4(h.beyond * 1e6)}; the area's kept savings £{f4(y1['retained'])}m are transferred from the "
      "national agencies in proportion to their cashable savings ("
      + ", ".join(f"{a} {f4(h.transfer_weights[a])}" for a in NATIONAL)
      + "). £m:\n")
    labels = {k: MONEY_CATEGORY[k].label.lower() for k in MONEY_CATEGORY_KEYS}
    rows = [[AGENCY[a].label] + [f4(h.money[a][k]) for k in MONEY_CATEGORY_KEYS] + [f4(h.net(a))]
            for a in AGENCY_KEYS]
    rows.append(["**total**"] + [f4(sum(h.money[a][k] for a in AGENCY_KEYS)) for k in MONEY_CATEGORY_KEYS]
                + [f4(sum(h.net(a) for a in AGENCY_KEYS))])
    w(table(["agency"] + [labels[k] for k in MONEY_CATEGORY_KEYS] + ["net"], rows))
    ch.add("money, year 1: puts in adds up to spend", sum(h.money[a]["invests"] for a in AGENCY_KEYS),
           float(run.flows.intervention_spend[0, 0]))
    ch.add("money, year 1: cashable adds up to cashable savings",
           sum(h.money[a]["fiscal_cashable"] for a in AGENCY_KEYS), float(run.flows.cashable_savings[0, 0]))
    ch.add("money, year 1: benefits add up to the economic benefit",
           sum(h.money[a][k] for a in AGENCY_KEYS for k in ("fiscal_cashable", "fiscal_non_cashable",
                                                            "economic_social")),
           float(engine.economic_benefit(run.baseline, run.flows, run.params)[0, 0]))
    ch.add("money, year 1: transfers add up to 0", sum(h.money[a]["transfer"] for a in AGENCY_KEYS), 0.0)
    w(f"\nThe columns add up to the totals: puts in = spend (£{f4(y1['spend'])}m), cashable = the cashable "
      f"savings, cashable + non-cashable + economic and social = the economic benefit (£{f4(h.benefit)}m), "
      "transfers = 0; so the net column adds up to benefit − spend.\n")

    # -- step 10
    if h.y2 is not None:
        y2 = h.y2
        w("### Step 10. Year 2: places stay on the baseline cohort\n")
        w(f"In year 2 (t = 1) control rises (step 3) and the horizon left is {h.H - 1} years, so M = "
          + "; ".join(f"{c} {f4(y2['worth'][c])}" for c in COHORT_KEYS)
          + f". The net costs at delivery add up to £{f4(sum(r_['net_now'] for r_ in y2['rows']))}m, "
          + ("within" if sum(r_["net_now"] for r_ in y2["rows"]) <= y2["pooled"] else "more than")
          + f" the £{f4(y2['pooled'])}m budget. Realisation: "
          + "; ".join(f"`{r_['d']['iv'].key}` {f4(r_['realisation'])}" for r_ in y2["rows"] if r_["realisation"] > 0)
          + f". Kept £{f4(y2['retained'])}m, reinvested £{f4(y2['reinvested'])}m, funds available "
          f"£{f4(y2['funds'])}m, spend £{f4(y2['spend'])}m.\n")
        s2 = h.scen2[yp]
        served = [r_ for r_ in y2["rows"] if yp in r_["d"]["places"] and r_["realisation"] > 0]
        w(f"Young people: the cohort is now {f4(h.next_size[yp])} (step 7), but the places are still reach × "
          f"the baseline {f4(h.N[yp])}, so the reduction is Σ realisation × reach × {f4(h.N[yp])} × effect / "
          f"{f4(h.next_size[yp])} = ("
          + " + ".join(f"{f4(r_['realisation'])} × {f4(r_['d']['reach'])} × {f4(h.N[yp])} × {f4(r_['d']['effect'])}"
                       for r_ in served)
          + f") / {f4(h.next_size[yp])} = {f4(s2['reduction'])}; rate = {f4(h.r[yp])} × (1 − "
          f"{f4(s2['reduction'])}) = **{f4(s2['reoffending_rate'])}**; reoffenders = {f4(h.next_size[yp])} × "
          f"{f4(s2['reoffending_rate'])} = {f4(s2['reoffenders'])}; reoffences = **{f4(s2['reoffences'])}** "
          f"(baseline {f4(h.base[yp]['reoffences'])}).\n")

    # -- step 11
    w("### Step 11. Over the horizon: NPV, BCR, the area's position and the headlines\n")
    fl, bl = run.flows, run.baseline
    dr = v("discount_rate")
    benefit, area_net = yearly_benefit(run), yearly_area_net(run)
    rows, pvb, pvs, pva = [], 0.0, 0.0, 0.0
    for t in range(sc.horizon_years):
        sp = float(fl.intervention_spend[0, t])
        fac = (1 + dr) ** -t
        pvb, pvs, pva = pvb + benefit[t] * fac, pvs + sp * fac, pva + area_net[t] * fac
        rows.append([str(t + 1), str(t), f4(float(fl.funds_available[0, t])), f4(sp), f4(benefit[t]), f4(fac),
                     f4(benefit[t] * fac), f4(sp * fac), f4(float(fl.cashable_savings[0, t])),
                     f4(float(fl.retained_savings[0, t])), f4(area_net[t]),
                     f4(float(bl.reoffences[0, t].sum() - fl.reoffences[0, t].sum()))])
    w("Year by year from the engine's flows (£m; benefit as in step 8; area net by the rules of step 9; "
      f"discount factor (1 + {dr:g})^−t):\n")
    w(table(["year", "t", "funds", "spend", "benefit", "factor", "PV benefit", "PV spend", "cashable",
             "retained", "area net", "reoffences avoided"], rows))
    ch.add("NPV by hand from the yearly table", pvb - pvs, run.headline("npv_gbp_m"))
    ch.add("BCR by hand from the yearly table", pvb / pvs, run.headline("benefit_cost_ratio"))
    ch.add("area net position by hand from the yearly table", pva, run.headline("area_net_gbp_m"))
    w(f"\nNPV = {f4(pvb)} − {f4(pvs)} = **£{f4(pvb - pvs)}m**; BCR = {f4(pvb)} / {f4(pvs)} = "
      f"**{f4(pvb / pvs)}**; the area's net position = Σ area net × factor = **{money_m(pva)}**. By agency over "
      "the horizon (`run.agency_summary`, £m, not discounted):\n")
    summ = run.agency_summary
    rows = [[r_.label, f4(r_.invests), f4(r_.fiscal_cashable), f4(r_.fiscal_non_cashable), f4(r_.economic_social),
             f4(r_.transfer), f4(r_.net), "" if math.isnan(r_.return_on_investment) else f4(r_.return_on_investment),
             "" if r_.payback_year is None or (isinstance(r_.payback_year, float) and math.isnan(r_.payback_year))
             else str(int(r_.payback_year))]
            for r_ in summ.itertuples()]
    w(table(["agency", "puts in", "cashable", "non-cashable", "economic and social", "transfer", "net",
             "net / puts in", "payback year"], rows))
    national = engine.project(engine.national_placements(sc), draws=0)
    ch.add("every agency nets 0 with every function national",
           float(abs(net_by_agency(national.money)).max()), 0.0)
    w("\nThe headline figures (`run.summary`, central):\n")
    headline_checks(run, ch)
    rows = [[key, lab, f4(run.headline(key)), unit] for key, lab, unit in engine.HEADLINES]
    w(table(["key", "headline", "value", "unit"], rows, align="llrl"))
    w("\nWith `draws=0` each chance is 1 if the central figure (NPV; the area's net position) is positive and 0 if "
      f"not. With uncertainty, `project(scenario, draws={DRAWS}, seed={SEED})` (row 0 is still the central "
      "estimate above; p10, median and p90 are over the draws; a chance is the share of draws above 0):\n")
    unc = engine.project(sc, draws=DRAWS, seed=SEED)
    again = engine.project(sc, draws=DRAWS, seed=SEED)
    ch.add(f"same seed, same NPV draws (sum over {DRAWS} draws)", float(unc.headline_draws["npv_gbp_m"].sum()),
           float(again.headline_draws["npv_gbp_m"].sum()))
    ch.add("central NPV unchanged by the draws", unc.headline("npv_gbp_m"), run.headline("npv_gbp_m"))
    for chance, source in (("chance_npv_positive", "npv_gbp_m"), ("chance_area_breaks_even", "area_net_gbp_m")):
        ch.add(f"{chance}: share of draws with {source} > 0",
               sum(1 for x in unc.headline_draws[source][1:] if x > 0) / DRAWS, unc.headline(chance))
    summary = unc.summary
    rows = []
    for key in UNCERTAIN_HEADLINES:
        r_ = summary.loc[key]
        rows.append([key, f4(r_["value"]), "", "", ""] if key in CHANCES
                    else [key, f4(r_["value"]), f4(r_["p10"]), f4(r_["median"]), f4(r_["p90"])])
    w(table(["headline", "central", "p10", "median", "p90"], rows))

    # -- step 12
    key, new = ASSUMPTION
    w("\n### Step 12. Policy or assumption\n")
    variant = sc.with_changes(overrides={**sc.overrides, key: new})
    hv = Hand(variant)
    prefix = f"({key} {new:g}) "
    run_v = engine.project(variant)
    compare(hv, run_v, ch, prefix=prefix)
    headline_checks(run_v, ch, prefix=prefix)
    frame = run_v.frame
    pick = lambda series: float(frame[(frame.year == 1) & (frame.cohort == "all")  # noqa: E731
                                      & (frame.metric == "prison_places") & (frame.series == series)]["value"].iloc[0])
    default_places = sum(h.base[c]["prison_places"] for c in COHORT_KEYS)
    changed_places = sum(hv.base[c]["prison_places"] for c in COHORT_KEYS)
    scenario_places = sum(hv.scen[c]["prison_places"] for c in COHORT_KEYS)
    ch.add(prefix + "baseline_default prison places, year 1", default_places, pick(SERIES_DEFAULT_BASELINE))
    ch.add(prefix + "baseline prison places, year 1", changed_places, pick(SERIES_BASELINE))
    ch.add(prefix + "scenario prison places, year 1", scenario_places, pick(SERIES_SCENARIO))
    ch.add(prefix + "warnings (none expected)", 0.0, float(len(check(variant))))
    reoffences = sum(h.base[c]["reoffences"] for c in COHORT_KEYS)
    w(f"Override one assumption — `{key}` from {value(sc, key):g} to {new:g} — and keep every policy choice. The "
      f"run now has three series. `{SERIES_DEFAULT_BASELINE}`: every function national under the register's "
      f"values, year-1 prison places = {f4(reoffences)} reoffences × {value(sc, key):g} × "
      f"{v('prison_years_per_custodial_sentence'):g} = **{f4(default_places)}** (as in step 7). "
      f"`{SERIES_BASELINE}`: every function national under the changed assumption, {f4(reoffences)} × {new:g} × "
      f"{v('prison_years_per_custodial_sentence'):g} = **{f4(changed_places)}**. `{SERIES_SCENARIO}`: the "
      f"policy under the changed assumption, **{f4(scenario_places)}**. So {f4(changed_places - default_places)} "
      "places of the difference from today's figure come from the assumption and "
      f"{f4(changed_places - scenario_places)} from the policy; every saving and headline is measured against "
      f"`{SERIES_BASELINE}`. Cashable savings over the horizon become "
      f"{money_m(run_v.headline('cashable_savings_gbp_m'))} (against {money_m(run.headline('cashable_savings_gbp_m'))}"
      f") and the area's net position {money_m(run_v.headline('area_net_gbp_m'))} (against "
      f"{money_m(run.headline('area_net_gbp_m'))}); "
      + (f"the NPV stays {money_m(run.headline('npv_gbp_m'))}, because the spend is unchanged and, with no custody "
         "diverted, the benefit of a reoffence avoided is its whole cost p_X however that cost divides between "
         "the justice system and society. "
         if Checks.ok(run_v.headline("npv_gbp_m"), run.headline("npv_gbp_m"))
         else f"the NPV becomes {money_m(run_v.headline('npv_gbp_m'))} (against "
              f"{money_m(run.headline('npv_gbp_m'))}). ")
      + "The whole of steps 1–11 was recomputed by hand for this variant and checked against the engine too.\n")

    # -- step 13
    w("### Step 13. The story\n")
    w("`cjcore.story.story(run)` writes these paragraphs from the run's numbers (section 7):\n")
    w("\n".join(f"> {para}\n>" for para in story(run)).rstrip(">").rstrip())
    fails = ch.failures
    w(f"\n**Check.** `tools/worked_example.py` computed {len(ch.rows)} numbers of this example by hand (plain "
      "Python, from the register and the area file) and compared each with the engine: "
      + ("all agree to a relative difference of 1e-9." if not fails else f"{len(fails)} DISAGREE.") + "\n")
    return "\n".join(out), ch


def derivation(h: Hand, ch: Checks, w: Callable[[str], None]) -> None:
    """How the area file's counts come from the region's published counts (English areas only)."""
    area = h.area
    if area.country != "England":
        return
    sys.path.insert(0, str(ROOT / "tools"))
    import build_areas  # the script that writes cjcore/data/area_cohorts.csv

    from cjcore.areas import load_areas

    regional = build_areas.read_regional_cohorts()
    regional = regional[regional["region"] == area.region].set_index("group")
    region_pop = sum(a.population or 0 for a in load_areas().values() if a.region == area.region)
    share = area.population / region_pop
    w(f"\nThey come from the {area.region} region's published counts (MoJ proven reoffending data tool, "
      f"{build_areas.COHORT_LABEL} cohort, in `cjcore/data/sources/`) times the area's share of the region's "
      f"mid-2018 population, {area.population:,} / {region_pop:,} = {f4(share)}, rounded to 0.1:\n")
    rows = []
    for gkey in h.groups:
        cells = [gkey]
        for j, count in enumerate(("offenders", "reoffenders", "reoffences")):
            region_value = float(regional.loc[gkey, count])
            cells.append(f"{region_value:,.0f} × {f4(share)} = {region_value * share:,.1f}")
            ch.add(f"{gkey}: {count} = region × population share", round(region_value * share, 1),
                   h.groups[gkey][j])
        rows.append(cells)
    w(table(["group", f"offenders ({area.region} × share)", "reoffenders", "reoffences"], rows))
    w("\nThe engine then works from the three counts as stored:\n")


# ----------------------------------------------------------------------------------------------- other blocks
def payer_table() -> str:
    """Who pays the national share of each function's pooled money (cjcore.vocab.FUNCTION_PAYER)."""
    reg = load_register()
    rows = [[f"`{f}`", FUNCTION[f].label, ", ".join(f"`{iv.key}`" for iv in reg.interventions_for(f)) or "–",
             f"`{FUNCTION_PAYER[f]}` ({AGENCY[FUNCTION_PAYER[f]].label})"] for f in FUNCTION_KEYS]
    return table(["function", "label", "interventions", "national share paid by"], rows, align="llll") + "\n"


def warning_table() -> str:
    """Each warning of cjcore.checks with its rule and the thresholds now in force."""
    reg = load_register()
    needed = ", ".join(f"{s} {reg[f'stage.{s}.governance_needed'].value:g}" for s in STAGE_KEYS[1:])
    setup = ", ".join(f"{s} {reg[f'stage.{s}.setup_years'].value:g}" for s in STAGE_KEYS[2:])
    rows = [
        ["`governance_short`", "spectrum",
         "a function is placed at a stage s whose `governance_needed` g_s exceeds readiness R (one warning per "
         "such stage)", f"g_s: {needed}"],
        ["`no_budget`", "funding", "some function is placed and the pooled budget P is 0", "P = 0"],
        ["`budget_too_small`", "funding",
         "0 < P < share × the year-1 cost of running every placed function's interventions at full reach "
         "(Σ reach × N × cost per participant, central values, ignoring control and fidelity)",
         f"share = {MEANINGFUL_REACH_SHARE:g} (`MEANINGFUL_REACH_SHARE`)"],
        ["`agreed_after_horizon`", "funding", "both agreements arrive only after the horizon: a* ≥ H", "a* ≥ H"],
        ["`setup_after_horizon`", "spectrum",
         "otherwise, a function placed beyond co-design whose stage's set-up ends after the horizon: "
         "a* + u_s ≥ H (one warning naming them all)", f"u_s: {setup}"],
        ["`override_far`", "evidence",
         "an override far from the evidence: for a ranged parameter, outside [low − (high − low), high + "
         "(high − low)]; for an unranged one with a register value x > 0, outside [x / 2, 2x] (never for x = 0)",
         "one range width beyond the range; a factor of 2"],
    ]
    return table(["code", "shown on", "raised when", "threshold now"], rows, align="llll") + "\n"


def parameter_table() -> str:
    """The evidence register as Markdown tables, by group, with the interventions."""
    reg = load_register()
    groups: dict[str, list] = {}
    for p in reg.parameters.values():
        groups.setdefault(p.group, []).append(p)
    out = []
    for group, params in groups.items():
        title = "Intervention parameters" if group == "interventions" else group.capitalize()
        out.append(f"#### {title}\n")
        rows = []
        for p in params:
            rng = f"{exact(p.low)}–{exact(p.high)}" if p.low is not None else ""
            rows.append([f"`{p.key}`", p.label, exact(p.value), rng, p.unit, p.status, p.rating, short(p.source)])
        out.append(table(["key", "label", "value", "range", "unit", "status", "rating", "source (short)"], rows,
                         align="llrrllll"))
        out.append("")
    out.append("#### Interventions (what each function unlocks)\n")
    rows = [[f"`{iv.key}`", iv.label, iv.function, ", ".join(iv.cohorts), iv.evidence_rating, short(iv.source)]
            for iv in reg.interventions]
    out.append(table(["key", "label", "function", "cohorts", "evidence", "source (short)"], rows, align="llllll"))
    return "\n".join(out) + "\n"


def exact(x: float) -> str:
    """A register value exactly as the YAML gives it (whole numbers without a decimal point)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def short(text: str, limit: int = 110) -> str:
    """A source cut to about `limit` characters at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:(") + " …"


# ----------------------------------------------------------------------------------------------- the doc
def render(doc: str, blocks: dict[str, str]) -> str:
    """The doc with each generated block replaced."""
    for name, body in blocks.items():
        start, end = f"<!-- generated:{name} start -->", f"<!-- generated:{name} end -->"
        head, sep, rest = doc.partition(start)
        _, sep2, tail = rest.partition(end)
        if not sep or not sep2:
            raise SystemExit(f"{DOC.relative_to(ROOT)} lacks the markers {start} … {end}")
        doc = f"{head}{start}\n<!-- written by tools/worked_example.py --write; do not edit by hand -->\n\n" \
              f"{body.strip()}\n\n{end}{tail}"
    return doc


def build() -> tuple[dict[str, str], Checks]:
    """Every generated block of docs/model.md, and the hand-vs-engine checks behind the worked example."""
    text, checks = worked_example()
    blocks = {"payers": payer_table(), "warnings": warning_table(), "parameters": parameter_table(),
              "worked-example": text}
    assert tuple(blocks) == BLOCKS
    return blocks, checks


def problems() -> tuple[list[str], int]:
    """What `--check` finds wrong (hand numbers that disagree, a stale doc) and how many checks ran."""
    blocks, checks = build()
    out = [f"{name}: hand {hand!r}, engine {eng!r}" for name, hand, eng in checks.failures]
    current = DOC.read_text(encoding="utf-8")
    if render(current, blocks) != current:
        out.append(f"{DOC.relative_to(ROOT)} is out of date: run tools/worked_example.py --write")
    return out, len(checks.rows)


def main() -> int:
    """Print, write or check the generated parts of docs/model.md."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--params", action="store_true", help="print the parameter table")
    ap.add_argument("--write", action="store_true", help="rewrite the generated blocks of docs/model.md")
    ap.add_argument("--check", action="store_true", help="exit 1 if a check fails or docs/model.md is out of date")
    ap.add_argument("--all-checks", action="store_true", help="print every hand-vs-engine comparison")
    args = ap.parse_args()
    if args.params:
        print(parameter_table())
        return 0
    if args.check:
        found, n = problems()
        for line in found:
            print(f"FAIL {line}", file=sys.stderr)
        if not found:
            print(f"{DOC.relative_to(ROOT)} is up to date ({n} hand-vs-engine checks pass)")
        return 1 if found else 0
    blocks, checks = build()
    if args.all_checks:
        for name, hand, eng in checks.rows:
            print(f"{'ok  ' if Checks.ok(hand, eng) else 'FAIL'} {name}: hand {hand:.10g}, engine {eng:.10g}")
    for name, hand, eng in checks.failures:
        print(f"FAIL {name}: hand {hand!r} engine {eng!r}", file=sys.stderr)
    if args.write:
        DOC.write_text(render(DOC.read_text(encoding="utf-8"), blocks), encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
    elif not args.all_checks:
        print(blocks["worked-example"])
    return 1 if checks.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
