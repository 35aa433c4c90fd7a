"""Every view, walked with hostile names, descriptions, notes, own-figures sources, file names and link values,
shows no link, image or HTML the app did not make (issue 14, item 4).

The hostile text does reach the screen (the tests check that it is shown, as text): it is only its markdown that
must not work.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from streamlit.testing.v1 import AppTest

from explorer.urlstate import encode
from tests.app.conftest import VIEWS
from tests.security import hostile
from tests.security.oracle import live_constructs, shown_text
from tests.security.walk import markdown_texts

#: Links the app itself puts in markdown (none today): (kind, excerpt start) pairs that are allowed.
APP_LINKS: set[str] = set()


def page(name: str) -> str:
    return f"pages/{name}.py"


def injected(at: AppTest) -> list[str]:
    """Every live link, image or HTML construct on screen that the app did not make."""
    return [f"{where}: {kind}: {excerpt!r}" for where, text in markdown_texts(at)
            for kind, excerpt in live_constructs(text) if excerpt not in APP_LINKS]


def shows(at: AppTest, fragment: str) -> bool:
    """Whether some markdown on screen shows this text (escaped or not)."""
    return any(fragment in shown_text(text) for _, text in markdown_texts(at))


def walk_every_view(at: AppTest) -> dict[str, list[str]]:
    """Switch to each view (and each Compare tab's content is drawn at once); the injections found on each."""
    found = {}
    for view in VIEWS:
        at.switch_page(page(view)).run()
        assert not at.exception, f"{view}: {at.exception}"
        found[view] = injected(at)
    return found


def test_the_oracle_sees_the_hostile_text_when_it_is_not_escaped() -> None:
    """The checker finds each construct in the raw hostile text (so the view tests can fail)."""
    kinds = {kind for kind, _ in live_constructs(hostile.TEXT + hostile.NAME)}
    assert {"inline link or image", "autolink", "raw HTML", "bare web address", "bare e-mail address",
            "link reference definition"} <= kinds


def test_an_uploaded_hostile_scenario_injects_nothing_on_any_view(make_app: Callable[..., AppTest]) -> None:
    at = make_app().run()
    at.switch_page(page("scenarios")).run()
    at.file_uploader[0].upload(hostile.FILE_NAME, hostile.hostile_yaml(), "application/x-yaml").run()
    assert not at.exception
    assert at.session_state["cj_scenario"] == hostile.hostile_scenario()
    assert shows(at, "Uploaded: ![x](http://evil.example/image.png)"), "the confirmation names it, as text"
    assert shows(at, "![f](http://evil.example/file.png)"), "and the file it came from"
    assert injected(at) == []
    for view, found in walk_every_view(at).items():
        assert found == [], view
        assert shows(at, hostile.IMAGE), f"{view}: the name is shown (as text) in the header"
    next(t for t in at.toggle if t.label == "Presenter mode").set_value(True).run()  # st.table for small tables
    assert walk_every_view(at) == {view: [] for view in VIEWS}


def test_a_saved_hostile_scenario_injects_nothing_in_the_library_or_the_sidebar(
        make_app: Callable[..., AppTest]) -> None:
    at = make_app().run()
    at.switch_page(page("scenarios")).run()
    at.file_uploader[0].upload("plain.yaml", hostile.hostile_yaml(), "application/x-yaml").run()
    title = next(t for t in at.text_input if t.label.startswith("Save as"))
    title.set_value(hostile.NAME).run()
    next(b for b in at.button if b.label.startswith("Save as")).click().run()
    assert not at.exception
    at.switch_page(page("scenarios")).run()
    assert injected(at) == []
    assert shows(at, hostile.NAME), "the library lists it by its name, as text"
    assert walk_every_view(at) == {view: [] for view in VIEWS}


LINK_VALUES = {
    "s": hostile.IMAGE,
    "area": hostile.FAKE_NOTICE,
    "h": hostile.IMAGE,
    "p": hostile.HTML_IMAGE,
    "o": f"{hostile.IMAGE}:1,{hostile.AUTOLINK}:2",
    "fb": hostile.AUTOLINK,
    "fu": hostile.LINK,
    "gm": hostile.BARE,
    "n": hostile.IMAGE,
    "b": hostile.LINK,
    "d": hostile.HTML_IMAGE,
}


@pytest.mark.parametrize("key", sorted(LINK_VALUES))
def test_a_hostile_link_value_is_echoed_as_text(make_app: Callable[..., AppTest], key: str) -> None:
    at = make_app(**{"s": "greater-manchester", key: LINK_VALUES[key]}).run()
    assert not at.exception
    assert at.warning, "the bad value is reported"
    assert injected(at) == []
    warning = " ".join(shown_text(w.value) for w in at.warning)
    assert "x" * 100 not in warning, "an echoed value is shortened"


def test_a_link_with_a_hostile_name_and_notes_injects_nothing_on_any_view(
        make_app: Callable[..., AppTest]) -> None:
    scenario = hostile.hostile_scenario().with_changes(baseline=None)
    from cjcore.scenario_io import load_builtin

    params = encode(scenario, "greater-manchester", load_builtin("greater-manchester"))
    assert {"nm", "d", "n"} <= set(params), "the name, description and notes travel in the link"
    at = make_app(**params).run()
    assert not at.exception and not at.warning
    assert at.session_state["cj_scenario"] == scenario
    assert injected(at) == []
    assert walk_every_view(at) == {view: [] for view in VIEWS}
    assert len(urlencode(params)) < 8000
