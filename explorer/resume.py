"""Come back to the view you were on after signing in.

Streamlit's sign-in callback always lands on the start page (`/`), without the link that held the view, so a visitor
who edits a scenario and then signs in to save it would lose the edits. While someone is signed out, a small script
remembers the address bar (which is always the view's share link) in the tab's session storage when the page is
left; on the first run after signing in, the start page sends the browser back to that address once, unless the
start page is that view already (a visitor who changed nothing): a second load would only flash the app and lose
whatever they clicked in its first moment. Session storage, not a cookie: a browser drops a cookie over 4 KB without
a word, and a view with long notes, a long description and many changed assumptions has a longer link; it also stays
with the tab that signed in, and never goes to the server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from explorer import state

#: The session-storage key that holds the view's address while the visitor is away at the provider's sign-in page.
RETURN_KEY = "cj_return"
#: How long the address waits for the sign-in to finish, in seconds.
RETURN_SECONDS = 15 * 60
#: The longest address kept: a server reads at most 64 KB of request line and headers.
MAX_CHARS = 60_000
_DONE = "cj_resume_done"

#: The remembered address as a path of this app (`/page?query`), or null: same origin, one path segment of letters,
#: digits, `_` and `-` (or the start page), no fragment. The browser parses it as it would navigate to it, so
#: "//evil.example", "/\\evil.example" and "javascript:" all come out as another origin or no path at all.
SAFE_TARGET_JS = """(raw) => {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.length > MAX_CHARS) return null;
  let url;
  try { url = new URL(raw, location.origin); } catch (error) { return null; }
  if (url.origin !== location.origin || !/^\\/[A-Za-z0-9_-]{0,64}$/.test(url.pathname)) return null;
  return url.pathname + url.search;
}""".replace("MAX_CHARS", str(MAX_CHARS))

_REMEMBER_JS = f"""<script>
if (!window.cjRememberView) {{
  window.cjRememberView = true;
  window.addEventListener("pagehide", () => {{
    try {{
      sessionStorage.setItem("{RETURN_KEY}", JSON.stringify(
        {{to: location.pathname + location.search, until: Date.now() + {RETURN_SECONDS * 1000}}}));
    }} catch (error) {{}}  // storage full or switched off: the view is not remembered, as before sign-in existed
  }});
}}
</script>"""


def remember_view() -> None:
    """For a signed-out visitor: keep the view's address in the tab when the page is left (e.g. to sign in)."""
    st.html(_REMEMBER_JS, unsafe_allow_javascript=True, width="content")


def return_script(go: bool, here: Mapping[str, str]) -> str:
    """The script that forgets the remembered address and, when `go`, sends the browser back to it once.

    `here` is the view this run writes into the address bar (at the run's end, after this script has run): when the
    remembered address is the start page with those parameters, the browser stays, as it is already there.
    """
    return f"""<script>
(() => {{
  let saved = null;
  try {{
    saved = JSON.parse(sessionStorage.getItem({json.dumps(RETURN_KEY)}) || "null");
    sessionStorage.removeItem({json.dumps(RETURN_KEY)});
  }} catch (error) {{ return; }}
  const target = ({SAFE_TARGET_JS})(saved && saved.until > Date.now() ? saved.to : null);
  if (!{json.dumps(go)} || !target) return;
  const url = new URL(target, location.origin);
  const params = (search) => JSON.stringify([...new URLSearchParams(search).entries()].sort());
  if (url.pathname === "/" && (!url.search || params(url.search) === params({json.dumps(urlencode(here))}))) return;
  window.location.replace(target);
}})();
</script>"""


def return_to_view() -> None:
    """On a signed-in session's first run: forget the remembered view, and go back to it from the bare start page."""
    if st.session_state.get(_DONE):
        return
    st.session_state[_DONE] = True
    go = not st.query_params.to_dict()  # the sign-in's landing page; a link with a view of its own is kept
    st.html(return_script(go, state.query_params()), unsafe_allow_javascript=True, width="content")
