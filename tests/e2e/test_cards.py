"""The headline cards' explanations open on hover and on keyboard focus, and stay on the page (explorer.cardgrid)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from explorer.theme import CARD_CLASS
from tests.e2e.helpers import METRIC, METRIC_LABEL, open_app, wait_charts_painted, wait_idle

ORIGIN = "greater-manchester"
HELP = f".{CARD_CLASS}-help"
TIP = f".{CARD_CLASS}-tip"

# The tooltip's box against the window, in CSS pixels.
_BOX_JS = """el => { const r = el.getBoundingClientRect();
  return {left: r.left, right: r.right, width: r.width, window: window.innerWidth}; }"""


@pytest.mark.parametrize(("viewport", "presenter"), [({"width": 1366, "height": 768}, False),
                                                     ({"width": 1366, "height": 768}, True)])
def test_every_card_explains_itself_on_hover_and_on_focus_within_the_window(fresh_app_page, viewport, presenter):
    page: Page = fresh_app_page(viewport=viewport)
    open_app(page, f"/?s={ORIGIN}" + ("&pm=1" if presenter else ""))
    wait_charts_painted(page)
    wait_idle(page)
    cards = page.locator(METRIC)
    assert cards.count() == 5
    for i in range(cards.count()):
        card = cards.nth(i)
        tip = card.locator(TIP)
        page.mouse.move(0, 0)  # off every card: the last explanation closes, and may no longer cover this "?"
        expect(tip).to_be_hidden()
        card.locator(HELP).hover()
        expect(tip).to_be_visible()
        label = card.locator(METRIC_LABEL).inner_text().strip()
        assert len(tip.inner_text().strip()) > 40, f"{label}: {tip.inner_text()!r}"
        box = tip.evaluate(_BOX_JS)
        assert box["left"] >= 0 and box["right"] <= box["window"], f"{label}: explanation leaves the window {box}"
        assert box["width"] >= 150, f"{label}: explanation only {box['width']}px wide"
    page.mouse.move(0, 0)
    first = cards.first
    first.locator(HELP).focus()  # the keyboard reaches it (tabindex=0) and focus shows it without a mouse
    expect(first.locator(TIP)).to_be_visible()
    expect(first.locator(TIP)).to_contain_text("Likely range (p10–p90)")
