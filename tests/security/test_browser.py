"""In a real browser (Chromium), a share link full of hostile text makes the visitor's browser ask no other host,
and the page shows that text as text, with no link or image made from it (issue 14, item 4)."""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pytest
from playwright.sync_api import Page, Request, expect

from cjcore.scenario_io import load_builtin
from explorer.urlstate import encode
from tests.e2e.conftest import LOCAL_HOSTS, AppServer, PageGuard
from tests.e2e.helpers import open_app
from tests.security import hostile

pytestmark = pytest.mark.e2e

ORIGIN = "greater-manchester"


def test_a_hostile_link_makes_the_browser_fetch_nothing(page: Page, app_server_info: AppServer) -> None:
    attempted: list[str] = []

    def record(request: Request) -> None:
        if urlparse(request.url).hostname not in LOCAL_HOSTS:
            attempted.append(request.url)

    page.on("request", record)
    guard = PageGuard(page)  # aborts anything not on this machine (so a failure cannot reach the network)
    scenario = hostile.hostile_scenario().with_changes(baseline=None)
    params = encode(scenario, ORIGIN, load_builtin(ORIGIN))
    params.update(area=hostile.FAKE_NOTICE, h=hostile.IMAGE, fu=hostile.HTML_IMAGE)
    open_app(page, "/?" + urlencode(params))

    header = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="evil.example/image.png").first
    expect(header).to_be_visible()  # the name is on screen, as text
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warnings).to_have_count(3)
    expect(warnings.filter(has_text="Your session has expired")).to_have_count(1)  # echoed, short, as text
    assert "x" * 100 not in warnings.all_inner_texts()[0] + warnings.all_inner_texts()[1]
    page.get_by_text("What changed since loading").first.click()
    expect(page.get_by_text("Name: Greater Manchester")).to_be_visible()

    made = page.locator("a[href*='evil'], img[src*='evil'], [src*='evil.example'], [href*='evil.example']")
    assert made.count() == 0
    assert page.locator("[data-testid='stMain'] img, [data-testid='stSidebar'] img").count() == 0
    assert attempted == [], f"the browser asked other hosts: {attempted}"
    assert guard.blocked == []
    guard.check(app_server_info.log_path)
