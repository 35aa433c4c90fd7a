"""Evidence: every parameter with its value, range, source and status, and how the area baseline was made."""

import pandas as pd
import streamlit as st

from cjcore.areas import get_area
from cjcore.checks import check
from cjcore.evidence import STATUS_LABELS, load_register
from explorer import state
from explorer.widgets import page_header, show_findings

page_header(
    "Evidence",
    "Every number the model uses. **Published** figures were read in the named source; **derived** figures are "
    "computed from published ones by the stated method; **assumptions** are judgements with their reasoning — "
    "treat them as the first things to challenge.",
)
sc = state.scenario()
register = load_register()
rows = []
for p in register.parameters.values():
    overridden = p.key in sc.overrides
    rows.append({
        "Parameter": p.label,
        "Value": sc.overrides[p.key] if overridden else p.value,
        "Default": p.value,
        "Range": f"{p.low:g} to {p.high:g}" if p.ranged else "",
        "Unit": p.unit,
        "Status": STATUS_LABELS[p.status],
        "Evidence rating": p.rating,
        "Changed in this scenario": "Yes" if overridden else "",
        "Source": p.source,
        "Reasoning": p.reasoning,
        "Key": p.key,
    })
table = pd.DataFrame(rows)

search, status = st.columns([3, 2])
query = search.text_input("Search", placeholder="e.g. prison, youth, assumption", key="ev_search")
statuses = status.multiselect("Status", list(STATUS_LABELS.values()), default=list(STATUS_LABELS.values()),
                              key="ev_status")
shown = table[table.Status.isin(statuses)]
if query:
    text = shown.drop(columns=["Value", "Default"]).astype(str).agg(" ".join, axis=1).str.lower()
    shown = shown[text.str.contains(query.lower(), regex=False)]
counts = table.Status.value_counts()
st.caption(" · ".join(f"{label}: {counts.get(label, 0)}" for label in STATUS_LABELS.values())
           + f" · showing {len(shown)} of {len(table)}")
st.dataframe(shown, hide_index=True, width="stretch", height=520,
             column_config={"Source": st.column_config.TextColumn(width="large"),
                            "Reasoning": st.column_config.TextColumn(width="large")})

st.subheader("Change an assumption")
st.caption("Assumptions are kept apart from the policy choices: changing one moves the baseline too, and the "
           "Projections view then shows the baseline with default assumptions beside it.")
show_findings(check(sc), "evidence")
pick, value_col, apply_col = st.columns([5, 2, 1], vertical_alignment="bottom")
key = pick.selectbox("Parameter", list(register.parameters), key=state.widget_key("ev_param"),
                     format_func=lambda k: f"{register[k].label} ({register[k].unit})")
param = register[key]
low, high = param.bounds
new_value = value_col.number_input(
    "New value", min_value=float(low), max_value=float(high), value=float(sc.overrides.get(key, param.value)),
    key=state.widget_key(f"ev_value_{key}"), format="%g",
    help=f"Default {param.value:g}; allowed {low:g} to {high:g}. {STATUS_LABELS[param.status]}: {param.source}")
if apply_col.button("Apply", key="ev_apply", width="stretch"):
    overrides = {**sc.overrides, key: new_value}
    if new_value == param.value:
        overrides.pop(key)
    state.replace(sc.with_changes(overrides=overrides))
    st.rerun()
if sc.overrides:
    st.markdown("**Assumptions changed in this scenario**")
    for k, v in sorted(sc.overrides.items()):
        text, reset = st.columns([6, 1], vertical_alignment="center")
        p = register.parameters.get(k)
        text.markdown(f"- {p.label if p else k}: default {p.value:g} → **{v:g}** {p.unit if p else ''}")
        if reset.button("Reset", key=f"ev_reset_{k}", width="stretch"):
            state.replace(sc.with_changes(overrides={o: x for o, x in sc.overrides.items() if o != k}))
            st.rerun()
    if st.button("Reset all assumptions to the register's defaults", key="ev_reset_all"):
        state.reset_assumptions()
        st.rerun()

area = get_area(sc.area)
st.subheader(f"Baseline for {area.name}")
st.markdown(f"**Derived, not published.** {area.cohort_method}")
baseline = pd.DataFrame([
    {"Group": key.replace("_", " ").replace("25plus", "25+").capitalize(), "Offenders in cohort": g.offenders,
     "Reoffenders": g.reoffenders, "Reoffences": g.reoffences, "Reoffending rate": g.rate,
     "Reoffences per reoffender": g.frequency}
    for key, g in area.groups.items()
])
st.dataframe(baseline, hide_index=True, width="stretch",
             column_config={"Reoffending rate": st.column_config.NumberColumn(format="percent"),
                            "Offenders in cohort": st.column_config.NumberColumn(format="localized"),
                            "Reoffenders": st.column_config.NumberColumn(format="localized"),
                            "Reoffences": st.column_config.NumberColumn(format="localized"),
                            "Reoffences per reoffender": st.column_config.NumberColumn(format="%.2f")})
st.caption("Adults 25+ are split into men and women in the model with the register's women_share_25plus and "
           "women_rate_ratio. Governance: " + (area.governance_note or area.governance))
