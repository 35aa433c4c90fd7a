"""Sign-in in a real browser against a real OpenID Connect provider (oidc-provider-mock), with two people.

One provider and one app server (sign-in configured through a secrets file of the test's own) serve the module;
each person is a browser context of their own (their own cookies), as two laptops in a workshop would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import AppServer, PageGuard, serve
from tests.e2e.helpers import SIDEBAR, open_app, wait_idle
from tests.e2e.oidc import ALICE, BOB, answer_provider_assets, run_provider, sign_in, sign_out, write_secrets

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def signin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app with sign-in configured against a provider started for this module."""
    workdir = tmp_path_factory.mktemp("signin")
    with run_provider() as provider:
        secrets_file = write_secrets(workdir / "secrets.toml", provider)
        with serve(workdir, ("--secrets.files", str(secrets_file))) as server:
            yield server


@pytest.fixture
def person_page(browser: Browser, browser_context_args: dict,
                signin_server: AppServer) -> Iterator[Callable[[], Page]]:
    """Open a page in a new browser context (a new person: no cookies), guarded like the other browser tests."""
    opened: list[tuple[object, PageGuard]] = []

    def open_page() -> Page:
        context = browser.new_context(**{**browser_context_args, "base_url": signin_server.url})
        page = context.new_page()
        guard = PageGuard(page)
        answer_provider_assets(page)
        opened.append((context, guard))
        return page

    yield open_page
    try:
        for _, guard in opened:
            guard.check(signin_server.log_path)
    finally:
        for context, _ in opened:
            context.close()


def test_sign_in_shows_the_name_and_sign_out_ends_it(person_page: Callable[[], Page]) -> None:
    page = person_page()
    open_app(page, "/")
    sidebar = page.locator(SIDEBAR)
    expect(sidebar).to_contain_text("You can explore the built-in scenarios without signing in")
    sign_in(page, ALICE)
    expect(sidebar).not_to_contain_text("without signing in")
    expect(sidebar.get_by_role("button", name="Sign in")).to_have_count(0)
    sign_out(page)
    expect(sidebar).not_to_contain_text("Signed in as")


def test_an_invitation_opened_before_signing_in_waits_for_the_sign_in(person_page: Callable[[], Page]) -> None:
    alice = person_page()
    open_app(alice, "/")
    sign_in(alice, ALICE)
    sidebar = alice.locator(SIDEBAR)
    sidebar.get_by_text("Workshop rooms", exact=True).click()
    sidebar.get_by_label("New room's name").fill("Leeds workshop")
    sidebar.get_by_role("button", name="Open a room").click()
    message = sidebar.get_by_text(re.compile(r"its code [A-Z0-9]{8}"))
    expect(message).to_be_visible()
    code = re.search(r"its code ([A-Z0-9]{8})", message.inner_text()).group(1)
    wait_idle(alice)
    expect(sidebar.get_by_text(re.compile(rf"^http://127\.0\.0\.1:\d+/\?room={code}$")).first).to_be_visible()

    bob = person_page()
    open_app(bob, f"/?room={code}")
    bob_sidebar = bob.locator(SIDEBAR)
    expect(bob_sidebar).to_contain_text(f"You are invited to workshop room {code}. Sign in first")
    sign_in(bob, BOB)  # comes back to the start page, without the link's parameter
    expect(bob_sidebar).to_contain_text(f"You are invited to workshop room {code}.")
    bob_sidebar.get_by_role("button", name="Join room").click()
    expect(bob_sidebar).to_contain_text("You joined Leeds workshop")
    wait_idle(bob)
    bob.wait_for_function("() => !document.cookie.includes('cj_room_invite=')")  # the invitation is spent
