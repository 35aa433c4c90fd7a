"""Come back to the view you were on after signing in.

Streamlit's sign-in callback always lands on the start page (`/`), without the link that held the view, so a
visitor who edits a scenario and then signs in to save it would lose the edits. While someone is signed out,
a small script remembers the address bar (which is always the view's share link) in a short-lived cookie when
the page is left; on the first run after signing in, the app sends the browser back to that address once.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import streamlit as st

#: The cookie that holds the view's address while the visitor is away at the provider's sign-in page.
RETURN_COOKIE = "cj_return"
#: How long the address waits for the sign-in to finish, in seconds.
RETURN_SECONDS = 15 * 60
#: A page of this app: one path segment of letters, digits, `_` and `-` (or the start page).
_PAGE_PATH = re.compile(r"^/[A-Za-z0-9_-]{0,64}$")
_MAX_CHARS = 8000
_DONE = "cj_resume_done"

_REMEMBER_JS = f"""<script>
if (!window.cjRememberView) {{
  window.cjRememberView = true;
  window.addEventListener("pagehide", () => {{
    document.cookie = "{RETURN_COOKIE}=" + encodeURIComponent(location.pathname + location.search)
      + "; path=/; max-age={RETURN_SECONDS}; samesite=lax";
  }});
}}
</script>"""


def safe_target(raw: str | None) -> str | None:
    """The remembered address as a path on this app (`/page?query`), or None when it is not one.

    Only a path of this site is accepted (no scheme, host or `//`), and its query is rebuilt from its parsed
    pairs, so nothing but an address of this app can come out of a tampered cookie.
    """
    if not isinstance(raw, str) or not raw or len(raw) > _MAX_CHARS:
        return None
    parts = urlsplit(unquote(raw))
    if parts.scheme or parts.netloc or not _PAGE_PATH.match(parts.path):
        return None
    query = urlencode(parse_qsl(parts.query))
    return f"{parts.path}?{query}" if query else parts.path


def remember_view() -> None:
    """For a signed-out visitor: keep the view's address in a cookie when the page is left (e.g. to sign in)."""
    st.html(_REMEMBER_JS, unsafe_allow_javascript=True, width="content")


def return_to_view() -> None:
    """On a signed-in session's first run at the bare start page: go back once to the remembered view."""
    if st.session_state.get(_DONE):
        return
    st.session_state[_DONE] = True
    raw = st.context.cookies.get(RETURN_COOKIE)
    if not isinstance(raw, str):  # no cookie (or no browser behind this session, as in AppTest)
        return
    target = safe_target(raw) if not st.query_params.to_dict() else None
    target = None if target == "/" else target  # already there
    forget = f"document.cookie = '{RETURN_COOKIE}=; path=/; max-age=0; samesite=lax';"
    go = f"window.location.replace({json.dumps(target)});".replace("<", "\\u003c") if target else ""
    st.html(f"<script>{forget}{go}</script>", unsafe_allow_javascript=True, width="content")
