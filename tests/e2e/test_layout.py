"""Every view reads on a laptop and on a projector: nothing cut, every line named, nothing off to the right.

Each view is opened from a share link at 1366×768 (normal and Presenter mode) and at 1920×1080 in Presenter mode,
and measured in the page once every visible chart is drawn:

- a headline card's label that does not fit (its text is wider than its box: the browser would end it in "…"), or
  a label or value wider than its card (the card clips it);
- a chart that draws more than one line without a legend or a text label per line, or whose axis or legend labels
  Vega cut short with "…";
- the main column wider than the window (something to scroll sideways to);
- a button whose word is cut ("Loa…"), or a sidebar select box that cuts a scenario's name without spelling it out
  under the box;
- in Presenter mode, an st.dataframe drawn at the normal size (its canvas text must grow like the rest), and in any
  mode one that reaches past the main column;
- a static table (explorer.statictable) whose text is much smaller than the page's paragraphs, or whose header
  breaks a word in two ("investm / ent").

Two more checks read the first screen and the history: on Spectrum the stage controls, every headline card and the
top of the chart are on the first screen at 1920×1080 in Presenter mode (the controls and cards at 1366×768), and
a saved scenario's history table fits the Scenarios view at 1366 without a sideways scroll.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from explorer.theme import HISTORY_KEY
from tests.e2e.helpers import (
    APP_IDLE,
    CHART,
    DATAFRAME,
    METRIC,
    METRIC_LABEL,
    METRIC_VALUE,
    SIDEBAR,
    SLIDER,
    TABLE,
    enter_text,
    open_app,
    wait_charts_painted,
    wait_idle,
)

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

# Labels whose text is wider than their box: the text element of each headline card's label.
_CUT_LABELS_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(label => label.checkVisibility())
  .flatMap(label => [label, ...label.querySelectorAll('p, div, span')])
  .filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
  .map(el => el.textContent.trim())"""

# Card values wider than their card (the card clips them: "115,16" for 115,164).
_CUT_VALUES_JS = """([selector, parts]) => [...document.querySelectorAll(selector)]
  .filter(card => card.checkVisibility())
  .flatMap(card => {
    const box = card.getBoundingClientRect();
    return [...card.querySelectorAll(parts)].filter(el => {
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


# Buttons whose label does not fit (the browser ends it in "…"): the button or any element of its label.
_BUTTONS = '[data-testid="stButton"] button, [data-testid="stDownloadButton"] button'
_CUT_BUTTONS_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(b => b.checkVisibility())
  .filter(b => [b, ...b.querySelectorAll('p, div, span')]
    .some(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1))
  .map(b => b.innerText.trim())"""

# Sidebar select boxes that cut their text, whose full text no sidebar caption spells out.
_CUT_SELECTS_JS = """(sidebar) => {
  const side = document.querySelector(sidebar);
  if (!side) return [];
  const captions = [...side.querySelectorAll('[data-testid="stCaptionContainer"]')].map(c => c.innerText.trim());
  return [...side.querySelectorAll('[data-testid="stSelectbox"] input')]
    .filter(i => i.checkVisibility() && i.scrollWidth > i.clientWidth + 1)
    .filter(i => !captions.some(c => c.includes(i.value)))
    .map(i => i.value);
}"""

# Each visible data table: how much larger it is drawn than its own CSS pixels, and how far it reaches past the main
# column's content box.
_DATAFRAMES_JS = """(selector) => {
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  const style = getComputedStyle(block);
  const right = block.getBoundingClientRect().right - parseFloat(style.paddingRight);
  return [...block.querySelectorAll(selector)].filter(d => d.checkVisibility()).map(d => ({
    zoom: d.currentCSSZoom, past: Math.round(d.getBoundingClientRect().right - right),
    head: (d.querySelector('[role="columnheader"]') || {}).textContent || ''}));
}"""
#: How much larger than normal an st.dataframe must be drawn in Presenter mode (the rest of its text grows ~1.6×).
PRESENTER_DATAFRAME_SCALE = 1.3

