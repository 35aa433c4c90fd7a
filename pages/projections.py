"""Projections: reoffending and demand against the baseline, money, and what drives the result."""

import streamlit as st

from cjcore.checks import check
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.vocab import DEMAND_METRICS, MONEY_CATEGORY
from explorer import format as fmt
from explorer import state
from explorer.briefing_ui import briefing_downloads
from explorer.charts import agency_chart, change_chart, cohort_chart, drivers_chart, money_chart, trend_chart
from explorer.runs import DRAWS, run_view
from explorer.runview import frame_table, overridden_assumptions
from explorer.theme import PROJECTION_TAB_KEY, PROJECTION_TABS
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
show_findings(check(sc))
overridden = overridden_assumptions(sc)
if overridden:
    st.info(overridden, icon=":material/tune:")
headline_metrics(view, columns=3 if presenter else 4)
show_jcurve(view)
show_story(view)

# One topic at a time: only the open tab's charts are built (each is an altair chart drawn in the browser), so the
# page opens with the cards, the story and the reoffending charts instead of a dozen charts.
tabs = dict(zip(PROJECTION_TABS, st.tabs(list(PROJECTION_TABS.values()), key=PROJECTION_TAB_KEY, on_change="rerun"),
                strict=True))

with tabs["reoffending"]:
    if tabs["reoffending"].open is not False:
        rate_cols = st.columns(1 if presenter else [3, 2])
        with rate_cols[0]:
            st.altair_chart(trend_chart(view.frame, "reoffending_rate", presenter), width="stretch")
        with rate_cols[-1]:
            st.altair_chart(change_chart({"Scenario": view.frame}, "reoffending_rate", presenter,
                                         title="Change against baseline"), width="stretch")
with tabs["demand"]:
    if tabs["demand"].open:
        st.subheader("Demand on police, courts, prisons and probation")
        columns = st.columns(1 if presenter else 2)
        for i, metric in enumerate(DEMAND_METRICS):
            with columns[i % len(columns)]:
                st.altair_chart(trend_chart(view.frame, metric, presenter), width="stretch")
with tabs["drivers"]:
    if tabs["drivers"].open:
        left, right = st.columns(2)
        with left:
            st.altair_chart(drivers_chart(view.drivers, presenter), width="stretch")
        with right:
            st.altair_chart(cohort_chart(view.cohorts, presenter), width="stretch")
with tabs["how_far"]:
    if tabs["how_far"].open:
        show_tradeoff("proj_tradeoff_measure", uncertainty)
with tabs["who_pays"]:
    if tabs["who_pays"].open:
        st.subheader("Who pays and who gains")
        if not presenter:
            st.markdown("Each agency's share of the spend against what comes back to it over the horizon "
                        "(central estimate): cashable and non-cashable savings, benefits to victims and society, and "
                        "the savings the deal transfers from national budgets to the area. Local authorities and the "
                        "NHS show no savings: no unit cost of their demand is in our data set.")
        st.altair_chart(agency_chart(view.agencies, presenter), width="stretch")
        agency_table = view.agencies.drop(columns=["agency"]).rename(columns={
            "label": "Agency", **{k: f"{MONEY_CATEGORY[k].label} (£m, {PRICE_BASE_LABEL})" for k in MONEY_CATEGORY},
            "gets_back": f"Gets back (£m, {PRICE_BASE_LABEL})", "net": f"Net (£m, {PRICE_BASE_LABEL})",
            "return_on_investment": "Return on investment",
            "payback_year": "Pays back in year"})
        agency_formats = {c: st.column_config.NumberColumn(format=fmt.TABLE_MONEY)
                          for c in agency_table.columns[1:-2]}
        agency_formats["Return on investment"] = st.column_config.NumberColumn(format=fmt.TABLE_RATIO)
        agency_formats["Pays back in year"] = st.column_config.NumberColumn(format="%d")
        st.dataframe(agency_table, hide_index=True, width="stretch", column_config=agency_formats)
with tabs["money"]:
    if tabs["money"].open:
        st.altair_chart(money_chart(view.money, presenter), width="stretch")
        if not presenter:
            st.caption("Spend on interventions and the costs of the arrangements themselves: one-off transition "
                       "costs (procurement, contract exit, systems, staff transfer) while a function moves, and the "
                       "yearly governance costs of the boards and commissioning staff it then needs, against the "
                       "savings.")
with tabs["numbers"]:
    if tabs["numbers"].open:
        st.dataframe(frame_table(view.frame), hide_index=True, width="stretch")
        st.caption("Central run, with the 10th, 50th and 90th percentiles of the draws; the CSV has every decimal.")
        st.download_button("Download as CSV", lambda: view.frame.to_csv(index=False).encode("utf-8"),
                           file_name=f"projection-{sc.area}.csv", mime="text/csv", on_click="ignore")

st.subheader("Take it away")
briefing_downloads(sc, view, state.share_link("projections"))
