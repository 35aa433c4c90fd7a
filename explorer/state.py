"""One scenario per browser session, shared by every page, kept in step with the URL.

The current scenario lives in `st.session_state` as an immutable `Scenario`; pages replace it, never mutate it.
Widgets are keyed with a version number that changes when a whole scenario is loaded or reset, so every
control redraws from the new scenario instead of keeping a stale value.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from cjcore.scenario_io import builtin_scenarios, load_builtin
from cjcore.schema import Scenario
from cjcore.store import Version
from explorer import storage
from explorer.urlstate import DEFAULT_ORIGIN, USER_PREFIX, decode, encode, parse_saved_key, saved_key

_SCENARIO = "cj_scenario"
_ORIGIN_KEY = "cj_origin_key"
_ORIGIN = "cj_origin"
_PRESENTER = "cj_presenter"
_VERSION = "cj_version"
_WARNINGS = "cj_link_warnings"
_READY = "cj_ready"
_UNDO = "cj_undo"
_REDO = "cj_redo"
_LINK_BASE = "cj_link_base"  # the scenario the origin key names: what a share link's values differ from
_UPLOADED = "cj_uploaded"  # (label, scenario) of the upload on screen, until another scenario is loaded
MAX_HISTORY = 100


def _saved_version(key: str) -> Version:
    """The stored version an origin key names: ``id:<id>@<n>``, ``id:<id>`` (latest) or an old ``user:<stem>``."""
    store, viewer = storage.store(), storage.viewer()
    if key.startswith(USER_PREFIX):
        info = store.find_legacy(viewer, key.removeprefix(USER_PREFIX))
        return store.get(viewer, info.id, info.latest)
    parsed = parse_saved_key(key)
    if parsed is None:
        raise KeyError(key)
    scenario_id, number = parsed
    return store.latest(viewer, scenario_id) if number is None else store.get(viewer, scenario_id, number)


def load_origin(key: str) -> Scenario:
    """A built-in scenario by file stem, or a saved one by ``id:<id>@<version>`` (or an old ``user:<stem>``)."""
    if key in builtin_scenarios():
        return load_builtin(key)
    return _saved_version(key).scenario()


def load_key(key: str) -> None:
    """Make the scenario an origin key names current, remembered by the key of exactly the version loaded."""
    if key in builtin_scenarios():
        load(key, load_builtin(key))
        return
    version = _saved_version(key)
    load(saved_key(version.scenario_id, version.number), version.scenario())


def canonical_key(key: str) -> str:
    """The origin key that keeps naming exactly this scenario: a saved one's id with its version number."""
    if key in builtin_scenarios():
        return key
    try:
        version = _saved_version(key)
    except KeyError:
        return key
    return saved_key(version.scenario_id, version.number)


def saved_origin() -> tuple[str, int] | None:
    """(scenario id, version) when the loaded scenario is a saved one; None for a built-in."""
    parsed = parse_saved_key(origin_key())
    if parsed is None or parsed[1] is None:
        return None
    return parsed[0], parsed[1]


def require_app() -> None:
    """Rerun through app.py when Streamlit ran a page script on its own.

    A freshly started server treats a `pages/` folder next to the main script as the old automatic multipage
    app until `st.navigation` has run once, so the very first visit to a deep link such as `/projections?...`
    runs pages/projections.py alone: no session state, no sidebar. Each page calls this first; the rerun goes
    through app.py (which registers the pages with `st.navigation`) to the same page and link.
    """
    if st.session_state.get(_READY):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def init_session() -> None:
    """On a session's first run, build the state from the link that opened it."""
    if st.session_state.get(_READY):
        return
    decoded = decode(st.query_params.to_dict(), load_origin, DEFAULT_ORIGIN)
    st.session_state[_SCENARIO] = decoded.scenario
    st.session_state[_ORIGIN_KEY] = canonical_key(decoded.origin_key)
    st.session_state[_ORIGIN] = decoded.origin
    st.session_state[_LINK_BASE] = decoded.origin
    st.session_state[_PRESENTER] = decoded.presenter
    st.session_state[_WARNINGS] = decoded.warnings
    st.session_state[_VERSION] = 0
    st.session_state[_READY] = True


def scenario() -> Scenario:
    """The scenario on screen."""
    return st.session_state[_SCENARIO]


def origin() -> Scenario:
    """The scenario as it was loaded (what reset goes back to)."""
    return st.session_state[_ORIGIN]


def origin_key() -> str:
    """The key of the loaded scenario: a built-in's file stem or a saved one's `id:<id>@<version>`."""
    return st.session_state[_ORIGIN_KEY]


def _remember(current: Scenario) -> None:
    undo = st.session_state.setdefault(_UNDO, [])
    undo.append(current)
    del undo[:-MAX_HISTORY]
    st.session_state[_REDO] = []


def set_scenario(new: Scenario) -> None:
    """Replace the scenario after an edit made through a widget (widgets keep their state); undo can restore it."""
    current = st.session_state[_SCENARIO]
    if new != current:
        _remember(current)
        st.session_state[_SCENARIO] = new


