"""Funding & governance: the deal's money and accountability, and the five conditions for readiness."""

import streamlit as st

from cjcore.engine import agreement_start, governance_fit, readiness
from cjcore.evidence import parameter_value
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.schema import MAX_AGREEMENT_YEAR, MAX_BUDGET_GBP_M, MAX_HORIZON_YEARS
from cjcore.vocab import FIVE_CONDITIONS, GOVERNANCE, GOVERNANCE_KEYS, STAGE, STAGE_KEYS
from explorer import format as fmt
from explorer import state
from explorer.runs import findings, run_view
from explorer.theme import STICKY_KEY
from explorer.urlstate import UNSPENT_CHOICES
from explorer.widgets import headline_metrics, page_header, show_card, show_findings, table

state.require_app()  # first visit to a deep link on a fresh server: go through app.py

UNSPENT_LABELS = {"returned": "Returned to those who paid it",
                  "retained": "Kept in the pooled budget (counts as spent)"}


def update(section: str, name: str, value: object) -> None:
    """Replace one funding or governance field (or a top-level field when section is empty)."""
    sc = state.scenario()
    if not section:
        if getattr(sc, name) != value:
            state.set_scenario(sc.with_changes(**{name: value}))
        return
    current = getattr(sc, section)
    if getattr(current, name) != value:
        state.set_scenario(sc.with_changes(**{section: {**current.model_dump(), name: value}}))


page_header(
    "Funding and governance",
    "The 2023 report found that the areas that did best **agreed funding and governance early**. Set the deal "
    "here; the projection shows what late or short agreements cost.",
)
key = state.widget_key
# The controls on the left, the headline figures they move on the right (kept in view while the controls scroll).
controls, figures = st.columns([1, 1] if state.presenter() else [3, 2], gap="large")
money_col = gov_col = controls
sc = state.scenario()

with money_col:
    st.subheader("Funding")
    f = sc.funding
    update("funding", "pooled_budget_gbp_m", float(st.number_input(
        f"Pooled budget (£ million a year, {PRICE_BASE_LABEL})", 0.0, MAX_BUDGET_GBP_M, float(f.pooled_budget_gbp_m),
        step=0.5, format="%.1f", key=key("f_budget"),
        help="Money pooled each year of the settlement for the devolved services, local and national together.")))
    budget_slot = st.empty()  # filled once the run is known: how much of the committed money is used
    update("funding", "unspent", st.radio(
        "Unspent pooled money", UNSPENT_CHOICES, index=UNSPENT_CHOICES.index(f.unspent),
        format_func=UNSPENT_LABELS.get, key=key("f_unspent"), horizontal=True,
        help="Pooled money paid in but not spent in a year (more than the placed functions can use at their stages). "
             "Returned: it goes back to those who paid it and costs nothing. Kept: it stays committed to the pooled "
             "budget and the appraisal counts it as spent (net present value, benefit–cost ratio, who pays)."))
    update("funding", "national_share", st.slider(
        "National share of the pooled budget", 0.0, 1.0, float(f.national_share), step=0.05, key=key("f_national"),
        help="Share of the pooled budget from national departments (the rest is local).", format=fmt.SLIDER_PERCENT))
    update("funding", "settlement_years", st.slider(
        "Settlement length (years)", 1, MAX_HORIZON_YEARS, int(f.settlement_years), key=key("f_years"),
        help="How many years the pooled budget is paid."))
    update("funding", "renewed", st.toggle(
        "Settlement renewed when it ends", value=f.renewed, key=key("f_renewed"),
        help="If not renewed, the pooled budget stops and momentum decays (2023 report: progress was hard to "
             "sustain)."))
    update("funding", "agreed_in_year", st.slider(
        "Funding agreed in year", 0, MAX_AGREEMENT_YEAR, int(f.agreed_in_year), key=key("f_agreed"),
        help="0 = agreed at the start. Nothing is delivered until both funding and governance are agreed."))
    update("funding", "reinvest_share", st.slider(
        "Share of retained savings reinvested", 0.0, 1.0, float(f.reinvest_share), step=0.05,
        key=key("f_reinvest"), format=fmt.SLIDER_PERCENT,
        help="Savings the area keeps (only budget-holding stages keep much) are reinvested in the programmes "
             "that earn them: the justice-reinvestment loop."))
    update("", "horizon_years", st.slider(
        "Projection horizon (years)", 1, MAX_HORIZON_YEARS, int(sc.horizon_years), key=key("horizon")))

with gov_col:
    st.subheader("Governance")
    g = state.scenario().governance
    update("governance", "model", st.selectbox(
        "Governance model", GOVERNANCE_KEYS, index=GOVERNANCE_KEYS.index(g.model),
        format_func=lambda k: GOVERNANCE[k].label, key=key("g_model"),
        help="The 2023 report suggests the mayoral model may be the best vehicle for further devolution."))
    update("governance", "agreed_in_year", st.slider(
        "Governance agreed in year", 0, MAX_AGREEMENT_YEAR, int(g.agreed_in_year), key=key("g_agreed"),
        help="0 = agreed at the start."))
    st.markdown("**The five conditions** (Crest Advisory, 2018) — score each from 0 (not at all) to 5 (fully)")
    scores = {}
    for condition in FIVE_CONDITIONS:
        scores[condition.key] = st.slider(
            f"{condition.label}: {condition.description}", 0, 5, int(getattr(g.five_conditions, condition.key)),
            key=key(f"g_{condition.key}"))
    if scores != g.five_conditions.model_dump():
        sc = state.scenario()
        state.set_scenario(sc.with_changes(governance={**sc.governance.model_dump(), "five_conditions": scores}))

sc = state.scenario()
ready = readiness(sc)
st.subheader("Readiness and what it does")
cols = st.columns([2, 5])
with cols[0]:
    show_card(("Governance readiness", fmt.percent(ready, 0), None, "off",
               "Mean of the five conditions' scores, out of 5."))
rows = []
for stage in STAGE_KEYS[1:]:
    needed = parameter_value(f"stage.{stage}.governance_needed", sc.overrides)
    fit = governance_fit(ready, needed)
    rows.append({"Stage": STAGE[stage].label, "Readiness needed": fmt.percent(needed, 0),
                 "Share of the stage's control delivered": fmt.percent(fit, 0)})
with cols[1]:
    table(rows, hide_index=True, width="stretch")
start = agreement_start(sc)
if start > 0:
    decay = parameter_value("policy_conflict_decay", sc.overrides)
    st.warning(f"Funding and governance are both in place only from year {start + 1}. Nothing is delivered before "
               f"then, and momentum is lost at {fmt.percent(decay, 0)} a year while there is no agreement.",
               icon=":material/hourglass_top:")
if not sc.funding.renewed and sc.funding.agreed_in_year + sc.funding.settlement_years < sc.horizon_years:
    st.info(f"The settlement ends after year {sc.funding.agreed_in_year + sc.funding.settlement_years} and is not "
            "renewed: from then the programmes stop and momentum decays.")
show_findings(findings(sc), "funding")
view = run_view(sc)
if view.budget_note:  # a budget above what the placed functions can use changes nothing: say so at the control
    budget_slot.info(view.budget_note, icon=":material/info:")
with figures, st.container(key=STICKY_KEY):
    st.subheader("What this deal does")
    headline_metrics(view, columns=2, compact=True)
