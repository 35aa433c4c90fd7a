"""The scenario store for the app: one per server process, shared by every session.

``open_store`` reads ``$CJ_DATABASE_URL`` / ``$CJ_SCENARIO_DIR``; the cache is keyed by them so a process (or a
test) that changes them gets the store they name. The store is never mutated by a session, only asked.
"""

from __future__ import annotations

import streamlit as st

from cjcore.store import ScenarioStore, Viewer, open_store, scenario_dir
from cjcore.store.location import configured_url
from explorer import auth


@st.cache_resource(show_spinner=False, max_entries=8)
def _open(where: str) -> ScenarioStore:
    """The store for one configured location (``where`` only keys the cache)."""
    return open_store()


def store() -> ScenarioStore:
    """The scenario store named by this process's settings."""
    return _open(f"{configured_url() or ''}\n{scenario_dir()}")


def viewer() -> Viewer:
    """Who this session is, for the store (``LOCAL`` while sign-in is off)."""
    return auth.current_viewer()
