"""Evidence: every parameter with its value, range, source and status, and how the area baseline was made."""

import hashlib

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from cjcore.areas import get_area
from cjcore.baseline_csv import parse_baseline_csv, template_csv
from cjcore.evidence import STATUS_LABELS, load_register
from cjcore.own_figures import baseline_comparison, supplied_label
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.scenario_io import ScenarioError
from explorer import format as fmt
from explorer import state
from explorer.runs import findings
from explorer.safe_text import md, md_lines
from explorer.upload import parsed
from explorer.widgets import page_header, show_findings

state.require_app()  # first visit to a deep link on a fresh server: go through app.py

page_header(
    "Evidence",
    "Every number the model uses. **Published** figures were read in the named source; **derived** figures are "
    "computed from published ones by the stated method; **assumptions** are judgements with their reasoning — "
    "treat them as the first things to challenge.",
)
sc = state.scenario()
register = load_register()
USED = f"Value used (money in {PRICE_BASE_LABEL})"
REGISTER_VALUE = "Value in the register"
PRICE_YEAR = "Price year"
UPLIFT = f"Uplift to {PRICE_BASE_LABEL}"
RANGE_USED = f"Range used (money in {PRICE_BASE_LABEL})"
rows = []
for p in register.parameters.values():
    overridden = p.key in sc.overrides
    model_range = p.model_range
    rows.append({
        "Parameter": p.label,
        USED: fmt.register_figure(sc.overrides[p.key] if overridden else p.model_value, p.unit),
        "Unit": fmt.register_unit(p.unit),
        RANGE_USED: fmt.register_range(*model_range, p.unit) if model_range else "",
        "Status": STATUS_LABELS[p.status],
        "Evidence rating": p.rating.capitalize(),
        "Changed in this scenario": "Yes" if overridden else "",
        REGISTER_VALUE: fmt.register_figure(p.value, p.unit),
        PRICE_YEAR: p.price_year.replace("-", "/") if p.price_year else "",
        UPLIFT: f"× {p.factor:.3f}" if p.price_year else "",
        "Register range": fmt.register_range(p.low, p.high, p.unit) if p.ranged else "",
        "Source": p.source,
        "Reasoning": p.reasoning,
        "Key": p.key,
    })
table = pd.DataFrame(rows)
NUMBER_WIDTH = 240  # px: the new value's box, with its − and + buttons, at Presenter mode's size
DETAIL = ("Source", "Reasoning", "Key")  # read in full in the panel below the table, not in cut-off cells

search, status = st.columns([3, 2])
query = search.text_input("Search", placeholder="e.g. prison, youth, assumption", key="ev_search")
statuses = status.multiselect("Status", list(STATUS_LABELS.values()), default=list(STATUS_LABELS.values()),
                              key="ev_status")
shown = table[table.Status.isin(statuses)]
if query:
    text = shown.astype(str).agg(" ".join, axis=1).str.lower()
    shown = shown[text.str.contains(query.lower(), regex=False)]
counts = table.Status.value_counts()
st.caption(" · ".join(f"{label}: {counts.get(label, 0)}" for label in STATUS_LABELS.values())
           + f" · showing {len(shown)} of {len(table)} · click a row to read its source and reasoning in full below")
picked = st.dataframe(shown.drop(columns=list(DETAIL)), hide_index=True, width="stretch", height=460,
                      on_select="rerun", selection_mode="single-row", key="ev_table",
                      column_config={"Parameter": st.column_config.TextColumn(width="large", pinned=True)})
selected = picked.selection.rows if picked else []
keys = list(shown.Key) or list(table.Key)
if selected and selected[0] < len(shown):
    st.session_state["ev_detail"] = shown.Key.iloc[selected[0]]
if st.session_state.get("ev_detail") not in keys:
    st.session_state.pop("ev_detail", None)
detail_key = st.selectbox("Read in full", keys, key="ev_detail",
                          format_func=lambda k: f"{register[k].label} ({fmt.register_unit(register[k].unit)})")
