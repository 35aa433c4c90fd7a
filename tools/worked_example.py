"""The worked example and parameter table of docs/model.md, computed by hand and checked against the engine.

Why this script exists: docs/model.md promises that a reader can reproduce any number of the model by hand.
This script does that arithmetic for year 1 of ``scenarios/greater-manchester.yaml`` in plain Python floats
(no numpy, none of the engine's functions), straight from the evidence register and the area baseline, and
checks every hand-computed number against ``cjcore.engine.project``. It then writes the two generated parts of
docs/model.md (the worked example and the parameter table), so the doc always quotes the engine's current
numbers and the register's current values::

    .venv/bin/python tools/worked_example.py            # print the worked example; exit 1 if a check fails
    .venv/bin/python tools/worked_example.py --params   # print the parameter table (Markdown)
    .venv/bin/python tools/worked_example.py --write    # rewrite the generated blocks of docs/model.md
    .venv/bin/python tools/worked_example.py --check    # exit 1 if docs/model.md is out of date
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cjcore import engine  # noqa: E402
from cjcore.areas import get_area  # noqa: E402
from cjcore.evidence import load_register  # noqa: E402
from cjcore.schema import Scenario  # noqa: E402
from cjcore.vocab import COHORT_KEYS, FUNCTION_KEYS, STAGE_KEYS  # noqa: E402

DOC = ROOT / "docs" / "model.md"
SCENARIO_FILE = ROOT / "scenarios" / "greater-manchester.yaml"
BLOCKS = ("worked-example", "parameters")
TOLERANCE = 1e-9  # relative difference allowed between a hand-computed number and the engine's
ILLUSTRATIVE_BUDGET_GBP_M = 0.15  # a budget small enough that the funding order matters in year 1
DRAWS, SEED = 1000, 1  # the uncertainty run quoted in the doc
UNCERTAIN_HEADLINES = ("reoffences_avoided", "prison_places_avoided", "intervention_spend_gbp_m",
                       "cashable_savings_gbp_m", "economic_benefit_gbp_m", "npv_gbp_m", "benefit_cost_ratio",
                       "chance_npv_positive")

AGENCY_VOLUME = {"police": "arrests", "courts": "court_cases", "prisons": "prison_places",
                 "probation": "probation_caseload"}
UNIT_COST = {"police": "police_cost_per_arrest_gbp", "courts": "court_cost_per_case_gbp",
             "prisons": "prison_cost_per_place_gbp", "probation": "probation_cost_per_case_gbp"}
NATIONAL = ("courts", "prisons", "probation")


# ----------------------------------------------------------------------------------------------- formatting
def f4(x: float, sig: int = 4) -> str:
    """A number to `sig` significant figures (whole numbers of 1,000 or more in full, with separators)."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    if abs(x) >= 10 ** (sig - 1):
        return f"{x:,.0f}"  # whole numbers of 1,000 or more in full
    x = float(f"{x:.{sig - 1}e}")  # round first, so a carry (0.099996 -> 0.1000) sets the decimals
    if abs(x) >= 10 ** (sig - 1):
        return f"{x:,.0f}"
    decimals = sig - 1 - math.floor(math.log10(abs(x)))
    return f"{x:,.{decimals}f}"