def load(key: str, loaded: Scenario) -> None:
    """Make a whole scenario current (from the library, an upload or a save) and redraw every control."""
    if loaded != st.session_state[_SCENARIO]:
        _remember(st.session_state[_SCENARIO])
    st.session_state[_ORIGIN_KEY] = key
    st.session_state[_ORIGIN] = loaded
    st.session_state[_LINK_BASE] = loaded
    st.session_state[_SCENARIO] = loaded
    st.session_state.pop(_UPLOADED, None)
    bump()


def replace(new: Scenario) -> None:
    """Make an edited whole scenario current (YAML editor, upload) and redraw every control; undo can restore."""
    set_scenario(new)
    bump()


def load_upload(uploaded_scenario: Scenario, label: str) -> None:
    """Make an uploaded scenario the loaded one (reset and "what changed" refer to it; undo can restore).

    The origin key, and so the share link's starting point, stays the library scenario loaded before: a link
    carries the upload as differences from it (``link_base``), name and description included.
    """
    if uploaded_scenario != st.session_state[_SCENARIO]:
        _remember(st.session_state[_SCENARIO])
    st.session_state.setdefault(_LINK_BASE, origin())
    st.session_state[_ORIGIN] = uploaded_scenario
    st.session_state[_SCENARIO] = uploaded_scenario
    st.session_state[_UPLOADED] = (label, uploaded_scenario)
    bump()


def link_base() -> Scenario:
    """The scenario the origin key names, which a share link's values are differences from."""
    base = st.session_state.get(_LINK_BASE)
    return origin() if base is None else base


def uploaded() -> str | None:
    """The label of the upload on screen ("Uploaded: <name> (from <file>)"), or None."""
    found = st.session_state.get(_UPLOADED)
    return found[0] if found else None


def uploaded_edited() -> bool:
    """Whether the scenario on screen has been changed since it was uploaded."""
    found = st.session_state.get(_UPLOADED)
    return bool(found) and found[1] != scenario()


def reset() -> None:
    """Go back to the scenario as loaded (undo can restore the edits)."""
    set_scenario(origin())
    bump()


def reset_policy() -> None:
    """Put the policy choices (area, horizon, placements, funding, governance) back as loaded; keep assumptions."""
    loaded = origin()
    replace(scenario().with_changes(area=loaded.area, horizon_years=loaded.horizon_years,
                                    placements=dict(loaded.placements), funding=loaded.funding.model_dump(),
                                    governance=loaded.governance.model_dump()))


def reset_assumptions() -> None:
    """Put every assumption back to the evidence register's default (no overrides); keep the policy choices."""
    replace(scenario().with_changes(overrides={}))


def can_undo() -> bool:
    """Whether there is an edit to undo."""
    return bool(st.session_state.get(_UNDO))


def can_redo() -> bool:
    """Whether there is an undone edit to redo."""
    return bool(st.session_state.get(_REDO))


def undo() -> None:
    """Step back one edit."""
    if can_undo():
        st.session_state.setdefault(_REDO, []).append(st.session_state[_SCENARIO])
        st.session_state[_SCENARIO] = st.session_state[_UNDO].pop()
        bump()


def redo() -> None:
    """Step forward again after an undo."""
    if can_redo():
        st.session_state[_UNDO].append(st.session_state[_SCENARIO])
        st.session_state[_SCENARIO] = st.session_state[_REDO].pop()
        bump()


def bump() -> None:
    """Give every widget a new identity so it redraws from the current scenario."""
    st.session_state[_VERSION] = st.session_state.get(_VERSION, 0) + 1


def widget_key(name: str) -> str:
    """A widget key tied to the current scenario version."""
    return f"{name}__v{st.session_state.get(_VERSION, 0)}"


def presenter() -> bool:
    """Whether presenter mode (large type for a projector) is on."""
    return bool(st.session_state.get(_PRESENTER, False))


def set_presenter(on: bool) -> None:
    """Turn presenter mode on or off."""
    st.session_state[_PRESENTER] = on


def link_warnings() -> list[str]:
    """Warnings about the link that opened this session (shown once, then cleared)."""
    return st.session_state.get(_WARNINGS, [])


def clear_link_warnings() -> None:
    """Forget the link warnings once the user has seen them."""
    st.session_state[_WARNINGS] = []


def query_params() -> dict[str, str]:
    """The query parameters that reproduce this view."""
    return encode(scenario(), origin_key(), link_base(), presenter())


def sync_url() -> dict[str, str]:
    """Write the view into the address bar, so the browser's URL is always a share link; returns its parameters."""
    wanted = query_params()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    return wanted


def share_link(url_path: str, params: dict[str, str] | None = None) -> str:
    """The full link to this page and state, for pasting into a chat or an email.

    `params` are this view's `query_params()` when the caller has them already (they are made once a run).
    """
    try:
        parts = urlsplit(st.context.url or "")
        base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    except Exception:  # no browser context (e.g. in tests): a relative link still works
        base = ""
    path = f"/{url_path}" if url_path else "/"
    return f"{base}{path}?{urlencode(query_params() if params is None else params)}"
