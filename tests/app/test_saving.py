"""Saving on the Scenarios view (issue 14 items 1-3 and 6), through AppTest on a store of the test's own.

Save makes a new version of the loaded saved scenario; a save that someone else overtook asks instead of
overwriting; the history lists versions and restores one (as a new version); links name a version and say when
a newer one exists; old `user:<stem>` links still open; an unwritable store keeps the app working read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cjcore.scenario_io import dump_scenario, load_builtin
from cjcore.store import LOCAL, ScenarioStore, Viewer, open_store
from tests.tables import static_tables

SCENARIOS = "pages/scenarios.py"
OTHER = Viewer(None, "Another participant")  # sign-in off: everyone is the shared space; only the name differs


@pytest.fixture
def store(user_dir: Path) -> Iterator[ScenarioStore]:
    """The same store the app opens (the test's own CJ_SCENARIO_DIR), as another participant's replica would."""
    opened = open_store()
    yield opened
    opened.close()


def button(at: AppTest, label: str):  # noqa: ANN201 - AppTest's element type
    return next(b for b in at.button if b.label == label)


def texts(at: AppTest) -> str:
    """Everything the page says, as one string (markdown, alerts, captions, plain text)."""
    parts = [e.value for kind in ("markdown", "caption", "text", "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def open_scenarios(make_app: Callable[..., AppTest], **query: str) -> AppTest:
    at = make_app(**query).run()
    at.switch_page(SCENARIOS).run()
    assert not at.exception
    return at


def test_save_makes_versions_and_history_restores_one(make_app, store: ScenarioStore) -> None:
    at = open_scenarios(make_app)
    next(t for t in at.text_input if t.label == "Save as").set_value("Team plan").run()
    button(at, "Save as new scenario").click().run()
    (info,) = store.list(LOCAL)
    assert at.session_state["cj_origin_key"] == f"id:{info.id}@1"
    assert "Save" in [b.label for b in at.button]  # a saved scenario is loaded: Save makes its next version

    years = at.session_state["cj_scenario"].horizon_years
    at.session_state["cj_scenario"] = at.session_state["cj_scenario"].with_changes(horizon_years=years % 10 + 1)
    at.run()
    button(at, "Save").click().run()
    assert not at.exception
    assert at.session_state["cj_origin_key"] == f"id:{info.id}@2"
    assert any(s.value == "Saved as version 2." for s in at.success)
    assert [v.number for v in store.versions(LOCAL, info.id)] == [2, 1]
    assert store.latest(LOCAL, info.id).scenario().horizon_years == years % 10 + 1

    table = static_tables(at)[-1]  # the history: a static table whose cells wrap
    assert list(table["Version"]) == ["2 (on screen)", "1"] and list(table["Title"]) == ["Team plan", "Team plan"]
    next(s for s in at.selectbox if s.label == "Version").set_value(1).run()
    button(at, "Restore as the newest version").click().run()
    assert not at.exception
    restored = store.latest(LOCAL, info.id)
    assert (restored.number, restored.restored_from) == (3, 1)
    assert restored.scenario().horizon_years == years
    assert at.session_state["cj_origin_key"] == f"id:{info.id}@3"
    assert at.session_state["cj_scenario"].horizon_years == years
    assert list(static_tables(at)[-1]["Version"]) == ["3 (on screen), restored from version 1", "2", "1"]


def test_a_save_someone_overtook_asks_and_overwrites_nothing(make_app, store: ScenarioStore) -> None:
    london = load_builtin("london")
    sid = store.create(LOCAL, london.with_changes(name="Shared plan")).scenario_id
    at = open_scenarios(make_app, s=f"id:{sid}@1")
    theirs = store.save(OTHER, sid, london.with_changes(name="Shared plan", horizon_years=3), base=1)

    button(at, "Save").click().run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "Not saved" in w.value)
    assert "version 2" in warning and "Another participant" in warning and "Nothing was overwritten" in warning
    assert [v.number for v in store.versions(LOCAL, sid)] == [2, 1]  # nothing written
    assert at.session_state["cj_origin_key"] == f"id:{sid}@1"

    button(at, "Save as a new version anyway").click().run()
    assert [v.number for v in store.versions(LOCAL, sid)] == [3, 2, 1]
    assert store.get(LOCAL, sid, 2) == theirs  # theirs is kept in the history
    assert at.session_state["cj_origin_key"] == f"id:{sid}@3"
    assert not any("Not saved" in w.value for w in at.warning)


def test_a_save_someone_overtook_can_become_a_new_scenario(make_app, store: ScenarioStore) -> None:
    london = load_builtin("london")
    sid = store.create(LOCAL, london.with_changes(name="Shared plan")).scenario_id
    at = open_scenarios(make_app, s=f"id:{sid}@1")
    store.save(OTHER, sid, london.with_changes(name="Shared plan", horizon_years=3), base=1)
    button(at, "Save").click().run()
    button(at, "Save as a new scenario").click().run()
    assert not at.exception
    assert len(store.list(LOCAL)) == 2 and [v.number for v in store.versions(LOCAL, sid)] == [2, 1]
    new_key = at.session_state["cj_origin_key"]
    assert new_key.startswith("id:") and sid not in new_key and new_key.endswith("@1")


def test_a_link_keeps_its_version_and_says_when_a_newer_one_exists(make_app, store: ScenarioStore) -> None:
    london = load_builtin("london")
    sid = store.create(LOCAL, london.with_changes(name="Plan", horizon_years=4)).scenario_id
    store.save(OTHER, sid, london.with_changes(name="Plan", horizon_years=9), base=1)
    at = make_app(s=f"id:{sid}@1").run()
    assert not at.exception
    assert at.session_state["cj_scenario"].horizon_years == 4  # the version the link was made from
    assert at.query_params["s"] == f"id:{sid}@1"
    notice = next(i.value for i in at.sidebar.info if "newer version" in i.value)
    assert "version 2" in notice
    next(b for b in at.sidebar.button if b.label == "Open the newest version").click().run()
    assert at.session_state["cj_scenario"].horizon_years == 9
    assert at.session_state["cj_origin_key"] == f"id:{sid}@2"
    assert not any("newer version" in i.value for i in at.sidebar.info)
    latest = make_app(s=f"id:{sid}").run()  # no version named: the latest, and the link then names it
    assert latest.session_state["cj_origin_key"] == f"id:{sid}@2"


def test_old_user_links_open_the_imported_scenario(make_app, user_dir: Path) -> None:
    user_dir.mkdir(parents=True)
    (user_dir / "team-plan.yaml").write_text(dump_scenario(load_builtin("london").with_changes(name="Team plan")))
    at = make_app(s="user:team-plan").run()
    assert not at.exception and not at.session_state["cj_link_warnings"]
    assert at.session_state["cj_scenario"].name == "Team plan"
    assert at.session_state["cj_origin_key"].startswith("id:")
    options = at.sidebar.selectbox[0].options
    assert "Saved: Team plan" in options


def test_repeated_titles_are_told_apart_in_the_sidebar(make_app, store: ScenarioStore) -> None:
    london = load_builtin("london").with_changes(name="Plan A")
    store.create(LOCAL, london)
    store.create(LOCAL, london)
    at = make_app().run()
    saved = [o for o in at.sidebar.selectbox[0].options if o.startswith("Saved: Plan A")]
    assert len(saved) == 2 and len(set(saved)) == 2


def test_hostile_titles_are_shown_as_text(make_app, store: ScenarioStore) -> None:
    store.create(LOCAL, load_builtin("london").with_changes(name="![x](http://evil.example/x.png) **loud**"))
    at = open_scenarios(make_app)
    shown = [m.value for m in at.markdown if "evil" in m.value]
    assert shown and all("](" not in m and "**loud**" not in m and "http://" not in m for m in shown)


def test_an_unwritable_store_keeps_the_app_working_read_only(make_app, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CJ_SCENARIO_DIR", str(blocker / "scenarios"))  # cannot be created, even by root
    at = open_scenarios(make_app)
    said = texts(at)
    assert "Saving is off" in said and str(tmp_path) not in said and "a-file" not in said
    assert button(at, "Save as new scenario").disabled
    assert at.session_state["cj_scenario"] == load_builtin("greater-manchester")  # the scenario on screen stays
    for page in ("pages/spectrum.py", "pages/projections.py"):
        at.switch_page(page).run()
        assert not at.exception


def test_someone_elses_save_never_replaces_the_scenario_on_screen(make_app, store: ScenarioStore) -> None:
    """New versions saved elsewhere are announced, never loaded over the edits on screen.

    (The browser test tests/e2e/test_concurrent_saves.py covers the select box keeping its choice by label, which
    AppTest does not reproduce.)
    """
    london = load_builtin("london")
    sid = store.create(LOCAL, london.with_changes(name="Plan")).scenario_id
    at = make_app(s=f"id:{sid}@1", h="8").run()
    assert at.session_state["cj_scenario"].horizon_years == 8
    store.save(OTHER, sid, london.with_changes(name="Plan", horizon_years=3), base=1)
    at.run()
    next(t for t in at.sidebar.toggle if t.label == "Presenter mode").set_value(True).run()
    assert at.session_state["cj_scenario"].horizon_years == 8
    assert at.session_state["cj_origin_key"] == f"id:{sid}@1"
    store.save(OTHER, sid, london.with_changes(name="Plan renamed", horizon_years=4), base=2)
    at.run()
    next(t for t in at.sidebar.toggle if t.label == "Presenter mode").set_value(False).run()
    assert at.session_state["cj_scenario"].horizon_years == 8 and not at.exception


def test_choosing_a_saved_scenario_in_the_sidebar_loads_its_newest_version(make_app, store: ScenarioStore) -> None:
    london = load_builtin("london")
    sid = store.create(LOCAL, london.with_changes(name="Plan")).scenario_id
    store.save(OTHER, sid, london.with_changes(name="Plan", horizon_years=9), base=1)
    at = make_app().run()
    at.sidebar.selectbox[0].select(f"id:{sid}").run()
    assert at.session_state["cj_origin_key"] == f"id:{sid}@2"
    assert at.session_state["cj_scenario"].horizon_years == 9


def test_saving_comes_back_when_the_place_becomes_writable(make_app, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that opened read-only is opened again later (here at once), without restarting the server."""
    from explorer import storage

    blocked = tmp_path / "mount"
    blocked.write_text("not a folder yet")
    monkeypatch.setenv("CJ_SCENARIO_DIR", str(blocked / "scenarios"))
    at = open_scenarios(make_app)
    assert button(at, "Save as new scenario").disabled
    blocked.unlink()
    blocked.mkdir()  # the folder appears (a late mount, a fixed permission)
    at.run()
    assert button(at, "Save as new scenario").disabled  # not yet: retried at most every RETRY_S seconds
    monkeypatch.setattr(storage, "RETRY_S", 0.0)
    at.run()
    assert not button(at, "Save as new scenario").disabled
    button(at, "Save as new scenario").click().run()
    assert not at.exception and any("Saved as a new scenario" in s.value for s in at.success)
    assert (blocked / "scenarios" / "explorer.db").is_file()
