"""Workshop rooms through AppTest, on a real SQLite store: open a room, join by link or code, choose the target.

Two AppTests on one store folder stand for two people; the browser test (tests/e2e/test_signin.py) does the same
against a real OpenID Connect provider.
"""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from explorer import rooms
from tests.app.test_auth import ALICE, with_sign_in

BOB = {"is_logged_in": True, "sub": "bob-0002", "email": "bob@example.org", "name": "Bob Baker"}


def sidebar_button(at: AppTest, label: str):
    return next(button for button in at.sidebar.button if button.label == label)


def sidebar_input(at: AppTest, label: str):
    return next(box for box in at.sidebar.text_input if box.label == label)


def messages(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.sidebar.success, *at.sidebar.error, *at.sidebar.info])


def target(at: AppTest):
    return next((box for box in at.sidebar.selectbox if box.label == "Save new scenarios for"), None)


def open_room(at: AppTest, name: str) -> str:
    """Open a room from the sidebar; return its code as the success message shows it."""
    sidebar_input(at, "New room's name").input(name)
    sidebar_button(at, "Open a room").click().run()
    assert not at.exception
    found = re.search(r"its code \*\*([A-Z0-9]+)\*\*", messages(at))
    assert found, messages(at)
    return found.group(1)


def test_a_room_opened_gets_a_code_a_join_link_and_becomes_the_save_target(make_app):
    at = with_sign_in(make_app(), ALICE).run()
    assert target(at) is None, "no rooms yet: nothing to choose"
    code = open_room(at, "Greater Manchester workshop")
    assert rooms.clean_code(code) == code
    assert target(at).value == code
    assert any(block.value == f"/?room={code}" for block in at.sidebar.code), "the join link is shown to copy"


def test_a_join_link_asks_then_joins_and_a_wrong_code_is_refused_neutrally(make_app):
    alice = with_sign_in(make_app(), ALICE).run()
    code = open_room(alice, "Workshop")

    bob = with_sign_in(make_app(room=code.lower()), BOB).run()
    assert f"invited to workshop room **{code}**" in messages(bob)
    assert target(bob) is None, "a link alone puts nobody in a room"
    sidebar_button(bob, "Join room").click().run()
    assert not bob.exception
    assert "You joined **Workshop**" in messages(bob)
    assert target(bob).value == code
    assert "Join room" not in [button.label for button in bob.sidebar.button]

    sidebar_input(bob, "Room code").input("ZZZZ2222")
    sidebar_button(bob, "Join").click().run()
    assert "No workshop room has the code ZZZZ2222" in messages(bob)
    assert target(bob).value == code, "a failed join changes nothing"


def test_not_now_drops_the_invitation(make_app):
    alice = with_sign_in(make_app(), ALICE).run()
    code = open_room(alice, "Workshop")
    bob = with_sign_in(make_app(room=code), BOB).run()
    sidebar_button(bob, "Not now").click().run()
    assert "invited" not in messages(bob)
    assert target(bob) is None


def test_a_signed_out_visitor_is_told_the_invitation_waits_and_the_browser_keeps_it(make_app):
    at = with_sign_in(make_app(room="K7QX2MPA"), {"is_logged_in": False}).run()
    assert not at.exception
    assert "invited to workshop room **K7QX2MPA**" in messages(at)
    assert "Join room" not in [button.label for button in at.sidebar.button]
    scripts = [str(element.proto.body) for element in at.get("html")]
    assert any(f"{rooms.INVITE_COOKIE}=K7QX2MPA;" in body for body in scripts), scripts


def test_sign_in_off_has_no_rooms(make_app):
    at = make_app(room="K7QX2MPA").run()
    assert not at.exception
    assert "invited" not in messages(at)
    assert "Open a room" not in [button.label for button in at.sidebar.button]


def test_a_room_code_is_cleaned_or_refused():
    assert rooms.clean_code(" k7qx-2mpa ") == "K7QX2MPA"
    assert rooms.clean_code("<script>") is None
    assert rooms.clean_code("';alert(1);'") is None
    assert rooms.clean_code(None) is None
