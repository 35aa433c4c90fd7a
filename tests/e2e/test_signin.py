"""Sign-in in a real browser against a real OpenID Connect provider (oidc-provider-mock), with two people.

One provider and one app server (sign-in configured through a secrets file of the test's own) serve the module;
each person is a browser context of their own (their own cookies), as two laptops in a workshop would be.
"""

from __future__ import annotations

import random
import re
import string
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from cjcore.evidence import load_register
from cjcore.scenario_io import load_builtin
from explorer.resume import MAX_CHARS, RETURN_KEY, SAFE_TARGET_JS
from explorer.urlstate import MAX_PARAM_CHARS, encode
from tests.e2e.conftest import AppServer, PageGuard, serve
from tests.e2e.helpers import MAIN, SIDEBAR, enter_text, go_to, open_app, press_on_slider, stage_slider, wait_idle
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


def test_sign_in_keeps_the_view_shows_the_name_and_sign_out_ends_it(person_page: Callable[[], Page]) -> None:
    page = person_page()
    open_app(page, "/")
    sidebar = page.locator(SIDEBAR)
    expect(sidebar).to_contain_text("You can explore the built-in scenarios without signing in")
    moved_to = press_on_slider(page, "Substance misuse")  # an edit made before signing in
    expect(page).to_have_url(re.compile(r"[?&]p=\d+"))
    wait_idle(page)
    sign_in(page, ALICE)  # the sign-in lands on the start page, which sends the browser back to the edited view
    assert stage_slider(page, "Substance misuse").get_attribute("aria-valuetext") == moved_to
    assert page.evaluate(f"sessionStorage.getItem({RETURN_KEY!r})") is None, "the remembered view is used once"
    expect(sidebar).not_to_contain_text("without signing in")
    expect(sidebar.get_by_role("button", name="Sign in")).to_have_count(0)
    sign_out(page)
    expect(sidebar).not_to_contain_text("Signed in as")


def test_signing_in_from_the_view_the_start_page_shows_loads_the_app_once(person_page: Callable[[], Page]) -> None:
    """Nothing changed before signing in: the landing start page is that view already, so it must not load again
    (a second load flashes the app and loses a click made in its first moment)."""
    page = person_page()
    open_app(page, "/")
    loads: list[str] = []
    page.on("domcontentloaded", lambda loaded: loads.append(loaded.url))
    sign_in(page, ALICE)
    moved_to = press_on_slider(page, "Substance misuse")  # a run on this page, so a late second load is seen too
    expect(page).to_have_url(re.compile(r"[?&]p=\d+"))
    wait_idle(page)
    app_loads = [url for url in loads if urlsplit(url).netloc == urlsplit(page.url).netloc]
    assert len(app_loads) == 1, app_loads
    assert stage_slider(page, "Substance misuse").get_attribute("aria-valuetext") == moved_to


def long_view() -> tuple[dict[str, str], str]:
    """A share link as long as the app writes one: text that packs badly in the notes and the description, and
    overridden assumptions up to what a link may carry. Returns its parameters and the note."""
    rng = random.Random(15)

    def text(n: int) -> str:
        return "".join(rng.choice(string.ascii_letters + string.digits + " .,;:!?()-'") for _ in range(n))

    origin = load_builtin("greater-manchester")
    note = text(1100)
    scenario = origin.with_changes(description=text(1100), notes=[{"topic": "overall", "text": note}])
    overrides: dict[str, float] = {}
    for key, parameter in load_register().parameters.items():
        more = {**overrides, key: parameter.value}
        if len(encode(scenario.with_changes(overrides=more), "greater-manchester", origin)["o"]) > MAX_PARAM_CHARS:
            break
        overrides = more
    params = encode(scenario.with_changes(overrides=overrides), "greater-manchester", origin)
    assert {"n", "d", "o"} <= set(params), "notes, description and assumptions all travel in the link"
    return params, note


