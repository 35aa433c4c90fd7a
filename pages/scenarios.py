"""Scenarios: the library, a YAML editor with live checks, upload, download, save (versions) and history."""

import streamlit as st

from cjcore.scenario_io import ScenarioError, dump_scenario, safe_filename
from explorer import saving, state
from explorer.upload import parsed, show_problems, upload_section
from explorer.widgets import page_header

state.require_app()  # first visit to a deep link on a fresh server: go through app.py

page_header("Scenarios", "Load a scenario, edit it as YAML, upload one, download the one on screen, or save it.")
sc = state.scenario()
library, editor = st.columns([5, 7], gap="large")

with library:
    saving.library()

with editor:
    st.subheader("Edit as YAML")
    st.caption("Changes are checked as you type (press Ctrl+Enter or click outside the box). "
               "Apply makes them the scenario on screen.")
    text = st.text_area("Scenario YAML", dump_scenario(sc), height=420, key=state.widget_key("yaml_editor"),
                        label_visibility="collapsed")
    edited = parsed(text.encode("utf-8"), "editor")  # checked once per text, not on every rerun
    if isinstance(edited, ScenarioError):
        show_problems(edited)
    else:
        if edited == sc:
            st.success("Valid. No changes from the scenario on screen.")
        else:
            st.success("Valid.")
            if st.button("Apply changes", type="primary"):
                state.replace(edited)
                st.rerun()

    st.subheader("Upload")
    upload_section()

    st.subheader("Download and save")
    st.download_button("Download this scenario (YAML)", dump_scenario(sc).encode("utf-8"),
                       file_name=f"{safe_filename(sc.name)}.yaml", mime="application/x-yaml", on_click="ignore")
    saving.save_controls(sc)
    saving.history()
