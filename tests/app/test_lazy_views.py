"""A projection's tables are made only when a page reads them (explorer.runs.LazyRunView).

Spectrum reads only the headline figures and the notes beside its controls: a stage moved there must not pay for
the tidy frame, cohort, money and agency tables and the story. What the pages read is the full view's, value for
value.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjcore.scenario_io import load_builtin
from explorer import runs
from explorer.runview import build_run_view


@pytest.fixture
def full_views(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The model keys for which the full view was built in this test (the real builder, counted)."""
    built: list[str] = []
    real = runs.build_run_view

    def counted(scenario, draws, seed):
        built.append(runs.model_key(scenario))
        return real(scenario, draws, seed)

    monkeypatch.setattr(runs, "build_run_view", counted)
    runs._run.clear()
    runs._headlines.clear()
    return built


def test_a_stage_moved_on_spectrum_builds_only_the_headlines(make_app, full_views):
    at = make_app().run()
    at.switch_page("pages/spectrum.py").run()
    next(s for s in at.select_slider if s.label == "Substance misuse").set_value("co_investment").run()
    assert not at.exception
    assert at.metric and full_views == []
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    assert len(full_views) == 1, "Projections reads the tables: the full view, once per script run"


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
