"""A Save-as title over the name limit is refused with a message, never cut or dropped (issue 14, item 9)."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from cjcore.scenario_io import title_problem
from cjcore.schema import MAX_NAME_CHARS
from cjcore.store import LOCAL, open_store


def test_title_problem_says_what_is_wrong() -> None:
    assert title_problem("Plan A") is None
    assert title_problem("x" * MAX_NAME_CHARS) is None
    assert title_problem("  ") == "Give the scenario a name first."
    said = title_problem("x" * (MAX_NAME_CHARS + 1))
    assert said is not None and f"at most {MAX_NAME_CHARS} characters; this one has 121" in said


def test_a_long_title_is_refused_and_nothing_is_saved(make_app: Callable[..., AppTest]) -> None:
    at = make_app().run()
    at.switch_page("pages/scenarios.py").run()
    box = next(t for t in at.text_input if t.label == "Save as")
    assert box.max_chars in (None, 0), "the box takes a long title, so the app can say it is too long"
    box.set_value("A" * 300).run()
    next(b for b in at.button if b.label == "Save as new scenario").click().run()
    assert not at.exception
    assert any("at most 120 characters; this one has 300" in e.value for e in at.error)
    store = open_store()
    try:
        assert store.list(LOCAL) == [], "nothing was saved, under any name"
    finally:
        store.close()
    assert at.session_state["cj_origin_key"] == "greater-manchester"
