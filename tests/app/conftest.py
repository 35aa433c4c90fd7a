"""Fixtures for Streamlit AppTest: a fresh app per test with its own user-scenario folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
VIEWS = ("spectrum", "funding_governance", "projections", "compare", "scenarios", "evidence")


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
    return {m.label: m.value for m in at.metric}


def number(text: str) -> float:
    """A displayed number back as a float ('114,406' -> 114406.0, '27.29%' -> 27.29, '£1.2m' -> 1.2)."""
    cleaned = text.replace(",", "").replace("£", "").replace("m", "").replace("%", "").replace("−", "-")
    return float(cleaned)
