"""Compare: scenarios side by side, one deal applied across areas, and one function swept along the spectrum."""

import pandas as pd
import streamlit as st

from cjcore.areas import AREA_KEYS, REPORT_AREAS, get_area
from cjcore.engine import HEADLINES
from cjcore.report import per_thousand_offenders, side_by_side
from cjcore.vocab import DEMAND_METRICS, FUNCTION, FUNCTION_KEYS, STAGE
from explorer import format as fmt
from explorer import state
from explorer.charts import area_spread_chart, change_chart, sweep_chart
from explorer.runs import run_view, sweep_view
from explorer.sidebar import scenario_options
from explorer.widgets import page_header

MAX_SCENARIOS = 4
ON_SCREEN = "__on_screen__"
HEADLINE = {key: (label, unit) for key, label, unit in HEADLINES}
TABLE_KEYS = ("reoffences_avoided", "reoffending_rate_change_pp", "prison_places_avoided", "probation_caseload_change",
              "court_cases_avoided", "intervention_spend_gbp_m", "net_fiscal_cost_gbp_m", "npv_gbp_m",
              "benefit_cost_ratio", "chance_npv_positive")

page_header("Compare", "Set options side by side, see how the same deal plays out in different areas, and find how "
                       "far along the spectrum a service is worth taking.")
sc = state.scenario()
presenter = state.presenter()
tab_scenarios, tab_areas, tab_sweep = st.tabs(["Scenarios side by side", "Across areas", "Spectrum sweep"])

with tab_scenarios:
    options = {ON_SCREEN: f"On screen: {sc.name}", **scenario_options()}
    chosen = st.multiselect("Scenarios to compare (up to four; the first is the reference)", list(options),
                            default=[ON_SCREEN], format_func=options.get, max_selections=MAX_SCENARIOS,
                            key="cmp_scenarios")
    runs = {}
    for key in chosen:
        try:
            option = sc if key == ON_SCREEN else state.load_origin(key)
        except Exception as exc:  # a user file deleted or broken since the list was drawn
            st.warning(f"Could not load {options[key]}: {exc}")
            continue
        runs[f"{option.name} ({get_area(option.area).name})" if key != ON_SCREEN else options[key]] = run_view(option)
    if runs:
        table = side_by_side({name: view.summary for name, view in runs.items()}, TABLE_KEYS)
        st.dataframe(table, width="stretch", column_config={c: st.column_config.NumberColumn(format="%.2f")
                                                             for c in table.columns})
        st.caption("Each option is compared with its own area's baseline, so options in different areas can be "
                   "set side by side. Money in £m; the chance is a share of uncertainty draws.")
        frames = {name: view.frame for name, view in runs.items()}
        cols = st.columns(1 if presenter else 2)
        for i, metric in enumerate(("reoffences", "reoffending_rate", *DEMAND_METRICS)):
            with cols[i % len(cols)]:
                st.altair_chart(change_chart(frames, metric, presenter), width="stretch")

with tab_areas:
    st.markdown("The **same placements, funding, governance and assumptions** applied to each area in turn. "
                "The spread shows how much outcomes would differ between places — the “postcode lottery” concern "
                "of the 2023 report.")
    areas = st.multiselect("Areas", AREA_KEYS, default=[a for a in REPORT_AREAS if a in AREA_KEYS],
                           format_func=lambda k: get_area(k).name, key="cmp_areas")
    metric_key = st.selectbox("Outcome", ("reoffences_avoided", "npv_gbp_m", "reoffending_rate_change_pp",
                                          "prison_places_avoided", "benefit_cost_ratio"),
                              format_func=lambda k: f"{HEADLINE[k][0]} ({HEADLINE[k][1]})", key="cmp_area_metric")
    rows = []
    for area in areas:
        view = run_view(sc.with_changes(area=area))
        row = view.summary.loc[metric_key]
        avoided = view.summary.at["reoffences_avoided", "value"]
        rows.append({"area": area, "Area": get_area(area).name, "value": row["value"], "p10": row["p10"],
                     "p90": row["p90"], "per_1000": per_thousand_offenders(avoided, view.frame),
                     "current": area == sc.area})
    if rows:
        spread = pd.DataFrame(rows)
        st.altair_chart(area_spread_chart(spread, *HEADLINE[metric_key], presenter), width="stretch")
        low, high = spread.per_1000.min(), spread.per_1000.max()
        st.markdown(f"Reoffences avoided per 1,000 offenders in the cohort range from **{fmt.number(low, 1)}** to "
                    f"**{fmt.number(high, 1)}** across these areas (the deal is identical; the areas' cohorts and "
                    f"reoffending rates differ).")
        st.dataframe(spread.drop(columns=["area", "current"]).rename(columns={
            "value": HEADLINE[metric_key][0], "per_1000": "Reoffences avoided per 1,000 offenders"}),
            hide_index=True, width="stretch")

with tab_sweep:
    placed = [f for f in FUNCTION_KEYS if sc.stage_of(f) != "national"]
    function = st.selectbox("Function to sweep", FUNCTION_KEYS, index=FUNCTION_KEYS.index(placed[0]) if placed else 0,
                            format_func=lambda f: FUNCTION[f].label, key="cmp_sweep_function")
    st.markdown(f"Headline outcomes with **{FUNCTION[function].label}** at each stage, everything else as on screen "
                f"(currently at **{STAGE[sc.stage_of(function)].label}**, marked ◆). Bars show the likely range.")
    swept = sweep_view(sc, function)
    cols = st.columns(1 if presenter else 3)
    for i, key in enumerate(("reoffences_avoided", "npv_gbp_m", "net_fiscal_cost_gbp_m")):
        with cols[i % len(cols)]:
            st.altair_chart(sweep_chart(swept, key, presenter), width="stretch")
    wide = swept[swept.key.isin(TABLE_KEYS)].assign(Stage=lambda d: d.stage.map(lambda s: STAGE[s].label))
    stage_labels = [STAGE[s].label for s in STAGE]
    table = wide.pivot_table(index="label", columns="Stage", values="value", sort=False)[stage_labels]
    st.dataframe(table, width="stretch",
                 column_config={STAGE[s].label: st.column_config.NumberColumn(format="%.2f") for s in STAGE})
