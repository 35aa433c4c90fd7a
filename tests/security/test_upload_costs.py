"""Upload costs and feedback (issue 14, item 8; issue 15, item 5).

The work a hostile file can cause is capped, not only the output: a file of thousands of unknown keys asks
difflib for a bounded number of suggestions. A file is parsed once while it sits in the uploader, each upload
is loaded once (and a second upload of the same file loads it again, undoing edits, and says so), and a
successful upload says which scenario is now on screen, on the page and in the sidebar.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

import cjcore.scenario_io as scenario_io
import explorer.upload as upload
from cjcore.scenario_io import MAX_SUGGESTIONS, ScenarioError, dump_scenario, load_builtin, parse_scenario
from tests.security.oracle import shown_text

BASE = dump_scenario(load_builtin("greater-manchester"))


def many_unknown_keys(count: int = 4000) -> str:
    """A file whose overrides hold one misspelt key, then `count - 1` unknown ones."""
    keys = "\n".join(f"  reoffending_rate_effect_of_option_number_{i}: 0.5" for i in range(1, count))
    return BASE.replace("overrides: {}\n", "") + "overrides:\n  reoffending_efect: 0.5\n" + keys + "\n"


@pytest.fixture
def close_match_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call to difflib.get_close_matches while a file is checked (the calls still run)."""
    calls: list[str] = []
    real = difflib.get_close_matches

    def counting(word, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(word)
        return real(word, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    return calls


def test_thousands_of_unknown_override_keys_ask_for_few_suggestions(close_match_calls: list[str]) -> None:
    text = many_unknown_keys()
    assert len(text.encode()) > 200_000
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "many.yaml")
    assert len(caught.value.issues) == scenario_io.MAX_PROBLEMS
    assert caught.value.problems[-1] == "… and 3,900 more problem(s) not listed"
    assert len(close_match_calls) <= 2 * MAX_SUGGESTIONS, "suggestions are capped per file (and in the validator)"
    assert "did you mean" in caught.value.problems[0], "the first unknown keys still get a suggestion"


def test_thousands_of_unknown_fields_ask_for_few_suggestions(close_match_calls: list[str]) -> None:
    text = BASE + "".join(f"unknown_field_number_{i}: 1\n" for i in range(3000))
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "many.yaml")
    assert caught.value.problems[-1] == "… and 2,900 more problem(s) not listed"
    assert len(close_match_calls) <= MAX_SUGGESTIONS


def test_a_very_long_unknown_key_is_not_compared(close_match_calls: list[str]) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(BASE.replace("overrides: {}", "overrides:\n  " + "k" * 5000 + ": 1"), "long.yaml")
    assert close_match_calls == [] or all(len(w) <= 80 for w in close_match_calls)
    assert len(caught.value.problems[0]) < 600, "the key is shortened in the problem"


def test_a_new_file_gets_a_fresh_allowance_of_suggestions(close_match_calls: list[str]) -> None:
    for _ in range(2):
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(BASE.replace("area: greater-manchester", "area: greater-manchster"), "typo.yaml")
        assert "did you mean 'greater-manchester'" in caught.value.problems[0]


def scenarios_page(make_app: Callable[..., AppTest]) -> AppTest:
    at = make_app().run()
    at.switch_page("pages/scenarios.py").run()
    return at


def test_a_file_with_problems_is_parsed_once_while_it_sits_in_the_uploader(
        make_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    real = upload.parse_scenario

    def counting(data, source):  # type: ignore[no-untyped-def]
        parses.append(source)
        return real(data, source)

    monkeypatch.setattr(upload, "parse_scenario", counting)
    at = scenarios_page(make_app)
    at.file_uploader[0].upload("many.yaml", many_unknown_keys(500).encode(), "application/x-yaml").run()
    assert any("many.yaml: overrides." in shown_text(e.value) for e in at.error)
    for _ in range(3):  # other interactions rerun the page while the file stays in the uploader
        next(t for t in at.toggle if t.label == "Presenter mode").set_value(True).run()
        next(t for t in at.toggle if t.label == "Presenter mode").set_value(False).run()
    assert any("many.yaml: overrides." in shown_text(e.value) for e in at.error)
    assert parses.count("many.yaml") == 1


def test_an_upload_is_confirmed_on_the_page_and_in_the_sidebar(make_app: Callable[..., AppTest]) -> None:
    at = scenarios_page(make_app)
    london = load_builtin("london")
    at.file_uploader[0].upload("our-plan.yaml", dump_scenario(london).encode(), "application/x-yaml").run()
    assert not at.exception
    assert at.session_state["cj_scenario"] == london
    said = " ".join(shown_text(s.value) for s in at.success)
    assert f"Uploaded: {london.name} (from our-plan.yaml)" in said
    sidebar = " ".join(shown_text(c.value) for c in at.sidebar.caption)
    assert f"On screen: Uploaded: {london.name} (from our-plan.yaml)" in sidebar
    assert at.file_uploader[0].value is None, "the uploader is ready for the next file"
    assert at.session_state["cj_origin"] == london, "it is the loaded scenario: reset goes back to it"
    assert next(b for b in at.sidebar.button if b.label == "Reset to loaded scenario").disabled
    assert at.query_params["s"] == "greater-manchester", "the link starts from the library scenario"
    assert at.query_params["nm"] == london.name and at.query_params["area"] == "london"


def test_uploading_the_same_file_again_undoes_edits_and_says_so(make_app: Callable[..., AppTest]) -> None:
    at = scenarios_page(make_app)
    london = load_builtin("london")
    data = dump_scenario(london).encode()
    at.file_uploader[0].upload("plan.yaml", data, "application/x-yaml").run()
    edited = london.with_changes(horizon_years=london.horizon_years % 10 + 1)
    at.session_state["cj_scenario"] = edited  # an edit made on another view
    at.session_state["cj_version"] += 1
    at.run()
    assert "edited since" in " ".join(shown_text(c.value) for c in at.sidebar.caption)
    at.file_uploader[0].upload("plan.yaml", data, "application/x-yaml").run()
    assert not at.exception
    assert at.session_state["cj_scenario"] == london, "loaded again"
    said = " ".join(shown_text(s.value) for s in at.success)
    assert "loaded again" in said and "changes made since it was uploaded are replaced" in said
    next(b for b in at.sidebar.button if b.label == "Undo").click().run()
    assert at.session_state["cj_scenario"] == edited, "Undo brings the edits back"


def test_loading_from_the_library_forgets_the_upload(make_app: Callable[..., AppTest]) -> None:
    at = scenarios_page(make_app)
    at.file_uploader[0].upload("plan.yaml", dump_scenario(load_builtin("london")).encode(),
                               "application/x-yaml").run()
    next(b for b in at.button if b.key == "load_london").click().run()
    assert at.session_state["cj_origin_key"] == "london"
    assert not any("Uploaded:" in shown_text(c.value) for c in at.sidebar.caption)
