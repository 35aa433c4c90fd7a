"""The worked example and generated tables of docs/model.md, computed by hand and checked against the engine.

Why this script exists: docs/model.md promises that a reader can reproduce any number of the model by hand.
This script does that arithmetic for every year of ``scenarios/greater-manchester.yaml`` in plain Python floats
(no numpy, none of the engine's functions), straight from the evidence register and the area baseline, and
checks every hand-computed number against ``cjcore.engine.project``: the price base (each money figure
uplifted from its price year with HM Treasury's GDP deflator, read from the stored series), control stage by
stage, the chance of reversal, the disruption of today's provision and the fading of new effects, the places an
area can add beyond today's national provision, the demand ratios per proven reoffence, the funding order by
reoffences avoided over the horizon per net pound, the savings kept and reinvested in the same year, the flows
and demand, the one-off transition and yearly governance costs, the Green Book's optimism bias, pooled money
committed but not spent (returned, or kept and counted as spent), the money by agency (who puts in, who gains,
what is transferred) and the headlines, central and expected (the mean over the uncertainty draws). It then
writes the generated parts of docs/model.md (the price table, the optimism bias parameters, who pays the national
share of each function, the validation figures, the warning thresholds, the parameter table and the worked
example), so the doc always quotes the engine's current numbers and the register's current values::

    .venv/bin/python tools/worked_example.py              # print the worked example; exit 1 if a check fails
    .venv/bin/python tools/worked_example.py --params     # print the parameter table (Markdown)
    .venv/bin/python tools/worked_example.py --write      # rewrite the generated blocks of docs/model.md
    .venv/bin/python tools/worked_example.py --check      # exit 1 if a check fails or docs/model.md is stale
    .venv/bin/python tools/worked_example.py --all-checks # print every hand-vs-engine comparison

``problems()`` is the same check as ``--check`` for use in-process (tests/core/test_model_doc.py).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cjcore import checks as checks_module  # noqa: E402
from cjcore import engine  # noqa: E402
from cjcore.areas import AREA_KEYS, get_area  # noqa: E402
from cjcore.checks import MEANINGFUL_REACH_SHARE, check, full_reach_cost_gbp_m  # noqa: E402
from cjcore.evidence import load_register  # noqa: E402
from cjcore.money import net_by_agency, system_cost_per_reoffence  # noqa: E402
from cjcore.prices import PRICE_BASE, PRICE_BASE_LABEL  # noqa: E402
from cjcore.prices import deflators as engine_deflators  # noqa: E402
from cjcore.prices import uplift as engine_uplift  # noqa: E402
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
DEFLATOR_FILE = ROOT / "cjcore" / "data" / "sources" / "hmt_gdp_deflator.csv"
VALIDATION_TEST = ROOT / "tests" / "core" / "test_validation_probation.py"  # its scenario is section 5a's
BLOCKS = ("prices", "optimism-bias", "payers", "validation", "warnings", "parameters", "worked-example")
OPTIMISM_BIAS = ("optimism_bias_operating", "optimism_bias_transition")
TOLERANCE = 1e-9  # relative difference allowed between a hand-computed number and the engine's
ILLUSTRATIVE_BUDGET_GBP_M = 0.15  # a budget small enough that the funding order matters in year 1
ASSUMPTION = ("custody_per_offence", 0.06)  # an override for the "policy or assumption" step
DRAWS, SEED = 1000, 1  # the uncertainty run quoted in the doc
#: The chance headlines: (key, the headline it is computed from, sign): the share of draws with sign × it > 0.
CHANCES = (("chance_npv_positive", "npv_gbp_m", 1), ("chance_more_reoffences", "reoffences_avoided", -1),
           ("chance_npv_negative", "npv_gbp_m", -1), ("chance_area_breaks_even", "area_net_gbp_m", 1))
CHANCE_KEYS = tuple(c[0] for c in CHANCES)
UNCERTAIN_HEADLINES = ("reoffences_avoided", "prison_places_avoided", "intervention_spend_gbp_m",
                       "arrangement_costs_gbp_m", "optimism_bias_gbp_m", "committed_unused_gbp_m",
                       "cashable_savings_gbp_m", "net_fiscal_cost_gbp_m", "economic_benefit_gbp_m",
                       "pv_benefits_gbp_m", "pv_costs_gbp_m", "npv_gbp_m", "benefit_cost_ratio", "area_net_gbp_m",
                       *CHANCE_KEYS)

AGENCY_VOLUME = {"police": "arrests", "courts": "court_cases", "prisons": "prison_places",
                 "probation": "probation_caseload"}
UNIT_COST = {"police": "police_cost_per_arrest_gbp", "courts": "court_cost_per_case_gbp",
             "prisons": "prison_cost_per_place_gbp", "probation": "probation_cost_per_case_gbp"}
JUSTICE = ("police", "courts", "prisons", "probation")  # agencies with a unit cost, in the engine's order
NATIONAL = ("courts", "prisons", "probation")  # the national budgets the area's retained savings come from
AREA = "police"  # the PCC or mayor, and police
#: Demand ratios published per person formally dealt with, converted to per proven reoffence (3.9).
DEMAND_RATIOS = ("arrests_per_offence", "court_cases_per_offence", "custody_per_offence",
                 "probation_years_per_offence")
FLOW_METRICS = ("reoffending_rate", "reoffenders", "reoffences", "arrests", "court_cases", "custody_receptions",
                "prison_places", "probation_caseload")
TIMELINE = ("ramp", "control", "alive", "reversed", "disruption", "potency", "transition", "governance")


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


def pounds(x: float) -> str:
    """£ exactly as the register gives it, with thousands separators."""
    return f"£{x:,.0f}" if float(x).is_integer() else f"£{x:,}"


def fy(year: str) -> str:
    """A financial year as the doc writes it: '2011-12' -> '2011/12'."""
    return year.replace("-", "/")


def money_m(x: float) -> str:
    """£m to 4 significant figures, the sign in front of the pound sign."""
    return f"{'−' if x < 0 else ''}£{f4(abs(x))}m"


def pct(x: float) -> str:
    """A share as a percentage to 3 significant figures."""
    return f"{f4(100 * x, 3)}%"


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


def join(items: list[str]) -> str:
    """a, b and c."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ----------------------------------------------------------------------------------------------- inputs
def load() -> Scenario:
    """The Greater Manchester scenario, read with yaml.safe_load and validated by the schema."""
    return Scenario.model_validate(yaml.safe_load(SCENARIO_FILE.read_text(encoding="utf-8")))


def deflator_index() -> dict[str, float]:
    """HM Treasury's GDP deflator by financial year, read from the stored series (csv module, no engine code)."""
    with DEFLATOR_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["financial_year"]: float(row["deflator_index"]) for row in csv.DictReader(handle)}


def uplift(price_year: str | None) -> float:
    """By hand: the factor taking £ in `price_year` prices to the price base, index(base) / index(year)."""
    if price_year is None or price_year == PRICE_BASE:
        return 1.0
    index = deflator_index()
    return index[PRICE_BASE] / index[price_year]


def value(sc: Scenario, key: str) -> float:
    """A parameter's central value as the model uses it.

    The scenario's override as given (already in the price base), else the register's figure uplifted from its
    price year to the price base (custody_diversion: 0).
    """
    if key in sc.overrides:
        return float(sc.overrides[key])
    reg = load_register()
    if key in reg.parameters:
        return reg[key].value * uplift(reg[key].price_year)
    if key.endswith(".custody_diversion"):
        return 0.0
    raise KeyError(key)


