"""The sidebar's account block: Sign in / Sign out, shown only when sign-in is configured."""

from __future__ import annotations

import streamlit as st

from cjcore.store import Viewer
from explorer import auth, resume, rooms, saving

#: A name longer than this is cut with an ellipsis where it is shown.
_NAME_CHARS = 80

NOT_SIGNED_IN = ("You can explore the built-in scenarios without signing in. "
                 "Sign in to save your own and to join a workshop room.")


def md_text(text: str) -> str:
    """`text` (a name from the provider, a room's name) as literal Markdown: never a link, heading or format."""
    return saving.md(text, _NAME_CHARS)


def draw() -> Viewer | None:
    """Draw the account block in the current container (nothing when sign-in is off).

    Returns the signed-in person as a viewer (for the rooms block further down the sidebar), else None.
    """
    if not auth.sign_in_enabled():
        return None
    who = auth.person()
    if who is None and (missing := auth.missing_settings()):
        st.warning("Sign-in is switched on but not fully set up on this server (missing in `[auth]`: "
                   f"{', '.join(missing)}). Built-in scenarios can be explored; ask whoever runs it to finish "
                   "the set-up (docs/sign-in.md).")
        return None
    if who is None:
        st.caption(NOT_SIGNED_IN)
        st.button("Sign in", on_click=st.login, width="stretch", type="primary",
                  help="Sign in with your organisation's account; you come back to this view.")
        rooms.draw_signed_out_invite()
        resume.remember_view()
        return None
    resume.return_to_view()
    signed_in, sign_out = st.columns([3, 2], vertical_alignment="center")
    signed_in.markdown(f"Signed in as **{md_text(who.name)}**")
    sign_out.button("Sign out", on_click=st.logout, width="stretch")
    viewer = auth.current_viewer()
    rooms.draw_invitation(viewer)
    return viewer
