"""Scenarios: the library, a YAML editor with live checks, upload, download, save (versions) and history."""

import hashlib

import streamlit as st

from cjcore.scenario_io import ScenarioError, dump_scenario, parse_scenario, safe_filename
from explorer import saving, state
from explorer.widgets import page_header

state.require_app()  # first visit to a deep link on a fresh server: go through app.py


def show_problems(error: ScenarioError) -> None:
    """Every problem as a readable list, never a traceback."""
    st.error("This scenario cannot be used yet:\n\n" + "\n".join(f"- {line}" for line in error.problems))


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
    try:
        edited = parse_scenario(text, "editor")
    except ScenarioError as exc:
        show_problems(exc)
    else:
        if edited == sc:
            st.success("Valid. No changes from the scenario on screen.")
        else:
            st.success("Valid.")
            if st.button("Apply changes", type="primary"):
                state.replace(edited)
                st.rerun()

    st.subheader("Upload")
    upload = st.file_uploader("Upload a scenario file (.yaml, up to 1 MB)", type=["yaml", "yml"],
                              key=state.widget_key("upload"))
    if upload is not None:
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        try:
            uploaded = parse_scenario(data, upload.name)
        except ScenarioError as exc:
            show_problems(exc)
        else:
            if st.session_state.get("cj_last_upload") != digest:
                st.session_state["cj_last_upload"] = digest
                state.replace(uploaded)
                st.rerun()
            st.success(f"Loaded {upload.name}: {uploaded.name}. Save it to keep it in your library.")

    st.subheader("Download and save")
    st.download_button("Download this scenario (YAML)", dump_scenario(sc).encode("utf-8"),
                       file_name=f"{safe_filename(sc.name)}.yaml", mime="application/x-yaml", on_click="ignore")
    saving.save_controls(sc)
    saving.history()