# Each visible static table's cell text size against the main column's paragraph text, in CSS pixels.
_STATIC_TABLES_JS = """(selector) => {
  const size = el => parseFloat(getComputedStyle(el).fontSize);
  const para = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
    .find(p => p.checkVisibility());
  return [...document.querySelectorAll(selector + ' td')].filter(td => td.checkVisibility()).slice(0, 1)
    .map(td => ({cell: size(td), text: para ? size(para) : 0, head: td.closest('table').rows[0].innerText}));
}"""
#: A static table's text may be this much smaller than the paragraphs around it, no less (0.9 at both sizes).
STATIC_TABLE_TEXT = 0.85
# Words of a static table's headers that the browser split across two lines ("investm / ent"): each word (between
# spaces, hyphens and soft hyphens, where a break is fine) is split when its first and last letters sit on different
# lines. (A range that starts just after a soft hyphen where the line broke also holds the hyphen drawn at the end of
# the line before, so each letter's line is that of its last box.)
_SPLIT_HEADER_WORDS_JS = """(selector) => {
  const line = (node, at) => {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    const boxes = [...range.getClientRects()];
    return boxes.length ? Math.round(boxes[boxes.length - 1].top) : null;
  };
  const split = [];
  for (const th of document.querySelectorAll(selector + ' th')) {
    if (!th.checkVisibility()) continue;
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-\u00ad\u2010\u2013\u2014\\/]+/g)) {
        if (line(node, m.index) !== line(node, m.index + m[0].length - 1)) {
          split.push(m[0] + ' in ' + JSON.stringify(th.innerText));
        }
      }
    }
  }
  return split;
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
        problems += _measure(page, view, presenter)
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
            problems += _measure(page, f"{view} › {name}", presenter)
    assert not problems, f"{size}:\n" + "\n".join(problems)


def _measure(page: Page, view: str, presenter: bool) -> list[str]:
    """What is cut, unnamed, too small or too wide on the page as it stands."""
    problems = []
    for text in page.evaluate(_CUT_BUTTONS_JS, _BUTTONS):
        problems.append(f"{view}: button label cut short: {text!r}")
    for text in page.evaluate(_CUT_SELECTS_JS, SIDEBAR):
        problems.append(f"{view}: the sidebar cuts {text!r} and does not spell it out")
    for table in page.evaluate(_DATAFRAMES_JS, DATAFRAME):
        if presenter and table["zoom"] < PRESENTER_DATAFRAME_SCALE:
            problems.append(f"{view}: data table drawn at {table['zoom']}× in Presenter mode ({table['head']!r}…)")
        if table["past"] > 1:
            problems.append(f"{view}: data table reaches {table['past']}px past the main column")
    for table in page.evaluate(_STATIC_TABLES_JS, TABLE):
        if table["cell"] < STATIC_TABLE_TEXT * table["text"]:
            problems.append(f"{view}: static table text {table['cell']}px beside {table['text']}px paragraphs "
                            f"({table['head'][:40]!r}…)")
    for word in page.evaluate(_SPLIT_HEADER_WORDS_JS, TABLE):
        problems.append(f"{view}: a table header breaks a word in two: {word}")
    for text in page.evaluate(_CUT_LABELS_JS, METRIC_LABEL):
        problems.append(f"{view}: card label cut short: {text!r}")
    for text in page.evaluate(_CUT_VALUES_JS, [METRIC, f"{METRIC_VALUE}, {METRIC_LABEL}"]):
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


# Top and bottom of every stage slider, every headline card and the first chart, in CSS pixels from the top.
_FIRST_SCREEN_JS = """([slider, metric, chart]) => {
  const box = el => { const r = el.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.bottom)]; };
  const figure = document.querySelector(chart);
  return {sliders: [...document.querySelectorAll(slider)].map(box),
          cards: [...document.querySelectorAll(metric)].map(box),
          chart: figure && box(figure)};
}"""
#: How much of the chart must show on the first screen for it to count as started there (CSS pixels).
CHART_SHOWN_PX = 120
#: Stage sliders (of seven) that must be whole on the first screen beside the cards: enough to move while watching.
SLIDERS_SHOWN = 3


@pytest.mark.parametrize("size", ["laptop", "projector-presenter"])
def test_spectrum_first_screen_holds_the_controls_the_figures_and_the_chart(fresh_app_page, size: str) -> None:
    """The room sees stage sliders and the five headline cards together; on the projector the chart starts too."""
    viewport, presenter = SIZES[size]
    page: Page = fresh_app_page(viewport=viewport)
    open_app(page, f"/?s={ORIGIN}" + ("&pm=1" if presenter else ""))
    wait_charts_painted(page, 1)
    wait_idle(page)
    boxes = page.evaluate(_FIRST_SCREEN_JS, [SLIDER, METRIC, CHART])
    height = viewport["height"]
    shown = sum(bottom <= height for _, bottom in boxes["sliders"])
    assert shown >= SLIDERS_SHOWN, f"{shown} stage sliders on the first screen ({boxes['sliders']}, {height}px)"
    assert len(boxes["cards"]) == 5 and all(bottom <= height for _, bottom in boxes["cards"]), boxes["cards"]
    if presenter:
        assert boxes["chart"][0] + CHART_SHOWN_PX <= height, f"the chart starts at {boxes['chart'][0]}px of {height}"


def test_history_fits_a_laptop_and_the_loaded_button_reads_whole(fresh_app_page) -> None:
    """A saved scenario with a long title and two versions: its history wraps instead of scrolling sideways."""
    page: Page = fresh_app_page(viewport=SIZES["laptop"][0])
    open_app(page, f"/scenarios?s={ORIGIN}")
    wait_idle(page)
    title = "Greater Manchester — youth justice and women first, with a long name a room must read in full"
    enter_text(page.get_by_label("Save as", exact=True), title)
    page.get_by_role("button", name="Save as new scenario").click()
    expect(page.get_by_text("Saved as a new scenario")).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved as version 2")).to_be_visible()
    wait_idle(page)
    history = page.locator(f".st-key-{HISTORY_KEY}")
    expect(history.get_by_text("2 (on screen)")).to_be_visible()
    wide = history.evaluate("""h => [h, ...h.querySelectorAll('*')]
        .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        .map(el => el.tagName + ' ' + el.scrollWidth + '>' + el.clientWidth)""")
    assert not wide, f"the history scrolls sideways: {wide}"
    past = history.evaluate("""h => { const r = h.getBoundingClientRect().right;
        return [...h.querySelectorAll('td, th')].filter(c => c.getBoundingClientRect().right > r + 1).length; }""")
    assert not past, f"{past} history cells reach past the table's box"
    assert not page.evaluate(_CUT_BUTTONS_JS, _BUTTONS), "a button label is cut"
    expect(page.get_by_role("button", name="Loaded", exact=True)).to_be_visible()
