"""Two browsers click Save on the same saved scenario at the same moment: both versions survive (issue 14 item 2).

Each browser opened the same version with its own change (a share link carrying a different horizon). Both
clicks reach the server together; one save becomes version 2, the other is refused as stale and says so, and
"Save as a new version anyway" makes it version 3: nothing is overwritten or lost. Then both click "Save as new
scenario" with the same title at once: two scenarios, not one file written twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cjcore.scenario_io import load_builtin
from cjcore.store import LOCAL, ScenarioStore, open_store
from cjcore.store import default_url as store_url
from tests.e2e.conftest import AppServer, PageGuard, serve
from tests.e2e.helpers import EXCEPTION, MAIN, enter_text, open_app, wait_idle

pytestmark = pytest.mark.e2e

HORIZONS = (3, 8)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    with serve(tmp_path) as running:
        yield running


@pytest.fixture
def store(server: AppServer, tmp_path: Path) -> Iterator[ScenarioStore]:
    """The server's own store, opened beside it (as another replica would)."""
    opened = open_store(store_url(tmp_path / "scenarios"), legacy_dir=None)
    yield opened
    opened.close()


@pytest.fixture
def two_browsers(browser: Browser, browser_context_args: dict, server: AppServer) -> Iterator[list[Page]]:
    contexts: list[BrowserContext] = []
    guards: list[PageGuard] = []
    for _ in range(2):
        context = browser.new_context(**{**browser_context_args, "base_url": server.url})
        contexts.append(context)
        guards.append(PageGuard(context.new_page()))
    try:
        yield [g.page for g in guards]
        for guard in guards:
            guard.check(server.log_path)
    finally:
        for context in contexts:
            context.close()


def click_together(pages: list[Page], name: str) -> None:
    """Click the same button in both browsers with nothing in between (neither waits for its rerun)."""
    buttons = [p.locator(MAIN).get_by_role("button", name=name, exact=True) for p in pages]
    for b in buttons:
        expect(b).to_be_enabled()
    for b in buttons:
        b.click(no_wait_after=True)


def test_two_saves_at_the_same_moment_both_survive(two_browsers: list[Page], store: ScenarioStore) -> None:
    london = load_builtin("london")
    sid = store.create(LOCAL, london.with_changes(name="Workshop plan")).scenario_id
    for page, years in zip(two_browsers, HORIZONS, strict=True):
        open_app(page, f"/scenarios?s=id:{sid}@1&h={years}")
        expect(page.locator(MAIN).get_by_role("button", name="Save", exact=True)).to_be_visible()

    click_together(two_browsers, "Save")
    outcome = {}
    for page in two_browsers:
        said = page.locator(MAIN).get_by_text("Saved as version 2.").or_(page.get_by_text("Not saved: someone saved"))
        expect(said.first).to_be_visible()
        wait_idle(page)
        outcome[page] = "saved" if page.get_by_text("Saved as version 2.").count() else "stale"
    assert sorted(outcome.values()) == ["saved", "stale"]  # one won the race; the other was told, not overwritten
    assert [v.number for v in store.versions(LOCAL, sid)] == [2, 1]

    (late,) = [p for p, o in outcome.items() if o == "stale"]
    expect(late.locator(MAIN)).to_contain_text("Nothing was overwritten")
    late.locator(MAIN).get_by_role("button", name="Save as a new version anyway").click()
    expect(late.get_by_text("Saved as version 3.")).to_be_visible()
    wait_idle(late)

    stored = store.versions(LOCAL, sid)
    assert [v.number for v in stored] == [3, 2, 1]
    assert {v.scenario().horizon_years for v in stored[:2]} == set(HORIZONS)  # both browsers' work is kept
    for page in two_browsers:
        expect(page.locator(EXCEPTION)).to_have_count(0)


def test_two_new_scenarios_with_one_title_at_the_same_moment_stay_two(two_browsers: list[Page],
                                                                       store: ScenarioStore) -> None:
    for page, years in zip(two_browsers, HORIZONS, strict=True):
        open_app(page, f"/scenarios?s=london&h={years}")
        enter_text(page.locator(MAIN).get_by_label("Save as", exact=True), "Team plan")
    click_together(two_browsers, "Save as new scenario")
    for page in two_browsers:
        expect(page.get_by_text("Saved as a new scenario (version 1).")).to_be_visible()
        wait_idle(page)
    saved = store.list(LOCAL)
    assert [i.title for i in saved] == ["Team plan", "Team plan"] and len({i.id for i in saved}) == 2
    assert {store.latest(LOCAL, i.id).scenario().horizon_years for i in saved} == set(HORIZONS)
