"""Who pays and who gains: every cost and saving of a run attributed, year by year, to the agency that bears it.

Categories follow the HM Treasury Green Book supplementary guidance for local cost–benefit analysis: fiscal
cashable, fiscal non-cashable, and economic and social; plus the savings the deal transfers from national
budgets to the area. Attribution rules (docs/model.md §"Who pays and who gains"):

* **Puts in.** Spend is paid first from the area's reinvested savings (the area), the rest from the pooled
  budget: its local share by the area (PCC or mayor), its national share by the budget that owns the function
  (`vocab.FUNCTION_PAYER`, our assignment). The arrangements' own costs are paid on top of the pooled budget:
  governance by the area, transition split in the pooled budget's shares (national share by the function's owner).
  Optimism bias (the Green Book's uplift on costs) falls on whoever bears the cost it adjusts; pooled money kept
  unspent (`unspent: retained`) on the pooled budget's payers.
* **Fiscal savings** of police, courts, prisons and probation are the fall in each agency's system cost
  (baseline − scenario), split by the register's cashable share. Local authorities and the NHS get none: no
  unit cost of their demand is in our data set.
* **Victims and society** get the economic and social cost of each reoffence avoided beyond its justice-system
  cost: reoffences avoided × (cost per reoffence − system cost per reoffence).
* **Transfers.** The savings the area retains move from the national agencies (pro rata to their cashable
  savings that year) to the area. Transfers sum to zero.

So in every year the agencies' "puts in" sum to the intervention spend plus the arrangement costs, optimism bias
and any unspent money kept, their fiscal and economic benefits sum to the economic benefit, and their cashable
savings to the run's cashable savings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cjcore.evidence import load_register
from cjcore.vocab import AGENCY, AGENCY_KEYS, FUNCTION_KEYS, FUNCTION_PAYER, MONEY_CATEGORY, MONEY_CATEGORY_KEYS

if TYPE_CHECKING:
    from cjcore.engine import Params, Run

JUSTICE = ("police", "courts", "prisons", "probation")  # the order of Flows.agency_cost
NATIONAL = ("courts", "prisons", "probation")
AREA = "police"
_A = {a: i for i, a in enumerate(AGENCY_KEYS)}
_K = {k: i for i, k in enumerate(MONEY_CATEGORY_KEYS)}


def system_cost_per_reoffence(p: Params) -> np.ndarray:
    """Police, court, prison and probation cost of one proven reoffence, £ per draw (no diversion)."""
    from cjcore.engine import per_reoffence

    return (per_reoffence(p, "arrests_per_offence") * p["police_cost_per_arrest_gbp"]
            + per_reoffence(p, "court_cases_per_offence") * p["court_cost_per_case_gbp"]
            + per_reoffence(p, "custody_per_offence") * p["prison_years_per_custodial_sentence"]
            * p["prison_cost_per_place_gbp"]
            + per_reoffence(p, "probation_years_per_offence") * p["probation_cost_per_case_gbp"])


def agency_money(run: Run) -> np.ndarray:
    """£m by draw, year, agency and category: shape (draws, years, agencies, categories); costs positive."""
    base, scen, p, sc = run.baseline, run.flows, run.params, run.scenario
    n_draws, horizon = scen.intervention_spend.shape
    out = np.zeros((n_draws, horizon, len(AGENCY_KEYS), len(MONEY_CATEGORY_KEYS)))

    national = sc.funding.national_share
    operating = np.zeros((n_draws, horizon, len(AGENCY_KEYS)))  # programme spend and governance, by payer
    spend = scen.intervention_spend
    from_reinvested = np.minimum(spend, scen.reinvested_savings)
    pooled_share = np.divide(spend - from_reinvested, spend, out=np.zeros_like(spend), where=spend > 0)
    operating[:, :, _A[AREA]] += from_reinvested + (1 - national) * (spend - from_reinvested)
    for i, iv in enumerate(load_register().interventions):
        operating[:, :, _A[FUNCTION_PAYER[iv.function]]] += national * scen.spend_by[:, :, i] * pooled_share
    programme_paid = operating.copy()
    operating[:, :, _A[AREA]] += scen.governance_cost  # the arrangements' governance is the area's
    transition = np.zeros_like(operating)  # split as the pooled budget is (national share by the function's owner)
    transition[:, :, _A[AREA]] += (1 - national) * scen.transition_cost
    for j, function in enumerate(FUNCTION_KEYS):
        transition[:, :, _A[FUNCTION_PAYER[function]]] += national * scen.transition_by[:, :, j]
    # Optimism bias falls on whoever bears the cost it adjusts.
    bias = p["optimism_bias_operating"][:, None, None] * operating \
        + p["optimism_bias_transition"][:, None, None] * transition
    # Pooled money committed but not spent, when the deal keeps it (`unspent: retained`): its payers put it in,
    # locally the area, nationally in proportion to what each national payer put into the programmes that year
    # (or equally among the placed functions' payers when nothing was spent; Home Office and MoJ grants otherwise).
    committed = np.zeros_like(operating)
    if scen.committed_cost.any():
        committed[:, :, _A[AREA]] += (1 - national) * scen.committed_cost
        payers = [a for a in AGENCY_KEYS if a in set(FUNCTION_PAYER.values())]
        national_paid = np.stack([programme_paid[:, :, _A[a]] for a in payers], axis=2)  # (D, T, payers)
        placed = {FUNCTION_PAYER[f] for f in FUNCTION_KEYS if sc.stage_of(f) != "national"} or {"central_government"}
        fallback = np.array([a in placed for a in payers], dtype=float)
        fallback /= fallback.sum()
        total = national_paid.sum(axis=2, keepdims=True)
        weights = np.where(total > 0, np.divide(national_paid, total, out=np.zeros_like(national_paid),
                                                where=total > 0), fallback)
        for k, agency in enumerate(payers):
            committed[:, :, _A[agency]] += national * scen.committed_cost * weights[:, :, k]
    out[..., _K["invests"]] = operating + transition + bias + committed

    saving = base.agency_cost - scen.agency_cost  # (D, T, 4)
    cashable = np.stack([p[f"cashable_share_{a}"] for a in JUSTICE], axis=1)[:, None, :]
    for j, agency in enumerate(JUSTICE):
        out[:, :, _A[agency], _K["fiscal_cashable"]] = saving[:, :, j] * cashable[:, :, j]
        out[:, :, _A[agency], _K["fiscal_non_cashable"]] = saving[:, :, j] * (1 - cashable[:, :, j])

    avoided = base.reoffences.sum(axis=2) - scen.reoffences.sum(axis=2)
    beyond = (p["cost_per_reoffence_gbp"] - system_cost_per_reoffence(p))[:, None] / 1e6
    out[:, :, _A["society"], _K["economic_social"]] = avoided * beyond

    retained = scen.retained_savings
    gains = np.stack([np.maximum(out[:, :, _A[a], _K["fiscal_cashable"]], 0.0) for a in NATIONAL], axis=2)
    total = gains.sum(axis=2, keepdims=True)
    fallback = np.zeros_like(gains)
    fallback[..., NATIONAL.index("prisons")] = 1.0
    weights = np.where(total > 0, np.divide(gains, total, out=np.zeros_like(gains), where=total > 0), fallback)
    for j, agency in enumerate(NATIONAL):
        out[:, :, _A[agency], _K["transfer"]] = -retained * weights[:, :, j]
    out[:, :, _A[AREA], _K["transfer"]] = retained
    return out


def net_by_agency(money: np.ndarray) -> np.ndarray:
    """Each agency's net position per draw and year, £m: benefits + transfers − what it puts in."""
    return money[..., 1:].sum(axis=-1) - money[..., _K["invests"]]


