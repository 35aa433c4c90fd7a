"""Spectrum: place each function between today's national arrangements and a full transfer."""

import streamlit as st

from cjcore.areas import report_priorities
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, STAGE
from explorer import state
from explorer.chartdata import spectrum_spec
from explorer.runs import findings, run_view
from explorer.theme import STICKY_KEY
from explorer.widgets import (
    headline_metrics,
    notes_editor,
    page_header,
    show_findings,
    show_tradeoff,
    stage_control,
)

state.require_app()  # first visit to a deep link on a fresh server: go through app.py

page_header(
    "Where on the devolution spectrum?",
    "Move each function from **national** (today's arrangements) towards **full transfer** of powers, budget and "
    "accountability. The projection updates at once; diamonds mark the area's priorities in the Crest reports.",
)
priorities = report_priorities(state.scenario().area)
priority_functions = {f for p in priorities for f in p.functions}

# The controls on the left; on the right the headline figures they move (kept in view while the controls scroll),
# then the chart: the room sees the sliders, the figures and the top of the chart on the first screen.
controls, picture = st.columns([5, 7], gap="large")
with picture:
    headlines = st.container(key=STICKY_KEY)  # filled once the controls have applied this run's edit
why_slots = {}  # under each control: why a placed function changes no outcome, once the run is known
with controls:
    st.subheader("Placements")
    for function in FUNCTION_KEYS:
        stage = stage_control(function)
        why_slots[function] = st.empty()
        marker = "◆ report priority" if function in priority_functions else ""
        if not state.presenter():
            st.caption(f"{STAGE[stage].description}{' · ' + marker if marker else ''}")
        elif marker:
            st.caption(marker)

sc = state.scenario()
view = run_view(sc)
with headlines:
    show_findings(findings(sc), "spectrum")
    headline_metrics(view, columns=3, compact=True)
for function, note in view.stage_notes.items():
    why_slots[function].info(note, icon=":material/info:")
with picture:
    st.vega_lite_chart(spec=spectrum_spec(sc.placements, priority_functions, state.presenter()), width="stretch")
    if priorities:
        listed = "\n".join(f"- {p.text} ({p.report} report) → {', '.join(FUNCTION[f].label for f in p.functions)}"
                            for p in priorities)
        st.markdown(f"**The area's priorities in the Crest Advisory reports**\n\n{listed}")  # one element, one list
    else:
        st.caption("The Crest Advisory reports did not study this area; no report priorities are marked.")

show_tradeoff("spectrum_tradeoff_measure")  # last but the notes: the cards above are on screen while it runs
notes_editor()
