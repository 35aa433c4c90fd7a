"""The tables a screen or a briefing shows about one projection, built without Streamlit (cached in runs.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cjcore.engine import project
from cjcore.report import by_cohort, headline_levels, money_by_year
from cjcore.schema import Scenario
from cjcore.story import story


@dataclass(frozen=True)
class RunView:
    """Everything a page or briefing shows about one projection, as plain tables and text."""

    summary: pd.DataFrame
    frame: pd.DataFrame
    drivers: pd.DataFrame
    levels: pd.DataFrame
    cohorts: pd.DataFrame
    money: pd.DataFrame
    agencies: pd.DataFrame
    story: tuple[str, ...]


def build_run_view(scenario: Scenario, draws: int, seed: int) -> RunView:
    """Project a scenario and collect its tables."""
    run = project(scenario, draws=draws, seed=seed)
    return RunView(run.summary, run.frame, run.drivers, headline_levels(run), by_cohort(run), money_by_year(run),
                   run.agency_summary, tuple(story(run)))