# ----------------------------------------------------------------------------------------------- by hand
class Hand:
    """Every year of a scenario by hand, in plain floats, from the register and the area file (central values)."""

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
        self.offenders = sum(self.N[c] for c in COHORT_KEYS)
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
        self.retain_unspent = fin.unspent == "retained"
        # -- the Green Book's optimism bias on programme and governance costs, and on transition costs (3.17)
        self.ob_op, self.ob_tr = v("optimism_bias_operating"), v("optimism_bias_transition")
        # -- demand ratios per proven reoffence (3.9)
        self.dpr = v("disposals_per_reoffence")
        self.per = {key: v(key) * self.dpr for key in DEMAND_RATIOS}
        alpha, beta = self.per["arrests_per_offence"], self.per["court_cases_per_offence"]
        kappa, pi = self.per["custody_per_offence"], self.per["probation_years_per_offence"]
        tau, omega = v("prison_years_per_custodial_sentence"), v("community_order_years")
        self.alpha, self.beta, self.kappa, self.pi, self.tau, self.omega = alpha, beta, kappa, pi, tau, omega
        # -- what a reoffence and a diverted sentence cost national budgets in cash, and the system (3.10, 3.17)
        self.n_parts = {
            "courts": beta * v("court_cost_per_case_gbp") * v("cashable_share_courts"),
            "prisons": kappa * tau * v("prison_cost_per_place_gbp") * v("cashable_share_prisons"),
            "probation": pi * v("probation_cost_per_case_gbp") * v("cashable_share_probation"),
        }
        self.n_nat = sum(self.n_parts.values())
        self.m_div = (tau * v("prison_cost_per_place_gbp") * v("cashable_share_prisons")
                      - omega * v("probation_cost_per_case_gbp") * v("cashable_share_probation"))
        self.p_sys_parts = {
            "police": alpha * v("police_cost_per_arrest_gbp"),
            "courts": beta * v("court_cost_per_case_gbp"),
            "prisons": kappa * tau * v("prison_cost_per_place_gbp"),
            "probation": pi * v("probation_cost_per_case_gbp"),
        }
        self.p_sys = sum(self.p_sys_parts.values())
        self.beyond = (v("cost_per_reoffence_gbp") - self.p_sys) / 1e6
        # -- each function's stage settings and year-by-year transition (3.4, 3.5, 3.16)
        self.fn = {f: self.function_timeline(f) for f in FUNCTION_KEYS}
        # -- each intervention at full realisation: additionality (3.8) and places, savings, net cost (3.10)
        self.ivs: list[dict[str, Any]] = []
        for iv in load_register().interventions:
            fn = self.fn[iv.function]
            eligible, top = v(f"{iv.key}.eligible_share"), v(f"{iv.key}.max_reach")
            national = v(f"{iv.key}.national_reach")
            reach = eligible * max(top - national, 0.0)
            today = eligible * national
            cost, effect = v(f"{iv.key}.cost_per_participant_gbp"), v(f"{iv.key}.effect")
            diversion = v(f"{iv.key}.custody_diversion")
            places = {c: reach * self.N[c] for c in iv.cohorts}
            per_participant = {c: max(0.0, self.r[c] * self.f[c] * (effect * self.n_nat
                                                                    + diversion * kappa * self.m_div))
                               for c in iv.cohorts}
            people = sum(places.values())
            saving = sum(places[c] * per_participant[c] for c in places) / 1e6
            gross = people * cost / 1e6
            kept = fn["theta"] * saving
            self.ivs.append(dict(
                iv=iv, function=iv.function, stage=fn["stage"], eligible=eligible, max_reach=top,
                national_reach=national, reach=reach, today=today, cost=cost, effect=effect, diversion=diversion,
                places=places, people=people, gross=gross, per_participant=per_participant, saving=saving,
                theta=fn["theta"], kept=kept, net_full=gross - self.eta * kept,
                avoided_full=effect * sum(places[c] * self.r[c] * self.f[c] for c in places)))
        # -- every year: allocation, flows, money (3.11-3.17, section 4)
        self.entrants = {c: self.N[c] - self.h * self.N[c] * self.r[c] for c in COHORT_KEYS}
        self.years: list[dict[str, Any]] = []
        size, base_size = dict(self.N), dict(self.N)
        for t in range(self.H):
            y = self.allocate(t)
            y["size"] = size
            y["scen"] = {c: self.cohort_flows(c, size[c], y) for c in COHORT_KEYS}
            y["base"] = {c: self.cohort_flows(c, base_size[c], None) for c in COHORT_KEYS}
            self.year_money(y)
            size = {c: self.entrants[c] + self.h * y["scen"][c]["reoffenders"] for c in COHORT_KEYS}
            base_size = {c: self.entrants[c] + self.h * y["base"][c]["reoffenders"] for c in COHORT_KEYS}
            y["next_size"] = size
            self.years.append(y)
        self.y1 = self.years[0]
        self.y2 = self.years[1] if self.H > 1 else None
        self.totals()

    # -- policy over time
    def stage(self, stage: str, name: str) -> float:
        """A stage's setting; `national` has none of the spectrum's settings, so every one is 0 there."""
        return 0.0 if stage == STAGE_KEYS[0] else self.v(f"stage.{stage}.{name}")

    def hazard(self, stage: str) -> tuple[float, float, float]:
        """The stage's base yearly chance of reversal, governance fit, and the hazard h (3.5)."""
        base, needed = self.stage(stage, "reversal_hazard"), self.stage(stage, "governance_needed")
        fit = 1.0 if needed <= 0 else min(1.0, self.R / needed)
        if base <= 0:
            return base, fit, 0.0
        late = 1 + self.v("reversal_late_agreement") * self.start
        return base, fit, min(1.0, base * (1 + self.v("reversal_readiness_weight") * (1 - fit)) * late)

    def function_timeline(self, f: str) -> dict[str, Any]:
        """A function's stage settings, and its ramp, control, reversal, disruption, fading and costs by year."""
        sc, v = self.sc, self.v
        stage = sc.stage_of(f)
        placed = stage != STAGE_KEYS[0]
        local, setup = self.stage(stage, "local_control"), self.stage(stage, "setup_years")
        base, fit, h = self.hazard(stage)
        share, per_offender = self.stage(stage, "disruption"), self.stage(stage, "transition_cost_per_offender_gbp")
        yearly = self.stage(stage, "governance_cost_gbp_m")
        spread_over = max(1, int(round(setup)))
        once = per_offender * self.offenders / 1e6
        out: dict[str, Any] = dict(stage=stage, placed=placed, local=local, setup=setup, base_hazard=base, fit=fit,
                                   needed=self.stage(stage, "governance_needed"), hazard=h, share=share,
                                   per_offender=per_offender, once=once, spread_over=spread_over, yearly=yearly,
                                   theta=self.stage(stage, "savings_retained"))
        rows = {k: [] for k in TIMELINE}
        for t in range(self.H):
            ramp = clip((t - self.start - setup + 1) / v("ramp_years"))
            rows["ramp"].append(ramp)
            rows["control"].append(local * ramp)
            if not placed:
                for key, x in (("alive", 1.0), ("reversed", 0.0), ("disruption", 0.0), ("potency", 1.0),
                               ("transition", 0.0), ("governance", 0.0)):
                    rows[key].append(x)
                continue
            at_risk = t >= self.start
            exposed = sum(1 for u in range(t + 1) if u >= self.start)  # years at risk up to and including t
            alive = (1 - h) ** exposed
            reversed_now = (1 - h) ** max(exposed - 1, 0) * h if at_risk else 0.0
            setting_up = (1 - ramp) if at_risk else 0.0
            rows["alive"].append(alive)
            rows["reversed"].append(reversed_now)
            rows["disruption"].append(share * (alive * setting_up + reversed_now))
            rows["potency"].append((1 - v("effect_decay")) ** max(0.0, t - self.start - setup))
            rows["transition"].append(once * (1 / spread_over if self.start <= t < self.start + spread_over else 0.0))
            rows["governance"].append(yearly * alive if at_risk else 0.0)
        out.update(rows)
        return out

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

    # -- the funding allocation (3.11)
    def allocate(self, t: int) -> dict[str, Any]:
        """Rank, fund and realise every intervention in year index t."""
        sustain = self.sustain(t)
        pooled = self.budget if self.funded(t) else 0.0
        worth = self.worth(t)
        rows = []
        for d in self.ivs:
            fn = self.fn[d["function"]]
            delivery = fn["control"][t] * self.F * sustain * fn["alive"][t]
            potency = fn["potency"][t]
            net = d["gross"] - self.eta * d["kept"] * potency
            horizon_value = d["effect"] * sum(d["places"][c] * self.r[c] * self.f[c] * worth[c] for c in d["places"])
            rows.append(dict(d=d, delivery=delivery, potency=potency, net=net, value=horizon_value,
                             ratio=horizon_value * potency / net if net > 0 else math.inf, net_now=net * delivery,
                             lost=fn["disruption"][t]))
        order = sorted(range(len(rows)), key=lambda i: -rows[i]["ratio"])  # stable: ties keep the register order
        before = 0.0
        for rank, i in enumerate(order, start=1):
            y = rows[i]
            y["rank"], y["before"] = rank, before
            share = 1.0 if y["net_now"] <= 0 else clip((pooled - before) / y["net_now"])
            y["share"] = share if pooled > 0 else 0.0  # nothing runs without a pooled budget
            y["realisation"] = y["delivery"] * y["share"]
            y["potent"] = y["realisation"] * y["potency"]
            y["spend"] = y["d"]["gross"] * y["realisation"]
            y["kept"] = y["d"]["kept"] * y["potent"]
            y["avoided"] = y["d"]["avoided_full"] * y["potent"]
            y["participants"] = {c: x * y["realisation"] for c, x in y["d"]["places"].items()}
            before += y["net_now"]
        retained = sum(y["kept"] for y in rows)
        spend = sum(y["spend"] for y in rows)
        reinvested = self.eta * retained
        transition = {f: self.fn[f]["transition"][t] for f in FUNCTION_KEYS}
        governance = {f: self.fn[f]["governance"][t] for f in FUNCTION_KEYS}
        tc, gc = sum(transition.values()), sum(governance.values())
        # Pooled money committed but not spent: the reinvested savings pay first, the pooled budget the rest.
        pooled_used = max(0.0, spend - reinvested)
        unused = max(0.0, pooled - pooled_used)
        committed = unused if self.retain_unspent else 0.0
        # Optimism bias: a share added to programme spend and governance, another to the one-off transition.
        bias_operating, bias_transition = self.ob_op * (spend + gc), self.ob_tr * tc
        return dict(t=t, sustain=sustain, pooled=pooled, worth=worth, rows=rows, order=order,
                    retained=retained, reinvested=reinvested, spend=spend, funds=pooled + reinvested,
                    pooled_used=pooled_used, unused=unused, committed=committed,
                    lapsed=unused - committed, transition_by=transition, governance_by=governance,
                    transition=tc, governance=gc, bias_operating=bias_operating, bias_transition=bias_transition,
                    bias=bias_operating + bias_transition)

    # -- flows (3.13-3.15)
    def cohort_flows(self, c: str, size: float, y: dict[str, Any] | None) -> dict[str, float]:
        """One cohort's flows and demand in a year, at a cohort size, under an allocation (None: baseline)."""
        reduction = diverted = harm = harm_diversion = 0.0
        if y is not None:
            served = [r_ for r_ in y["rows"] if c in r_["d"]["places"]]
            if size > 0:
                reduction = sum(r_["potent"] * r_["d"]["places"][c] * r_["d"]["effect"] for r_ in served) / size
                diverted = sum(r_["potent"] * r_["d"]["places"][c] * r_["d"]["diversion"] for r_ in served) / size
            harm = sum(r_["lost"] * r_["d"]["today"] * r_["d"]["effect"] for r_ in served)
            harm_diversion = sum(r_["lost"] * r_["d"]["today"] * r_["d"]["diversion"] for r_ in served)
        diverted_share = clip(diverted - harm_diversion, -1.0, 1.0)
        rate = clip(self.r[c] * (1 - reduction + harm))
        reoffenders = size * rate
        reoffences = reoffenders * self.f[c]
        sentences = reoffences * self.kappa
        receptions = sentences * (1 - diverted_share)
        return {
            "cohort_size": size, "reduction": reduction, "harm": harm, "diverted": diverted_share,
            "reoffending_rate": rate, "reoffenders": reoffenders, "reoffences": reoffences,
            "arrests": reoffences * self.alpha, "court_cases": reoffences * self.beta, "sentences": sentences,
            "custody_receptions": receptions, "prison_places": receptions * self.tau,
            "probation_caseload": max(reoffences * self.pi + (sentences - receptions) * self.omega, 0.0),
            "participants": sum(r_["participants"][c] for r_ in y["rows"] if c in r_["participants"])
            if y is not None else 0.0,
        }

    # -- money (3.17) and who pays and who gains (section 4)
    def year_money(self, y: dict[str, Any]) -> None:
        """A year's costs, savings, benefit and £m by agency and category, by the attribution rules."""
        v = self.v
        y["cost"] = {series: {a: sum(y[series][c][AGENCY_VOLUME[a]] for c in COHORT_KEYS) * v(UNIT_COST[a]) / 1e6
                              for a in JUSTICE} for series in ("base", "scen")}
        y["saving"] = {a: y["cost"]["base"][a] - y["cost"]["scen"][a] for a in JUSTICE}
        y["cashable_by"] = {a: y["saving"][a] * v(f"cashable_share_{a}") for a in JUSTICE}
        y["cashable"] = sum(y["cashable_by"].values())
        y["avoided"] = sum(y["base"][c]["reoffences"] - y["scen"][c]["reoffences"] for c in COHORT_KEYS)
        y["cor"] = {s_: sum(y[s_][c]["reoffences"] for c in COHORT_KEYS) * v("cost_per_reoffence_gbp") / 1e6
                    for s_ in ("base", "scen")}
        y["benefit"] = y["avoided"] * self.beyond + sum(y["saving"].values())
        y["costs"] = y["spend"] + y["transition"] + y["governance"] + y["bias"] + y["committed"]
        m = {a: dict.fromkeys(MONEY_CATEGORY_KEYS, 0.0) for a in AGENCY_KEYS}
        spend = y["spend"]
        y["from_reinvested"] = min(spend, y["reinvested"])
        y["from_pooled"] = spend - y["from_reinvested"]
        y["pooled_share"] = y["from_pooled"] / spend if spend > 0 else 0.0
        # programme spend by payer: the reinvested savings and the pooled budget's local share by the area, its
        # national share by the budget that owns each function
        programme = dict.fromkeys(AGENCY_KEYS, 0.0)
        programme[AREA] += y["from_reinvested"] + (1 - self.nu) * y["from_pooled"]
        y["national_by_payer"] = {}
        for row in y["rows"]:
            payer = FUNCTION_PAYER[row["d"]["function"]]
            paid = self.nu * row["spend"] * y["pooled_share"]
            programme[payer] += paid
            if paid > 0:
                y["national_by_payer"].setdefault(payer, []).append((row["d"]["iv"].key, paid))
        # the arrangements: governance by the area; transition split as the pooled budget is
        operating = dict(programme)
        operating[AREA] += y["governance"]
        transition = dict.fromkeys(AGENCY_KEYS, 0.0)
        transition[AREA] += (1 - self.nu) * y["transition"]
        y["transition_by_payer"] = {}
        for f in FUNCTION_KEYS:
            paid = self.nu * y["transition_by"][f]
            transition[FUNCTION_PAYER[f]] += paid
            if paid > 0:
                y["transition_by_payer"].setdefault(FUNCTION_PAYER[f], []).append((f, paid))
        # optimism bias falls on whoever bears the cost it adjusts
        y["bias_by"] = {a: self.ob_op * operating[a] + self.ob_tr * transition[a] for a in AGENCY_KEYS}
        # pooled money kept unspent: the area its local share; the national share in proportion to what each
        # national payer put into the programmes this year (equally among the placed functions' payers if none)
        committed = dict.fromkeys(AGENCY_KEYS, 0.0)
        y["committed_weights"] = {}
        if y["committed"] > 0:
            committed[AREA] += (1 - self.nu) * y["committed"]
            payers = [a for a in AGENCY_KEYS if a in set(FUNCTION_PAYER.values())]
            paid_in = {a: programme[a] for a in payers}
            total_paid = sum(paid_in.values())
            if total_paid > 0:
                weights = {a: paid_in[a] / total_paid for a in payers}
            else:
                placed = {FUNCTION_PAYER[f] for f in FUNCTION_KEYS if self.sc.stage_of(f) != STAGE_KEYS[0]} \
                    or {"central_government"}
                weights = {a: (1.0 if a in placed else 0.0) / len(placed) for a in payers}
            y["committed_weights"] = weights
            for a in payers:
                committed[a] += self.nu * y["committed"] * weights[a]
        y["committed_by"] = committed
        for a in AGENCY_KEYS:
            m[a]["invests"] = operating[a] + transition[a] + y["bias_by"][a] + committed[a]
        for a in JUSTICE:
            m[a]["fiscal_cashable"] = y["saving"][a] * v(f"cashable_share_{a}")
            m[a]["fiscal_non_cashable"] = y["saving"][a] * (1 - v(f"cashable_share_{a}"))
        m["society"]["economic_social"] = y["avoided"] * self.beyond
        gains = {a: max(0.0, m[a]["fiscal_cashable"]) for a in NATIONAL}
        total = sum(gains.values())
        y["transfer_weights"] = ({a: gains[a] / total for a in NATIONAL} if total > 0
                                 else {a: float(a == "prisons") for a in NATIONAL})
        for a in NATIONAL:
            m[a]["transfer"] = -y["retained"] * y["transfer_weights"][a]
        m[AREA]["transfer"] = y["retained"]
        y["money"] = m
        y["net"] = {a: sum(m[a][k] for k in MONEY_CATEGORY_KEYS if k != "invests") - m[a]["invests"]
                    for a in AGENCY_KEYS}
        y["factor"] = (1 + v("discount_rate")) ** -y["t"]

    def totals(self) -> None:
        """The headline figures (3.18) and each agency's totals over the horizon, from the yearly numbers."""
        ys, last = self.years, self.years[-1]

        def total(series: str, metric: str) -> float:
            return sum(y[series][c][metric] for y in ys for c in COHORT_KEYS)

        def final(series: str, metric: str) -> float:
            return sum(last[series][c][metric] for c in COHORT_KEYS)

        def rate(series: str) -> float:
            return final(series, "reoffenders") / final(series, "cohort_size")

        self.pv_benefit = sum(y["benefit"] * y["factor"] for y in ys)
        self.pv_costs = sum(y["costs"] * y["factor"] for y in ys)
        self.pv_area = sum(y["net"][AREA] * y["factor"] for y in ys)
        npv = self.pv_benefit - self.pv_costs
        spend = sum(y["spend"] for y in ys)
        arrangements = sum(y["transition"] + y["governance"] for y in ys)
        bias = sum(y["bias"] for y in ys)
        committed = sum(y["committed"] for y in ys)
        cashable = sum(y["cashable"] for y in ys)
        heads = {
            "reoffences_avoided": total("base", "reoffences") - total("scen", "reoffences"),
            "reoffending_rate_change_pp": 100 * (rate("scen") - rate("base")),
            "prison_places_avoided": final("base", "prison_places") - final("scen", "prison_places"),
            "probation_caseload_change": final("scen", "probation_caseload") - final("base", "probation_caseload"),
            "court_cases_avoided": total("base", "court_cases") - total("scen", "court_cases"),
            "arrests_avoided": total("base", "arrests") - total("scen", "arrests"),
            "custody_receptions_avoided": total("base", "custody_receptions") - total("scen", "custody_receptions"),
            "intervention_spend_gbp_m": spend,
            "arrangement_costs_gbp_m": arrangements,
            "cashable_savings_gbp_m": cashable,
            "retained_savings_gbp_m": sum(y["retained"] for y in ys),
            "committed_unused_gbp_m": sum(y["unused"] for y in ys),
            "optimism_bias_gbp_m": bias,
            "net_fiscal_cost_gbp_m": spend + arrangements + bias + committed - cashable,
            "economic_benefit_gbp_m": sum(y["benefit"] for y in ys),
            "pv_benefits_gbp_m": self.pv_benefit,
            "pv_costs_gbp_m": self.pv_costs,
            "npv_gbp_m": npv,
            "benefit_cost_ratio": self.pv_benefit / self.pv_costs if self.pv_costs > 0 else math.nan,
            "area_net_gbp_m": self.pv_area,
        }
        for key, source, sign in CHANCES:  # with no draws: 1 if the central figure passes, else 0
            heads[key] = float(sign * heads[source] > 0)
        self.headlines = heads
        self.by_agency = {}
        for a in AGENCY_KEYS:
            sums = {k: sum(y["money"][a][k] for y in ys) for k in MONEY_CATEGORY_KEYS}
            net = sum(y["net"][a] for y in ys)
            cumulative, running = [], 0.0
            for y in ys:
                running += y["net"][a]
                cumulative.append(running)
            negative = [i for i, x in enumerate(cumulative) if x < -1e-12]
            payback = math.nan  # the first year from which the cumulative net position stays at or above zero
            if sums["invests"] > 0 and (not negative or negative[-1] + 1 < len(cumulative)):
                payback = float(negative[-1] + 2 if negative else 1)
            self.by_agency[a] = dict(sums, net=net, gets_back=sum(v_ for k, v_ in sums.items() if k != "invests"),
                                     return_on_investment=net / sums["invests"] if sums["invests"] > 0 else math.nan,
                                     payback_year=payback)


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
        """Whether two numbers agree to the tolerance (two NaNs agree: a blank ratio by hand and in the engine)."""
        if math.isnan(hand) or math.isnan(eng):
            return math.isnan(hand) and math.isnan(eng)
        return abs(hand - eng) <= TOLERANCE * max(1.0, abs(hand), abs(eng))

    @property
    def failures(self) -> list[tuple[str, float, float]]:
        """The comparisons that disagree."""
        return [r for r in self.rows if not self.ok(r[1], r[2])]