def test_a_view_with_a_long_link_comes_back_after_sign_in(person_page: Callable[[], Page]) -> None:
    """A browser drops a cookie over 4 KB without a word: the view is kept in the tab's session storage instead."""
    params, note = long_view()
    page = person_page()
    open_app(page, "/?" + urlencode(params))
    assert page.evaluate("encodeURIComponent(location.pathname + location.search).length") > 4096, \
        "longer than a cookie can hold"
    sign_in(page, ALICE)  # waits until the browser is back at the same address
    expect(page.get_by_label("Overall decisions")).to_have_value(note)


@pytest.mark.parametrize("raw, kept", [
    ("/projections?s=london&p=000000300", "/projections?s=london&p=000000300"),
    ("/?s=greater-manchester", "/?s=greater-manchester"),
    ("/", "/"),
    ("/?n=</script><script>alert(1)</script>", "/?n=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E"),
    ("https://evil.example/", None), ("//evil.example/x", None), ("%2F%2Fevil.example", None),
    ("/\\evil.example/x", None),
    ("javascript:alert(1)", None), ("/a/b", None), ("/x\\y", None), ("", None), (None, None), (42, None),
    ("/" + "a" * MAX_CHARS, None),
])
def test_the_remembered_view_can_only_send_the_browser_to_a_page_of_this_app(
        person_page: Callable[[], Page], raw: object, kept: str | None) -> None:
    page = person_page()
    open_app(page, "/")
    assert page.evaluate(f"({SAFE_TARGET_JS})", raw) == kept


def test_an_invitation_opened_before_signing_in_waits_for_the_sign_in(person_page: Callable[[], Page]) -> None:
    alice = person_page()
    open_app(alice, "/")
    sign_in(alice, ALICE)
    code = open_room(alice, "Leeds workshop")
    join_link = re.compile(rf"^http://127\.0\.0\.1:\d+/\?room={code}$")
    expect(alice.locator(SIDEBAR).get_by_text(join_link).first).to_be_visible()
    # The box folds once the room is open (the message above it has the code and link), and the rooms block sits
    # below the workshop controls: scrolled back up, the sidebar's first screen has Scenario to Undo.
    expect(alice.locator(SIDEBAR).get_by_role("textbox", name="New room's name")).not_to_be_visible()
    alice.locator(SIDEBAR_CONTENT).evaluate("content => content.scrollTo(0, 0)")
    for control in (combobox(alice, "Scenario"), combobox(alice, "Area"),
                    alice.locator(SIDEBAR).get_by_role("button", name="Undo")):
        expect(control).to_be_in_viewport()

    bob = person_page()
    open_app(bob, f"/?room={code}")
    bob_sidebar = bob.locator(SIDEBAR)
    expect(bob_sidebar).to_contain_text(f"You are invited to workshop room {code}. Sign in first")
    sign_in(bob, BOB)  # comes back to the start page, without the link's parameter
    expect(bob_sidebar).to_contain_text(f"You are invited to workshop room {code}.")
    bob_sidebar.get_by_role("button", name="Join room").click()
    expect(bob_sidebar).to_contain_text("You joined Leeds workshop")
    wait_idle(bob)
    expect(combobox(bob, "Save new scenarios for")).to_have_value(f"Room: Leeds workshop ({code})")
    # The rooms box stays folded, so the scenario controls are still on a laptop's first screen.
    expect(bob_sidebar.get_by_role("textbox", name="Room code")).not_to_be_visible()
    expect(combobox(bob, "Scenario")).to_be_in_viewport()
    bob.wait_for_function("() => !document.cookie.includes('cj_room_invite=')")  # the invitation is spent


WARNING = '[data-testid="stAlertContentWarning"]'
SIDEBAR_CONTENT = '[data-testid="stSidebarContent"]'


def save_as_new(page: Page, title: str) -> str:
    """Save the scenario on screen under `title` from the Scenarios view; return the origin key it got."""
    go_to(page, "Scenarios", "Scenarios")
    enter_text(page.locator(MAIN).get_by_role("textbox", name="Save as", exact=True), title)
    page.locator(MAIN).get_by_role("button", name="Save as new scenario").click()
    expect(page.locator(MAIN)).to_contain_text("Saved as a new scenario (version 1).")
    wait_idle(page)
    key = parse_qs(urlsplit(page.url).query)["s"][0]
    assert key.startswith("id:") and key.endswith("@1"), key
    return key