def pct(x: float) -> str:
    """A share as a percentage to 4 significant figures."""
    return f4(100 * x) + "%"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A Markdown table; `align` is one letter per column, l or r (default: first left, rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---" if a == "l" else "---:" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in r) + " |" for r in rows]
    return "\n".join(lines)


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
    """Year 1 of a scenario by hand, in plain floats, from the register and the area baseline only."""

    def __init__(self, sc: Scenario, budget: float | None = None) -> None:
        self.sc = sc
        v = lambda k: value(sc, k)  # noqa: E731
        self.v = v
        area = get_area(sc.area)
        self.area = area
        g = area.groups
        # -- baseline cohorts
        self.groups = {k: (x.offenders, x.reoffenders, x.reoffences) for k, x in g.items()}
        s, k = v("women_share_25plus"), v("women_rate_ratio")
        r25 = g["adults_25plus"].reoffenders / g["adults_25plus"].offenders
        f25 = g["adults_25plus"].reoffences / g["adults_25plus"].reoffenders
        self.r25, self.f25 = r25, f25
        self.rate_men = r25 / ((1 - s) + k * s)
        n25 = g["adults_25plus"].offenders
        self.N = {
            "young_people": g["young_people"].offenders,
            "young_adults": g["young_adults"].offenders,
            "adult_men": n25 * (1 - s),
            "adult_women": n25 * s,
        }
        self.r = {
            "young_people": g["young_people"].reoffenders / g["young_people"].offenders,
            "young_adults": g["young_adults"].reoffenders / g["young_adults"].offenders,
            "adult_men": self.rate_men,
            "adult_women": self.rate_men * k,
        }
        self.f = {
            "young_people": g["young_people"].reoffences / g["young_people"].reoffenders,
            "young_adults": g["young_adults"].reoffences / g["young_adults"].reoffenders,
            "adult_men": f25,
            "adult_women": f25,
        }
        # -- policy
        c = sc.governance.five_conditions
        self.scores = [c.objectives, c.local_picture, c.cohort_knowledge, c.accountability, c.buy_in]
        self.R = sum(self.scores) / 25
        self.gf = v(f"governance_factor.{sc.governance.model}")
        self.floor = v("fidelity_floor")
        self.F = self.gf * (self.floor + (1 - self.floor) * self.R)
        self.start = max(sc.funding.agreed_in_year, sc.governance.agreed_in_year)
        self.t = 0
        self.stage_rows = []
        best, self.best = 0.0, {"national": 0.0}
        for stage in STAGE_KEYS[1:]:
            local = v(f"stage.{stage}.local_control")
            needed = v(f"stage.{stage}.governance_needed")
            fit = 1.0 if needed <= 0 else min(1.0, self.R / needed)
            setup = v(f"stage.{stage}.setup_years")
            ramp = min(1.0, max(0.0, (self.t - self.start - setup + 1) / v("ramp_years")))
            cap = local * fit * ramp
            best = max(best, cap)
            self.best[stage] = best
            self.stage_rows.append((stage, local, needed, fit, setup, ramp, cap, best))
        fin = sc.funding
        funded = self.t >= fin.agreed_in_year and (fin.renewed or self.t < fin.agreed_in_year + fin.settlement_years)
        self.funded_now = funded
        agreed = funded and self.t >= sc.governance.agreed_in_year
        self.years_without = 0 if agreed else 1
        self.sustain = (1 - v("policy_conflict_decay")) ** self.years_without
        self.pooled = (fin.pooled_budget_gbp_m if budget is None else budget) if funded else 0.0
        self.funds = self.pooled  # nothing carried into year 1
        # -- interventions
        self.ivs = []
        for iv in load_register().interventions:
            stage = sc.stage_of(iv.function)
            reach = v(f"{iv.key}.eligible_share") * v(f"{iv.key}.max_reach")
            cost = v(f"{iv.key}.cost_per_participant_gbp")
            effect = v(f"{iv.key}.effect")
            people = sum(reach * self.N[c] for c in iv.cohorts)
            full_cost = people * cost / 1e6
            full_avoided = sum(reach * self.N[c] * self.r[c] * self.f[c] for c in iv.cohorts) * effect
            per_m = full_avoided / full_cost if full_cost > 0 else 0.0
            control = self.best[stage]
            delivery = control * self.F * self.sustain
            self.ivs.append(dict(iv=iv, stage=stage, reach=reach, cost=cost, effect=effect, people=people,
                                 full_cost=full_cost, full_avoided=full_avoided, per_m=per_m, control=control,
                                 delivery=delivery, capacity=full_cost * delivery,
                                 diversion=v(f"{iv.key}.custody_diversion"),
                                 retained=v(f"stage.{stage}.savings_retained") if stage != "national" else 0.0))
        order = sorted(range(len(self.ivs)), key=lambda i: -self.ivs[i]["per_m"])  # stable: ties keep order
        left = self.funds
        for rank, i in enumerate(order, start=1):
            d = self.ivs[i]
            before = self.funds - left
            d["rank"], d["before"] = rank, before
            d["share"] = min(1.0, max(0.0, (self.funds - before) / d["capacity"])) if d["capacity"] > 0 else 0.0
            d["spend"] = d["capacity"] * d["share"]
            d["realisation"] = d["delivery"] * d["share"]
            left -= d["capacity"]
        self.order = order
        # -- flows, scenario and baseline
        self.reduction, self.rate, self.div = {}, {}, {}
        for c in COHORT_KEYS:
            terms = [d["reach"] * d["realisation"] * d["effect"] for d in self.ivs if c in d["iv"].cohorts]
            self.reduction[c] = sum(terms)
            self.rate[c] = self.r[c] * min(1.0, max(0.0, 1 - self.reduction[c]))
            self.div[c] = min(1.0, max(0.0, sum(d["reach"] * d["realisation"] * d["diversion"]
                                                for d in self.ivs if c in d["iv"].cohorts)))
        for d in self.ivs:
            d["participants"] = sum(d["reach"] * d["realisation"] * self.N[c] for c in d["iv"].cohorts)
            d["avoided"] = sum(d["reach"] * d["realisation"] * d["effect"] * self.N[c] * self.r[c] * self.f[c]
                               for c in d["iv"].cohorts)
        self.base = {c: self.flows(c, self.r[c], 0.0) for c in COHORT_KEYS}
        self.scen = {c: self.flows(c, self.rate[c], self.div[c]) for c in COHORT_KEYS}
        # -- money
        self.cost = {}
        for series, fl in (("baseline", self.base), ("scenario", self.scen)):
            self.cost[series] = {a: sum(fl[c][AGENCY_VOLUME[a]] for c in COHORT_KEYS) * v(UNIT_COST[a]) / 1e6
                                 for a in AGENCY_VOLUME}
        self.saving = {a: self.cost["baseline"][a] - self.cost["scenario"][a] for a in AGENCY_VOLUME}
        self.cashable_by = {a: self.saving[a] * v(f"cashable_share_{a}") for a in AGENCY_VOLUME}
        self.cashable = sum(self.cashable_by.values())
        self.national_cashable = max(0.0, sum(self.cashable_by[a] for a in NATIONAL))
        total_avoided = sum(d["avoided"] for d in self.ivs)
        for d in self.ivs:
            d["weight"] = d["avoided"] / total_avoided if total_avoided > 0 else 0.0
        self.retained_share = sum(d["weight"] * d["retained"] for d in self.ivs)
        self.retained = self.national_cashable * self.retained_share
        self.reinvested = sc.funding.reinvest_share * self.retained
        self.spend = sum(d["spend"] for d in self.ivs)
        self.cor = {s: sum(fl[c]["reoffences"] for c in COHORT_KEYS) * v("cost_per_reoffence_gbp") / 1e6
                    for s, fl in (("baseline", self.base), ("scenario", self.scen))}
        rho = v("cohort_return_share")
        self.entrants = {c: self.N[c] - rho * self.N[c] * self.r[c] for c in COHORT_KEYS}
        self.next_size = {c: self.entrants[c] + rho * self.scen[c]["reoffenders"] for c in COHORT_KEYS}
        self.rho = rho

    def flows(self, c: str, rate: float, diverted: float) -> dict[str, float]:
        """One cohort's flows and demand in year 1 at a reoffending rate and a diverted share of sentences."""
        v = self.v
        reoffenders = self.N[c] * rate
        reoffences = reoffenders * self.f[c]
        sentences = reoffences * v("custody_per_offence")
        receptions = sentences * (1 - diverted)
        return {
            "cohort_size": self.N[c], "reoffending_rate": rate, "reoffenders": reoffenders,
            "reoffences": reoffences, "arrests": reoffences * v("arrests_per_offence"),
            "court_cases": reoffences * v("court_cases_per_offence"), "sentences": sentences,
            "custody_receptions": receptions,
            "prison_places": receptions * v("prison_years_per_custodial_sentence"),
            "probation_caseload": reoffences * v("probation_years_per_offence")
            + (sentences - receptions) * v("community_order_years"),
        }


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
    """Check every year-1 number of `h` against the engine's run of the same scenario."""
    sc, fl, bl = h.sc, run.flows, run.baseline
    p = engine.Params(sc.overrides, 0, None)
    ch.add(prefix + "readiness", h.R, engine.readiness(sc))
    ch.add(prefix + "fidelity", h.F, engine.fidelity(sc, p))
    ch.add(prefix + "sustain, year 1", h.sustain, engine.sustain(sc, p, sc.horizon_years)[0])
    ctrl = engine.control(sc, p, sc.horizon_years)
    for f in FUNCTION_KEYS:
        ch.add(prefix + f"control of {f}, year 1", h.best[sc.stage_of(f)], ctrl[FUNCTION_KEYS.index(f), 0])
    cohorts = engine.baseline_cohorts(sc.area, p)
    for j, c in enumerate(COHORT_KEYS):
        ch.add(prefix + f"{c}: baseline cohort size", h.N[c], cohorts.size[0, j])
        ch.add(prefix + f"{c}: baseline rate", h.r[c], cohorts.rate[0, j])
        ch.add(prefix + f"{c}: reoffences per reoffender", h.f[c], cohorts.frequency[0, j])
        for metric in ("reoffending_rate", "reoffenders", "reoffences", "arrests", "court_cases",
                       "custody_receptions", "prison_places", "probation_caseload"):
            ch.add(prefix + f"{c}: scenario {metric}", h.scen[c][metric], getattr(fl, metric)[0, 0, j])
            ch.add(prefix + f"{c}: baseline {metric}", h.base[c][metric], getattr(bl, metric)[0, 0, j])
        ch.add(prefix + f"{c}: cohort size in year 2", h.next_size[c], fl.cohort_size[0, 1, j]
               if sc.horizon_years > 1 else h.next_size[c])
    for i, d in enumerate(h.ivs):
        key = d["iv"].key
        ch.add(prefix + f"{key}: realisation", d["realisation"], fl.realisation[0, 0, i])
        ch.add(prefix + f"{key}: spend £m", d["spend"], fl.spend_by[0, 0, i])
        ch.add(prefix + f"{key}: reoffences avoided", d["avoided"], fl.reoffences_avoided_by[0, 0, i])
    for a_i, a in enumerate(engine.AGENCIES):
        ch.add(prefix + f"{a}: baseline cost £m", h.cost["baseline"][a], bl.agency_cost[0, 0, a_i])
        ch.add(prefix + f"{a}: scenario cost £m", h.cost["scenario"][a], fl.agency_cost[0, 0, a_i])
    ch.add(prefix + "funds available £m", h.funds, fl.funds_available[0, 0])
    ch.add(prefix + "intervention spend £m", h.spend, fl.intervention_spend[0, 0])
    ch.add(prefix + "cost of reoffending, baseline £m", h.cor["baseline"], bl.cost_of_reoffending[0, 0])
    ch.add(prefix + "cost of reoffending, scenario £m", h.cor["scenario"], fl.cost_of_reoffending[0, 0])
    ch.add(prefix + "cashable savings £m", h.cashable, fl.cashable_savings[0, 0])
    ch.add(prefix + "retained savings £m", h.retained, fl.retained_savings[0, 0])
    ch.add(prefix + "reinvested savings £m", h.reinvested, fl.reinvested_savings[0, 0])
    if sc.horizon_years > 1:
        ch.add(prefix + "funds available in year 2 £m",
               h.sc.funding.pooled_budget_gbp_m * engine.funding_in_place(sc, sc.horizon_years)[1] + h.reinvested,
               fl.funds_available[0, 1])
    frame = run.frame
    for metric in ("reoffences", "prison_places", "arrests"):
        row = frame[(frame.year == 1) & (frame.cohort == "all") & (frame.metric == metric)
                    & (frame.series == "scenario")]
        ch.add(prefix + f"Run.frame all-cohort {metric}, year 1",
               sum(h.scen[c][metric] for c in COHORT_KEYS), float(row["value"].iloc[0]))


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
    ivs = h.ivs
    placed = [f for f in FUNCTION_KEYS if sc.stage_of(f) != "national"]

    w(f"Scenario: `{SCENARIO_FILE.relative_to(ROOT)}` ({sc.name}), area `{sc.area}`, horizon "
      f"{sc.horizon_years} years, central estimate (`draws=0`). Placements: "
      + ", ".join(f"{f} `{sc.stage_of(f)}`" for f in placed)
      + f"; every other function `national`. Funding: £{f4(sc.funding.pooled_budget_gbp_m)}m a year, agreed in "
      f"year index {sc.funding.agreed_in_year}, {sc.funding.settlement_years}-year settlement, renewed: "
      f"{str(sc.funding.renewed).lower()}, reinvest share {sc.funding.reinvest_share:g}. Governance: "
      f"`{sc.governance.model}`, agreed in year index {sc.governance.agreed_in_year}, five conditions "
      f"{h.scores}. No overrides. Every number below is year 1 (year index t = 0) unless it says otherwise; "
      "numbers are rounded to 4 significant figures for reading, but each step was computed from the unrounded "
      "previous step.\n")

    # -- step 1
    w("### Step 1. Baseline cohorts\n")
    w(f"`cjcore/data/area_cohorts.csv` gives {h.area.name}'s derived counts (its method: *{h.area.cohort_method}*). "
      "The engine computes each rate and frequency from the three counts as stored (rounded to 0.1), not from "
      "the file's own rate columns.")
    derivation(h, ch, w)
    rows = []
    for gkey, (o, ro, rc) in h.groups.items():
        rows.append([gkey, f"{o:,.1f}", f"{ro:,.1f}", f"{rc:,.1f}", f4(ro / o), f4(rc / ro)])
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
    rows.append(["**all**", f4(sum(h.N.values())), f4(sum(h.base[c]["reoffenders"] for c in COHORT_KEYS)
                                                      / sum(h.N.values())), "",
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
    rows = [[s_, f4(lc), f4(nd), f"min(1, {f4(h.R)} / {f4(nd)}) = {f4(fit)}", f"{su:g}", f4(rp), f4(cap), f4(b)]
            for s_, lc, nd, fit, su, rp, cap, b in h.stage_rows]
    w(table(["stage", "local_control", "governance_needed", "fit", "setup_years", "ramp (t=0)",
             "capacity = local × fit × ramp", "best so far"], rows))
    started = [row[0] for row in h.stage_rows if row[6] > 0]
    w("\nEach placed function works at the *best so far* of its stage. In year 1 the stages with capacity are "
      f"{', '.join(started) or 'none'}, so youth justice, placed at {sc.stage_of('youth_justice')}, works at "
      f"{f4(h.best[sc.stage_of('youth_justice')])}. The engine's control for the whole horizon (rows: placed "
      "functions; columns: years 1–" + f"{sc.horizon_years}):\n")
    p = engine.Params(sc.overrides, 0, None)
    ctrl = engine.control(sc, p, sc.horizon_years)
    w(table(["function (stage)"] + [f"year {y}" for y in range(1, sc.horizon_years + 1)],
            [[f"{f} ({sc.stage_of(f)})"] + [f4(x) for x in ctrl[FUNCTION_KEYS.index(f)]] for f in placed]))

    # -- step 4
    w("\n### Step 4. Sustain, funding in place and delivery\n")
    w(f"Funding is {'' if h.funded_now else 'not '}in place in year 1 and governance is "
      f"{'' if sc.governance.agreed_in_year <= 0 else 'not '}agreed, so years without agreement = "
      f"{h.years_without} and sustain = (1 − {v('policy_conflict_decay'):g})^{h.years_without} = {f4(h.sustain)}. "
      f"Funds available = pooled budget £{f4(h.pooled)}m + £0m carried (nothing is carried into year 1) = "
      f"£{f4(h.funds)}m. Delivery of every intervention of a placed function = control × F × sustain = "
      f"{f4(h.best['co_design'])} × {f4(h.F)} × {f4(h.sustain)} = **{f4(h.best['co_design'] * h.F * h.sustain)}**; "
      "interventions of national functions have delivery 0.\n")

    # -- step 5
    w("### Step 5. Funding order, capacity and share funded\n")
    w("Reach = `eligible_share` × `max_reach`; participants at full reach = reach × Σ N over the targeted "
      "cohorts; full cost = participants × `cost_per_participant_gbp`; reoffences avoided at full reach = "
      "effect × Σ reach·N·r·f; the order ranks interventions by avoided reoffences per £m (rank 1 is funded "
      "first). Capacity = full cost × delivery. Rows are in funding order:\n")
    rows = []
    for i in h.order:
        d = ivs[i]
        rows.append([str(d["rank"]), f"{d['iv'].key} ({d['stage']})", f4(d["reach"]), f4(d["people"]),
                     f4(d["full_cost"]), f4(d["full_avoided"]), f4(d["per_m"]), f4(d["delivery"]),
                     f4(d["capacity"]), f4(d["before"]), f4(d["share"]), f4(d["realisation"]), f4(d["spend"])])
    w(table(["rank", "intervention (stage)", "reach", "participants at full reach", "full cost £m",
             "avoided at full reach", "avoided per £m", "delivery", "capacity £m", "funded before £m",
             "share funded", "realisation", "spend £m"], rows, align="rl" + "r" * 11))
    capacity = sum(d["capacity"] for d in ivs)
    if capacity <= h.funds:
        w(f"\nThe capacities add up to £{f4(capacity)}m, within the £{f4(h.funds)}m available, so every placed "
          "intervention is fully funded (share 1) and realisation = delivery. ")
    else:
        w(f"\nThe capacities add up to £{f4(capacity)}m, more than the £{f4(h.funds)}m available, so the "
          "interventions ranked last are only partly funded or not at all. ")
    w("To see the order at work, the same scenario with a budget of "
      f"£{ILLUSTRATIVE_BUDGET_GBP_M:g}m (computed the same way and checked against the engine):\n")
    small = sc.with_changes(funding={**sc.funding.model_dump(), "pooled_budget_gbp_m": ILLUSTRATIVE_BUDGET_GBP_M})
    hs = Hand(small)
    compare(hs, engine.project(small), ch, prefix=f"(budget £{ILLUSTRATIVE_BUDGET_GBP_M:g}m) ")
    rows = [[str(hs.ivs[i]["rank"]), hs.ivs[i]["iv"].key, f4(hs.ivs[i]["capacity"]), f4(hs.ivs[i]["before"]),
             f"clip(({f4(hs.funds)} − {f4(hs.ivs[i]['before'])}) / {f4(hs.ivs[i]['capacity'])}, 0, 1) = "
             f"{f4(hs.ivs[i]['share'])}", f4(hs.ivs[i]["spend"])]
            for i in hs.order if hs.ivs[i]["capacity"] > 0]
    w(table(["rank", "intervention", "capacity £m", "funded before £m", "share funded", "spend £m"], rows,
            align="rlrrrr"))

    # -- step 6
    yp = "young_people"
    w("\n### Step 6. Reoffending rate, reoffenders and reoffences (young people in full)\n")
    terms = [d for d in ivs if yp in d["iv"].cohorts]
    w("Interventions that target young people: "
      + "; ".join(f"`{d['iv'].key}` ({d['stage']}): reach {f4(d['reach'])} × realisation {f4(d['realisation'])}"
                  f" × effect {f4(d['effect'])} = {f4(d['reach'] * d['realisation'] * d['effect'])}" for d in terms)
      + f". Reduction = {f4(h.reduction[yp])}.\n")
    base_yp, scen_yp = h.base[yp], h.scen[yp]
    w(f"- rate r = {f4(h.r[yp])} × (1 − {f4(h.reduction[yp])}) = **{f4(h.rate[yp])}** "
      f"(baseline {f4(h.r[yp])}: {f4(100 * (h.rate[yp] - h.r[yp]))} percentage points)\n"
      f"- reoffenders = {f4(h.N[yp])} × {f4(h.rate[yp])} = **{f4(scen_yp['reoffenders'])}** "
      f"(baseline {f4(base_yp['reoffenders'])})\n"
      f"- reoffences = {f4(scen_yp['reoffenders'])} × {f4(h.f[yp])} = **{f4(scen_yp['reoffences'])}** "
      f"(baseline {f4(base_yp['reoffences'])}; {f4(base_yp['reoffences'] - scen_yp['reoffences'])} avoided)\n"
      f"- arrests = {f4(scen_yp['reoffences'])} × {v('arrests_per_offence'):g} = {f4(scen_yp['arrests'])}; "
      f"court cases = × {v('court_cases_per_offence'):g} = {f4(scen_yp['court_cases'])}\n"
      f"- custodial sentences = × {v('custody_per_offence'):g} = {f4(scen_yp['sentences'])}; diverted share = "
      f"{f4(h.div[yp])}{' (no intervention that reaches young people diverts custody)' if h.div[yp] == 0 else ''}, "
      f"so receptions = "
      f"{f4(scen_yp['custody_receptions'])} and prison places = × {v('prison_years_per_custodial_sentence'):g} = "
      f"**{f4(scen_yp['prison_places'])}** (baseline {f4(base_yp['prison_places'])})\n"
      f"- probation caseload = {f4(scen_yp['reoffences'])} × {v('probation_years_per_offence'):g} + "
      f"({f4(scen_yp['sentences'])} − {f4(scen_yp['custody_receptions'])}) × {v('community_order_years'):g} = "
      f"{f4(scen_yp['probation_caseload'])}\n"
      f"- next year's cohort = entrants {f4(h.entrants[yp])} (= {f4(h.N[yp])} × (1 − {v('cohort_return_share'):g} "
      f"× {f4(h.r[yp])})) + {v('cohort_return_share'):g} × {f4(scen_yp['reoffenders'])} = "
      f"**{f4(h.next_size[yp])}** (baseline stays {f4(h.N[yp])})\n")
    w("All four cohorts, scenario (baseline in brackets):\n")
    metrics = ("reoffending_rate", "reoffenders", "reoffences", "arrests", "court_cases", "custody_receptions",
               "prison_places", "probation_caseload")
    rows = []
    for c in COHORT_KEYS:
        rows.append([c, f4(h.reduction[c]), f4(h.div[c])]
                    + [f"{f4(h.scen[c][m])} ({f4(h.base[c][m])})" for m in metrics] + [f4(h.next_size[c])])
    tot = {s_: {m: sum(fl[c][m] for c in COHORT_KEYS) for m in metrics}
           for s_, fl in (("scenario", h.scen), ("baseline", h.base))}
    for s_ in tot:
        tot[s_]["reoffending_rate"] = tot[s_]["reoffenders"] / sum(h.N.values())
    rows.append(["**all**", "", ""] + [f"{f4(tot['scenario'][m])} ({f4(tot['baseline'][m])})" for m in metrics]
                + [f4(sum(h.next_size.values()))])
    w(table(["cohort", "reduction", "diverted share", "rate", "reoffenders", "reoffences", "arrests",
             "court cases", "custody receptions", "prison places", "probation caseload", "cohort in year 2"], rows))
    avoided_total = tot["baseline"]["reoffences"] - tot["scenario"]["reoffences"]
    w(f"\nReoffences avoided in year 1: {f4(avoided_total)}; attributed to interventions (reach × realisation × "
      "effect × N·r·f, summed over targeted cohorts): "
      + "; ".join(f"`{d['iv'].key}` {f4(d['avoided'])}" for d in ivs if d["avoided"] > 0)
      + f" (total {f4(sum(d['avoided'] for d in ivs))}). In year 1 the attribution adds up to the reoffences "
      "avoided exactly, because the cohorts are still the baseline's; from year 2 the cohorts differ and the two "
      "drift apart.\n")

    # -- step 7
    w("### Step 7. Money in year 1\n")
    rows = []
    for a in engine.AGENCIES:
        vol = AGENCY_VOLUME[a]
        rows.append([a, f"{vol} × £{v(UNIT_COST[a]):,.0f}", f"{f4(tot['baseline'][vol])} → {f4(tot['scenario'][vol])}",
                     f4(h.cost["baseline"][a]), f4(h.cost["scenario"][a]), f4(h.saving[a]),
                     f"{v(f'cashable_share_{a}'):g}", f4(h.cashable_by[a])])
    rows.append(["**total**", "", "", f4(sum(h.cost["baseline"].values())), f4(sum(h.cost["scenario"].values())),
                 f4(sum(h.saving.values())), "", f4(h.cashable)])
    w(table(["agency", "volume × unit cost", "volume base → scenario", "cost base £m", "cost scenario £m",
             "saving £m", "cashable share", "cashable £m"], rows))
    w(f"\n- Cashable savings to national budgets (courts + prisons + probation, floored at 0) = "
      f"£{f4(h.national_cashable)}m.\n"
      "- Weights by reoffences avoided and the retained share of each intervention's *placed* stage: "
      + "; ".join(f"`{d['iv'].key}` {f4(d['weight'])} × {d['retained']:g}" for d in ivs if d["weight"] > 0)
      + f" → weighted retained share {f4(h.retained_share)}.\n"
      f"- Retained savings = {f4(h.national_cashable)} × {f4(h.retained_share)} = **£{f4(h.retained)}m**; "
      f"reinvested next year = {sc.funding.reinvest_share:g} × {f4(h.retained)} = £{f4(h.reinvested)}m, so "
      f"year 2's funds = £{f4(sc.funding.pooled_budget_gbp_m)}m + £{f4(h.reinvested)}m = "
      f"£{f4(float(run.flows.funds_available[0, 1]))}m.\n"
      f"- Cost of reoffending = reoffences × £{v('cost_per_reoffence_gbp'):,.0f}: baseline "
      f"{f4(tot['baseline']['reoffences'])} → £{f4(h.cor['baseline'])}m; scenario "
      f"{f4(tot['scenario']['reoffences'])} → £{f4(h.cor['scenario'])}m; benefit "
      f"£{f4(h.cor['baseline'] - h.cor['scenario'])}m.\n"
      f"- Intervention spend £{f4(h.spend)}m; net fiscal cost this year = spend − cashable = "
      f"£{f4(h.spend - h.cashable)}m.\n")

    # -- step 8
    w("### Step 8. Over the horizon: NPV, BCR and the headlines\n")
    fl, bl = run.flows, run.baseline
    dr = v("discount_rate")
    rows, pvb, pvs = [], 0.0, 0.0
    for t in range(sc.horizon_years):
        ben = float(bl.cost_of_reoffending[0, t] - fl.cost_of_reoffending[0, t])
        sp = float(fl.intervention_spend[0, t])
        fac = (1 + dr) ** -t
        pvb, pvs = pvb + ben * fac, pvs + sp * fac
        rows.append([str(t + 1), str(t), f4(float(fl.funds_available[0, t])), f4(sp), f4(ben), f4(fac),
                     f4(ben * fac), f4(sp * fac), f4(float(fl.cashable_savings[0, t])),
                     f4(float(fl.retained_savings[0, t])),
                     f4(float(bl.reoffences[0, t].sum() - fl.reoffences[0, t].sum()))])
    w("Year by year from the engine (£m; benefit = baseline − scenario cost of reoffending; discount factor "
      f"(1 + {dr:g})^−t):\n")
    w(table(["year", "t", "funds", "spend", "benefit", "factor", "PV benefit", "PV spend", "cashable",
             "retained", "reoffences avoided"], rows))
    ch.add("NPV by hand from the yearly table", pvb - pvs, run.headline("npv_gbp_m"))
    ch.add("BCR by hand from the yearly table", pvb / pvs, run.headline("benefit_cost_ratio"))
    w(f"\nNPV = {f4(pvb)} − {f4(pvs)} = **£{f4(pvb - pvs)}m**; BCR = {f4(pvb)} / {f4(pvs)} = "
      f"**{f4(pvb / pvs)}**. The headline figures (`run.summary`, central):\n")
    headline_checks(run, ch)
    rows = [[key, lab, f4(run.headline(key)), unit] for key, lab, unit in engine.HEADLINES]
    w(table(["key", "headline", "value", "unit"], rows, align="llrl"))
    w("\nWith `draws=0` the chance that benefits exceed costs is 1 if the central NPV is positive and 0 if not. "
      f"With uncertainty, `project(scenario, draws={DRAWS}, seed={SEED})` (row 0 is still the central estimate "
      "above; p10, median and p90 are over the draws):\n")
    unc = engine.project(sc, draws=DRAWS, seed=SEED)
    again = engine.project(sc, draws=DRAWS, seed=SEED)
    ch.add(f"same seed, same NPV draws (sum over {DRAWS} draws)", float(unc.headline_draws["npv_gbp_m"].sum()),
           float(again.headline_draws["npv_gbp_m"].sum()))
    ch.add("central NPV unchanged by the draws", unc.headline("npv_gbp_m"), run.headline("npv_gbp_m"))
    summ = unc.summary
    rows = []
    for key in UNCERTAIN_HEADLINES:
        r = summ.loc[key]
        if key == "chance_npv_positive":
            rows.append([key, f4(r["value"]), "", "", ""])
        else:
            rows.append([key, f4(r["value"]), f4(r["p10"]), f4(r["median"]), f4(r["p90"])])
    w(table(["headline", "central", "p10", "median", "p90"], rows))
    fails = ch.failures
    w(f"\n**Check.** `tools/worked_example.py` computed {len(ch.rows)} numbers of this example by hand (plain "
      "Python, from the register and the area file) and compared each with the engine: "
      + ("all agree to a relative difference of 1e-9." if not fails else f"{len(fails)} DISAGREE.") + "\n")
    return "\n".join(out), ch


def derivation(h: Hand, ch: Checks, w) -> None:
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


def headline_checks(run: engine.Run, ch: Checks) -> None:
    """Recompute each headline figure from the yearly flows, as docs/model.md states it, and compare."""
    fl, bl = run.flows, run.baseline
    total = lambda f, m: float(getattr(f, m)[0].sum())  # noqa: E731
    final = lambda f, m: float(getattr(f, m)[0, -1].sum())  # noqa: E731
    rate = lambda f: float(f.reoffenders[0, -1].sum() / f.cohort_size[0, -1].sum())  # noqa: E731
    dr = value(run.scenario, "discount_rate")
    factor = [(1 + dr) ** -t for t in range(fl.reoffences.shape[1])]
    benefit = [float(b - s) for b, s in zip(bl.cost_of_reoffending[0], fl.cost_of_reoffending[0], strict=True)]
    spend = [float(x) for x in fl.intervention_spend[0]]
    pvb = sum(b * f for b, f in zip(benefit, factor, strict=True))
    pvs = sum(s * f for s, f in zip(spend, factor, strict=True))
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
        "benefit_cost_ratio": pvb / pvs,
        "chance_npv_positive": float(pvb - pvs > 0),
    }
    for key, x in by_hand.items():
        ch.add(f"headline {key}", x, run.headline(key))


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


def main() -> int:
    """Print, write or check the generated parts of docs/model.md."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--params", action="store_true", help="print the parameter table")
    ap.add_argument("--write", action="store_true", help="rewrite the generated blocks of docs/model.md")
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/model.md is out of date")
    ap.add_argument("--all-checks", action="store_true", help="print every hand-vs-engine comparison")
    args = ap.parse_args()
    if args.params:
        print(parameter_table())
        return 0
    text, checks = worked_example()
    if args.all_checks:
        for name, hand, eng in checks.rows:
            print(f"{'ok  ' if Checks.ok(hand, eng) else 'FAIL'} {name}: hand {hand:.10g}, engine {eng:.10g}")
    for name, hand, eng in checks.failures:
        print(f"FAIL {name}: hand {hand!r} engine {eng!r}", file=sys.stderr)
    blocks = {"worked-example": text, "parameters": parameter_table()}
    if args.write or args.check:
        current = DOC.read_text(encoding="utf-8")
        wanted = render(current, blocks)
        if args.check:
            if wanted != current:
                print(f"{DOC.relative_to(ROOT)} is out of date: run tools/worked_example.py --write", file=sys.stderr)
                return 1
            print(f"{DOC.relative_to(ROOT)} is up to date ({len(checks.rows)} hand-vs-engine checks pass)")
        else:
            DOC.write_text(wanted, encoding="utf-8")
            print(f"wrote {DOC.relative_to(ROOT)}")
    elif not args.all_checks:
        print(text)
    return 1 if checks.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