detail = table.set_index("Key").loc[detail_key]
with st.container(border=True):
    st.markdown(f"**{detail.Parameter}** · {detail.Status} · evidence rating: **{detail['Evidence rating']}**")
    st.markdown(f"**Value used:** {detail[USED]} {detail.Unit}"
                + (f" · **range used:** {detail[RANGE_USED]}" if detail[RANGE_USED] else "")
                + (f" · in the register: {detail[REGISTER_VALUE]} in {detail[PRICE_YEAR]} prices, uplifted "
                   f"{detail[UPLIFT]}" if detail[PRICE_YEAR] else ""))
    st.markdown(f"**Source.** {detail.Source}")
    st.markdown(f"**Reasoning.** {detail.Reasoning or '–'}")
st.caption(
    f"Money figures are recorded in the register in the prices of their **price year** and the model uplifts them to "
    f"{PRICE_BASE_LABEL} with HM Treasury's GDP deflator (the uplift column); a changed assumption is taken in "
    f"{PRICE_BASE_LABEL}. Evidence ratings are as the register records them. The **central value** of every figure on "
    "screen runs each parameter at its central value: it is what docs/model.md reproduces by hand. The headline cards "
    "show the **expected value**, the mean over the uncertainty draws across each parameter's range.")

st.subheader("Change an assumption")
st.caption("Assumptions are kept apart from the policy choices: changing one moves the baseline too, and the "
           "Projections view then shows the baseline with default assumptions beside it.")
show_findings(findings(sc), "evidence")
# A flex row, not fixed columns: the button keeps its whole word at any size (a 1/8 column cut "Apply" in Presenter
# mode on a laptop), and the row wraps when the window is too narrow for the three.
pick = value_col = apply_col = st.container(horizontal=True, wrap=False, vertical_alignment="bottom")
# Not tied to the scenario's version: applying or resetting an assumption keeps this parameter picked.
key = pick.selectbox("Parameter", list(register.parameters), key="ev_param",
                     format_func=lambda k: f"{register[k].label} ({fmt.register_unit(register[k].unit)})")
param = register[key]
low, high = param.bounds
# A share 0–1 is typed as a percentage (60 for 0.6), as every other view shows it; the scenario keeps 0–1.
scale, typed_unit = (100, " (%)") if fmt.is_share_unit(param.unit) else (1, "")
default_prices = (f" in {PRICE_BASE_LABEL} ({param.value:g} in {param.price_year.replace('-', '/')} prices); a new "
                  f"value is taken in {PRICE_BASE_LABEL}" if param.price_year else "")
# The default as it reads (six significant figures): a price-adjusted figure such as 42,705.75346… is shown as
# 42705.8, and leaving it there keeps the default rather than adding an override of the rounded number.
shown_default = float(f"{param.model_value * scale:.6g}")
typed = value_col.number_input(
    f"New value{typed_unit}", min_value=float(low * scale), max_value=float(high * scale),
    value=float(min(max(sc.overrides[key] * scale if key in sc.overrides else shown_default, low * scale),
                    high * scale)),
    key=state.widget_key(f"ev_value_{key}"), format="%g", width=NUMBER_WIDTH,
    help=f"Default {fmt.register_figure(param.model_value, param.unit)}{default_prices}; allowed "
         f"{fmt.register_range(low, high, param.unit)}. {STATUS_LABELS[param.status]}: {param.source}")
if apply_col.button("Apply", key="ev_apply", width="content"):
    new_value = round(typed / scale, 12) if scale != 1 else typed
    overrides = {**sc.overrides, key: new_value}
    if typed == shown_default or new_value == param.model_value:
        overrides.pop(key)
    state.replace(sc.with_changes(overrides=overrides))
    st.rerun()
if sc.overrides:
    st.markdown("**Assumptions changed in this scenario**")
    for k, v in sorted(sc.overrides.items()):
        text, reset = st.columns([6, 1], vertical_alignment="center")
        p = register.parameters.get(k)
        unit = p.unit if p else ""
        text.markdown(f"- {md(p.label if p else k)}: default {fmt.register_figure(p.model_value if p else 0, unit)} "
                      f"→ **{fmt.register_figure(v, unit)}** "
                      f"{fmt.register_unit(unit)}{f' ({PRICE_BASE_LABEL})' if p and p.price_year else ''}")
        if reset.button("Reset", key=f"ev_reset_{k}", width="stretch"):
            state.replace(sc.with_changes(overrides={o: x for o, x in sc.overrides.items() if o != k}))
            st.rerun()
    if st.button("Reset all assumptions to the register's defaults", key="ev_reset_all"):
        state.reset_assumptions()
        st.rerun()

