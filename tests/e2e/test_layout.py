"""Every view reads on a laptop and on a projector: nothing cut, every line named, nothing off to the right.

Each view is opened from a share link at 1366×768 (normal and Presenter mode) and at 1920×1080 in Presenter mode,
and measured in the page once every visible chart is drawn:

- a headline card's label that does not fit (its text is wider than its box: the browser would end it in "…"), or
  a label or value wider than its card (the card clips it);
- a chart that draws more than one line without a legend or a text label per line, or whose axis or legend labels
  Vega cut short with "…";
- the main column wider than the window (something to scroll sideways to).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import APP_IDLE, CHART, METRIC, METRIC_LABEL, open_app, wait_charts_painted, wait_idle

pytestmark = pytest.mark.e2e

ORIGIN = "greater-manchester"
#: Each view's URL path and how many charts it shows at least once drawn (hidden tabs are not drawn).
VIEWS = {
    "Spectrum": ("", 1),
    "Funding & governance": ("funding_governance", 0),
    "Projections": ("projections", 1),
    "Compare": ("compare", 0),
    "Scenarios": ("scenarios", 0),
    "Evidence": ("evidence", 0),
}
SIZES = {
    "laptop": ({"width": 1366, "height": 768}, False),
    "laptop-presenter": ({"width": 1366, "height": 768}, True),
    "projector-presenter": ({"width": 1920, "height": 1080}, True),
}

# Labels whose text is wider than their box: the text element of each metric label.
_CUT_LABELS_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(label => label.checkVisibility())
  .flatMap(label => [label, ...label.querySelectorAll('p, div, span')])
  .filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
  .map(el => el.textContent.trim())"""

# Card values wider than their card (the card clips them: "115,16" for 115,164).
_CUT_VALUES_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(card => card.checkVisibility())
  .flatMap(card => {
    const box = card.getBoundingClientRect();
    return [...card.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')].filter(el => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect();
      return text.width > 0 && (text.right > box.right + 1 || text.left < box.left - 1);
    }).map(el => el.textContent.trim());
  })"""

# Per visible chart: how many lines it draws (one path per series in a line mark; distinct strokes), how many
# legend entries and text labels it has, and any axis or legend label Vega shortened with an ellipsis.
_CHARTS_JS = """(selector) => [...document.querySelectorAll(selector)].filter(c => c.checkVisibility()).map(chart => {
  const svg = chart.querySelector('svg.marks');
  const strokes = new Set();
  for (const path of svg.querySelectorAll('g.mark-line path, g.mark-trail path')) {
    const stroke = path.getAttribute('stroke') || '';
    const dash = path.getAttribute('stroke-dasharray') || '';
    if (path.getAttribute('d')) strokes.add(stroke + '|' + dash);
  }
  const legendEntries = svg.querySelectorAll('g.role-legend-label text').length;
  const textLabels = [...svg.querySelectorAll('g.mark-text.role-mark text')].filter(t => t.textContent.trim()).length;
  const cut = [...svg.querySelectorAll('g.role-axis-label text, g.role-legend-label text, g.role-title text')]
    .map(t => t.textContent).filter(t => t.endsWith('…'));
  const title = (svg.querySelector('g.role-title text') || {}).textContent || '';
  return {title, lines: strokes.size, legendEntries, textLabels, cut};
})"""

# How far the page or the main column reaches past the window's right edge, in CSS pixels.
_OVERFLOW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  return {
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    main: main ? main.scrollWidth - main.clientWidth : 0,
    block: block ? block.scrollWidth - block.clientWidth : 0,
  };
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_every_view_fits_and_names_its_lines(fresh_app_page, size: str) -> None:
    viewport, presenter = SIZES[size]
    page: Page = fresh_app_page(viewport=viewport)
    problems: list[str] = []
    for view, (path, charts) in VIEWS.items():
        open_app(page, f"/{path}?s={ORIGIN}" + ("&pm=1" if presenter else ""))
        if charts:
            wait_charts_painted(page, charts)
        wait_idle(page)
        problems += _measure(page, view)
        tabs = page.get_by_role("tab")
        for i in range(1, tabs.count()):  # Projections and Compare build a tab when it is opened
            tab = tabs.nth(i)
            name = tab.inner_text().strip()
            tab.click()
            expect(tab).to_have_attribute("aria-selected", "true")
            panel = page.locator('[role="tabpanel"]:not([hidden]) [data-testid="stElementContainer"]')
            expect(panel.first).to_be_visible()  # the rerun that builds the tab has drawn it
            page.locator(APP_IDLE).wait_for(state="attached")
            wait_idle(page)
            if page.locator(f'[role="tabpanel"]:not([hidden]) {CHART}').count():
                wait_charts_painted(page, 1, within='[role="tabpanel"]:not([hidden])')
            problems += _measure(page, f"{view} › {name}")
    assert not problems, f"{size}:\n" + "\n".join(problems)


def _measure(page: Page, view: str) -> list[str]:
    """What is cut, unnamed or too wide on the page as it stands."""
    problems = []
    for text in page.evaluate(_CUT_LABELS_JS, METRIC_LABEL):
        problems.append(f"{view}: metric label cut short: {text!r}")
    for text in page.evaluate(_CUT_VALUES_JS, METRIC):
        problems.append(f"{view}: headline card too narrow for {text!r}")
    for chart in page.evaluate(_CHARTS_JS, CHART):
        name = chart["title"] or "a chart"
        if chart["lines"] > 1 and max(chart["legendEntries"], chart["textLabels"]) < chart["lines"]:
            problems.append(f"{view}: {name} draws {chart['lines']} lines but names "
                            f"{max(chart['legendEntries'], chart['textLabels'])} (no legend or labels for each)")
        for label in chart["cut"]:
            problems.append(f"{view}: {name} cuts a label short: {label!r}")
    overflow = page.evaluate(_OVERFLOW_JS)
    for where, pixels in overflow.items():
        if pixels > 1:
            problems.append(f"{view}: the {where} is {pixels}px wider than the window (scrolls sideways)")
    return problems
