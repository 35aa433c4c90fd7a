"""Sign-in and the scenario store through AppTest: who sees, saves and shares what (a real SQLite store).

Each AppTest is one person's session on the same store folder. The same rules are proven in a real browser
against a real OpenID Connect provider in tests/e2e/test_signin.py; these are the cheaper corners.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cjcore.scenario_io import load_builtin
from cjcore.store import LOCAL, Viewer, open_store
from tests.app.test_auth import ALICE, with_sign_in
from tests.app.test_auth_rooms import BOB, open_room, sidebar_button, sidebar_input

SCENARIOS = "pages/scenarios.py"


def save_as_new(at: AppTest, title: str) -> str:
    """Save the scenario on screen under `title` from the Scenarios view; return its id."""
    at.switch_page(SCENARIOS).run()
    next(t for t in at.text_input if t.label == "Save as").set_value(title).run()
    next(b for b in at.button if b.label == "Save as new scenario").click().run()
    assert not at.exception
    key = at.session_state["cj_origin_key"]
    assert key.startswith("id:") and key.endswith("@1"), key
    return key.removeprefix("id:").removesuffix("@1")


def everything_shown(at: AppTest) -> str:
    """Every text, caption, markdown, option and message the app drew, in one string."""
    parts = [str(getattr(element, "value", "")) for element in [*at.markdown, *at.caption, *at.text, *at.warning,
                                                                 *at.info, *at.error, *at.success]]
    parts += [str(option) for box in at.selectbox for option in box.options]
    return "\n".join(parts)


def test_someone_not_signed_in_sees_nothing_saved_and_cannot_save(make_app):
    store = open_store()
    store.create(LOCAL, load_builtin("london").with_changes(name="Shared-space plan"))
    store.create(Viewer("alice-0001", "Alice Archer"), load_builtin("london").with_changes(name="Alice's own"))
    store.close()
    at = with_sign_in(make_app(), {"is_logged_in": False}).run()
    at.switch_page(SCENARIOS).run()
    assert not at.exception
    shown = everything_shown(at)
    assert "Shared-space plan" not in shown and "Alice" not in shown
    assert "Sign in to save scenarios." in shown
    assert next(b for b in at.button if b.label == "Save as new scenario").disabled


def test_sign_in_off_is_the_one_shared_space(make_app):
    store = open_store()
    store.create(LOCAL, load_builtin("london").with_changes(name="Shared-space plan"))
    store.close()
    at = make_app().run()
    at.switch_page(SCENARIOS).run()
    assert "Shared-space plan" in everything_shown(at)
    assert not next(b for b in at.button if b.label == "Save as new scenario").disabled


def test_a_private_scenario_is_invisible_to_another_person_even_by_its_id(make_app):
    alice = with_sign_in(make_app(), ALICE).run()
    scenario_id = save_as_new(alice, "Alice private plan")
    assert "Only you" in everything_shown(alice)

    bob = with_sign_in(make_app(s=f"id:{scenario_id}@1"), BOB).run()
    assert not bob.exception
    assert any("not available" in str(w.value) for w in bob.warning)
    assert bob.session_state["cj_origin_key"] != f"id:{scenario_id}@1"
    bob.switch_page(SCENARIOS).run()
    assert "Alice private plan" not in everything_shown(bob)


def test_a_room_chosen_in_the_sidebar_receives_the_save_and_the_owner_can_move_one_in(make_app):
    alice = with_sign_in(make_app(), ALICE).run()
    private_id = save_as_new(alice, "Kept private at first")
    code = open_room(alice, "Workshop")
    room_id = save_as_new(alice, "Saved into the room")
    assert any(f"Saved into workshop room Workshop ({code})" in str(c.value).replace("\\", "")
               for c in alice.caption)

    bob = with_sign_in(make_app(), BOB).run()
    sidebar_input(bob, "Room code").input(code)
    sidebar_button(bob, "Join").click().run()
    bob.switch_page(SCENARIOS).run()
    shown = everything_shown(bob)
    assert "Saved into the room" in shown and "Kept private at first" not in shown

    alice.switch_page(SCENARIOS).run()
    move = next(box for box in alice.selectbox if box.key == f"cj_move_{private_id}")
    assert move.value == ""
    move.set_value(code).run()
    assert not alice.exception
    assert next(box for box in alice.selectbox if box.key == f"cj_move_{room_id}").value == code

    bob.switch_page(SCENARIOS).run()
    assert "Kept private at first" in everything_shown(bob)
    assert not any(box.key == f"cj_move_{private_id}" for box in bob.selectbox), "only the owner may move it"
