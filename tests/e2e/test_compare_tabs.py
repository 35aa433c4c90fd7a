"""Compare's tabs rerun on their own (an st.fragment) in a real browser, and still follow the sidebar.

Choosing the function to sweep reruns only the tabs: the sweep says the new function and its charts are redrawn,
while the sidebar keeps its state. Choosing another area in the sidebar reruns everything, and the tabs show the
sweep for that area (a fragment that kept the scenario it was first given would not).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cjcore.areas import get_area
from cjcore.vocab import FUNCTION
from tests.e2e.helpers import CHART, open_app, selectbox, wait_charts_painted, wait_idle

OPEN_PANEL = '[role="tabpanel"]:not([hidden])'


def _chart_html(page: Page) -> str:
    return page.locator(OPEN_PANEL).locator(CHART).first.inner_html()


def _choose(page: Page, box_label: str, option: str) -> None:
    """Pick an option of a select box, typing its start first (a long list shows only some of its options)."""
    box = selectbox(page, box_label)
    box.click()
    box.press_sequentially(option[:6])
    page.get_by_role("option", name=option, exact=True).click()


def test_the_sweep_reruns_alone_and_follows_the_sidebar(app_page: Page) -> None:
    page = app_page
    open_app(page, "/compare?s=greater-manchester")
    page.get_by_role("tab", name="Spectrum sweep").click()
    panel = page.locator(OPEN_PANEL)
    expect(panel.get_by_text("Headline outcomes with")).to_be_visible()
    wait_idle(page)
    wait_charts_painted(page, 3, within=OPEN_PANEL)

    before = _chart_html(page)
    probation = FUNCTION["probation"].label
    _choose(page, "Function to sweep", probation)
    expect(panel.get_by_text(f"Headline outcomes with {probation}")).to_be_visible()
    wait_idle(page)
    wait_charts_painted(page, 3, within=OPEN_PANEL)
    swept = _chart_html(page)
    assert swept != before, "the sweep's charts were redrawn for the function chosen"
    expect(page.get_by_role("tab", name="Spectrum sweep")).to_have_attribute("aria-selected", "true")

    london = get_area("london").name
    _choose(page, "Area", london)
    expect(page.locator("[data-testid='stCaptionContainer']").filter(has_text=london).first).to_be_visible()
    wait_idle(page)
    wait_charts_painted(page, 3, within=OPEN_PANEL)
    expect(panel.get_by_text(f"Headline outcomes with {probation}")).to_be_visible()
    assert _chart_html(page) != swept, "the sweep follows the area chosen in the sidebar"
