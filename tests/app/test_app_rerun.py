"""`app.py` (shared sidebar, link warnings, URL sync) reruns on every interaction, as on the real server.

The screens live in `pages/`, which trips an AppTest bug (see `run_main_script_like_the_server` in conftest):
without the workaround AppTest runs only the page script after the first run. The second test is a canary:
when it fails, upstream has fixed the bug and the workaround can be dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from explorer import sidebar
from tests.app.conftest import _UPSTREAM_PAGES_MANAGER_INIT, ROOT


def _count_main_script_runs(make_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Runs made (first run, a click, two page switches) and how many of them drew the shared sidebar."""
    calls: list[int] = []
    upstream_draw = sidebar.draw

    def counting_draw():  # same return as sidebar.draw
        calls.append(1)
        return upstream_draw()

    monkeypatch.setattr(sidebar, "draw", counting_draw)
    at = make_app().run()
    next(s for s in at.select_slider if s.label == "Women offenders").set_value("co_design").run()
    at.switch_page("pages/projections.py").run()
    at.switch_page("pages/evidence.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return 4, len(calls)


def test_pages_folder_is_where_the_screens_live() -> None:
    assert (ROOT / "pages").is_dir() and not (ROOT / "views").exists()


def test_main_script_reruns_on_every_interaction(make_app, monkeypatch) -> None:
    runs, sidebar_drawn = _count_main_script_runs(make_app, monkeypatch)
    assert sidebar_drawn == runs


def test_workaround_is_still_needed(make_app, monkeypatch) -> None:
    monkeypatch.setattr(PagesManager, "__init__", _UPSTREAM_PAGES_MANAGER_INIT)
    runs, sidebar_drawn = _count_main_script_runs(make_app, monkeypatch)
    assert sidebar_drawn < runs, (
        "AppTest now reruns app.py with a pages/ folder present: upstream fixed streamlit issue 9446; remove "
        "run_main_script_like_the_server from tests/app/conftest.py and bench/ui.py, and this test")
