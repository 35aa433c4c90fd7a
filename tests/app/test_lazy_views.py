"""A projection's tables are made only when a page reads them (explorer.runs.LazyRunView).

Spectrum reads only the headline figures and the notes beside its controls: a stage moved there must not pay for
the tidy frame, cohort, money and agency tables and the story; Projections' first tab must not pay for the cohort,
money and agency tables (the topic tables) either. What the pages read is the full view's, value for value.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjcore.scenario_io import load_builtin
from explorer import runs
from explorer.runview import build_run_view
from tests.app.conftest import open_projection_tab
from tests.cards import cards


def _count(monkeypatch: pytest.MonkeyPatch, builder: str) -> list[str]:
    """The model keys for which `runs.<builder>` ran in this test (the real builder, counted)."""
    built: list[str] = []
    real = getattr(runs, builder)

    def counted(scenario, draws, seed):
        built.append(runs.model_key(scenario))
        return real(scenario, draws, seed)

    monkeypatch.setattr(runs, builder, counted)
    return built


@pytest.fixture
def full_views(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The model keys for which the view's tables (all but the topic tables) were built in this test."""
    runs._run.clear()
    runs._headlines.clear()
    return _count(monkeypatch, "build_run_core")


@pytest.fixture
def topic_views(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The model keys for which the topic tables (cohorts, money, agencies) were built in this test."""
    runs._topics.clear()
    return _count(monkeypatch, "build_topics")


def test_a_stage_moved_on_spectrum_builds_only_the_headlines(make_app, full_views):
    at = make_app().run()
    at.switch_page("pages/spectrum.py").run()
    next(s for s in at.select_slider if s.label == "Substance misuse").set_value("co_investment").run()
    assert not at.exception
    assert cards(at) and full_views == []
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    assert len(full_views) == 1, "Projections reads the tables: the full view, once per script run"


def test_projections_makes_the_topic_tables_only_for_the_tab_that_shows_them(make_app, full_views, topic_views):
    at = make_app().run()
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    assert len(full_views) == 1 and topic_views == [], "the first tab reads no cohort, money or agency table"
    open_projection_tab(at, "drivers")
    assert not at.exception
    assert len(topic_views) == 1, "the cohorts chart needs them"
    cohorts = runs.LazyRunView(topic_views[0], runs.DRAWS, runs.SEED).cohorts
    pd.testing.assert_frame_equal(
        cohorts, build_run_view(at.session_state["cj_scenario"], runs.DRAWS, runs.SEED).cohorts, check_exact=True)


@pytest.mark.parametrize("draws", [0, 7])
def test_the_lazy_view_reads_as_the_full_view(draws, full_views):
    scenario = load_builtin("staged-path")
    lazy = runs.LazyRunView(runs.model_key(scenario), draws, 1)
    full = build_run_view(scenario, draws, 1)
    for name in ("summary", "levels"):
        pd.testing.assert_frame_equal(getattr(lazy, name), getattr(full, name), check_exact=True)
    assert (lazy.draws, lazy.has_draws, lazy.budget_note, dict(lazy.stage_notes)) == \
        (full.draws, full.has_draws, full.budget_note, dict(full.stage_notes))
    assert full_views == []
    for name in ("frame", "drivers", "cohorts", "money", "agencies"):
        pd.testing.assert_frame_equal(getattr(lazy, name), getattr(full, name), check_exact=True)
    assert (lazy.story, lazy.overtake_year, lazy.jcurve) == (full.story, full.overtake_year, full.jcurve)
    assert len(full_views) == 1, "the full view is fetched once for the object's life"
    pd.testing.assert_frame_equal(lazy.summary, full.summary, check_exact=True)
    with pytest.raises(AttributeError):
        lazy.no_such_table  # noqa: B018