def compare(h: Hand, run: engine.Run, ch: Checks, prefix: str = "") -> None:
    """Check every number of `h`, year by year, against the engine's run of the same scenario."""
    sc, fl, bl = h.sc, run.flows, run.baseline
    add = lambda name, hand, eng: ch.add(prefix + name, hand, eng)  # noqa: E731
    p = engine.Params(sc.overrides, 0, None)
    add("readiness", h.R, engine.readiness(sc))
    add("fidelity", h.F, engine.fidelity(sc, p))
    horizon = sc.horizon_years
    sustain = engine.sustain(sc, p, horizon)
    ctrl = engine.control(sc, p, horizon)
    tr = engine.transition(sc, p, horizon)
    transition_cost, governance_cost = engine.arrangement_costs(sc, p, tr, engine.baseline_cohorts(sc.area, p).size
                                                                .sum(axis=1))
    for y in h.years:
        add(f"sustain, year {y['t'] + 1}", y["sustain"], sustain[y["t"]])
    for key in DEMAND_RATIOS:
        add(f"{key} per proven reoffence", h.per[key], engine.per_reoffence(p, key)[0])
    add("system cost of a reoffence £", h.p_sys, system_cost_per_reoffence(p)[0])
    for j, f in enumerate(FUNCTION_KEYS):
        fn = h.fn[f]
        if fn["placed"]:
            add(f"{f}: reversal hazard", fn["hazard"], engine.reversal_hazard(sc, p, fn["stage"]))
        for t in range(horizon):
            add(f"{f}: control, year {t + 1}", fn["control"][t], ctrl[j, t])
            add(f"{f}: still in place, year {t + 1}", fn["alive"][t], tr.alive[0, j, t])
            add(f"{f}: disruption, year {t + 1}", fn["disruption"][t], tr.disruption[0, j, t])
            add(f"{f}: potency, year {t + 1}", fn["potency"][t], tr.potency[0, j, t])
            add(f"{f}: transition cost £m (arrangement_costs), year {t + 1}", fn["transition"][t],
                transition_cost[0, j, t])
            add(f"{f}: governance cost £m (arrangement_costs), year {t + 1}", fn["governance"][t],
                governance_cost[0, j, t])
            add(f"{f}: transition cost £m (flows), year {t + 1}", fn["transition"][t], fl.transition_by[0, t, j])
            add(f"{f}: governance cost £m (flows), year {t + 1}", fn["governance"][t], fl.governance_by[0, t, j])
    cohorts = engine.baseline_cohorts(sc.area, p)
    for j, c in enumerate(COHORT_KEYS):
        add(f"{c}: baseline cohort size", h.N[c], cohorts.size[0, j])
        add(f"{c}: baseline rate", h.r[c], cohorts.rate[0, j])
        add(f"{c}: reoffences per reoffender", h.f[c], cohorts.frequency[0, j])
        for y in h.years:
            t = y["t"]
            add(f"{c}: scenario cohort size, year {t + 1}", y["size"][c], fl.cohort_size[0, t, j])
            add(f"{c}: participants, year {t + 1}", y["scen"][c]["participants"], fl.participants[0, t, j])
            for metric in FLOW_METRICS:
                add(f"{c}: scenario {metric}, year {t + 1}", y["scen"][c][metric], getattr(fl, metric)[0, t, j])
                add(f"{c}: baseline {metric}, year {t + 1}", y["base"][c][metric], getattr(bl, metric)[0, t, j])
    prog = engine.programme(p)
    saving = engine.direct_saving_per_participant(p, prog, cohorts)
    kept_share = engine.retained_share(sc, p, prog)
    for i, d in enumerate(h.ivs):
        key = d["iv"].key
        add(f"{key}: retained share", d["theta"], kept_share[i])
        for c in d["places"]:
            add(f"{key}: reach added, {c}", d["reach"], prog.reach[0, i, COHORT_KEYS.index(c)])
            add(f"{key}: today's reach, {c}", d["today"], prog.today[0, i, COHORT_KEYS.index(c)])
            add(f"{key}: direct saving per participant, {c} £", d["per_participant"][c],
                saving[0, i, COHORT_KEYS.index(c)])
        for y in h.years:
            row, t = y["rows"][i], y["t"]
            add(f"{key}: realisation, year {t + 1}", row["realisation"], fl.realisation[0, t, i])
            add(f"{key}: spend £m, year {t + 1}", row["spend"], fl.spend_by[0, t, i])
            add(f"{key}: reoffences avoided, year {t + 1}", row["avoided"], fl.reoffences_avoided_by[0, t, i])
    benefit = engine.economic_benefit(bl, fl, run.params)
    money = run.money
    net = net_by_agency(money)
    for y in h.years:
        t = y["t"]
        for a_i, a in enumerate(engine.AGENCIES):
            add(f"{a}: baseline cost £m, year {t + 1}", y["cost"]["base"][a], bl.agency_cost[0, t, a_i])
            add(f"{a}: scenario cost £m, year {t + 1}", y["cost"]["scen"][a], fl.agency_cost[0, t, a_i])
        for name, hand, eng in (
            ("funds available £m", y["funds"], fl.funds_available), ("spend £m", y["spend"], fl.intervention_spend),
            ("retained savings £m", y["retained"], fl.retained_savings),
            ("reinvested savings £m", y["reinvested"], fl.reinvested_savings),
            ("transition cost £m", y["transition"], fl.transition_cost),
            ("governance cost £m", y["governance"], fl.governance_cost),
            ("optimism bias £m", y["bias"], fl.optimism_bias),
            ("pooled money committed but not spent £m", y["unused"], fl.unused_commitment),
            ("unspent pooled money counted as spent £m", y["committed"], fl.committed_cost),
            ("cashable savings £m", y["cashable"], fl.cashable_savings),
            ("cost of reoffending, baseline £m", y["cor"]["base"], bl.cost_of_reoffending),
            ("cost of reoffending, scenario £m", y["cor"]["scen"], fl.cost_of_reoffending),
            ("economic benefit £m", y["benefit"], benefit),
        ):
            add(f"{name}, year {t + 1}", hand, eng[0, t])
        for a_i, a in enumerate(AGENCY_KEYS):
            for k_i, k in enumerate(MONEY_CATEGORY_KEYS):
                add(f"money, year {t + 1}: {a} {k} £m", y["money"][a][k], money[0, t, a_i, k_i])
            add(f"money, year {t + 1}: {a} net £m", y["net"][a], net[0, t, a_i])
        add(f"money, year {t + 1}: puts in adds up to spend, arrangement costs, optimism bias and money kept",
            sum(y["money"][a]["invests"] for a in AGENCY_KEYS), y["costs"])
        add(f"money, year {t + 1}: benefits add up to the economic benefit",
            sum(y["money"][a][k] for a in AGENCY_KEYS for k in ("fiscal_cashable", "fiscal_non_cashable",
                                                                "economic_social")), y["benefit"])
        add(f"money, year {t + 1}: transfers add up to 0", sum(y["money"][a]["transfer"] for a in AGENCY_KEYS), 0.0)
    summary = run.agency_summary.set_index("agency")
    for a in AGENCY_KEYS:
        for k in (*MONEY_CATEGORY_KEYS, "net", "gets_back", "return_on_investment", "payback_year"):
            eng = summary.at[a, k]
            add(f"agency summary: {a} {k}", h.by_agency[a][k], math.nan if eng is None else float(eng))
    frame = run.frame
    for metric in ("reoffences", "prison_places", "arrests"):
        row = frame[(frame.year == 1) & (frame.cohort == "all") & (frame.metric == metric)
                    & (frame.series == SERIES_SCENARIO)]
        add(f"Run.frame all-cohort {metric}, year 1", sum(h.y1["scen"][c][metric] for c in COHORT_KEYS),
            float(row["value"].iloc[0]))
    headline_checks(h, run, ch, prefix)