def combobox(page: Page, label: str) -> Locator:
    """The sidebar's select box with exactly this label."""
    return page.locator(SIDEBAR).get_by_role("combobox", name=label, exact=True)


def scenario_choices(page: Page) -> list[str]:
    """The labels the sidebar's Scenario box offers (its list opened, read, and closed again)."""
    box = combobox(page, "Scenario")
    # Centred first: clicked at the sidebar's bottom edge (an open rooms box puts it there at 768 px), the list
    # opens below the screen and the scroll that follows closes it again. A person scrolls to a box before using it.
    box.scroll_into_view_if_needed()
    box.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    labels = [text.strip() for text in options.all_inner_texts()]
    box.press("Escape")
    expect(options).to_have_count(0)
    return labels


def library_text(page: Page) -> str:
    go_to(page, "Scenarios", "Scenarios")
    return page.locator(MAIN).inner_text()


def open_room(page: Page, name: str) -> str:
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("Workshop rooms", exact=True).click()
    enter_text(sidebar.get_by_role("textbox", name="New room's name"), name)
    sidebar.get_by_role("button", name="Open a room").click()
    message = sidebar.get_by_text(re.compile(r"its code [A-Z0-9]{8}"))
    expect(message).to_be_visible()
    wait_idle(page)
    return re.search(r"its code ([A-Z0-9]{8})", message.inner_text()).group(1)


def test_a_private_scenario_stays_private_and_a_room_shares_on_purpose(person_page: Callable[[], Page]) -> None:
    private_title = f"Alice private plan {uuid.uuid4().hex[:8]}"
    room_title = f"Room plan {uuid.uuid4().hex[:8]}"

    alice = person_page()
    open_app(alice, "/")
    sign_in(alice, ALICE)
    private_key = save_as_new(alice, private_title)
    private_link = urlsplit(alice.url)
    assert any(private_title in label for label in scenario_choices(alice))

    bob = person_page()
    open_app(bob, "/")
    sign_in(bob, BOB)
    assert private_title not in library_text(bob)
    assert not any(private_title in label for label in scenario_choices(bob))
    # Alice's own share link, and the bare id (newest version): a neutral warning, the default scenario, no title.
    scenario_id = private_key.removeprefix("id:").split("@")[0]
    for path in (f"{private_link.path}?{private_link.query}", f"/?s=id:{scenario_id}"):
        open_app(bob, path)
        expect(bob.locator(WARNING).first).to_contain_text("not available")
        assert private_title not in bob.content()
        assert combobox(bob, "Scenario").input_value() != private_title

    # A visitor who has not signed in sees nothing saved either, and is told to sign in to save.
    visitor = person_page()
    open_app(visitor, f"{private_link.path}?{private_link.query}")
    expect(visitor.locator(WARNING).first).to_contain_text("not available")
    assert private_title not in visitor.content()
    assert "Saved · version" not in library_text(visitor), "no saved scenario is listed"
    expect(visitor.locator(MAIN)).to_contain_text("Sign in to save scenarios.")

    # A room Alice opens and Bob joins shares what Alice saves into it, and nothing else.
    code = open_room(alice, "Isolation workshop")
    bob_sidebar = bob.locator(SIDEBAR)
    bob_sidebar.get_by_text("Workshop rooms", exact=True).click()
    enter_text(bob_sidebar.get_by_role("textbox", name="Room code"), code.lower())
    bob_sidebar.get_by_role("button", name="Join", exact=True).click()
    expect(bob_sidebar).to_contain_text("You joined Isolation workshop")
    wait_idle(bob)
    expect(bob_sidebar.get_by_role("textbox", name="Room code")).not_to_be_visible()  # folded after joining

    expect(combobox(alice, "Save new scenarios for")).to_have_value(f"Room: Isolation workshop ({code})")
    save_as_new(alice, room_title)
    expect(alice.locator(MAIN)).to_contain_text(f"Room Isolation workshop ({code})")

    text = library_text(bob)
    assert room_title in text
    assert f"Room Isolation workshop ({code})" in text
    assert private_title not in bob.content()
    choices = scenario_choices(bob)
    assert any(room_title in label for label in choices)
    assert not any(private_title in label for label in choices)
