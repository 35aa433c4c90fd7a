"""Who is using the app: Streamlit's native sign-in (OpenID Connect), off unless `[auth]` is configured.

Sign-in is on exactly when the secrets (`.streamlit/secrets.toml`, or a file named by `--secrets.files`) have an
`[auth]` section; without one the app is one shared space, as it always was. A signed-in person is known by the
provider's `sub` claim (the identifier OpenID Connect promises is stable and unique at one provider), never by
the email claim, which some providers let a user change or leave unverified.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st

from cjcore.store import LOCAL, Viewer

#: How the id of a visitor who has not signed in starts; a random token follows, so it matches nobody else.
ANONYMOUS_PREFIX = "anonymous:"
_ENABLED = "cj_sign_in_enabled"


@dataclass(frozen=True)
class Person:
    """A signed-in person: the provider's stable subject id and a name to show."""

    id: str
    name: str


def sign_in_enabled() -> bool:
    """Whether sign-in is configured (an `[auth]` section in the secrets).

    Read once per session: without a secrets file Streamlit looks for one on every call (~0.2 ms), and a run
    asks dozens of times. A changed secrets file takes effect for new sessions (docs/sign-in.md: restart).
    """
    enabled = st.session_state.get(_ENABLED)
    if enabled is None:
        try:
            enabled = bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
        except Exception:  # an unreadable secrets file: sign-in cannot work, so it is off (Streamlit logs why)
            enabled = False
        st.session_state[_ENABLED] = enabled
    return enabled


#: What Streamlit's `st.login` needs in `[auth]` for the default provider.
REQUIRED_SETTINGS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def missing_settings() -> list[str]:
    """The `[auth]` settings that are missing (names only, never values); empty when sign-in can work."""
    if not sign_in_enabled():
        return []
    section = st.secrets.get("auth") or {}
    return [name for name in REQUIRED_SETTINGS if not section.get(name)]


def person() -> Person | None:
    """The signed-in person, or None (sign-in off, or nobody signed in in this browser)."""
    if not sign_in_enabled():
        return None
    user = st.user
    subject = user.get("sub")
    if not user.get("is_logged_in") or not subject:
        return None
    name = user.get("name") or user.get("email") or subject
    return Person(id=str(subject), name=str(name))


#: Said wherever saving is offered to a visitor who has not signed in while sign-in is on.
SIGN_IN_TO_SAVE = "Sign in to save scenarios and to see the ones you and your workshop rooms saved."
_ANONYMOUS = "cj_anonymous_viewer"


def current_viewer() -> Viewer:
    """Who the scenario store serves in this session.

    Sign-in off: `LOCAL`, the one shared space that sees every scenario. Signed in: the person (provider
    subject as the id, their name for "saved by"). Sign-in on but nobody signed in: a viewer of this session
    alone, with an unguessable id, so the store shows them nothing saved (not even the shared space's
    scenarios); the app does not let them save (`may_save`), since nothing would bring them back to it.
    """
    if not sign_in_enabled():
        return LOCAL
    who = person()
    if who is not None:
        return Viewer(user=who.id, name=who.name)
    if _ANONYMOUS not in st.session_state:
        st.session_state[_ANONYMOUS] = Viewer(user=f"{ANONYMOUS_PREFIX}{secrets.token_urlsafe(18)}",
                                              name="Not signed in")
    return st.session_state[_ANONYMOUS]


def may_save() -> bool:
    """Whether this session may save scenarios: always with sign-in off, only once signed in with it on."""
    return not sign_in_enabled() or person() is not None
