"""Notes typed in the room survive leaving the page at once: no blur, no Ctrl+Enter, straight to another view.

A Streamlit text area sends its value only on blur or Ctrl+Enter; a facilitator types the room's decision and
clicks the next view. The test types without leaving the box, clicks another page in the sidebar straight away,
comes back, and finds the text in the box, in the address bar (the share link) and in the YAML download.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import Page, expect

from cjcore.scenario_io import parse_scenario
from explorer.urlstate import decode
from tests.e2e.helpers import NAV_LINK, download, go_to, open_app, wait_idle

pytestmark = pytest.mark.e2e

OVERALL = "Overall decisions"
NOTE = "Agree the pooled budget by April; Łódź – Ærøskøbing ≥ 5 €"
YOUTH_NOTE = "Ask the YJB about a custody pilot"


def _notes_in_link(page: Page) -> dict[str, str]:
    """The notes the address bar's link carries, topic -> text, decoded as a new visitor's session would."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    from explorer.state import load_origin  # no Streamlit session needed to read a link

    decoded = decode(params, load_origin, "greater-manchester")
    return {n.topic: n.text for n in decoded.scenario.notes}


def _type_without_leaving(page: Page, box, text: str) -> None:
    box.click()
    box.press_sequentially(text)  # keystrokes only: the box keeps the focus, nothing is committed yet
    expect(box).to_have_value(text)


def test_notes_survive_clicking_another_page_straight_away(app_page: Page) -> None:
    page = app_page
    open_app(page, "/?s=greater-manchester")
    box = page.get_by_label(OVERALL)
    _type_without_leaving(page, box, NOTE)
    page.locator(NAV_LINK).filter(has_text="Projections").click()  # at once: no blur first, no Ctrl+Enter
    expect(page.locator("h1").filter(has_text="Projections")).to_be_visible()
    go_to(page, "Spectrum", "Where on the devolution spectrum?")
    expect(page.get_by_label(OVERALL)).to_have_value(NOTE)
    assert _notes_in_link(page).get("overall") == NOTE

    # A function's note, inside its expander, then straight to the Scenarios view and its YAML download.
    page.locator("summary").filter(has=page.get_by_text("Youth justice", exact=True)).click()
    youth = page.get_by_label("Notes on youth justice")
    _type_without_leaving(page, youth, YOUTH_NOTE)
    go_to(page, "Scenarios", "Scenarios")
    notes = _notes_in_link(page)
    assert notes == {"overall": NOTE, "youth_justice": YOUTH_NOTE}
    _, data = download(page, "Download this scenario (YAML)")
    saved = parse_scenario(data.decode("utf-8"), source="download.yaml")
    assert {n.topic: n.text for n in saved.notes} == notes
    assert yaml.safe_load(data)["notes"]


def test_a_notes_box_stays_open_when_its_first_note_is_kept(app_page: Page) -> None:
    """The expander's label gains "— has notes" with the first note: the box must not fold away under the cursor."""
    page = app_page
    open_app(page, "/?s=greater-manchester")
    page.locator("summary").filter(has=page.get_by_text("Youth justice", exact=True)).click()
    youth = page.get_by_label("Notes on youth justice")
    youth.fill(YOUTH_NOTE)
    youth.press("Control+Enter")  # kept: the page reruns with the new label
    expect(page.locator("summary").filter(has_text="Youth justice — has notes")).to_be_visible()
    wait_idle(page)
    expect(youth).to_be_visible()
    youth.press_sequentially(" and a second line")  # the room's note-taker goes on typing in the same box
    expect(youth).to_have_value(f"{YOUTH_NOTE} and a second line")