def area_net_pv(run: Run, money: np.ndarray) -> np.ndarray:
    """The area's discounted net position over the horizon, per draw (£m).

    Its fiscal savings and transfers in, less what it puts in (victims' and society's benefits are not the area's).
    """
    area = money[:, :, _A[AREA]]
    net = area[..., _K["fiscal_cashable"]] + area[..., _K["fiscal_non_cashable"]] + area[..., _K["transfer"]] \
        - area[..., _K["invests"]]
    horizon = net.shape[1]
    factor = (1 + run.params["discount_rate"][:, None]) ** -np.arange(horizon)[None, :]
    return (net * factor).sum(axis=1)


def agency_frame(run: Run, money: np.ndarray) -> pd.DataFrame:
    """Tidy: year, agency, category, value (central £m), p10, p90."""
    n_draws, horizon, n_agencies, n_categories = money.shape
    central = money[0]
    if n_draws > 1:
        p10, p90 = np.percentile(money[1:], (10, 90), axis=0)
    else:
        p10 = p90 = np.full(central.shape, np.nan)
    return pd.DataFrame({
        "year": np.repeat(np.arange(1, horizon + 1), n_agencies * n_categories),
        "agency": np.tile(np.repeat(np.array(AGENCY_KEYS, dtype=object), n_categories), horizon),
        "category": np.tile(np.array(MONEY_CATEGORY_KEYS, dtype=object), horizon * n_agencies),
        "value": central.ravel(), "p10": p10.ravel(), "p90": p90.ravel(),
    })


def agency_summary(money: np.ndarray) -> pd.DataFrame:
    """Per agency over the horizon (central): puts in, gets back by category, net, return and payback year."""
    central = money[0]  # (T, A, K)
    net_per_year = net_by_agency(money)[0]  # (T, A)
    rows = []
    for a, agency in enumerate(AGENCY_KEYS):
        totals = central[:, a, :].sum(axis=0)
        invests = totals[_K["invests"]]
        net = float(net_per_year[:, a].sum())
        cumulative = np.cumsum(net_per_year[:, a])
        negative = np.nonzero(cumulative < -1e-12)[0]
        payback = None  # the first year from which the cumulative net position stays at or above zero
        if invests > 0 and (not negative.size or negative[-1] + 1 < len(cumulative)):
            payback = int(negative[-1]) + 2 if negative.size else 1
        rows.append({
            "agency": agency, "label": AGENCY[agency].label, "invests": float(invests),
            **{k: float(totals[_K[k]]) for k in MONEY_CATEGORY_KEYS if k != "invests"},
            "gets_back": float(totals[1:].sum()), "net": net,
            "return_on_investment": net / invests if invests > 0 else np.nan,
            "payback_year": payback,
        })
    return pd.DataFrame(rows)


CATEGORY_LABELS = {k: MONEY_CATEGORY[k].label for k in MONEY_CATEGORY_KEYS}
