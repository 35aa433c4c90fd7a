"""The sidebar on every page: area, scenario, presenter mode, share link and reset."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import streamlit as st

from cjcore.areas import AREA_KEYS, get_area
from cjcore.changes import all_changes, policy_changes
from cjcore.scenario_io import builtin_scenarios, load_scenario
from cjcore.store import ScenarioInfo
from explorer import account, rooms, state, storage
from explorer.safe_text import md
from explorer.theme import SELECT_SHOWS_CHARS
from explorer.urlstate import SAVED_PREFIX, left_out, parse_saved_key, saved_key


def saved_label(info: ScenarioInfo, repeated: bool = False) -> str:
    """A saved scenario in a list: its title, and the start of its id when another saved one has that title.

    The label must not change when someone saves a new version: Streamlit keeps a select box's choice by its label,
    so a label that moved to another option would silently load that option.
    """
    label = f"Saved: {info.title}"
    return f"{label} ({info.id[:6]})" if repeated else label


@lru_cache(maxsize=8)
def _builtin_names(files: tuple[tuple[str, str, float], ...]) -> Mapping[str, str]:
    """The built-in scenarios' own names (what the library shows), read once per set of file versions.

    A file that cannot be read shows by its key (the library says what is wrong with it). Kept in a process memo
    (read-only, the same for every session): `st.cache_data` would hash the file list and copy the names each run.
    """
    names = {}
    for key, path, _modified in files:
        try:
            names[key] = load_scenario(Path(path)).name
        except Exception:
            names[key] = key
    return MappingProxyType(names)


def scenario_options() -> dict[str, str]:
    """Every scenario a user can load, key -> label: built-ins (by their own names), then the visible saved ones.

    Labels are plain text in a select box (never markdown); repeated titles are told apart by when they were saved.
    The saved ones are listed afresh on every run: the list is the viewer's own (sign-in, rooms) and changes
    whenever anyone saves.
    """
    options = dict(_builtin_names(tuple((key, str(path), path.stat().st_mtime)
                                        for key, path in builtin_scenarios().items())))
    saved = storage.store().list(storage.viewer())
    titles = [info.title.casefold() for info in saved]
    for info in saved:
        options[f"{SAVED_PREFIX}{info.id}"] = saved_label(info, titles.count(info.title.casefold()) > 1)
    return options


def _current_option(key: str) -> str:
    """The label for a loaded scenario that is not in the list (e.g. one no longer shared with this viewer)."""
    parsed = parse_saved_key(key)
    if parsed is None:
        return key
    try:
        info = storage.store().info(storage.viewer(), parsed[0])
    except KeyError:
        return key
    return saved_label(info)


def _newer_version_notice() -> None:
    """Say so when the loaded saved scenario has a newer version than the one this link opened."""
    loaded = state.saved_origin()
    if loaded is None:
        return
    try:
        info = storage.store().info(storage.viewer(), loaded[0])
    except KeyError:
        return
    if info.latest > loaded[1]:
        st.info(f"A newer version of this saved scenario exists: version {info.latest} "
                f"(this view started from version {loaded[1]}).")
        if st.button("Open the newest version", key=state.widget_key("sb_newest"), width="stretch"):
            newest = storage.store().latest(storage.viewer(), info.id)
            state.load(saved_key(info.id, newest.number), newest.scenario())
            st.rerun()


def _on_scenario_change(widget: str) -> None:
    key = st.session_state[widget]
    loaded = state.saved_origin()
    if key == state.origin_key() or (loaded and key == f"{SAVED_PREFIX}{loaded[0]}"):
        return  # the loaded scenario itself (its label changed under the box): keep the edits on screen
    try:
        state.load_key(key)
    except Exception:  # no longer visible (moved out of a room) or unreadable since the list was drawn
        st.session_state["cj_sidebar_error"] = "Could not load that scenario: it is no longer available to you."


def _on_area_change(widget: str) -> None:
    state.replace(state.scenario().with_changes(area=st.session_state[widget]))


def _on_presenter_change(widget: str) -> None:
    state.set_presenter(bool(st.session_state[widget]))


def draw() -> st.delta_generator.DeltaGenerator:
    """Draw the shared controls; returns a slot for the share link (filled once the page is known)."""
    sc = state.scenario()
    with st.sidebar:
        signed_in = account.draw()
        options = scenario_options()
        loaded = state.saved_origin()
        current = f"{SAVED_PREFIX}{loaded[0]}" if loaded else state.origin_key()
        if current not in options:
            options[current] = _current_option(current)
        key = state.widget_key("sb_scenario")
        st.selectbox("Scenario", list(options), index=list(options).index(current), format_func=options.get,
                     key=key, on_change=_on_scenario_change, args=(key,),
                     help="Load a built-in scenario or one you saved. Your edits since loading are replaced.")
        if len(options[current]) > SELECT_SHOWS_CHARS:  # the box cuts a long name: spell it out under it
            st.caption(md(options[current]))
        if label := state.uploaded():
            st.caption(f"On screen: {md(label)}{' — edited since' if state.uploaded_edited() else ''}")
        if message := st.session_state.pop("cj_sidebar_error", None):
            st.error(message)
        _newer_version_notice()
        key = state.widget_key("sb_area")
        st.selectbox("Area", AREA_KEYS, index=AREA_KEYS.index(sc.area), format_func=lambda k: get_area(k).name,
                     key=key, on_change=_on_area_change, args=(key,),
                     help="Police force area whose baseline the projection starts from.")
        key = state.widget_key("sb_presenter")
        st.toggle("Presenter mode", value=state.presenter(), key=key, on_change=_on_presenter_change, args=(key,),
                  help="Large type and charts for a projector; hides editing chrome.")
        slot = st.container()
        if signed_in is not None:  # used once at a workshop's start: below the controls used all through it
            rooms.draw(signed_in)
        return slot


def finish(slot: st.delta_generator.DeltaGenerator, url_path: str, params: dict[str, str] | None = None) -> None:
    """Controls that depend on the page's edits: reset, and the link that reopens exactly this view.

    Drawn after the page has run, so they reflect the edit just made. `params` are the view's query parameters
    (`state.sync_url` returns them) when the caller has them.
    """
    params = state.query_params() if params is None else params
    sc = state.scenario()
    with slot:
        undo, redo = st.columns(2)
        if undo.button("Undo", disabled=not state.can_undo(), width="stretch", help="Step back one change."):
            state.undo()
            st.rerun()
        if redo.button("Redo", disabled=not state.can_redo(), width="stretch", help="Redo the change you undid."):
            state.redo()
            st.rerun()
        changes = all_changes(state.origin(), sc)
        if st.button("Reset to loaded scenario", disabled=not changes, width="stretch",
                     help="Go back to the scenario as loaded (Undo brings your changes back)."):
            state.reset()
            st.rerun()
        if st.button("Reset policy choices only", disabled=not policy_changes(state.origin(), sc), width="stretch",
                     help="Placements, funding, governance, area and horizon back as loaded; assumptions kept."):
            state.reset_policy()
            st.rerun()
        if changes:
            with st.expander(f"What changed since loading ({len(changes)})", key="cj_changes_box"):
                st.markdown("\n".join(f"- {md(c, 200)}" for c in changes))
        st.markdown("**Share link** — opens this exact view")
        # One line that scrolls sideways, with Streamlit's copy button: the whole link is copied, none of it shown
        # over 40 lines. The address bar holds the same link.
        st.code(state.share_link(url_path, params), language=None, wrap_lines=False, height=None)
        st.caption("Copy it with the button at the right of the box (or from the address bar).")
        for note in left_out(params, sc, state.link_base()):
            st.caption(note)
