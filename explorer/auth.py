"""Who is using the app. Sign-in is off by default: every session is the one shared space (``LOCAL``)."""

from __future__ import annotations

from cjcore.store import LOCAL, Viewer


def current_viewer() -> Viewer:
    """Who the scenario store serves in this session: ``LOCAL`` while sign-in is off."""
    return LOCAL


def may_save() -> bool:
    """Whether this session may save scenarios (always, while sign-in is off)."""
    return True