def headline_checks(h: Hand, run: engine.Run, ch: Checks, prefix: str = "") -> None:
    """Each headline figure by hand (Hand.totals, as docs/model.md states it) against the engine's."""
    assert set(h.headlines) == set(engine.HEADLINE_KEYS), "a headline is not recomputed by hand"
    assert {(k, s, g) for k, s, g in CHANCES} == set(engine._CHANCES), "the chance headlines changed"
    for key, x in h.headlines.items():
        ch.add(prefix + f"headline {key} (central)", x, run.central_headline(key))
    if run.draws == 0:  # without draws the expected value is the central value
        for key in engine.HEADLINE_KEYS:
            ch.add(prefix + f"headline {key}: expected = central without draws", run.headline(key),
                   run.central_headline(key))


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
    years = range(1, h.H + 1)

    w(f"Scenario: `{SCENARIO_FILE.relative_to(ROOT)}` ({sc.name}), area `{sc.area}`, horizon "
      f"{sc.horizon_years} years, central estimate (`draws=0`). Placements: "
      + ", ".join(f"{f} `{sc.stage_of(f)}`" for f in placed)
      + f"; every other function `national`. Funding: £{f4(fin.pooled_budget_gbp_m)}m a year "
      f"(national share {fin.national_share:g}), agreed in year index {fin.agreed_in_year}, "
      f"{fin.settlement_years}-year settlement, renewed: {str(fin.renewed).lower()}, reinvest share "
      f"{fin.reinvest_share:g}, pooled money not spent `{fin.unspent}`. Governance: `{sc.governance.model}`, "
      f"agreed in year index {sc.governance.agreed_in_year}, five conditions {h.scores}. "
      + ("No overrides. " if not sc.overrides else f"Overrides: {dict(sc.overrides)}. ")
      + "Steps 1–9 are year 1 (year index t = 0) unless they say otherwise, step 10 the later years and step 11 "
      "the horizon; the script computes every year by hand. Money is in " + PRICE_BASE_LABEL + " (step 5). Numbers "
      "are rounded to 4 significant figures for reading, but each step was computed from the unrounded previous "
      "step.\n")

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
    base1 = y1["base"]
    rows = [[c, f4(h.N[c]), f4(h.r[c]), f4(h.f[c]), f4(base1[c]["reoffenders"]), f4(base1[c]["reoffences"])]
            for c in COHORT_KEYS]
    n_all = h.offenders
    rows.append(["**all**", f4(n_all), f4(sum(base1[c]["reoffenders"] for c in COHORT_KEYS) / n_all), "",
                 f4(sum(base1[c]["reoffenders"] for c in COHORT_KEYS)),
                 f4(sum(base1[c]["reoffences"] for c in COHORT_KEYS))])
    w(table(["cohort", "N", "r (base)", "f", "reoffenders", "reoffences"], rows))

    # -- step 2
    w("\n### Step 2. Readiness and fidelity\n")
    w(f"R = ({' + '.join(str(x) for x in h.scores)}) / 25 = {sum(h.scores)} / 25 = {f4(h.R)}. "
      f"F = `governance_factor.{sc.governance.model}` × (`fidelity_floor` + (1 − `fidelity_floor`) × R) = "
      f"{h.gf:g} × ({h.floor:g} + {f4(1 - h.floor)} × {f4(h.R)}) = **{f4(h.F)}**. Readiness counts once in "
      "what is delivered, through F; what each stage needs of it sets only the chance of reversal (step 4).\n")

    # -- step 3
    w("### Step 3. Control, stage by stage\n")
    ramp_years = v("ramp_years")
    w(f"Each placed function works at its own stage's `local_control` L, reached over the stage's set-up u and "
      f"ramp: control = L × ramp, ramp = clip((t − a* − u + 1) / {ramp_years:g}, 0, 1), with both agreements in "
      f"place from year index a* = {h.start} and `ramp_years` = {ramp_years:g}. No earlier stage fills the gap: "
      "a function reaching for a stage with a long set-up has no new arrangements until it is set up. Control "
      f"of each placed function, years 1–{h.H} (ramp in brackets):\n")
    rows = [[f"{f} ({h.fn[f]['stage']})", f"{h.fn[f]['local']:g}", f"{h.fn[f]['setup']:g}"]
            + [f"{f4(h.fn[f]['control'][t])} ({h.fn[f]['ramp'][t]:g})" for t in range(h.H)] for f in placed]
    w(table(["function (stage)", "L", "u"] + [f"year {y}" for y in years], rows))
    first = {f: next((t for t in range(h.H) if h.fn[f]["control"][t] > 0), None) for f in placed}
    waiting = [f for f in placed if first[f] is None or first[f] > 0]
    running = [f for f in placed if first[f] == 0]
    w("\nIn year 1 " + ("the new arrangements of " + join([f"{f} ({h.fn[f]['stage']})" for f in running])
                        + " are running" if running else "no function's new arrangements are running") + (
          "; " + join([f"{f} ({h.fn[f]['stage']}) has none until "
                       + (f"year {first[f] + 1}" if first[f] is not None else "after the horizon")
                       for f in waiting]) if waiting else "")
      + ".\n")

    # -- step 4
    w("### Step 4. Reversal risk, disruption of today's provision, fading and delivery\n")
    weight, late = v("reversal_readiness_weight"), v("reversal_late_agreement")
    w(f"*Reversal risk.* Each stage has a base yearly chance that its arrangements stall or are reversed by "
      f"national policy, raised by the governance readiness it lacks and by a late agreement: z = base × (1 + "
      f"`reversal_readiness_weight` {weight:g} × (1 − fit)) × (1 + `reversal_late_agreement` {late:g} × a*), "
      f"fit = min(1, R / `governance_needed`), here with R = {f4(h.R)} and a* = {h.start}:\n")
    stages = sorted({h.fn[f]["stage"] for f in placed}, key=STAGE_KEYS.index)
    rows = []
    for st in stages:
        fn = h.fn[next(f for f in placed if h.fn[f]["stage"] == st)]
        rows.append([st, ", ".join(f for f in placed if h.fn[f]["stage"] == st), f"{fn['base_hazard']:g}",
                     f"{fn['needed']:g}", f"min(1, {f4(h.R)} / {fn['needed']:g}) = {f4(fn['fit'])}",
                     (f"{fn['base_hazard']:g} × (1 + {weight:g} × {f4(1 - fn['fit'])}) × (1 + {late:g} × "
                      f"{h.start}) = {f4(fn['hazard'])}") if fn["base_hazard"] > 0 else "0"])
    w(table(["stage", "functions", "base", "governance_needed", "fit", "z"], rows, align="llrrrr"))
    decay = v("effect_decay")
    w(f"\nThe central estimate takes the expectation over reversals: the chance that a function's arrangements "
      f"are still in place in year t is (1 − z)^n, n = the years at risk (from a*) up to and including t, and the "
      f"chance they are reversed in year t is (1 − z)^(n − 1) × z. Delivery, savings and the yearly governance "
      f"cost are multiplied by the first. *Disruption.* While a stage is set up, and in the year of a reversal, "
      f"today's national provision of the function's interventions loses the stage's `disruption` share D of its "
      f"effect: disruption = D × (still in place × (1 − ramp) + reversed this year), from a*. *Fading.* The "
      f"effect of the places added, and the savings it brings, fade by `effect_decay` = {decay:g} a year once the "
      f"stage is set up: potency = (1 − {decay:g})^max(0, t − a* − u). Year by year:\n")
    rows = []
    for f in placed:
        fn = h.fn[f]
        for key, lab in (("alive", "still in place"), ("reversed", "reversed this year"),
                         ("disruption", f"disruption (D = {fn['share']:g})"), ("potency", "potency")):
            rows.append([f"{f} ({fn['stage']})", lab] + [f4(fn[key][t]) for t in range(h.H)])
    w(table(["function (stage)", ""] + [f"year {y}" for y in years], rows, align="ll" + "r" * h.H))
    w(f"\n*Sustain and delivery.* Funding is {'' if h.funded(0) else 'not '}in place in year 1 and governance is "
      f"{'' if sc.governance.agreed_in_year <= 0 else 'not '}agreed, so years without agreement = "
      f"{h.years_without(0)} and sustain = (1 − {v('policy_conflict_decay'):g})^{h.years_without(0)} = "
      f"{f4(y1['sustain'])}"
      + (f" (sustain in years 1–{h.H}: {', '.join(f4(y['sustain']) for y in h.years)})"
         if any(y["sustain"] != 1 for y in h.years) else ", as in every year of this scenario")
      + ". Delivery of an intervention = control of its function × F × sustain × still in place:\n")
    rows = [[f"{f} ({h.fn[f]['stage']})"]
            + [f4(h.fn[f]["control"][t] * h.F * h.years[t]["sustain"] * h.fn[f]["alive"][t]) for t in range(h.H)]
            for f in placed]
    w(table(["function (stage)"] + [f"year {y}" for y in years], rows))
    fj = next((f for f in placed if h.fn[f]["hazard"] > 0 and first[f] is not None), None)
    if fj is not None:
        t = first[fj]
        fn = h.fn[fj]
        w(f"\nFor example {fj} in year {t + 1}: {f4(fn['control'][t])} × {f4(h.F)} × {f4(h.years[t]['sustain'])} × "
          f"{f4(fn['alive'][t])} = {f4(fn['control'][t] * h.F * h.years[t]['sustain'] * fn['alive'][t])}. "
          "Interventions of national functions have delivery 0.\n")
    else:
        w("\nInterventions of national functions have delivery 0.\n")

    # -- step 5
    w("### Step 5. Prices, additionality, and what a place costs, saves and is worth\n")
    price_base(sc, ch, w)
    rows = [[f"`{key}`", f"{v(key):g}", f"{h.dpr:g}", f4(h.per[key])] for key in DEMAND_RATIOS]
    w("*Demand ratios per proven reoffence.* The register's arrest, court, custody and probation ratios are per "
      "person formally dealt with (one per caution or court occasion); several proven offences are often dealt "
      f"with on one occasion, so each is multiplied by `disposals_per_reoffence` = {h.dpr:g}:\n")
    w(table(["ratio", "per person dealt with", "× occasions per reoffence", "per proven reoffence"], rows))
    tau = v("prison_years_per_custodial_sentence")
    w(f"\nThe cashable cost of one proven reoffence to national budgets is n = courts {f4(h.beta)} × "
      f"£{v('court_cost_per_case_gbp'):,.0f} × {v('cashable_share_courts'):g} + prisons {f4(h.kappa)} × {tau:g} × "
      f"£{v('prison_cost_per_place_gbp'):,.0f} × {v('cashable_share_prisons'):g} + probation {f4(h.pi)} × "
      f"£{v('probation_cost_per_case_gbp'):,.0f} × {v('cashable_share_probation'):g} = "
      f"£{f4(h.n_parts['courts'])} + £{f4(h.n_parts['prisons'])} + £{f4(h.n_parts['probation'])} = "
      f"**£{f4(h.n_nat)}**; a custodial sentence diverted to the community saves m = {tau:g} × "
      f"£{v('prison_cost_per_place_gbp'):,.0f} × {v('cashable_share_prisons'):g} − "
      f"{v('community_order_years'):g} × £{v('probation_cost_per_case_gbp'):,.0f} × "
      f"{v('cashable_share_probation'):g} = £{f4(h.m_div)}. A participant in cohort c saves national budgets "
      f"s = max(0, r·f × (effect × n + custody_diversion × {f4(h.kappa)} × m)), e.g. `youth_diversion` for young "
      f"people: {f4(h.r['young_people'])} × {f4(h.f['young_people'])} × {v('youth_diversion.effect'):g} × "
      f"{f4(h.n_nat)} = £{f4(h.ivs[0]['per_participant']['young_people'])}.\n")
    w("*Additionality.* Today's national services already reach `national_reach` of the eligible, and their "
      "effect is in the baseline rates. An area can add only the reach beyond it, reach = `eligible_share` × "
      "max(0, `max_reach` − `national_reach`), bought on the *baseline* cohort: places = reach × N, in every year. "
      "Today's provision, `eligible_share` × `national_reach` of each targeted cohort, is what disruption "
      "(step 4) can take away. The area keeps the `savings_retained` share θ of its function's own stage (θ: "
      + ", ".join(f"{s_} {h.stage(s_, 'savings_retained'):g}" for s_ in STAGE_KEYS)
      + f") and reinvests η = {h.eta:g} of it in the same year. The savings come from the effect, so they fade "
      "with it: in year t the net cost at full realisation is gross − η × kept × potency (the cost of a place "
      "does not fade). At full realisation and full potency (£m):\n")
    rows = []
    for d in h.ivs:
        rows.append([f"{d['iv'].key} ({d['stage']})", f"{d['eligible']:g}", f"{d['max_reach']:g}",
                     f"{d['national_reach']:g}", f4(d["reach"]), f4(d["today"]), f4(d["people"]), f4(d["gross"]),
                     f4(d["avoided_full"]), f4(d["saving"]), f"{d['theta']:g}", f4(d["kept"]), f4(d["net_full"])])
    w(table(["intervention (stage)", "eligible", "max reach", "national reach", "reach added", "today's reach",
             "places = Σ reach·N", "gross cost = places × cost", "reoffences avoided = effect × Σ reach·N·r·f",
             "direct saving = Σ reach·N·s", "θ", "kept = θ × saving", "net cost = gross − η × kept"], rows))

    # -- step 6
    w("\n### Step 6. Funding order, share funded and realisation\n")
    worth = y1["worth"]
    w(f"A reoffence avoided in cohort c this year also leaves next year's cohort smaller by h = "
      f"{h.h:g} × the reoffenders avoided, and so on: over the {h.H}-year horizon it is worth M = Σ (h·r)^k, k = "
      f"0 … {h.H - 1}, reoffences: "
      + "; ".join(f"{c} {f4(worth[c])}" for c in COHORT_KEYS)
      + ". The value of an intervention at full realisation is effect × Σ reach·N·r·f·M × potency; interventions "
      "are funded in order of value per £m of *net* cost this year (a net cost of 0 or less means the savings "
      "reinvested pay for it: value per £m ∞, funded first). Each gets clip((pooled budget − net cost at delivery "
      "of those before it) / its own net cost at delivery, 0, 1). Rows in funding order:\n")
    rows = []
    for i in y1["order"]:
        r_ = y1["rows"][i]
        d = r_["d"]
        rows.append([str(r_["rank"]), f"{d['iv'].key} ({d['stage']})", f4(r_["value"]), f4(r_["potency"]),
                     f4(r_["net"]), f4(r_["ratio"]), f4(r_["delivery"]), f4(r_["net_now"]), f4(r_["before"]),
                     f4(r_["share"]) if r_["delivery"] > 0 else "–", f4(r_["realisation"]), f4(r_["spend"]),
                     f4(r_["kept"])])
    w(table(["rank", "intervention (stage)", "value over horizon", "potency", "net cost £m",
             "value × potency per net £m", "delivery", "net cost at delivery £m", "net before £m", "share funded",
             "realisation", "spend £m = gross × realisation", "kept £m = kept × realisation × potency"], rows,
            align="rl" + "r" * 11))
    net_total = sum(r_["net_now"] for r_ in y1["rows"])
    w(f"\nThe net costs at delivery add up to £{f4(net_total)}m, "
      + ("within" if net_total <= y1["pooled"] else "more than")
      + f" the £{f4(y1['pooled'])}m pooled budget, so "
      + ("every intervention with delivery is fully funded (share 1) and realisation = delivery. "
         if net_total <= y1["pooled"] else "the interventions ranked last are only partly funded or not at all. ")
      + f"Savings kept by the area = Σ kept = **£{f4(y1['retained'])}m**; reinvested this year = {h.eta:g} × "
      f"{f4(y1['retained'])} = £{f4(y1['reinvested'])}m; funds available = pooled £{f4(y1['pooled'])}m + "
      f"reinvested £{f4(y1['reinvested'])}m = **£{f4(y1['funds'])}m**. Spend = £{f4(y1['spend'])}m, of which "
      f"£{f4(y1['reinvested'])}m comes from the reinvested savings and £{f4(y1['pooled_used'])}m from the pooled "
      f"budget; the other £{f4(y1['unused'])}m of the pooled budget is committed but not spent"
      + (" and, with `funding.unspent: returned`, goes back to its payers at no cost (step 11 shows the deal "
         "that keeps it).\n" if not h.retain_unspent else
         " and, with `funding.unspent: retained`, counts as spent (step 8).\n"))
    w(f"To see the order at work, the same scenario with a pooled budget of £{ILLUSTRATIVE_BUDGET_GBP_M:g}m "
      "(computed the same way for every year and checked against the engine; year 1, only interventions with "
      "delivery are shown):\n")
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
    own = sorted(f.code for f in check(sc))
    ch.add("warning budget_too_small for the scenario itself",
           float(0 < fin.pooled_budget_gbp_m < MEANINGFUL_REACH_SHARE * need), float("budget_too_small" in own))
    w(f"\nSpend is £{f4(ys['spend'])}m: the net costs funded, £{f4(ys['pooled_used'])}m, "
      + ("add up to the budget exactly" if Checks.ok(ys["pooled_used"], ys["pooled"])
         else "are less than the budget")
      + (f", and the £{f4(ys['reinvested'])}m of savings reinvested in the same year pays for the rest. "
         if ys["reinvested"] > 0 else " (no stage with delivery in year 1 keeps any savings here). ")
      + f"This budget is under {MEANINGFUL_REACH_SHARE:.0%} of the £{f4(need)}m a year it would cost to reach "
      "everyone the placed functions' programmes could add (Σ gross cost of the placed interventions in step 5), "
      "so the app warns `budget_too_small` (section 6). The scenario itself raises "
      + (join([f"`{c}`" for c in own]) if own else "no warning") + ".\n")

    # -- step 7
    yp = "young_people"
    w("### Step 7. Reoffending rate, reoffenders and reoffences (young people in full)\n")
    served = [r_ for r_ in y1["rows"] if yp in r_["d"]["places"]]
    scen_yp, base_yp = y1["scen"][yp], y1["base"][yp]
    w("In year 1 the cohort is still the baseline's, so the added places cut the rate by reduction = Σ reach × "
      "realisation × potency × effect over the interventions that target the cohort: "
      + "; ".join(f"`{r_['d']['iv'].key}` ({r_['d']['stage']}): {f4(r_['d']['reach'])} × {f4(r_['realisation'])} "
                  f"× {f4(r_['potency'])} × {f4(r_['d']['effect'])} = "
                  f"{f4(r_['d']['reach'] * r_['realisation'] * r_['potency'] * r_['d']['effect'])}" for r_ in served)
      + f"; reduction = {f4(scen_yp['reduction'])}. Disruption takes back harm = Σ disruption × today's reach × "
      "effect: "
      + "; ".join(f"`{r_['d']['iv'].key}`: {f4(r_['lost'])} × {f4(r_['d']['today'])} × {f4(r_['d']['effect'])} = "
                  f"{f4(r_['lost'] * r_['d']['today'] * r_['d']['effect'])}" for r_ in served if r_["lost"] > 0)
      + (" (none)" if not any(r_["lost"] > 0 for r_ in served) else "")
      + f"; harm = {f4(scen_yp['harm'])}.\n")
    w(f"- rate r = {f4(h.r[yp])} × (1 − {f4(scen_yp['reduction'])} + {f4(scen_yp['harm'])}) = "
      f"**{f4(scen_yp['reoffending_rate'])}** (baseline {f4(h.r[yp])}: "
      f"{'+' if scen_yp['reoffending_rate'] > h.r[yp] else ''}"
      f"{f4(100 * (scen_yp['reoffending_rate'] - h.r[yp]))} percentage points)\n"
      f"- reoffenders = {f4(h.N[yp])} × {f4(scen_yp['reoffending_rate'])} = **{f4(scen_yp['reoffenders'])}** "
      f"(baseline {f4(base_yp['reoffenders'])})\n"
      f"- reoffences = {f4(scen_yp['reoffenders'])} × {f4(h.f[yp])} = **{f4(scen_yp['reoffences'])}** "
      f"(baseline {f4(base_yp['reoffences'])}; "
      + (f"{f4(base_yp['reoffences'] - scen_yp['reoffences'])} avoided)\n"
         if scen_yp["reoffences"] <= base_yp["reoffences"]
         else f"{f4(scen_yp['reoffences'] - base_yp['reoffences'])} more)\n")
      + f"- arrests = {f4(scen_yp['reoffences'])} × {f4(h.alpha)} = {f4(scen_yp['arrests'])}; "
      f"court cases = × {f4(h.beta)} = {f4(scen_yp['court_cases'])} (ratios per proven reoffence, step 5)\n"
      f"- custodial sentences = × {f4(h.kappa)} = {f4(scen_yp['sentences'])}; diverted share = "
      f"{f4(scen_yp['diverted'])}"
      f"{' (no intervention that reaches young people diverts custody)' if scen_yp['diverted'] == 0 else ''}, "
      f"so receptions = {f4(scen_yp['custody_receptions'])} and prison places = × {tau:g} = "
      f"**{f4(scen_yp['prison_places'])}** (baseline {f4(base_yp['prison_places'])})\n"
      f"- probation caseload = {f4(scen_yp['reoffences'])} × {f4(h.pi)} + ({f4(scen_yp['sentences'])} − "
      f"{f4(scen_yp['custody_receptions'])}) × {v('community_order_years'):g} = "
      f"{f4(scen_yp['probation_caseload'])}\n"
      f"- next year's cohort = entrants {f4(h.entrants[yp])} (= {f4(h.N[yp])} × (1 − {h.h:g} "
      f"× {f4(h.r[yp])})) + {h.h:g} × {f4(scen_yp['reoffenders'])} = "
      f"**{f4(y1['next_size'][yp])}** (baseline stays {f4(h.N[yp])})\n")
    w("All four cohorts, scenario (baseline in brackets):\n")
    rows = []
    for c in COHORT_KEYS:
        rows.append([c, f4(y1["scen"][c]["reduction"]), f4(y1["scen"][c]["harm"]), f4(y1["scen"][c]["diverted"])]
                    + [f"{f4(y1['scen'][c][m])} ({f4(y1['base'][c][m])})" for m in FLOW_METRICS]
                    + [f4(y1["next_size"][c])])
    tot = {s_: {m: sum(y1[s_][c][m] for c in COHORT_KEYS) for m in FLOW_METRICS} for s_ in ("scen", "base")}
    for s_ in tot:
        tot[s_]["reoffending_rate"] = tot[s_]["reoffenders"] / n_all
    rows.append(["**all**", "", "", ""] + [f"{f4(tot['scen'][m])} ({f4(tot['base'][m])})" for m in FLOW_METRICS]
                + [f4(sum(y1["next_size"].values()))])
    w(table(["cohort", "reduction", "harm", "diverted share", "rate", "reoffenders", "reoffences", "arrests",
             "court cases", "custody receptions", "prison places", "probation caseload", "cohort in year 2"], rows))
    attributed = sum(r_["avoided"] for r_ in y1["rows"])
    lost = sum(h.N[c] * h.r[c] * h.f[c] * y1["scen"][c]["harm"] for c in COHORT_KEYS)
    ch.add("year 1: attributed − disruption loss = reoffences avoided",
           float(run.flows.reoffences_avoided_by[0, 0].sum()) - lost,
           float(run.baseline.reoffences[0, 0].sum() - run.flows.reoffences[0, 0].sum()))
    w(f"\nReoffences avoided in year 1: {f4(y1['avoided'])}. Attributed to the added places (realisation × "
      "potency × effect × Σ reach·N·r·f over targeted cohorts): "
      + ("; ".join(f"`{r_['d']['iv'].key}` {f4(r_['avoided'])}" for r_ in y1["rows"] if r_["avoided"] > 0)
         or "none")
      + f" (total {f4(attributed)}); the disruption of today's provision adds Σ N·r·f·harm = {f4(lost)} "
      f"reoffences, and {f4(attributed)} − {f4(lost)} = {f4(attributed - lost)} is the reoffences avoided "
      "exactly, because the cohorts are still the baseline's. From year 2 the smaller or larger cohorts carry "
      "earlier years' results too, and the attribution drifts from the total.\n")

    # -- step 8
    w("### Step 8. Money in year 1\n")
    rows = []
    for a in JUSTICE:
        vol = AGENCY_VOLUME[a]
        rows.append([a, f"{vol} × £{v(UNIT_COST[a]):,.0f}", f"{f4(tot['base'][vol])} → {f4(tot['scen'][vol])}",
                     f4(y1["cost"]["base"][a]), f4(y1["cost"]["scen"][a]), f4(y1["saving"][a]),
                     f"{v(f'cashable_share_{a}'):g}", f4(y1["cashable_by"][a])])
    rows.append(["**total**", "", "", f4(sum(y1["cost"]["base"].values())), f4(sum(y1["cost"]["scen"].values())),
                 f4(sum(y1["saving"].values())), "", f4(y1["cashable"])])
    w(table(["agency", "volume × unit cost", "volume base → scenario", "cost base £m", "cost scenario £m",
             "saving £m", "cashable share", "cashable £m"], rows))
    kappa = h.kappa
    w(f"\n- Cashable savings (all four agencies) = **£{f4(y1['cashable'])}m**"
      + (" (negative: the disruption of today's provision costs more than the places added save this year)"
         if y1["cashable"] < 0 else "")
      + f". The area's kept savings (£{f4(y1['retained'])}m, step 6) are counted from each participant's direct "
      "saving, not from these.\n"
      f"- System cost of one reoffence = {f4(h.alpha)} × £{v('police_cost_per_arrest_gbp'):,.0f} + "
      f"{f4(h.beta)} × £{v('court_cost_per_case_gbp'):,.0f} + {f4(kappa)} × {tau:g} × "
      f"£{v('prison_cost_per_place_gbp'):,.0f} + {f4(h.pi)} × £{v('probation_cost_per_case_gbp'):,.0f} = "
      f"£{f4(h.p_sys)}; beyond the justice system, each reoffence costs victims and society "
      f"£{v('cost_per_reoffence_gbp'):,.0f} − £{f4(h.p_sys)} = £{f4(h.beyond * 1e6)}.\n"
      f"- Economic benefit = reoffences avoided × that + the agencies' saving = {f4(y1['avoided'])} × "
      f"£{f4(h.beyond * 1e6)} + £{f4(sum(y1['saving'].values()))}m = **{money_m(y1['benefit'])}**. (Cost of "
      f"reoffending = reoffences × £{v('cost_per_reoffence_gbp'):,.0f}: baseline £{f4(y1['cor']['base'])}m, "
      f"scenario £{f4(y1['cor']['scen'])}m, difference {money_m(y1['cor']['base'] - y1['cor']['scen'])}"
      + (" — the same as the benefit here because no custody is diverted.)\n"
         if all(y1["scen"][c]["diverted"] == 0 for c in COHORT_KEYS) else ".)\n"))
    tr_parts = [f"{f} ({h.fn[f]['stage']}) £{h.fn[f]['per_offender']:g} × {f4(h.offenders)} / 10^6 = "
                f"£{f4(h.fn[f]['once'])}m over {h.fn[f]['spread_over']} year{'s' if h.fn[f]['spread_over'] > 1 else ''}"
                f" = £{f4(h.fn[f]['transition'][0])}m" for f in placed if h.fn[f]["transition"][0] > 0]
    gov_parts = [f"{f} £{h.fn[f]['yearly']:g}m × {f4(h.fn[f]['alive'][0])} = £{f4(h.fn[f]['governance'][0])}m"
                 for f in placed if h.fn[f]["governance"][0] > 0]
    w(f"- Arrangement costs. One-off transition: the stage's £ per offender in the area's cohort ({f4(h.offenders)}"
      " offenders) for each function, spread evenly over max(1, u) years from a*, paid even if the move is later "
      "reversed: " + (join(tr_parts) if tr_parts else "none") + f"; total **£{f4(y1['transition'])}m**. Yearly "
      "governance: the stage's £m a year per function × still in place: " + (join(gov_parts) if gov_parts else "none")
      + f"; total **£{f4(y1['governance'])}m**.\n"
      f"- Optimism bias (the Green Book's adjustment for costs that turn out higher than planned, section 3.17): "
      f"`optimism_bias_operating` {h.ob_op:g} × (spend £{f4(y1['spend'])}m + governance £{f4(y1['governance'])}m)"
      f" + `optimism_bias_transition` {h.ob_tr:g} × transition £{f4(y1['transition'])}m = "
      f"£{f4(y1['bias_operating'])}m + £{f4(y1['bias_transition'])}m = **£{f4(y1['bias'])}m**, a cost like any "
      "other in the NPV, the BCR and the net fiscal cost.\n"
      f"- Pooled money committed but not spent = max(0, pooled − max(0, spend − reinvested)) = max(0, "
      f"{f4(y1['pooled'])} − max(0, {f4(y1['spend'])} − {f4(y1['reinvested'])})) = £{f4(y1['unused'])}m; "
      f"`funding.unspent` is `{sc.funding.unspent}`, so "
      + ("it goes back to its payers and counts **£0m** as a cost (step 11 shows the deal that keeps it).\n"
         if not h.retain_unspent else f"it is counted as spent: **£{f4(y1['committed'])}m**.\n")
      + f"- Net fiscal cost this year = spend + arrangement costs + optimism bias + money kept unspent − cashable = "
      f"£{f4(y1['spend'])}m + £{f4(y1['transition'] + y1['governance'])}m + £{f4(y1['bias'])}m + "
      f"£{f4(y1['committed'])}m − {money_m(y1['cashable'])} = "
      f"{money_m(y1['spend'] + y1['transition'] + y1['governance'] + y1['bias'] + y1['committed'] - y1['cashable'])}"
      ".\n")

    # -- step 9
    w("### Step 9. Who pays and who gains in year 1\n")
    payers = "; ".join(f"{AGENCY[a].label}: " + " + ".join(f"`{key}` {f4(x)}" for key, x in items)
                       for a, items in y1["national_by_payer"].items()) or "none"
    tr_payers = "; ".join(f"{AGENCY[a].label}: " + " + ".join(f"{f} {f4(x)}" for f, x in items)
                          for a, items in y1["transition_by_payer"].items()) or "none"
    w(f"Spend £{f4(y1['spend'])}m is paid first from the reinvested savings, £{f4(y1['from_reinvested'])}m (the "
      f"area), the rest, £{f4(y1['from_pooled'])}m, from the pooled budget: {1 - h.nu:g} of it by the area, "
      f"{h.nu:g} by the budget that owns each function (`FUNCTION_PAYER`), i.e. {h.nu:g} × spend × "
      f"{f4(y1['pooled_share'])} (the pooled share of spend). National shares: {payers}. The arrangements are "
      f"paid on top: governance, £{f4(y1['governance'])}m, by the area; transition, £{f4(y1['transition'])}m, "
      f"{1 - h.nu:g} by the area and {h.nu:g} by the budget that owns each function ({tr_payers}). Each justice "
      "agency's saving (step 8) splits into cashable and non-cashable; victims and society get reoffences "
      f"avoided × £{f4(h.beyond * 1e6)}; the area's kept savings £{f4(y1['retained'])}m are transferred from the "
      "national agencies in proportion to their cashable savings, counting only gains ("
      + ", ".join(f"{a} {f4(y1['transfer_weights'][a])}" for a in NATIONAL)
      + f"). Optimism bias falls on whoever bears the cost it adjusts: {h.ob_op:g} × what each pays of the spend "
      f"and governance, plus {h.ob_tr:g} × what it pays of the transition ("
      + (join([f"{AGENCY[a].label} £{f4(x)}m" for a, x in y1["bias_by"].items() if x > 0]) or "none")
      + (f"); the money kept unspent, £{f4(y1['committed'])}m, is put in {1 - h.nu:g} by the area and {h.nu:g} "
         "by the national payers in proportion to what each put into the programmes this year"
         if y1["committed"] > 0 else "")
      + "). £m:\n")
    labels = {k: MONEY_CATEGORY[k].label.lower() for k in MONEY_CATEGORY_KEYS}
    m1 = y1["money"]
    rows = [[AGENCY[a].label] + [f4(m1[a][k]) for k in MONEY_CATEGORY_KEYS] + [f4(y1["net"][a])] for a in AGENCY_KEYS]
    rows.append(["**total**"] + [f4(sum(m1[a][k] for a in AGENCY_KEYS)) for k in MONEY_CATEGORY_KEYS]
                + [f4(sum(y1["net"][a] for a in AGENCY_KEYS))])
    w(table(["agency"] + [labels[k] for k in MONEY_CATEGORY_KEYS] + ["net"], rows))
    w(f"\nThe columns add up to the totals: puts in = spend + arrangement costs + optimism bias + money kept unspent "
      f"(£{f4(y1['costs'])}m), cashable = the cashable savings, cashable + non-cashable + economic and social = the "
      f"economic benefit ({money_m(y1['benefit'])}), transfers = 0; so the net column adds up to benefit − "
      "costs.\n")

    # -- step 10
    if h.y2 is not None:
        y2 = h.y2
        w("### Step 10. Later years: places on the baseline cohort, the J-curve and fading\n")
        total2 = sum(r_["net_now"] for r_ in y2["rows"])
        w(f"In year 2 (t = 1) the horizon left is {h.H - 1} years, so M = "
          + "; ".join(f"{c} {f4(y2['worth'][c])}" for c in COHORT_KEYS)
          + f". The net costs at delivery add up to £{f4(total2)}m, "
          + ("within" if total2 <= y2["pooled"] else "more than")
          + f" the £{f4(y2['pooled'])}m budget. Kept £{f4(y2['retained'])}m, reinvested £{f4(y2['reinvested'])}m, "
          f"funds available £{f4(y2['funds'])}m, spend £{f4(y2['spend'])}m.\n")
        s2 = y2["scen"][yp]
        served = [r_ for r_ in y2["rows"] if yp in r_["d"]["places"] and r_["potent"] > 0]
        size2 = y2["size"][yp]
        w(f"Young people: the cohort is now {f4(size2)} (step 7), but the places are still reach × the baseline "
          f"{f4(h.N[yp])}, so the reduction is Σ realisation × potency × reach × {f4(h.N[yp])} × effect / "
          f"{f4(size2)} = ("
          + (" + ".join(f"{f4(r_['realisation'])} × {f4(r_['potency'])} × {f4(r_['d']['reach'])} × {f4(h.N[yp])} "
                        f"× {f4(r_['d']['effect'])}" for r_ in served) or "0")
          + f") / {f4(size2)} = {f4(s2['reduction'])}; harm (step 7, today's provision is a share of the current "
          f"cohort) = {f4(s2['harm'])}; rate = {f4(h.r[yp])} × (1 − {f4(s2['reduction'])} + {f4(s2['harm'])}) = "
          f"**{f4(s2['reoffending_rate'])}**; reoffenders = {f4(size2)} × {f4(s2['reoffending_rate'])} = "
          f"{f4(s2['reoffenders'])}; reoffences = **{f4(s2['reoffences'])}** (baseline "
          f"{f4(y2['base'][yp]['reoffences'])}).\n")
        w("Realisation of each intervention with delivery, year by year (by hand, each year allocated as in step 6; "
          "the potency of step 4 then scales its effect and kept savings):\n")
        rows = [[f"{d['iv'].key} ({d['stage']})"] + [f4(y["rows"][i]["realisation"]) for y in h.years]
                for i, d in enumerate(h.ivs) if any(y["rows"][i]["delivery"] > 0 for y in h.years)]
        rows.append(["net cost at delivery £m"] + [f4(sum(r_["net_now"] for r_ in y["rows"])) for y in h.years])
        rows.append(["pooled budget £m"] + [f4(y["pooled"]) for y in h.years])
        w(table(["intervention (stage)"] + [f"year {y}" for y in years], rows))
        worse = [y["t"] + 1 for y in h.years if y["avoided"] < 0]
        w("\nReoffences avoided by year: " + ", ".join(f"year {y['t'] + 1} {f4(y['avoided'])}" for y in h.years)
          + (f". In year{'s' if len(worse) > 1 else ''} {join([str(x) for x in worse])} the scenario has *more* "
             "reoffences than the baseline (the J-curve): the functions being set up deliver nothing new yet while "
             "their disruption takes away part of today's provision.\n" if worse else ".\n"))

    # -- step 11
    w("### Step 11. Over the horizon: NPV, BCR, the area's position and the headlines\n")
    dr = v("discount_rate")
    rows = []
    for y in h.years:
        rows.append([str(y["t"] + 1), str(y["t"]), f4(y["funds"]), f4(y["spend"]), f4(y["transition"]),
                     f4(y["governance"]), f4(y["bias"]), f4(y["unused"]), f4(y["committed"]), f4(y["costs"]),
                     f4(y["benefit"]), f4(y["factor"]), f4(y["benefit"] * y["factor"]),
                     f4(y["costs"] * y["factor"]), f4(y["cashable"]), f4(y["retained"]), f4(y["net"][AREA]),
                     f4(y["avoided"])])
    w("Year by year, by hand (£m in " + PRICE_BASE_LABEL + "; benefit as in step 8; costs = spend + transition + "
      "governance + optimism bias + unspent money kept; area net by the rules of step 9; discount factor "
      f"(1 + {dr:g})^−t):\n")
    w(table(["year", "t", "funds", "spend", "transition", "governance", "optimism bias", "committed, not spent",
             "of it kept", "costs", "benefit", "factor", "PV benefit", "PV costs", "cashable", "retained",
             "area net", "reoffences avoided"], rows))
    pvb, pvc = h.pv_benefit, h.pv_costs
    w(f"\nPresent value of benefits (`pv_benefits_gbp_m`) = Σ benefit × factor = **{money_m(pvb)}**; of costs "
      f"(`pv_costs_gbp_m`) = Σ costs × factor = **{money_m(pvc)}**. NPV = {f4(pvb)} − {f4(pvc)} = "
      f"**{money_m(pvb - pvc)}**; BCR = "
      + (f"{f4(pvb)} / {f4(pvc)} = **{f4(pvb / pvc)}**" if pvc > 0 else "blank (no costs)")
      + f"; the area's net position = Σ area net × factor = **{money_m(h.pv_area)}**. By agency "
      "over the horizon (by hand; the same as `run.agency_summary`; £m, not discounted):\n")
    rows = []
    for a in AGENCY_KEYS:
        b = h.by_agency[a]
        rows.append([AGENCY[a].label, f4(b["invests"]), f4(b["fiscal_cashable"]), f4(b["fiscal_non_cashable"]),
                     f4(b["economic_social"]), f4(b["transfer"]), f4(b["net"]),
                     "" if math.isnan(b["return_on_investment"]) else f4(b["return_on_investment"]),
                     "" if math.isnan(b["payback_year"]) else str(int(b["payback_year"]))])
    w(table(["agency", "puts in", "cashable", "non-cashable", "economic and social", "transfer", "net",
             "net / puts in", "payback year"], rows))
    national = engine.project(engine.national_placements(sc), draws=0)
    ch.add("every agency nets 0 with every function national",
           float(abs(net_by_agency(national.money)).max()), 0.0)
    committed_money(h, ch, w)
    w("The headline figures by hand (section 3.18; each checked against the `central` column of `run.summary`, "
      "and, with no draws, its `value` column too):\n")
    rows = [[key, lab, f4(h.headlines[key]), unit] for key, lab, unit in engine.HEADLINES]
    w(table(["key", "headline", "value", "unit"], rows, align="llrl"))
    unc = engine.project(sc, draws=DRAWS, seed=SEED)
    again = engine.project(sc, draws=DRAWS, seed=SEED)
    ch.add(f"same seed, same NPV draws (sum over {DRAWS} draws)", float(unc.headline_draws["npv_gbp_m"].sum()),
           float(again.headline_draws["npv_gbp_m"].sum()))
    ch.add("central NPV unchanged by the draws", unc.central_headline("npv_gbp_m"), h.headlines["npv_gbp_m"])
    for chance, source, sign in CHANCES:
        ch.add(f"{chance}: share of draws with {'−' if sign < 0 else ''}{source} > 0",
               sum(1 for x in unc.headline_draws[source][1:] if sign * x > 0) / DRAWS, unc.headline(chance))
    summary = unc.summary
    draws = {key: [float(x) for x in unc.headline_draws[key][1:]] for key in engine.HEADLINE_KEYS}
    expected = {key: sum(xs) / DRAWS for key, xs in draws.items()}
    mean_pvb, mean_pvc = expected["pv_benefits_gbp_m"], expected["pv_costs_gbp_m"]
    expected["benefit_cost_ratio"] = mean_pvb / mean_pvc if mean_pvc > 0 else math.nan
    rows = []
    for key in engine.HEADLINE_KEYS:
        r_ = summary.loc[key]
        if key in CHANCE_KEYS:
            ch.add(f"draws: {key} expected = central (a share of the draws)", float(r_["value"]), float(r_["central"]))
        else:
            ch.add(f"draws: {key} expected value = mean over the draws", expected[key], float(r_["value"]))
            ch.add(f"draws: {key} central = by hand", h.headlines[key], float(r_["central"]))
            for q, col in ((10, "p10"), (50, "median"), (90, "p90")):
                ch.add(f"draws: {key} {col} by hand", percentile(draws[key], q), float(r_[col]))
        if key not in UNCERTAIN_HEADLINES:
            continue
        rows.append([key, f4(r_["value"]), f4(r_["central"]), "", "", ""] if key in CHANCE_KEYS
                    else [key, f4(r_["value"]), f4(r_["central"]), f4(r_["p10"]), f4(r_["median"]), f4(r_["p90"])])
    ratios = [b / c for b, c in zip(draws["pv_benefits_gbp_m"], draws["pv_costs_gbp_m"], strict=True) if c > 0]
    w("\nWith `draws=0` each chance is 1 if its condition holds for the central figures (NPV > 0; reoffences "
      "avoided < 0; NPV < 0; the area's net position > 0) and 0 if not, and the expected value is the central "
      f"value. With uncertainty, `project(scenario, draws={DRAWS}, seed={SEED})`: `value` is the expected value, "
      f"the mean over the {DRAWS:,} draws (what the app's money cards show when the bands are on), and `central` "
      "is row 0, every parameter at its central value (the figures above, reproduced by hand); p10, median and p90 "
      "are over the draws (by hand: sort the draws and interpolate linearly at position q × (draws − 1)); a chance "
      "is the share of draws in which its condition holds. The expected NPV is Σ NPV_d / "
      f"{DRAWS:,} = {money_m(expected['npv_gbp_m'])}; the expected BCR is the ratio of the expected present values, "
      f"{f4(mean_pvb)} / {f4(mean_pvc)} = **{f4(expected['benefit_cost_ratio'])}**"
      + (f" (not the mean of the draws' own ratios, {f4(sum(ratios) / len(ratios))})" if ratios else "")
      + ". The script checks every headline's expected value, central value and bands by hand against "
      "`run.summary`:\n")
    w(table(["headline", "expected value (`value`)", "central (`central`)", "p10", "median", "p90"], rows))
    reversal_draws(h, unc, ch, w)

    # -- step 12
    key, new = ASSUMPTION
    w("\n### Step 12. Policy or assumption\n")
    variant = sc.with_changes(overrides={**sc.overrides, key: new})
    hv = Hand(variant)
    prefix = f"({key} {new:g}) "
    run_v = engine.project(variant)
    compare(hv, run_v, ch, prefix=prefix)
    frame = run_v.frame
    pick = lambda series: float(frame[(frame.year == 1) & (frame.cohort == "all")  # noqa: E731
                                      & (frame.metric == "prison_places") & (frame.series == series)]["value"].iloc[0])
    default_places = sum(y1["base"][c]["prison_places"] for c in COHORT_KEYS)
    changed_places = sum(hv.y1["base"][c]["prison_places"] for c in COHORT_KEYS)
    scenario_places = sum(hv.y1["scen"][c]["prison_places"] for c in COHORT_KEYS)
    ch.add(prefix + "baseline_default prison places, year 1", default_places, pick(SERIES_DEFAULT_BASELINE))
    ch.add(prefix + "baseline prison places, year 1", changed_places, pick(SERIES_BASELINE))
    ch.add(prefix + "scenario prison places, year 1", scenario_places, pick(SERIES_SCENARIO))
    far = lambda s_: sum(1 for f in check(s_) if f.code == "override_far")  # noqa: E731
    ch.add(prefix + "warnings override_far: none for the new override", far(sc), far(variant))
    reoffences = sum(y1["base"][c]["reoffences"] for c in COHORT_KEYS)
    hv_heads, heads = hv.headlines, h.headlines
    w(f"Override one assumption — `{key}` from {value(sc, key):g} to {new:g} — and keep every policy choice. The "
      f"run now has three series. `{SERIES_DEFAULT_BASELINE}`: every function national under the register's "
      f"values, year-1 prison places = {f4(reoffences)} reoffences × {value(sc, key):g} × {h.dpr:g} × {tau:g} = "
      f"**{f4(default_places)}** (as in step 7). `{SERIES_BASELINE}`: every function national under the changed "
      f"assumption, {f4(reoffences)} × {new:g} × {h.dpr:g} × {tau:g} = **{f4(changed_places)}**. "
      f"`{SERIES_SCENARIO}`: the policy under the changed assumption, **{f4(scenario_places)}**. So "
      f"{f4(changed_places - default_places)} places of the difference from today's figure come from the "
      f"assumption and {f4(changed_places - scenario_places)} from the policy; every saving and headline is "
      f"measured against `{SERIES_BASELINE}`. Cashable savings over the horizon become "
      f"{money_m(hv_heads['cashable_savings_gbp_m'])} (against {money_m(heads['cashable_savings_gbp_m'])}) and the "
      f"area's net position {money_m(hv_heads['area_net_gbp_m'])} (against {money_m(heads['area_net_gbp_m'])}); "
      + (f"the NPV stays {money_m(heads['npv_gbp_m'])}, because the spend and the reoffences avoided are "
         "unchanged and, with no custody diverted, the benefit of a reoffence avoided is its whole cost p_X however "
         "that cost divides between the justice system and society. "
         if Checks.ok(hv_heads["npv_gbp_m"], heads["npv_gbp_m"])
         else f"the NPV becomes {money_m(hv_heads['npv_gbp_m'])} (against {money_m(heads['npv_gbp_m'])}). ")
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


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile by linear interpolation between the sorted values (numpy's default method)."""
    xs = sorted(values)
    pos = q / 100 * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def committed_money(h: Hand, ch: Checks, w: Callable[[str], None]) -> None:
    """The same deal keeping the pooled money it commits but does not spend (or, if it does, returning it)."""
    sc = h.sc
    other = "returned" if h.retain_unspent else "retained"
    variant = sc.with_changes(funding={**sc.funding.model_dump(), "unspent": other})
    hk = Hand(variant)
    prefix = f"(unspent {other}) "
    compare(hk, engine.project(variant), ch, prefix=prefix)
    # and with nothing spent at all (governance agreed after the horizon), money kept goes to the placed payers
    idle = variant.with_changes(funding={**variant.funding.model_dump(), "unspent": "retained"},
                                governance={**sc.governance.model_dump(), "agreed_in_year": sc.horizon_years})
    compare(Hand(idle), engine.project(idle), ch, prefix="(nothing spent, unspent retained) ")
    kept, returned = (hk, h) if other == "retained" else (h, hk)
    y1 = kept.y1
    heads, base = kept.headlines, returned.headlines
    weights = [f"{AGENCY[a].label} {f4(x)}" for a, x in y1["committed_weights"].items() if x > 0]
    w(f"\n*Committed money.* Over the horizon £{f4(heads['committed_unused_gbp_m'])}m of the pooled budget is "
      "committed but not spent (`committed_unused_gbp_m`: "
      + ", ".join(f"year {y['t'] + 1} £{f4(y['unused'])}m" for y in kept.years)
      + f"). This scenario's `funding.unspent` is `{sc.funding.unspent}`. "
      + ("It goes back to its payers and costs nothing. " if not h.retain_unspent else "It counts as spent. ")
      + f"With `unspent: retained` (the same scenario recomputed by hand for every year and checked against the "
      f"engine) each year's unspent money counts as spent: PV costs become {money_m(heads['pv_costs_gbp_m'])} "
      f"(against {money_m(base['pv_costs_gbp_m'])}), the NPV {money_m(heads['npv_gbp_m'])} (against "
      f"{money_m(base['npv_gbp_m'])}), the BCR "
      + (f"{f4(heads['benefit_cost_ratio'])}" if not math.isnan(heads["benefit_cost_ratio"]) else "blank")
      + f", the net fiscal cost {money_m(heads['net_fiscal_cost_gbp_m'])} (against "
      f"{money_m(base['net_fiscal_cost_gbp_m'])}) and the area's net position {money_m(heads['area_net_gbp_m'])} "
      f"(against {money_m(base['area_net_gbp_m'])}). Its payers put it in: the area {1 - kept.nu:g} of it, and the "
      f"national payers {kept.nu:g} of it in proportion to what each put into the programmes that year"
      + (f" (year 1: {join(weights)})" if weights else "")
      + ", or equally among the placed functions' payers in a year with no spend (the script checks that case "
      "too, with the governance agreement after the horizon). Optimism bias is not added to it: it is money "
      "already committed, not an estimate.\n")


def reversal_draws(h: Hand, unc: engine.Run, ch: Checks, w: Callable[[str], None]) -> None:
    """How the uncertainty draws reverse each function: one reversal year per draw, by hand from the uniforms."""
    p = unc.params
    # The run's own uniforms are an input, like the register: each function's own, and per draw whether the whole
    # deal shares one (the first below the common share) and that shared one.
    own = p.uniforms("reversal", (len(FUNCTION_KEYS),))
    whole, common = p.uniforms("reversal_whole_deal", (1,)), p.uniforms("reversal_common", (1,))
    gamma = h.v("reversal_common_share")
    shared = [float(whole[d, 0]) < gamma for d in range(DRAWS)]
    parts, reversed_by_draw = [], []
    for j, f in enumerate(FUNCTION_KEYS):
        fn = h.fn[f]
        if not fn["placed"] or fn["hazard"] <= 0:
            continue
        hz = fn["hazard"]
        luck = [float(common[d, 0]) if shared[d] else float(own[d, j]) for d in range(DRAWS)]
        first_reversed = [h.start + (math.floor(math.log1p(-luck[d]) / math.log1p(-hz)) if hz < 1 else 0)
                          for d in range(DRAWS)]
        reversed_by_draw.append([yr <= h.H - 1 for yr in first_reversed])
        alive_years = [sum(1 for t in range(h.H) if h.start <= t < yr) for yr in first_reversed]
        within = sum(reversed_by_draw[-1])
        yearly = p[f"stage.{fn['stage']}.governance_cost_gbp_m"]
        by_hand = sum(float(yearly[d + 1]) * sum(1 for t in range(h.H) if h.start <= t < first_reversed[d])
                      for d in range(DRAWS))
        ch.add(f"draws: {f} governance cost over the horizon, summed over the draws £m", by_hand,
               float(unc.flows.governance_by[1:, :, j].sum()))
        ch.add(f"draws: {f} years in place, summed over the draws", float(sum(alive_years)),
               float((unc.flows.governance_by[1:, :, j] > 0).sum()))
        expected = 1 - (1 - hz) ** max(0, h.H - h.start)
        parts.append(f"{f} ({fn['stage']}, z = {f4(hz)}) in {within} of the {DRAWS:,} draws ({pct(within / DRAWS)}; "
                     f"expected 1 − (1 − z)^{max(0, h.H - h.start)} = {pct(expected)})")
    if not parts:
        return
    all_gone = sum(1 for d in range(DRAWS) if all(gone[d] for gone in reversed_by_draw))
    w("\nIn the draws a reversal is drawn rather than averaged: each function's arrangements are reversed in year "
      "index a* + ⌊ln(1 − u) / ln(1 − z)⌋ for a uniform u from the run's own streams (the same for every scenario "
      "of one run), and from then on deliver nothing and cost no governance; that year's disruption is the stage's "
      f"whole share D. In a draw whose `reversal_whole_deal` uniform is below `reversal_common_share` {gamma:g} "
      f"({sum(shared)} of the {DRAWS:,} draws here) every function takes the draw's one `reversal_common` uniform; "
      "in the others each takes its own from `reversal`. By hand from the same uniforms, the arrangements are "
      f"reversed within the {h.H}-year horizon for " + join(parts) + f"; every placed function is reversed within it "
      f"in {all_gone} draws ({pct(all_gone / DRAWS)}). The script checks each function's governance cost and years "
      "in place, summed over the draws, against the engine's.\n")


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


def price_base(sc: Scenario, ch: Checks, w: Callable[[str], None]) -> None:
    """Step 5's price base: each money figure of the register uplifted by hand, checked against the engine."""
    reg = load_register()
    index = deflator_index()
    p = engine.Params(sc.overrides, 0, None)
    money = [q for q in reg.parameters.values() if q.price_year is not None]
    for year, x in engine_deflators().items():
        ch.add(f"GDP deflator {year} (the stored series)", index[year], x)
    for year in sorted({q.price_year for q in money}):
        ch.add(f"uplift from {year} prices", uplift(year), engine_uplift(year))
    for q in money:
        ch.add(f"{q.key} in {PRICE_BASE_LABEL} (Params)", value(sc, q.key), p[q.key][0])
        ch.add(f"{q.key} in {PRICE_BASE_LABEL} (register's model_value)", q.value * uplift(q.price_year),
               q.model_value)
    older = [q for q in money if q.price_year != PRICE_BASE and q.key not in sc.overrides]
    base = index[PRICE_BASE]
    rows = [[f"`{q.key}`", pounds(q.value), fy(q.price_year), f"{index[q.price_year]:g}",
             f"{base:g} / {index[q.price_year]:g} = {f4(uplift(q.price_year), 6)}", f"£{f4(value(sc, q.key))}"]
            for q in older]
    probation = next((q for q in older if q.key == "probation_cost_per_case_gbp"), older[0] if older else None)
    w(f"*Price base.* Every money figure is in {PRICE_BASE_LABEL} (section 2a). The register states each money "
      "figure in the prices of its own year (`price_year`), and the model multiplies it by the GDP deflator of the "
      f"price base over that year's (`{DEFLATOR_FILE.relative_to(ROOT)}`, {fy(PRICE_BASE)} = {base:g})"
      + (f": for example the probation cost of a case-year, {pounds(probation.value)} in "
         f"{fy(probation.price_year)} prices, is {pounds(probation.value)} × {base:g} / "
         f"{index[probation.price_year]:g} = **£{f4(value(sc, probation.key))}** in {PRICE_BASE_LABEL}. "
         if probation is not None else ". ")
      + "The register's figures from earlier years, as the model uses them:\n")
    if rows:
        w(table(["parameter", "register", "price year", "deflator", "uplift", f"in {PRICE_BASE_LABEL}"], rows,
                align="lrlrrr"))
    same = [q for q in money if q.price_year == PRICE_BASE and q.key not in sc.overrides]
    given = [q for q in money if q.key in sc.overrides]
    w(f"\nThe other {len(same)} money figures of the register (the court and police unit costs, the stages' "
      f"transition and governance costs and most programmes' costs) are assumptions stated in {PRICE_BASE_LABEL}, "
      "so their uplift is 1"
      + (f"; the scenario's overrides of {join([f'`{q.key}`' for q in given])} are taken as given, already in "
         f"{PRICE_BASE_LABEL}" if given else "; an override would be taken as given, already in the price base")
      + ". Every £ below is in these prices.\n")


# ----------------------------------------------------------------------------------------------- other blocks
def price_table() -> str:
    """Section 2a's generated part: the deflator series and every money parameter by price year."""
    reg = load_register()
    index = deflator_index()
    base = index[PRICE_BASE]
    money = [q for q in reg.parameters.values() if q.price_year is not None]
    used = {q.price_year for q in money}
    rows = [[fy(year), f"{x:g}", "1" if year == PRICE_BASE else f"{base:g} / {x:g} = {f4(base / x, 6)}",
             ", ".join(f"`{q.key}`" for q in money if q.price_year == year) if year != PRICE_BASE
             else f"the other {sum(1 for q in money if q.price_year == year)} (stated in {PRICE_BASE_LABEL})"]
            for year, x in index.items() if year in used or year == PRICE_BASE]
    years = list(index)
    return (f"The series in `{DEFLATOR_FILE.relative_to(ROOT)}` runs from {fy(years[0])} to {fy(years[-1])}; the "
            "years the register uses:\n\n"
            + table(["financial year", f"GDP deflator ({fy(PRICE_BASE)} = {base:g})", f"uplift to {PRICE_BASE_LABEL}",
                     "money parameters in that year's prices"], rows, align="lrrl") + "\n")


def optimism_bias_list() -> str:
    """Section 3.17's generated part: the two optimism bias parameters as the register states them."""
    reg = load_register()
    applies = {"optimism_bias_operating": "programme spend and governance costs",
               "optimism_bias_transition": "one-off transition costs"}
    out = []
    for key in OPTIMISM_BIAS:
        q = reg[key]
        rng = f", range {exact(q.low)}–{exact(q.high)}" if q.low is not None else ""
        out.append(f"- `{key}`, added to {applies[key]}: central {exact(q.value)}{rng}, {q.status}, "
                   f"rated {q.rating}. *Source:* {' '.join(q.source.split())} *Reasoning:* "
                   f"{' '.join(q.reasoning.split())}")
    return "\n".join(out) + "\n"


def validation_bullets() -> str:
    """Section 5a's figures: the Transforming-Rehabilitation-like change of the validation test, in every area."""
    spec = importlib.util.spec_from_file_location("test_validation_probation", VALIDATION_TEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    keys = ("reoffences_avoided", "arrangement_costs_gbp_m", "optimism_bias_gbp_m", "cashable_savings_gbp_m",
            "net_fiscal_cost_gbp_m", "intervention_spend_gbp_m")
    totals = dict.fromkeys(keys, 0.0)
    baseline = 0.0
    for area in AREA_KEYS:
        run = engine.project(module.tr_like(area), draws=0)
        baseline += float(run.baseline.reoffences[0].sum())
        for key in keys:
            totals[key] += run.central_headline(key)
    extra, cost = -totals["reoffences_avoided"], totals["net_fiscal_cost_gbp_m"]
    cashable = totals["cashable_savings_gbp_m"]
    parts = [f"transition and governance costs {money_m(totals['arrangement_costs_gbp_m'])}",
             f"optimism bias on them {money_m(totals['optimism_bias_gbp_m'])}"]
    if totals["intervention_spend_gbp_m"] > 0:
        parts.insert(0, f"spend on programmes {money_m(totals['intervention_spend_gbp_m'])}")
    parts.append(f"less cashable savings {money_m(cashable)}" if cashable >= 0
                 else f"{money_m(-cashable)} of extra cashable cost to justice agencies from the extra reoffences")
    return (f"- **Direction: {'as found' if extra > 0 and cost > 0 else 'not as found'}.** Reoffences "
            + (f"rise above staying as we are ({f4(extra, 3)} more over five years)" if extra > 0
               else f"fall ({f4(-extra, 3)} fewer over five years)")
            + f" and the change {'costs' if cost > 0 else 'saves'} money (net cost to the public purse "
            f"{money_m(cost)} in {PRICE_BASE_LABEL}: {join(parts)}). With disruption and reversal switched off the "
            "same change does nothing at all: the direction comes from the transition the model represents, not "
            "from the baseline.\n"
            f"- **Size: far too small.** About {'+' if extra > 0 else '−'}{f4(100 * abs(extra) / baseline, 2)}% "
            f"reoffences against +22% reoffences per reoffender, and {money_m(cost)} against at least £467m (ours in "
            f"{PRICE_BASE_LABEL}, the committee's in the prices of its day).\n")


def payer_table() -> str:
    """Who pays the national share of each function's pooled money (cjcore.vocab.FUNCTION_PAYER)."""
    reg = load_register()
    rows = [[f"`{f}`", FUNCTION[f].label, ", ".join(f"`{iv.key}`" for iv in reg.interventions_for(f)) or "–",
             f"`{FUNCTION_PAYER[f]}` ({AGENCY[FUNCTION_PAYER[f]].label})"] for f in FUNCTION_KEYS]
    return table(["function", "label", "interventions", "national share paid by"], rows, align="llll") + "\n"


def warning_codes() -> list[str]:
    """The codes cjcore/checks.py can raise, in the order they appear in its source."""
    text = Path(checks_module.__file__).read_text(encoding="utf-8")
    return list(dict.fromkeys(re.findall(r'Finding\(\s*"(\w+)"', text)))


def warning_rows() -> dict[str, list[str]]:
    """Each known warning's row: where it is shown, when it is raised, and the threshold now in force."""
    reg = load_register()
    needed = ", ".join(f"{s} {reg[f'stage.{s}.governance_needed'].value:g}" for s in STAGE_KEYS[1:])
    setup = ", ".join(f"{s} {reg[f'stage.{s}.setup_years'].value:g}" for s in STAGE_KEYS[2:])
    late = getattr(checks_module, "LATE_AGREEMENT_YEARS", None)
    fast = getattr(checks_module, "FULL_TRANSFER_MIN_YEARS", None)
    return {
        "governance_short": [
            "spectrum", "a function is placed at a stage s whose `governance_needed` g_s exceeds readiness R (one "
            "warning per such stage, quoting the stage's yearly chance of reversal z_s, section 3.5)",
            f"g_s: {needed}"],
        "probation_recentralised": [
            "spectrum", "probation is placed beyond co-commissioning (devolved budget or full transfer): it was "
            "brought back into one national service in 2021", "stage > co_commissioning"],
        "full_transfer_fast": [
            "spectrum", "some function is placed at full transfer and both agreements arrive within the first "
            f"{fast} years: a* < {fast}", f"a* < {fast} (`FULL_TRANSFER_MIN_YEARS`)"],
        "agreed_late": [
            "funding", f"some function is placed and the funding or the governance agreement comes in year index "
            f"{late} or later", f"a_F or a_G ≥ {late} (`LATE_AGREEMENT_YEARS`)"],
        "no_budget": ["funding", "some function is placed and the pooled budget P is 0", "P = 0"],
        "budget_too_small": [
            "funding", "0 < P < share × the year-1 cost of running every placed function's interventions at full "
            "reach (Σ reach added × N × cost per participant, central values, ignoring control and fidelity)",
            f"share = {MEANINGFUL_REACH_SHARE:g} (`MEANINGFUL_REACH_SHARE`)"],
        "agreed_after_horizon": ["funding", "both agreements arrive only after the horizon: a* ≥ H", "a* ≥ H"],
        "setup_after_horizon": [
            "spectrum", "otherwise, a function placed beyond co-design whose stage's set-up ends after the horizon: "
            "a* + u_s ≥ H (one warning naming them all)", f"u_s: {setup}"],
        "override_far": [
            "evidence", "an override far from the evidence: for a ranged parameter, outside [low − (high − low), "
            "high + (high − low)]; for an unranged one with a register value x > 0, outside [x / 2, 2x]; with "
            "x = 0, above the middle of the parameter's bounds", "one range width beyond the range; a factor of 2"],
    }


def warning_table() -> str:
    """Each warning cjcore.checks can raise, with its rule and the thresholds now in force."""
    known = warning_rows()
    rows = [[f"`{code}`", *known.get(code, ["?", "not described in tools/worked_example.py", "?"])]
            for code in warning_codes()]
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
            factor = uplift(p.price_year)
            model = ("" if p.price_year is None else exact(p.value) if factor == 1
                     else f"{f4(p.value * factor)}" + (f" ({f4(p.low * factor)}–{f4(p.high * factor)})"
                                                        if p.low is not None else ""))
            rows.append([f"`{p.key}`", p.label, exact(p.value), rng, p.unit, fy(p.price_year or "") or "", model,
                         p.status, p.rating, short(p.source)])
        out.append(table(["key", "label", "value", "range", "unit", "price year", f"in {PRICE_BASE_LABEL}",
                          "status", "rating", "source (short)"], rows, align="llrrllrlll"))
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
    blocks = {"prices": price_table(), "optimism-bias": optimism_bias_list(), "payers": payer_table(),
              "validation": validation_bullets(), "warnings": warning_table(), "parameters": parameter_table(),
              "worked-example": text}
    assert tuple(blocks) == BLOCKS
    return blocks, checks


def problems() -> tuple[list[str], int]:
    """What `--check` finds wrong (hand numbers that disagree, a stale doc) and how many checks ran."""
    blocks, checks = build()
    out = [f"{name}: hand {hand!r}, engine {eng!r}" for name, hand, eng in checks.failures]
    out += [f"warning {code} of cjcore/checks.py is not described in warning_rows()"
            for code in warning_codes() if code not in warning_rows()]
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
