"""The scenario store for the app: one per server process, shared by every session.

``open_store`` reads ``$CJ_DATABASE_URL`` / ``$CJ_SCENARIO_DIR``; the cache is keyed by them so a process (or a
test) that changes them gets the store they name. The store is never mutated by a session, only asked. A store
that opened read-only (say the database was still starting, or a folder was mounted late) is opened again at most
every ``RETRY_S`` seconds, so saving comes back without restarting the server.
"""

from __future__ import annotations

import time

import streamlit as st

from cjcore.store import ScenarioStore, Viewer, open_store, scenario_dir
from cjcore.store.location import configured_url
from explorer import auth

#: Seconds between attempts to reopen a store that opened read-only.
RETRY_S = 30.0
_opened_at: dict[str, float] = {}


@st.cache_resource(show_spinner=False, max_entries=8)
def _open(where: str) -> ScenarioStore:
    """The store for one configured location (``where`` only keys the cache)."""
    _opened_at[where] = time.monotonic()
    return open_store()


def store() -> ScenarioStore:
    """The scenario store named by this process's settings."""
    where = f"{configured_url() or ''}\n{scenario_dir()}"
    found = _open(where)
    if not found.writable and time.monotonic() - _opened_at.get(where, 0.0) >= RETRY_S:
        _open.clear()  # sessions still holding the old store keep reading it; it is not closed under them
        found = _open(where)
    return found


def viewer() -> Viewer:
    """Who this session is, for the store (``LOCAL`` while sign-in is off)."""
    return auth.current_viewer()
