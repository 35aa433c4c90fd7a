"""The tables a screen or a briefing shows about one projection, built without Streamlit (cached in runs.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cjcore.engine import project
from cjcore.report import by_cohort, headline_levels, money_by_year, overtake_year
from cjcore.schema import Scenario
from cjcore.story import jcurve, story
from cjcore.vocab import ALL_COHORTS, SERIES_SCENARIO

#: Cost lines of the appraisal shown in the money chart beside `cjcore.report.money_by_year`'s.
_APPRAISAL_COSTS = ("optimism_bias", "committed_cost")


@dataclass(frozen=True)
class RunView:
    """Everything a page or briefing shows about one projection, as plain tables and text.

    `overtake_year` and `jcurve` describe the J-curve (reoffending higher than today's while the new arrangements
    are set up): the year from which the scenario's reoffences, counted since the start, stay below today's (None
    if it never starts behind or never catches up), and the sentence that says so ('' when there is no J-curve).
    """

    summary: pd.DataFrame
    frame: pd.DataFrame
    drivers: pd.DataFrame
    levels: pd.DataFrame
    cohorts: pd.DataFrame
    money: pd.DataFrame
    agencies: pd.DataFrame
    story: tuple[str, ...]
    overtake_year: int | None = None
    jcurve: str = ""
    draws: int = 0  # uncertainty draws behind the expected values and bands (0: central values only)

    @property
    def has_draws(self) -> bool:
        """Whether uncertainty draws were run (so bands and chances mean something)."""
        return bool(self.summary["p10"].notna().any())


def _money(run) -> pd.DataFrame:
    """Money per year (central) for the chart: spend, arrangement costs, optimism bias, any unspent money kept."""
    base = money_by_year(run)
    frame = run.frame
    extra = frame[(frame.series == SERIES_SCENARIO) & frame.metric.isin(_APPRAISAL_COSTS)
                  & (frame.cohort == ALL_COHORTS)]
    extra = extra[extra.groupby("metric").value.transform(lambda v: v.abs().sum() > 0)]  # no empty line
    return pd.concat([base, extra[list(base.columns)]], ignore_index=True)


def build_run_view(scenario: Scenario, draws: int, seed: int) -> RunView:
    """Project a scenario and collect its tables."""
    run = project(scenario, draws=draws, seed=seed)
    return RunView(run.summary, run.frame, run.drivers, headline_levels(run), by_cohort(run), _money(run),
                   run.agency_summary, tuple(story(run)), overtake_year(run), jcurve(run), run.draws)
