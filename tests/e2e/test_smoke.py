"""Smoke test: the app starts and its home page renders without errors in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import EXCEPTION, open_app

pytestmark = pytest.mark.e2e

TITLE = "Devolution-spectrum explorer"


def test_home_page_loads(app_page: Page) -> None:
    open_app(app_page, "/")
    expect(app_page).to_have_title(re.compile(re.escape(TITLE)))
    expect(app_page.locator(EXCEPTION)).to_have_count(0)
