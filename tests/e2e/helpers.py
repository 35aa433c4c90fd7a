"""Selectors and waits shared by the browser tests.

Streamlit's test ids are not a public API: keep every selector here, so that a Streamlit upgrade is fixed in one
place. Never sleep a fixed time: wait for the expected change in the page, then for `wait_idle`.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from explorer.theme import CARD_CLASS, TABLE_CLASS

# Timeout for one wait, in milliseconds: generous for a cold 2-core CI machine.
TIMEOUT_MS = 30_000

APP = '[data-testid="stApp"]'
APP_IDLE = f'{APP}[data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
SKELETON = '[data-testid="stSkeleton"]'
EXCEPTION = '[data-testid="stException"]'
CHART = '[data-testid="stVegaLiteChart"]'
METRIC_VALUE = f".{CARD_CLASS}-value"
SLIDER_INPUT = '[data-testid="stSlider"] input[type="range"]'
SELECTBOX = '[data-testid="stSelectbox"]'
NAV_LINK = '[data-testid="stSidebarNavLink"]'
DOWNLOAD_BUTTON = '[data-testid="stDownloadButton"]'

# The only console errors a correct app logs: opening a deep link such as /compare?... directly makes the
# frontend ask /compare/_stcore/host-config and /compare/_stcore/health, which answer 404.
HARMLESS_404_PATH = re.compile(r"^/[^/]+/_stcore/(host-config|health)$")


def wait_idle(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the app is connected, has finished its script run and shows no loading skeleton.

    Right after an input the script state may still read "notRunning": first wait for the change the input
    should cause (e.g. with `expect`), then call this.
    """
    page.locator(APP_IDLE).wait_for(state="attached", timeout=timeout)
    expect(page.locator(SKELETON)).to_have_count(0, timeout=timeout)


def open_app(page: Page, path: str = "/", timeout: float = TIMEOUT_MS) -> None:
    """Open `path` (relative to the app server's base URL) and wait until the app is idle."""
    page.goto(path, timeout=timeout)
    wait_idle(page, timeout)


def enter_text(box: Locator, text: str) -> None:
    """Type `text` into a text box and press Enter, then wait for the run that Enter starts to finish.

    A click straight after `fill` sends the typed value (on blur) and the click in the same instant, while the
    page may still be redrawing; committing first means the click lands on a settled page. The tests of rooms
    and saving are about rooms and saving, not about that moment.
    """
    box.fill(text)
    box.press("Enter")
    wait_idle(box.page)


def selectbox(page: Page, label: str | None = None) -> Locator:
    """Return the combobox of the select box with this label (or of the only one)."""
    box = page.locator(SELECTBOX)
    if label is not None:
        box = box.filter(has_text=label)
    return box.get_by_role("combobox")


# --- The explorer's own page furniture ------------------------------------------------------------------------
METRIC = f".{CARD_CLASS}"  # a headline card (explorer.cardgrid)
METRIC_LABEL = f".{CARD_CLASS}-name"
SLIDER = '[data-testid="stSlider"]'
MULTISELECT = '[data-testid="stMultiSelect"]'
DATAFRAME = '[data-testid="stDataFrame"]'
TABLE = f'.stHtml:has(> table.{TABLE_CLASS})'  # a static table (explorer.statictable): its cells wrap
FILE_INPUT = '[data-testid="stFileUploader"] input[type="file"]'
SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
HEADER = '[data-testid="stHeader"]'
REOFFENCES = "Reoffences"

# True when at least `minimum` charts are visible and each visible one has its SVG drawn with a mark in it.
# Charts in tabs that are not selected are in the page but hidden (and not drawn): they do not count.
_CHARTS_PAINTED_JS = """([selector, minimum]) => {
  const charts = [...document.querySelectorAll(selector)].filter(chart => chart.checkVisibility());
  if (charts.length < minimum) return false;
  return charts.every(chart => {
    const svg = chart.querySelector('svg.marks');
    if (!svg || svg.getBoundingClientRect().width <= 0) return false;
    return [...svg.querySelectorAll('g.role-mark')].some(g => g.childElementCount > 0);
  });
}"""


def number(text: str) -> float:
    """A displayed figure back as a number: '115,402' -> 115402, '27.56%' -> 27.56, '£10.6m' -> 10.6."""
    cleaned = text.strip().replace(",", "").replace("£", "").replace("%", "").replace("−", "-").removesuffix("m")
    return float(cleaned)


def metric_value(page: Page, label: str) -> Locator:
    """The value of the headline card with exactly this label."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    card = page.locator(METRIC).filter(has=page.locator(METRIC_LABEL, has_text=exact))
    return card.locator(METRIC_VALUE)


def headline_figures(page: Page) -> dict[str, str]:
    """Every headline card on the page: label -> value as shown."""
    figures = {}
    for card in page.locator(METRIC).all():
        figures[card.locator(METRIC_LABEL).inner_text().strip()] = card.locator(METRIC_VALUE).inner_text().strip()
    return figures


def stage_slider(page: Page, label: str) -> Locator:
    """The keyboard-focusable thumb input of the slider with this label (stage control or number slider)."""
    label_pattern = re.compile(rf"^\s*{re.escape(label)}\s*$")
    slider = page.locator(SLIDER).filter(has=page.get_by_test_id("stWidgetLabel").filter(has_text=label_pattern))
    return slider.locator('input[type="range"]')


def press_on_slider(page: Page, label: str, key: str = "ArrowRight") -> str:
    """Move a slider one step with the keyboard; return the value it then shows (its text, else its number).

    Returns as soon as the slider itself has moved: wait for the app's response (e.g. a headline), then idle.
    """
    thumb = stage_slider(page, label)
    expect(thumb).to_have_count(1)
    before = thumb.input_value()
    thumb.focus()
    thumb.press(key)
    expect(thumb).not_to_have_value(before)
    return thumb.get_attribute("aria-valuetext") or thumb.input_value()


def wait_charts_painted(page: Page, minimum: int = 1, within: str = "", timeout: float = TIMEOUT_MS) -> None:
    """Wait until at least `minimum` charts are visible (inside `within`, if given) and all visible ones are drawn."""
    selector = f"{within} {CHART}".strip()
    page.wait_for_function(_CHARTS_PAINTED_JS, arg=[selector, minimum], timeout=timeout)


def go_to(page: Page, title: str, heading: str | re.Pattern, timeout: float = TIMEOUT_MS) -> None:
    """Follow the sidebar link to a view and wait until its heading shows and the app is idle."""
    page.locator(NAV_LINK).filter(has_text=title).click()
    headings = page.locator("h1").filter(has_text=heading)
    # While the view reruns, the heading of the run before can still be on screen beside the new one (seen once, on
    # a view whose first run showed a warning above it); once the app is idle there must be exactly one.
    expect(headings.first).to_be_visible(timeout=timeout)
    wait_idle(page, timeout)
    expect(headings).to_have_count(1, timeout=timeout)


def download(page: Page, label: str, timeout: float = TIMEOUT_MS) -> tuple[str, bytes]:
    """Click the download button with this label; return the suggested file name and the bytes."""
    button = page.locator(DOWNLOAD_BUTTON).filter(has_text=label)
    expect(button).to_have_count(1, timeout=timeout)
    with page.expect_download(timeout=timeout) as info:
        button.get_by_role("button").click()
    item = info.value
    failure = item.failure()
    assert failure is None, f"download of {label!r} failed: {failure}"
    with open(item.path(), "rb") as handle:
        return item.suggested_filename, handle.read()
