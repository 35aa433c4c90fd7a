"""Fixtures for Streamlit AppTest: a fresh app per test with its own user-scenario folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.cards import cards

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
VIEWS = ("spectrum", "funding_governance", "projections", "compare", "scenarios", "evidence")


_UPSTREAM_PAGES_MANAGER_INIT = PagesManager.__init__


def _pages_manager_init_as_server(self: PagesManager, *args: object, **kwargs: object) -> None:
    """PagesManager.__init__, then the flag the real server sets once `st.navigation` runs."""
    _UPSTREAM_PAGES_MANAGER_INIT(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


def run_main_script_like_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work around an AppTest bug so `app.py` reruns on every interaction, as on the real server.

    AppTest (Streamlit 1.67) resets `PagesManager.uses_pages_directory` to None before every run and
    re-derives it from whether a `pages/` folder sits next to the main script; with our `pages/` folder it
    then runs only the page script after the first run (the shared sidebar and URL sync never run again).
    The real server sets the flag to False once `st.navigation` runs. Upstream: streamlit/streamlit issue
    9446 (https://github.com/streamlit/streamlit/issues/9446) and PR 14217
    (https://github.com/streamlit/streamlit/pull/14217). `test_app_rerun.py` says when this can be dropped.
    """
    monkeypatch.setattr(PagesManager, "__init__", _pages_manager_init_as_server)


@pytest.fixture(autouse=True)
def _main_script_reruns(monkeypatch: pytest.MonkeyPatch) -> None:
    run_main_script_like_the_server(monkeypatch)


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-scenarios"
    monkeypatch.setenv("CJ_SCENARIO_DIR", str(folder))
    return folder


@pytest.fixture
def make_app(user_dir: Path) -> Callable[..., AppTest]:
    """An AppTest, optionally opened as if from a link with the given query parameters."""

    def make(**query: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return make


def metric_values(at: AppTest) -> dict[str, str]:
    """Headline metric label -> shown value."""
    return {m.label: m.value for m in cards(at)}


def number(text: str) -> float:
    """A displayed number back as a float ('114,406' -> 114406.0, '27.29%' -> 27.29, '£1.2m' -> 1.2)."""
    cleaned = text.replace(",", "").replace("£", "").replace("m", "").replace("%", "").replace("−", "-")
    return float(cleaned)


def open_projection_tab(at, tab: str):
    """Open one of the Projections view's tabs (a key of explorer.theme.PROJECTION_TABS) and rerun: only the open
    tab's charts and tables are built."""
    from explorer.theme import PROJECTION_TAB_KEY, PROJECTION_TABS

    at.session_state[PROJECTION_TAB_KEY] = PROJECTION_TABS[tab]
    return at.run()


def open_compare_tab(at, tab: str):
    """Open one of the Compare view's tabs (a key of explorer.theme.COMPARE_TABS) and rerun."""
    from explorer.theme import COMPARE_TAB_KEY, COMPARE_TABS

    at.session_state[COMPARE_TAB_KEY] = COMPARE_TABS[tab]
    return at.run()
