"""Selectors and waits shared by the browser tests.

Streamlit's test ids are not a public API: keep every selector here, so that a Streamlit upgrade is fixed in one
place. Never sleep a fixed time: wait for the expected change in the page, then for `wait_idle`.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

# Timeout for one wait, in milliseconds: generous for a cold 2-core CI machine.
TIMEOUT_MS = 30_000

APP = '[data-testid="stApp"]'
APP_IDLE = f'{APP}[data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
SKELETON = '[data-testid="stSkeleton"]'
EXCEPTION = '[data-testid="stException"]'
CHART = '[data-testid="stVegaLiteChart"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
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


def selectbox(page: Page, label: str | None = None) -> Locator:
    """Return the combobox of the select box with this label (or of the only one)."""
    box = page.locator(SELECTBOX)
    if label is not None:
        box = box.filter(has_text=label)
    return box.get_by_role("combobox")
