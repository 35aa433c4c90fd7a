"""A real OpenID Connect provider for the sign-in tests, and the app configured to use it.

The provider is `oidc-provider-mock` (a Flask app implementing the authorization-code flow with signed ID
tokens), served by werkzeug on a free port of 127.0.0.1 in a thread of the test process. Its authorize page is
a form: a predefined user is one button (named by its subject), any other subject can be typed in.
The app server reads a secrets file written here (`--secrets.files`), so the repository's own
`.streamlit/` never holds an `[auth]` section and sign-in stays off by default.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import oidc_provider_mock
import werkzeug.serving
from playwright.sync_api import Page, Route, expect

from tests.e2e.helpers import SIDEBAR, TIMEOUT_MS, wait_idle

#: The provider's pages load a stylesheet from a CDN; the tests answer it locally (the browser stays offline).
_PROVIDER_CDN = re.compile(r"^https://cdn\.jsdelivr\.net/")


@dataclass(frozen=True)
class TestUser:
    """A person the provider can sign in: subject (the app's stable id), email and display name."""

    __test__ = False  # not a pytest test class

    sub: str
    email: str
    name: str

    def claims(self) -> dict[str, object]:
        return {"email": self.email, "email_verified": True, "name": self.name}


ALICE = TestUser("alice-0001", "alice@example.org", "Alice Archer")
BOB = TestUser("bob-0002", "bob@example.org", "Bob Baker")


@dataclass(frozen=True)
class Provider:
    """A running provider: its issuer URL (also where its discovery document lives)."""

    issuer: str

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


@contextlib.contextmanager
def run_provider(users: tuple[TestUser, ...] = (ALICE, BOB)) -> Iterator[Provider]:
    """Serve the provider on a free port of 127.0.0.1 until the block ends."""
    app = oidc_provider_mock.app(
        require_nonce=True,
        user_claims=[oidc_provider_mock.User(sub=user.sub, claims=user.claims()) for user in users],
    )
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


def write_secrets(path: Path, provider: Provider) -> Path:
    """Write a secrets file with an `[auth]` section for `provider`; the app's port is filled in by Streamlit."""
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "devolution-explorer-test"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


def answer_provider_assets(page: Page) -> None:
    """Serve the provider pages' CDN stylesheet as empty CSS, so they render offline without console errors."""

    def empty_css(route: Route) -> None:
        route.fulfill(status=200, content_type="text/css", body="")

    page.route(_PROVIDER_CDN, empty_css)


def sign_in(page: Page, user: TestUser, timeout: float = TIMEOUT_MS) -> None:
    """Press the sidebar's Sign in, choose `user` on the provider's page, and wait until the app names them.

    Signing in lands on the start page, which sends the browser back to the view it left (explorer/resume.py):
    wait for that address before waiting for the app.
    """
    view = urlsplit(page.url)
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/oauth2/authorize"), timeout=timeout)
    page.get_by_role("button", name=user.sub, exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url)[2:4] == view[2:4], timeout=timeout)
    expect(sidebar).to_contain_text(f"Signed in as {user.name}", timeout=timeout)
    wait_idle(page, timeout)


def sign_out(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Press Sign out, end the session at the provider, and wait until the app offers Sign in again."""
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/oauth2/end_session"), timeout=timeout)
    page.get_by_role("button", name="End session").click()
    expect(sidebar.get_by_role("button", name="Sign in")).to_be_visible(timeout=timeout)
    wait_idle(page, timeout)
