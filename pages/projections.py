"""Projections: reoffending and demand against the baseline, money, and what drives the result."""

import pandas as pd
import streamlit as st

from cjcore.prices import PRICE_BASE_LABEL
from cjcore.schema import Scenario
from cjcore.vocab import DEMAND_METRICS, MONEY_CATEGORY
from explorer import format as fmt
from explorer import pagecharts, specs, state
from explorer.briefing_ui import briefing_downloads
from explorer.charts import agency_chart, change_rows, cohort_chart, drivers_chart, money_chart
from explorer.runs import DRAWS, findings, run_view
from explorer.runview import RunView, frame_table, overridden_assumptions
from explorer.statictable import static_table
from explorer.theme import PROJECTION_TAB_KEY, PROJECTION_TABS, REOFFENDING_CHART_KEY, REOFFENDING_CHARTS
from explorer.widgets import (
    headline_metrics,
    page_header,
    show_findings,
    show_jcurve,
    show_story,
    show_tradeoff,
)

state.require_app()  # first visit to a deep link on a fresh server: go through app.py

page_header(
    "Projections",
    "The scenario against the baseline of today's arrangements. Every card shows the expected value (mean of "
    f"{DRAWS} uncertainty draws over effect sizes and costs), and each card's help gives the central run (every "
    "parameter at its central value) that docs/model.md reproduces by hand. The charts draw the central run, with the "
    "likely range (10th to 90th percentile of the draws) shaded.",
)
presenter = state.presenter()
uncertainty = st.toggle("Show uncertainty bands", value=True, key="proj_uncertainty",
                        help=f"Runs {DRAWS} draws of the uncertain parameters (seeded, so the same every time).")
sc = state.scenario()
view = run_view(sc, uncertainty)
show_findings(findings(sc))
overridden = overridden_assumptions(sc)
if overridden:
    st.info(overridden, icon=":material/tune:")
headline_metrics(view, columns=3 if presenter else 4)
show_jcurve(view)
show_story(view)

def reoffending_tab(sc: Scenario, view: RunView, presenter: bool, uncertainty: bool) -> None:
    """The reoffending rate against the baseline (axis from zero), or its change: one chart at a time, picked.

    Two Vega charts cost the browser ~0.1 s more than one every time Projections opens (docs/decisions.md,
    "Projections: one reoffending chart at a time"); the other is one click away and reruns only this fragment.
    """
    chart = st.segmented_control(
        "Reoffending rate, year by year", list(REOFFENDING_CHARTS), default="level",
        format_func=REOFFENDING_CHARTS.get, key=REOFFENDING_CHART_KEY, persist_state="session", required=True)
    if chart == "change":
        changes = {"Scenario": change_rows(view.frame, "reoffending_rate")}
        spec = specs.change_spec(changes, "reoffending_rate", presenter, title=REOFFENDING_CHARTS["change"])
    else:
        spec = pagecharts.trend_spec(sc, "reoffending_rate", presenter, uncertainty)
    st.vega_lite_chart(spec=spec, width="stretch")


def demand_tab(sc: Scenario, view: RunView, presenter: bool, uncertainty: bool) -> None:
    """Demand on each agency against the baseline."""
    st.subheader("Demand on police, courts, prisons and probation")
    columns = st.columns(1 if presenter else 2)
    for i, metric in enumerate(DEMAND_METRICS):
        with columns[i % len(columns)]:
            st.vega_lite_chart(spec=pagecharts.trend_spec(sc, metric, presenter, uncertainty), width="stretch")


def drivers_tab(sc: Scenario, view: RunView, presenter: bool, uncertainty: bool) -> None:
    """What drives the result: each function, and each cohort."""
    left, right = st.columns(2)
    with left:
        st.altair_chart(drivers_chart(view.drivers, presenter), width="stretch")
    with right:
        st.altair_chart(cohort_chart(view.cohorts, presenter), width="stretch")


def how_far_tab(sc: Scenario, view: RunView, presenter: bool, uncertainty: bool) -> None:
    """The stage trade-off."""
    show_tradeoff("proj_tradeoff_measure", uncertainty)


