"""A share link opened first thing on a freshly started server shows its view (a restart must not break links).

With a `pages/` folder next to app.py, a fresh Streamlit server runs a deep link's page script on its own until
`st.navigation` has run once; the pages then go back through app.py (explorer.state.require_app). The session's
shared server has already served "/", so only a server of the test's own can show this.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import PageGuard, serve
from tests.e2e.helpers import EXCEPTION, MAIN, SIDEBAR, open_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/projections?s=london", "/compare?s=west-midlands"])
def test_deep_link_is_the_first_request_a_fresh_server_gets(browser: Browser, browser_context_args: dict,
                                                              tmp_path: Path, path: str) -> None:
    with serve(tmp_path) as server:
        context = browser.new_context(**{**browser_context_args, "base_url": server.url})
        try:
            page = context.new_page()
            guard = PageGuard(page)
            open_app(page, path)
            expect(page.locator(EXCEPTION)).to_have_count(0)
            expect(page.locator(SIDEBAR)).to_contain_text("Share link")  # app.py drew the shared sidebar
            expect(page.locator(MAIN)).to_contain_text("London" if "london" in path else "West Midlands")
            assert path.split("?")[0] in page.url
            guard.check(server.log_path)
        finally:
            context.close()