area = get_area(sc.area)
st.subheader(f"Baseline for {area.name}")
st.markdown(f"**Derived, not published.** {area.cohort_method}")
baseline = pd.DataFrame([  # people and offences as whole numbers: the derived shares make fractions of a person
    {"Group": key.replace("_", " ").replace("25plus", "25+").capitalize(),
     "Offenders in cohort": fmt.number(g.offenders), "Reoffenders": fmt.number(g.reoffenders),
     "Reoffences": fmt.number(g.reoffences),
     "Reoffending rate": fmt.percent(g.rate, 1), "Reoffences per reoffender": fmt.ratio(g.frequency)}
    for key, g in area.groups.items()
])
st.dataframe(baseline, hide_index=True, width="stretch")
st.caption("Adults 25+ are split into men and women in the model with the register's women_share_25plus and "
           "women_rate_ratio. Governance: " + (area.governance_note or area.governance))

st.subheader("The area's own figures")
st.markdown("If the area's analysts hold its own proven-reoffending counts (the MoJ geographic data tool) or local "
            f"unit costs, fill in the template and upload it: the model then starts from those figures instead of "
            f"the derived ones above. Unit costs are taken in {PRICE_BASE_LABEL}.")
template_col = upload_col = st.container(horizontal=True, wrap=False, vertical_alignment="bottom")  # whole words
template_col.download_button("Download a template CSV", template_csv().encode("utf-8"),
                             file_name="own-figures-template.csv", mime="text/csv", on_click="ignore",
                             key="ev_own_template", width="content")
own_upload = upload_col.file_uploader("Upload the area's own figures (.csv, up to 1 MB)", type=["csv"],
                                      key=state.widget_key("ev_own_upload"))
if own_upload is not None:
    own_data = own_upload.getvalue()
    supplied = parsed(own_data, own_upload.name, parse_baseline_csv)  # once per file, not on every rerun
    if isinstance(supplied, ScenarioError):
        st.error("These figures cannot be used yet:\n\n" + md_lines(supplied.problems))
    else:
        digest = hashlib.sha256(own_data).hexdigest()
        if st.session_state.get("cj_last_own_figures") != digest:
            st.session_state["cj_last_own_figures"] = digest
            try:
                with_own = sc.with_changes(baseline=supplied.model_dump())
            except ValidationError as exc:
                st.error("These figures cannot be used with this scenario:\n\n" + md_lines(
                    f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10]))
            else:
                state.replace(with_own)
                st.rerun()
if sc.baseline is not None:
    comparison = baseline_comparison(sc.area, sc.baseline)
    comparison = comparison[comparison.supplied.notna()]
    st.markdown(f"**The model runs on the figures {md(supplied_label(sc.baseline))}.**")
    st.dataframe(pd.DataFrame({
        "Group": comparison.group_label, "Figure": comparison.label, "Unit": comparison.unit.map(fmt.register_unit),
        "Derived": [fmt.register_figure(v, u) for v, u in zip(comparison.derived, comparison.unit, strict=True)],
        "Supplied by the user": [fmt.register_figure(v, u)
                                 for v, u in zip(comparison.supplied, comparison.unit, strict=True)],
        "Difference": comparison.relative_change.map(lambda v: fmt.signed(100 * v, 1, "%")),
        "Source": comparison.source,
    }), hide_index=True, width="stretch")
    st.caption("The share link does not carry these figures: download the scenario (Scenarios view) to keep them "
               "with it, or save it there.")
    if st.button("Remove the area's own figures (back to the derived baseline)", key="ev_own_remove"):
        st.session_state.pop("cj_last_own_figures", None)
        state.replace(sc.with_changes(baseline=None))
        st.rerun()
