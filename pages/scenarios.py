"""Scenarios: the library, a YAML editor with live checks, upload, download and save as new."""

import hashlib

import streamlit as st

from cjcore.areas import get_area
from cjcore.scenario_io import (
    ScenarioError,
    builtin_scenarios,
    dump_scenario,
    list_user_scenarios,
    load_scenario,
    parse_scenario,
    safe_filename,
    save_user_scenario,
    user_dir,
)
from explorer import state
from explorer.urlstate import USER_PREFIX
from explorer.widgets import page_header

state.require_app()  # first visit to a deep link on a fresh server: go through app.py


def show_problems(error: ScenarioError) -> None:
    """Every problem as a readable list, never a traceback."""
    st.error("This scenario cannot be used yet:\n\n" + "\n".join(f"- {line}" for line in error.problems))


page_header("Scenarios", "Load a scenario, edit it as YAML, upload one, download the one on screen, or save it.")
sc = state.scenario()
library, editor = st.columns([5, 7], gap="large")

with library:
    st.subheader("Library")
    entries = [(key, path, "Built-in") for key, path in builtin_scenarios().items()]
    entries += [(f"{USER_PREFIX}{name}", path, "Yours") for name, path in list_user_scenarios().items()]
    for key, path, kind in entries:
        try:
            loaded = load_scenario(path)
        except ScenarioError as exc:
            st.warning(f"{kind} file {path.name} is not a valid scenario: {exc.problems[0]}")
            continue
        with st.container(border=True):
            top = st.columns([6, 2])
            top[0].markdown(f"**{loaded.name}**  \n{kind} · {get_area(loaded.area).name}")
            current = key == state.origin_key()
            if top[1].button("Loaded" if current else "Load", key=f"load_{key}", disabled=current,
                             width="stretch"):
                state.load(key, loaded)
                st.rerun()
            if loaded.description and not state.presenter():
                with st.expander("About this scenario"):
                    st.write(loaded.description)

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
    title = st.text_input("Save as", value=sc.name, max_chars=120, key=state.widget_key("save_title"),
                          help=f"Saved to your scenario folder ({user_dir()}); built-ins are never overwritten. "
                               "Saving again under the same name keeps the previous version.")
    if st.button("Save as new scenario"):
        if not title.strip():
            st.error("Give the scenario a name first.")
        else:
            to_save = sc.with_changes(name=title.strip())
            path = save_user_scenario(to_save, title.strip())
            state.load(f"{USER_PREFIX}{path.stem}", to_save)
            st.session_state["cj_saved_message"] = f"Saved as {path.name} in {path.parent}."
            st.rerun()
    if message := st.session_state.pop("cj_saved_message", None):
        st.success(message)
