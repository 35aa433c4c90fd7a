"""The Scenarios view's library, saving and history, on the scenario store.

Saved scenarios have a random id; their title is only for display and is always shown as plain text (never
markdown). "Save" makes a new version of the loaded saved scenario from the version that was loaded; when
someone saved in between, nothing is overwritten: the view says who and when, and offers to save on top anyway
(their version stays in the history) or as a new scenario. A restore is itself a save.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from cjcore.areas import get_area
from cjcore.scenario_io import ScenarioError, builtin_scenarios, load_scenario, title_problem
from cjcore.schema import Scenario
from cjcore.store import ReadOnly, StaleVersion, Version
from explorer import auth, rooms, state, storage
from explorer.safe_text import md as safe_md
from explorer.statictable import static_table
from explorer.theme import HISTORY_KEY
from explorer.urlstate import saved_key

_STALE = "cj_stale_save"
_MESSAGE = "cj_saved_message"
_HISTORY_WARNING = "cj_history_warning"
_NAME_CHARS = 60
_HISTORY_ROWS = 6  # versions shown before the history table scrolls inside its box
_HISTORY_HEIGHT = 360


def when(moment: datetime) -> str:
    """A save time as people read it (the store keeps UTC)."""
    return f"{moment:%d %b %Y, %H:%M} UTC"


def md(text: str | None, limit: int = _NAME_CHARS) -> str:
    """User text (a title, who saved) as literal one-line markdown (explorer/safe_text.py); 'someone' for none."""
    return safe_md(text or "someone", limit)


def _loaded(version: Version, message: str) -> None:
    state.load(saved_key(version.scenario_id, version.number), version.scenario())
    st.session_state.pop(_STALE, None)
    st.session_state[_MESSAGE] = message
    st.rerun()


# ----------------------------------------------------------------------------------------------- library
def _name_row() -> st.delta_generator.DeltaGenerator:
    """A library entry's top row: the name takes the room left by the Load button, which keeps its whole word.

    A flex row rather than two columns: a fixed column cut "Loaded" to "Loa…" in Presenter mode.
    """
    return st.container(horizontal=True, wrap=False, vertical_alignment="top", gap="small")


def library() -> None:
    """Built-in scenarios, then the saved ones this viewer may see (newest first), each with a Load button."""
    st.subheader("Library")
    for key, path in builtin_scenarios().items():
        try:
            loaded = load_scenario(path)
        except ScenarioError as exc:
            st.warning(f"Built-in file {safe_md(path.name)} is not a valid scenario: {safe_md(exc.problems[0], 300)}")
            continue
        with st.container(border=True):
            top = _name_row()
            top.markdown(f"**{md(loaded.name, 200)}**  \nBuilt-in · {get_area(loaded.area).name}")
            current = key == state.origin_key()
            if top.button("Loaded" if current else "Load", key=f"load_{key}", disabled=current, width="content"):
                state.load(key, loaded)
                st.rerun()
            if loaded.description and not state.presenter():
                with st.expander("About this scenario", key=f"about_{key}"):
                    st.text(loaded.description)
    store, viewer = storage.store(), storage.viewer()
    on_screen = state.saved_origin()
    for info in store.list(viewer):
        with st.container(border=True):
            top = _name_row()
            shared = rooms.sharing(info)
            top.markdown(f"**{md(info.title, 200)}**  \nSaved · version {info.latest} · {when(info.updated_at)}"
                         + (f" · {md(shared, 200)}" if shared else ""))
            current = on_screen == (info.id, info.latest)
            label = "Loaded" if current else "Load"
            if top.button(label, key=f"load_{info.id}", disabled=current, width="content"):
                try:
                    version = store.latest(viewer, info.id)
                except KeyError:
                    st.error("That scenario is no longer available to you.")
                else:
                    _loaded(version, f"Loaded version {version.number}.")
            if on_screen and on_screen[0] == info.id and not current:
                st.caption(f"On screen: version {on_screen[1]}; Load opens version {info.latest}.")
            rooms.move_control(info)


# -------------------------------------------------------------------------------------------------- save
def _save_blocked() -> str | None:
    """Why saving is off in this session (the store's reason, never a server path), or None."""
    store = storage.store()
    if not store.writable:
        return f"{store.read_only_reason} Download the scenario as YAML to keep your changes."
    if not auth.may_save():
        return "Sign in to save scenarios."
    return None


def _save_version(scenario_id: str, scenario: Scenario, base: int) -> None:
    try:
        version = storage.store().save(storage.viewer(), scenario_id, scenario, base=base)
    except StaleVersion as exc:
        st.session_state[_STALE] = {"id": scenario_id, "number": exc.latest.number, "by": exc.latest.saved_by,
                                    "at": exc.latest.saved_at}
        st.rerun()
    except ReadOnly as exc:
        st.error(f"{exc.reason} The scenario on screen is unchanged; download it as YAML to keep it.")
    except KeyError:
        st.error("This saved scenario is no longer available to you. Save it as a new scenario instead.")
    else:
        _loaded(version, f"Saved as version {version.number}.")


def _save_new(scenario: Scenario, title: str) -> None:
    to_save = scenario.with_changes(name=title)
    try:
        version = storage.store().create(storage.viewer(), to_save, room=rooms.save_room())
    except ReadOnly as exc:
        st.error(f"{exc.reason} The scenario on screen is unchanged; download it as YAML to keep it.")
    else:
        _loaded(version, "Saved as a new scenario (version 1).")


def save_controls(scenario: Scenario) -> None:
    """Save (a new version of the loaded saved scenario) and Save as new scenario, or why saving is off."""
    blocked = _save_blocked()
    if blocked:
        st.info(blocked)
    loaded = state.saved_origin()
    title_now = None
    if loaded is not None:
        try:
            title_now = storage.store().info(storage.viewer(), loaded[0]).title
        except KeyError:
            loaded = None
    if loaded is not None:
        st.caption("Loaded saved scenario (version " + str(loaded[1]) + "):")
        st.text(title_now)
        if st.button("Save", type="primary", disabled=bool(blocked), key=state.widget_key("save_version"),
                     help="Save the scenario on screen as a new version of the loaded saved scenario. Earlier "
                          "versions are kept in its history."):
            _save_version(loaded[0], scenario, base=loaded[1])
        stale = st.session_state.get(_STALE)
        if stale and stale["id"] == loaded[0]:
            st.warning(f"Not saved: someone saved this scenario after you loaded it — version {stale['number']}, "
                       f"saved by {md(stale['by'])} on {when(stale['at'])}. Nothing was overwritten.")
            if st.button("Save as a new version anyway", key="stale_anyway", disabled=bool(blocked),
                         width="stretch",
                         help="Your scenario becomes the newest version; theirs stays in the history."):
                _save_version(loaded[0], scenario, base=stale["number"])
            if st.button("Save as a new scenario", key="stale_new", disabled=bool(blocked), width="stretch",
                         help="Keep theirs as it is and save yours separately."):
                _save_new(scenario, scenario.name)
            if st.button("Cancel", key="stale_cancel", width="stretch"):
                st.session_state.pop(_STALE, None)
                st.rerun()
    title = st.text_input("Save as", value=scenario.name,  # no max_chars: a long title is refused, not cut
                          key=state.widget_key("save_title"),
                          help="Saving as a new scenario never replaces another one, whatever its name: every "
                               "saved scenario has its own id, and the name is only what the library shows.")
    if note := rooms.save_note():
        st.caption(md(note, 200))
    if st.button("Save as new scenario", disabled=bool(blocked), key=state.widget_key("save_new")):
        if problem := title_problem(title):
            st.error(problem)
        else:
            _save_new(scenario, title.strip())
    if message := st.session_state.pop(_MESSAGE, None):
        st.success(message)


# ----------------------------------------------------------------------------------------------- history
def history() -> None:
    """The loaded saved scenario's versions (newest first): open one, or restore it as the newest version."""
    loaded = state.saved_origin()
    if loaded is None:
        return
    store, viewer = storage.store(), storage.viewer()
    try:
        versions = store.versions(viewer, loaded[0])
    except KeyError:
        return
    st.subheader("History")
    st.caption("Every save of this scenario is kept. Restoring an earlier version saves it again as the newest; "
               "nothing in between is lost.")
    rows = [{"Version": str(v.number) + (" (on screen)" if v.number == loaded[1] else "")
             + (f", restored from version {v.restored_from}" if v.restored_from else ""),
             "Saved": f"{when(v.saved_at)} by {v.saved_by or 'someone'}", "Title": v.title} for v in versions]
    # A static table whose cells wrap (three columns, long titles broken anywhere): it fits the editor's column at
    # 1366 px without a sideways scroll; a long history scrolls down inside its own box instead.
    with st.container(key=HISTORY_KEY, height=_HISTORY_HEIGHT if len(rows) > _HISTORY_ROWS else "content"):
        static_table(rows, hide_index=True)
    if warning := st.session_state.pop(_HISTORY_WARNING, None):
        st.warning(warning)
    numbers = [v.number for v in versions]
    pick = st.selectbox("Version", numbers, format_func=lambda n: f"Version {n}", key=state.widget_key("history"))
    newest = numbers[0]
    chosen = next(v for v in versions if v.number == pick)
    left, right = st.columns(2)
    if left.button("Open this version", disabled=pick == loaded[1], key=state.widget_key("history_open"),
                   width="stretch"):
        _loaded(chosen, f"Opened version {pick}.")
    blocked = _save_blocked()
    if right.button("Restore as the newest version", disabled=bool(blocked) or pick == newest,
                    key=state.widget_key("history_restore"), width="stretch",
                    help=blocked or "Save this version again as the newest one."):
        try:
            version = store.restore(viewer, loaded[0], pick, base=newest)
        except StaleVersion as exc:
            st.session_state[_HISTORY_WARNING] = (
                f"Not restored: version {exc.latest.number} was saved meanwhile by {md(exc.latest.saved_by)}. "
                "The list now shows it; choose again.")
            st.rerun()
        except ReadOnly as exc:
            st.error(exc.reason)
        else:
            _loaded(version, f"Restored version {pick} as version {version.number}.")
