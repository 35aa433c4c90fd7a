"""Text typed in a box reaches the server before the view changes, so a note is never lost on a page switch.

A Streamlit text area (or text input) sends its text only on blur or Ctrl+Enter. Clicking a page in the sidebar
blurs the box, but the browser sends the page switch first and the box's text about 30 ms later, as a rerun of
the page being left: one of the two is lost (measured in Chromium with Streamlit 1.67; tests/e2e/test_notes.py).
This guard holds such a click while the box sends its text, waits for that run to finish, then clicks again.
It touches nothing else: no typing is intercepted, and clicks when no box has unsent text pass straight through.
"""

from __future__ import annotations

import streamlit as st

#: The guard, installed once per browser tab (st.html runs it in the page itself, not in an iframe).
_SCRIPT = """
<script>
(() => {
  if (window.__cjTextGuard) return;
  window.__cjTextGuard = true;
  const LINKS = '[data-testid="stSidebarNavLink"], [data-testid="stPageLink-NavLink"]';
  const BOXES = 'textarea, input[type="text"], input:not([type])';
  const app = () => document.querySelector('[data-testid="stApp"]');
  let typed = null;       // the box with text typed since it last had the focus
  let leftAt = 0;         // when it lost the focus (which sends its text, a moment later)
  let holding = false;    // a click is waiting for that text to reach the server
  document.addEventListener("input", (e) => {
    if (e.target.matches && e.target.matches(BOXES)) typed = e.target;
  }, true);
  document.addEventListener("focusout", (e) => {
    if (e.target === typed) leftAt = Date.now();
  }, true);
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest(LINKS);
    const unsent = typed && (document.activeElement === typed || Date.now() - leftAt < 1500);
    if (!link || (!unsent && !holding)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (holding) return;
    holding = true;
    const box = typed;
    typed = null;
    if (document.activeElement === box) box.blur();  // sends the text (a rerun of this page)
    const started = Date.now();
    let seenRun = false;
    const release = () => {
      const running = app() && app().getAttribute("data-test-script-state") === "running";
      seenRun = seenRun || running;
      const waited = Date.now() - started;
      if ((seenRun && !running) || waited > 3000 || (!seenRun && waited > 700)) {
        holding = false;
        link.click();
      } else {
        setTimeout(release, 25);
      }
    };
    setTimeout(release, 25);
  }, true);
})();
</script>
"""


def install() -> None:
    """Add the guard to the page (call once per run, from app.py; it installs itself once per tab)."""
    st.html(_SCRIPT, unsafe_allow_javascript=True, width="content")