def who_pays_tab(sc: Scenario, view: RunView, presenter: bool, uncertainty: bool) -> None:
    """Each agency's spend against what comes back to it."""
    st.subheader("Who pays and who gains")
    if not presenter:
        st.markdown("Each agency's share of the spend against what comes back to it over the horizon "
                    "(central estimate): cashable and non-cashable savings, benefits to victims and society, and "
                    "the savings the deal transfers from national budgets to the area. Local authorities and the "
                    "NHS show no savings: no unit cost of their demand is in our data set.")
    st.altair_chart(agency_chart(view.agencies, presenter), width="stretch")
    # One static table, every figure written by explorer.format (the minus sign, no raw floats; in Presenter mode its
    # text grows with the page): st.dataframe's printf formats wrote "-12.1" and "None". The unit is said once, above
    # it: in every header it made them five lines tall and broke "investment" in two at 1366.
    agencies = view.agencies
    money = {MONEY_CATEGORY[k].label: k for k in MONEY_CATEGORY} | {"Gets back": "gets_back", "Net": "net"}
    st.caption(f"Money in £m, {PRICE_BASE_LABEL}: totals over the horizon, not discounted (central estimate).")
    static_table(pd.DataFrame({
        "Agency": agencies.label,
        **{title: agencies[column].map(lambda v: fmt.number(v, 1)) for title, column in money.items()},
        "Return on investment": agencies.return_on_investment.map(fmt.ratio),
        "Pays back in year": agencies.payback_year.map(fmt.number),  # "–" when it does not
    }), hide_index=True)
    st.caption("Return on investment: net per £1 the agency puts in. Pays back in year: the first year its running net "
               "reaches 0 and stays there. – where it puts nothing in, or does not pay back within the horizon "
               "(docs/model.md, net positions).")


def money_tab(sc: Scenario, view: RunView, presenter: bool, uncertainty: bool) -> None:
    """Money year by year."""
    st.altair_chart(money_chart(view.money, presenter), width="stretch")
    if not presenter:
        st.caption("Spend on interventions and the costs of the arrangements themselves: one-off transition "
                   "costs (procurement, contract exit, systems, staff transfer) while a function moves, and the "
                   "yearly governance costs of the boards and commissioning staff it then needs, against the "
                   "savings.")


def numbers_tab(sc: Scenario, view: RunView, presenter: bool, uncertainty: bool) -> None:
    """The tidy projection as a table, and as CSV."""
    st.dataframe(frame_table(view.frame), hide_index=True, width="stretch")
    st.caption("Central run, with the 10th, 50th and 90th percentiles of the draws; the CSV has every decimal.")
    st.download_button("Download as CSV", lambda: view.frame.to_csv(index=False).encode("utf-8"),
                       file_name=f"projection-{sc.area}.csv", mime="text/csv", on_click="ignore")


TABS = {"reoffending": reoffending_tab, "demand": demand_tab, "drivers": drivers_tab, "how_far": how_far_tab,
        "who_pays": who_pays_tab, "money": money_tab, "numbers": numbers_tab}


@st.fragment
def projection_tabs(uncertainty: bool) -> None:
    """One topic at a time: only the open tab is built, so the page opens with the reoffending charts only.

    A fragment: opening another tab reruns only this, not the cards, the story and the sidebar above it (the
    scenario and the uncertainty toggle change only outside it, which reruns everything).
    """
    sc, presenter = state.scenario(), state.presenter()
    view = run_view(sc, uncertainty)
    tabs = st.tabs(list(PROJECTION_TABS.values()), key=PROJECTION_TAB_KEY, on_change="rerun")
    for name, tab in zip(PROJECTION_TABS, tabs, strict=True):
        with tab:
            if tab.open or (name == "reoffending" and tab.open is None):  # None: the first run shows the first tab
                TABS[name](sc, view, presenter, uncertainty)


projection_tabs(uncertainty)

st.subheader("Take it away")
briefing_downloads(sc, view, state.share_link("projections"))
